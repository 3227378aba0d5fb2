/**
 * The instant trigger's parameters, validated once before any request: what Graph notifies (the subscription's
 * resource and change types), how the changes are read (a delta plan of the trigger's change tracker, in the chosen
 * mailbox with the polling trigger's version 2 rules), and how often the safety-net read runs. Mistakes become an Office365ConfigError naming the parameter, the value and what would
 * work.
 */
import { Office365ConfigError } from '../shared/configError';
import type { DeltaConfig } from '../trigger/deltaConfig';
import { catchConfigError } from '../trigger/errors';
import { locatorValue, type LocatorParameter } from '../trigger/mailbox';
import type { Access } from '../trigger/triggerParameters';
import { buildResourcePlan } from '../trigger/triggerPlan';

export type InstantResource = 'messages' | 'events' | 'contacts' | 'driveItems';
const RESOURCES: readonly InstantResource[] = ['messages', 'events', 'contacts', 'driveItems'];
/** The resources that live in a mailbox (the Mailbox parameter applies to them). */
export const MAILBOX_RESOURCES: readonly InstantResource[] = ['messages', 'events', 'contacts'];
const EVENT_TYPES = ['created', 'updated', 'deleted'] as const;

/** Intervals that divide an hour, so the schedule is even (a cron minute step). */
export const RECONCILE_MINUTES = [1, 2, 5, 10, 15, 30, 60] as const;
export const DEFAULT_RECONCILE_MINUTES = 5;

/** Parameter names and shapes exactly as the node declares them. */
export interface InstantParameters {
	resource: string;
	/** Whose mailbox (a resource locator); My Mailbox when absent. */
	mailbox?: LocatorParameter;
	/** A resource locator, or the plain string workflows saved before the Folder was one; whole mailbox when empty. */
	folder?: LocatorParameter;
	drive?: string;
	eventTypes?: string[];
	reconcileMinutes?: number;
}

export interface InstantConfig {
	resource: InstantResource;
	/** How the changes are read: the change tracker in delta mode. */
	delta: DeltaConfig;
	/** Graph's `resource` of the subscription, relative to the API root. */
	subscriptionResource: string;
	/** Graph's `changeType` of the subscription. */
	changeType: string;
	reconcileMinutes: number;
	/** n8n cron expression (with seconds) of the safety-net read. */
	reconcileCron: string;
}

/** The tracker names these parameters after the polling trigger's options; here they are the node's own. */
const PARAMETER_NAMES: Record<string, string> = { 'Options → Folder': 'Folder', 'Options → Drive': 'Drive' };

function subscriptionResourceOf(delta: DeltaConfig): string {
	// The mailbox as the user named it (address or id, validated): the resource is a name in the body, not a URL.
	const mailbox = decodeURIComponent(delta.mailbox.replace(/^\/+/, ''));
	switch (delta.resource) {
		case 'messages':
			return delta.folder === undefined ? `${mailbox}/messages` : `${mailbox}/mailFolders('${delta.folder}')/messages`;
		case 'driveItems':
			return `${(delta.drivePath ?? '/me/drive').replace(/^\/+/, '')}/root`;
		default:
			return `${mailbox}/${delta.resource}`;
	}
}

/**
 * `access.appOnly`: the credential has no signed-in user, so My Mailbox and "your OneDrive" are refused here, before
 * any request.
 */
export function buildInstantConfig(parameters: InstantParameters, access: Access = { appOnly: false }): InstantConfig {
	const resource = parameters.resource as InstantResource;
	if (!RESOURCES.includes(resource)) throw new Office365ConfigError('Resource', String(parameters.resource), 'choose Message, Event, Contact or File');
	const eventTypes = parameters.eventTypes ?? [...EVENT_TYPES];
	const reconcileMinutes = parameters.reconcileMinutes ?? DEFAULT_RECONCILE_MINUTES;
	if (!(RECONCILE_MINUTES as readonly number[]).includes(reconcileMinutes)) {
		throw new Office365ConfigError('Reconcile Every', String(reconcileMinutes), `choose one of ${RECONCILE_MINUTES.join(', ')} minutes`);
	}
	const plan = catchConfigError(
		() =>
			buildResourcePlan(
				{
					configurationMode: 'fields',
					trackingMode: 'delta',
					// The polling trigger's version 2 reads the Mailbox parameter.
					version: 2,
					resource,
					mailbox: MAILBOX_RESOURCES.includes(resource) ? parameters.mailbox : undefined,
					eventTypes,
					options: {
						folder: resource === 'messages' ? locatorValue(parameters.folder) || undefined : undefined,
						drive: resource === 'driveItems' ? parameters.drive : undefined,
					},
				},
				access,
			),
		(error) => {
			throw new Office365ConfigError(PARAMETER_NAMES[error.parameter] ?? error.parameter, error.value, error.hint);
		},
	);
	const delta = (plan as Extract<typeof plan, { mode: 'delta' }>).config;
	return {
		resource,
		delta,
		subscriptionResource: subscriptionResourceOf(delta),
		// Graph notifies a drive's changes only as `updated` of its root.
		changeType: resource === 'driveItems' ? 'updated' : EVENT_TYPES.filter((type) => eventTypes.includes(type)).join(','),
		reconcileMinutes,
		reconcileCron: reconcileMinutes === 60 ? '0 0 * * * *' : `0 */${reconcileMinutes} * * * *`,
	};
}
