/**
 * Graph subscriptions of one instant trigger: find, create, renew, reauthorize and delete them. Pure: the caller
 * passes `call` (the Graph transport) and the clock.
 *
 * A trigger's subscriptions are the ones whose notificationUrl is its webhook URL, so Graph itself says which
 * exist: activation finds and renews a live one instead of piling up new ones, creating one removes any others,
 * and deactivation deletes them all, including any the stored state no longer knows.
 */
import { issueClientState, verifyClientState } from './clientState';
import type { InstantConfig } from './instantConfig';
import type { CurrentSubscription, SubscriptionState } from './instantState';

/** Resolves for 2xx and 404 (`status` tells them apart); throws for anything else, with a message for the user. */
export type GraphCall = (request: {
	method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
	url: string;
	body?: Record<string, unknown>;
}) => Promise<{ status: number; body: Record<string, unknown> }>;

/** Outlook resources live at most 4230 minutes; ask for a little less so n8n's clock may run ahead of Graph's. */
const REQUESTED_LIFETIME_MS = 4200 * 60_000;
/** A subscription found at activation with less left than this is renewed there and then. */
const MIN_REMAINING_MS = 10 * 60_000;
/** Safety margin of paging through the subscription list. */
const MAX_LIST_PAGES = 20;

interface GraphSubscription {
	id: string;
	resource: string;
	changeType: string;
	notificationUrl: string;
	clientState?: string | null;
	expirationDateTime: string;
}

function sameUrl(a: string, b: string): boolean {
	try {
		return new URL(a).href === new URL(b).href;
	} catch {
		return a === b;
	}
}

function sameResource(a: string, b: string): boolean {
	const normal = (text: string): string => text.replace(/^\/+/, '').toLowerCase();
	return normal(a) === normal(b);
}

function sameChangeTypes(a: string, b: string): boolean {
	const set = (text: string): string => text.split(',').map((part) => part.trim()).sort().join(',');
	return set(a) === set(b);
}

/** The subscriptions (of this app, for this user) that notify `notificationUrl`. */
async function listOwnSubscriptions(call: GraphCall, notificationUrl: string): Promise<GraphSubscription[]> {
	const own: GraphSubscription[] = [];
	let url: string | undefined = '/subscriptions';
	for (let page = 0; url !== undefined && page < MAX_LIST_PAGES; page++) {
		const response = await call({ method: 'GET', url });
		const value = Array.isArray(response.body.value) ? (response.body.value as GraphSubscription[]) : [];
		own.push(...value.filter((s) => typeof s?.id === 'string' && typeof s.notificationUrl === 'string' && sameUrl(s.notificationUrl, notificationUrl)));
		const next = response.body['@odata.nextLink'];
		url = typeof next === 'string' ? next : undefined;
	}
	return own;
}

/** Renews a subscription to the full lifetime; returns the new expiry, or undefined when Graph no longer has it. */
export async function renewSubscription(call: GraphCall, id: string, nowMs: number): Promise<number | undefined> {
	const expiresAt = nowMs + REQUESTED_LIFETIME_MS;
	const response = await call({ method: 'PATCH', url: `/subscriptions/${encodeURIComponent(id)}`, body: { expirationDateTime: new Date(expiresAt).toISOString() } });
	if (response.status === 404) return undefined;
	const confirmed = Date.parse(String(response.body.expirationDateTime));
	return Number.isNaN(confirmed) ? expiresAt : confirmed;
}

/** Answers reauthorizationRequired; false when Graph no longer has the subscription. */
export async function reauthorizeSubscription(call: GraphCall, id: string): Promise<boolean> {
	const response = await call({ method: 'POST', url: `/subscriptions/${encodeURIComponent(id)}/reauthorize` });
	return response.status !== 404;
}

/**
 * Activation: the live subscription of this configuration, renewed, if Graph has one signed with our key; else
 * undefined (then a new one is created).
 */
export async function adoptLiveSubscription(
	call: GraphCall,
	config: InstantConfig,
	notificationUrl: string,
	clientStateKey: string,
	nowMs: number,
): Promise<CurrentSubscription | undefined> {
	const candidates = (await listOwnSubscriptions(call, notificationUrl)).filter(
		(s) =>
			sameResource(s.resource, config.subscriptionResource) &&
			sameChangeTypes(s.changeType, config.changeType) &&
			verifyClientState(clientStateKey, s.clientState) &&
			Date.parse(s.expirationDateTime) > nowMs + MIN_REMAINING_MS,
	);
	for (const candidate of candidates) {
		const expiresAt = await renewSubscription(call, candidate.id, nowMs);
		if (expiresAt !== undefined) return { id: candidate.id, resource: candidate.resource, expiresAt };
	}
	return undefined;
}

