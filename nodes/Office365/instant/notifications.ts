/**
 * What arrives at the instant trigger's webhook: Graph's validation request, change notifications and lifecycle
 * notifications. Only entries whose clientState verifies are kept; everything else is counted and ignored, so a
 * stranger's POST can at most cost one read of the collection.
 */

export type LifecycleEvent = 'reauthorizationRequired' | 'subscriptionRemoved' | 'missed';
const LIFECYCLE_EVENTS: readonly string[] = ['reauthorizationRequired', 'subscriptionRemoved', 'missed'];
const CHANGE_TYPES: readonly string[] = ['created', 'updated', 'deleted'];

export type GraphNotification =
	| { kind: 'change'; subscriptionId: string; changeType: 'created' | 'updated' | 'deleted'; resource?: string; itemId?: string }
	| { kind: 'lifecycle'; subscriptionId: string; lifecycleEvent: LifecycleEvent };

interface ReceivedNotifications {
	accepted: GraphNotification[];
	/** Entries without a valid clientState, or of a shape Graph does not send. */
	rejected: number;
}

/** Graph's validation tokens are short; anything longer is not one. */
const MAX_TOKEN_LENGTH = 1024;

/** The token of a validation request (the query is already URL-decoded by n8n), or undefined. */
export function validationTokenOf(query: unknown): string | undefined {
	const token = (query as Record<string, unknown> | undefined)?.validationToken;
	return typeof token === 'string' && token.length > 0 && token.length <= MAX_TOKEN_LENGTH ? token : undefined;
}

function readEntry(entry: unknown, isOurs: (clientState: unknown) => boolean): GraphNotification | undefined {
	if (!entry || typeof entry !== 'object') return undefined;
	const fields = entry as Record<string, unknown>;
	if (typeof fields.subscriptionId !== 'string' || !isOurs(fields.clientState)) return undefined;
	if (typeof fields.lifecycleEvent === 'string') {
		return LIFECYCLE_EVENTS.includes(fields.lifecycleEvent)
			? { kind: 'lifecycle', subscriptionId: fields.subscriptionId, lifecycleEvent: fields.lifecycleEvent as LifecycleEvent }
			: undefined;
	}
	if (typeof fields.changeType !== 'string' || !CHANGE_TYPES.includes(fields.changeType)) return undefined;
	const resourceData = fields.resourceData as Record<string, unknown> | undefined;
	return {
		kind: 'change',
		subscriptionId: fields.subscriptionId,
		changeType: fields.changeType as 'created' | 'updated' | 'deleted',
		resource: typeof fields.resource === 'string' ? fields.resource : undefined,
		itemId: typeof resourceData?.id === 'string' ? resourceData.id : undefined,
	};
}

/** Splits a notification body (`{ value: [...] }`) into verified entries and a count of the rest. */
export function readNotifications(body: unknown, isOurs: (clientState: unknown) => boolean): ReceivedNotifications {
	const value = (body as { value?: unknown } | undefined)?.value;
	if (!Array.isArray(value)) return { accepted: [], rejected: 1 };
	const accepted: GraphNotification[] = [];
	let rejected = 0;
	for (const entry of value) {
		const notification = readEntry(entry, isOurs);
		if (notification) accepted.push(notification);
		else rejected++;
	}
	return { accepted, rejected };
}
