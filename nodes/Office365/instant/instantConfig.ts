/**
 * The instant trigger's parameters, validated once before any request: what to subscribe to, which change types,
 * and how often the safety-net read runs. Mistakes become an Office365ConfigError naming the parameter, the value
 * and what would work.
 */
import { Office365ConfigError } from '../shared/configError';
import { GRAPH_FOLDER_ID } from '../trigger/triggerConfig';

export type InstantResource = 'messages' | 'events' | 'contacts';
export type ChangeType = 'created' | 'updated';

/** Intervals that divide an hour, so the schedule is even (a cron minute step). */
export const RECONCILE_MINUTES = [1, 2, 5, 10, 15, 30, 60] as const;
export const DEFAULT_RECONCILE_MINUTES = 5;

/** Parameter names and shapes exactly as the node declares them. */
export interface InstantParameters {
	resource: string;
	folder?: string;
	eventTypes?: string[];
	reconcileMinutes?: number;
}

export interface InstantConfig {
	resource: InstantResource;
	/** Messages of one folder (id or well-known name); undefined for the whole mailbox. */
	folder?: string;
	eventTypes: ChangeType[];
	/** Graph's `resource` of the subscription, relative to the API root. */
	subscriptionResource: string;
	/** Graph's `changeType` of the subscription. */
	changeType: string;
	reconcileMinutes: number;
	/** n8n cron expression (with seconds) of the safety-net read. */
	reconcileCron: string;
}

const RESOURCES: Record<InstantResource, string> = { messages: 'me/messages', events: 'me/events', contacts: 'me/contacts' };

export function buildInstantConfig(parameters: InstantParameters): InstantConfig {
	const resource = parameters.resource as InstantResource;
	if (!(resource in RESOURCES)) throw new Office365ConfigError('Resource', String(parameters.resource), 'choose Message, Event or Contact');

	const folder = resource === 'messages' ? (parameters.folder ?? '').trim() || undefined : undefined;
	if (folder !== undefined && !GRAPH_FOLDER_ID.test(folder)) {
		throw new Office365ConfigError('Folder', folder, 'pick a folder from the list, or enter a folder id or a well-known name such as inbox (letters, digits, - _ = + only)');
	}

	const eventTypes = parameters.eventTypes ?? ['created', 'updated'];
	for (const type of eventTypes) {
		if (type !== 'created' && type !== 'updated') throw new Office365ConfigError('Event Types', type, 'choose Created and/or Updated');
	}
	if (eventTypes.length === 0) throw new Office365ConfigError('Event Types', '', 'choose at least one of Created and Updated');

	const reconcileMinutes = parameters.reconcileMinutes ?? DEFAULT_RECONCILE_MINUTES;
	if (!(RECONCILE_MINUTES as readonly number[]).includes(reconcileMinutes)) {
		throw new Office365ConfigError('Reconcile Every', String(reconcileMinutes), `choose one of ${RECONCILE_MINUTES.join(', ')} minutes`);
	}

	return {
		resource,
		folder,
		eventTypes: eventTypes as ChangeType[],
		subscriptionResource: folder === undefined ? RESOURCES[resource] : `me/mailFolders('${folder}')/messages`,
		changeType: eventTypes.join(','),
		reconcileMinutes,
		reconcileCron: reconcileMinutes === 60 ? '0 0 * * * *' : `0 */${reconcileMinutes} * * * *`,
	};
}
