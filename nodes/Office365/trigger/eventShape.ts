/** The standardized event (Open Connectors' shape) and the CREATED/UPDATED decision. */

import { ELEMENT_KEY, type EventType, type StandardEvent } from '../shared/standardEvent';

interface ClassificationInput {
	/** Whether an older version of this record was processed before (found in the look-back state). */
	seenBefore: boolean;
	createdMs?: number;
	updatedMs?: number;
	/**
	 * Lower bound of the stored look-back state (its `since`); undefined on the first poll. Every
	 * record processed with a date at or after it is remembered, so an unremembered record created
	 * at or after it was never announced.
	 */
	rememberedSinceMs?: number;
	/** Open Connectors' createdCheckTolerance, in ms. */
	toleranceMs: number;
	/** True when the query window follows the created date: every unseen record is new. */
	trackingCreated: boolean;
}

/**
 * Open Connectors' rule: equal created and updated dates (within the tolerance) mean CREATED.
 * Two sharper facts take precedence: a record we processed before is an update, and a record
 * created inside the remembered window but not remembered was never announced, so it is CREATED
 * even when it was also modified (read, flagged) before this poll saw it.
 */
export function classifyChange(input: ClassificationInput): 'CREATED' | 'UPDATED' {
	if (input.seenBefore) return 'UPDATED';
	if (input.trackingCreated) return 'CREATED';
	if (input.createdMs === undefined) return 'UPDATED';
	if (input.rememberedSinceMs !== undefined && input.createdMs >= input.rememberedSinceMs) return 'CREATED';
	if (input.updatedMs === undefined) return 'CREATED';
	return Math.abs(input.updatedMs - input.createdMs) <= input.toleranceMs ? 'CREATED' : 'UPDATED';
}

export function toStandardEvent(
	eventType: EventType,
	objectType: string,
	objectId: string,
	dateMs: number,
	raw: Record<string, unknown>,
): StandardEvent {
	return { eventType, objectType, objectId, elementKey: ELEMENT_KEY, date: new Date(dateMs).toISOString(), raw };
}