/** Creates the subscription (Graph validates the URL first), then removes every other one notifying this URL. */
export async function createSubscription(
	call: GraphCall,
	config: InstantConfig,
	state: SubscriptionState & { notificationUrl: string },
	nowMs: number,
	onCleanupError: (error: unknown) => void,
): Promise<CurrentSubscription> {
	const expiresAt = nowMs + REQUESTED_LIFETIME_MS;
	const response = await call({
		method: 'POST',
		url: '/subscriptions',
		body: {
			changeType: config.changeType,
			notificationUrl: state.notificationUrl,
			lifecycleNotificationUrl: state.notificationUrl,
			resource: config.subscriptionResource,
			expirationDateTime: new Date(expiresAt).toISOString(),
			clientState: issueClientState(state.clientStateKey),
			latestSupportedTlsVersion: 'v1_2',
		},
	});
	const id = response.body.id;
	if (typeof id !== 'string' || id === '') throw new Error('Microsoft Graph created a subscription but returned no id');
	const confirmed = Date.parse(String(response.body.expirationDateTime));
	try {
		await deleteOwnSubscriptions(call, state.notificationUrl, id);
	} catch (error) {
		onCleanupError(error);
	}
	return { id, resource: config.subscriptionResource, expiresAt: Number.isNaN(confirmed) ? expiresAt : confirmed };
}

/** Deletes every subscription notifying `notificationUrl` except `keep`; returns how many were deleted. */
export async function deleteOwnSubscriptions(call: GraphCall, notificationUrl: string, keep?: string): Promise<number> {
	let deleted = 0;
	for (const subscription of await listOwnSubscriptions(call, notificationUrl)) {
		if (subscription.id === keep) continue;
		const response = await call({ method: 'DELETE', url: `/subscriptions/${encodeURIComponent(subscription.id)}` });
		if (response.status !== 404) deleted++;
	}
	return deleted;
}

const PRIVATE_HOST = [
	/^localhost$/i,
	/\.localhost$/i,
	/\.local$/i,
	/^127\./,
	/^10\./,
	/^192\.168\./,
	/^172\.(1[6-9]|2\d|3[01])\./,
	/^169\.254\./,
	/^0\.0\.0\.0$/,
	/^\[(::1?|f[cd][0-9a-f]{2}:.*|fe80:.*)\]$/i,
];

/**
 * Why Microsoft Graph cannot deliver to `url`, or undefined when it might. Graph only posts to public HTTPS
 * addresses; a custom Graph base URL (a proxy, the test simulator) decides for itself.
 */
export function notificationUrlProblem(url: string | undefined, graphIsMicrosoft: boolean): string | undefined {
	if (url === undefined || url === '') return 'n8n gave no webhook URL for this node';
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		return 'it is not an absolute URL';
	}
	if (!graphIsMicrosoft) return undefined;
	if (parsed.protocol !== 'https:') return 'it is not HTTPS';
	if (PRIVATE_HOST.some((pattern) => pattern.test(parsed.hostname)) || !parsed.hostname.includes('.')) {
		return `${parsed.hostname} is not a public host name`;
	}
	return undefined;
}

/** The read permissions a subscription needs: delegated (own data, another mailbox's) and app-only. */
const PERMISSIONS: Record<InstantConfig['resource'], { own: string; shared: string; app: string }> = {
	messages: { own: 'Mail.Read', shared: 'Mail.Read.Shared', app: 'Mail.Read' },
	events: { own: 'Calendars.Read', shared: 'Calendars.Read.Shared', app: 'Calendars.Read' },
	contacts: { own: 'Contacts.Read', shared: 'Contacts.Read.Shared', app: 'Contacts.Read' },
	driveItems: { own: 'Files.Read', shared: 'Files.Read.All', app: 'Files.Read.All' },
};

/** The error text for Graph's 403 to a subscription: the credential may not read what the trigger watches. */
export function refusedSubscriptionMessage(config: InstantConfig, graphText: string | undefined): { message: string; hint: string } {
	const { own, shared, app } = PERMISSIONS[config.resource];
	const access =
		config.resource === 'driveItems'
			? `Your OneDrive needs ${own}; another drive or a SharePoint library needs ${shared} (delegated, with access to it) or the application permission ${app}.`
			: `Your own mailbox needs ${own}. A shared mailbox or another user's needs ${shared} and full access to that mailbox (granted by an Exchange admin); ` +
				`with app-only access, the application permission ${app} (admin-consented) and, if the tenant limits the app to some mailboxes, this one in its application access policy.`;
	return {
		message: `Microsoft Graph refused to watch "${config.subscriptionResource}" (403): the credential may not read it`,
		hint: `${graphText ? `${graphText.replace(/\.?$/, '.')} ` : ''}${access}`,
	};
}

/** The error text for a webhook URL Graph cannot use: what it is, why, what n8n's setting is and how to fix it. */
export function unreachableUrlMessage(url: string | undefined, why: string): { message: string; hint: string } {
	// n8n builds webhook URLs as <WEBHOOK_URL>webhook/<id>/<path> (webhook-test/ for test runs).
	const base = url?.replace(/webhook(-test)?\/[^?#]*$/, '');
	const setting = base ? `n8n builds it from its WEBHOOK_URL setting, now "${base}"` : 'n8n builds it from its WEBHOOK_URL setting';
	return {
		message:
			`Microsoft Graph cannot deliver change notifications to n8n's webhook URL ${url ? `"${url}"` : ''}: ${why.replace(/\.$/, '')}. ` +
			`${setting}; set WEBHOOK_URL (N8N_WEBHOOK_URL since n8n 2.0) to the public HTTPS address of this n8n`,
		hint:
			'Graph posts change notifications only to a public HTTPS address and checks it when the workflow is published. Put n8n behind a ' +
			'reverse proxy or a tunnel with a public HTTPS name (for example https://n8n.example.com/), set that address as WEBHOOK_URL, restart ' +
			'n8n and publish the workflow again; or use the Office 365 Trigger, which polls and needs no public address.',
	};
}
