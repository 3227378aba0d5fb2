/**
 * The standardized event both nodes speak: what the trigger emits (one n8n item each) and what
 * Event Forward delivers. Open Connectors' event contract: eventType is one of these four.
 */
export const EVENT_TYPES = ['CREATED', 'UPDATED', 'DELETED', 'UNKNOWN'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** The elementKey Open Connectors used for Office 365. */
export const ELEMENT_KEY = 'office365';

export interface StandardEvent {
	eventType: EventType;
	objectType: string;
	objectId: string;
	elementKey: string;
	/** ISO 8601 timestamp of the change. */
	date: string;
	/** The vendor (Graph) record. */
	raw: Record<string, unknown>;
}
