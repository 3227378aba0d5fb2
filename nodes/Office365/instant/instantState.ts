/**
 * The instant trigger's persistent state: the ONE place its shape is defined.
 *
 * Stored in n8n's `getWorkflowStaticData('node')` next to the change tracker:
 *
 * ```jsonc
 * {
 *   "subscription": {
 *     "version": 1,
 *     "clientStateKey": "q1Vb…",          // signs each subscription's clientState (see clientState.ts)
 *     "notificationUrl": "https://n8n.example.com/webhook/7c1…/graph", // where Graph posts; used to recreate
 *     "current": {                         // the subscription this node keeps alive (absent until created)
 *       "id": "7f0e…",
 *       "resource": "me/mailFolders('inbox')/messages",
 *       "expiresAt": 1764576000000
 *     }
 *   },
 *   "changes": { … }                       // the change tracker (trigger/pollState.ts), read and written whole
 * }
 * ```
 *
 * Graph is the truth about subscriptions: activation lists them by notification URL, so `current` is only a cache and
 * a lost or stale one costs a request, never an event. Only top-level keys are assigned (never nested fields), because
 * n8n notices changes to static data by the assignments made to it.
 */

const SUBSCRIPTION_STATE_VERSION = 1;
const SUBSCRIPTION_KEY = 'subscription';
const CHANGES_KEY = 'changes';

export interface CurrentSubscription {
	id: string;
	resource: string;
	/** Epoch ms. */
	expiresAt: number;
}

export interface SubscriptionState {
	version: typeof SUBSCRIPTION_STATE_VERSION;
	clientStateKey: string;
	notificationUrl?: string;
	current?: CurrentSubscription;
}

interface StoredSubscriptionState {
	state?: SubscriptionState;
	/** Why stored state was not used, for n8n's log. */
	problem?: string;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
	!!value && typeof value === 'object' && !Array.isArray(value);

function currentProblem(value: unknown): string | undefined {
	if (value === undefined) return undefined;
	if (!isPlainObject(value)) return '"current" is not an object';
	if (typeof value.id !== 'string' || value.id === '') return '"current.id" is not a subscription id';
	if (typeof value.resource !== 'string') return '"current.resource" is not a string';
	if (typeof value.expiresAt !== 'number' || !Number.isFinite(value.expiresAt)) return '"current.expiresAt" is not a time';
	return undefined;
}

/** Reads the subscription state; damaged or unknown state is reported and not used (a new key is made on create). */
export function readSubscriptionState(staticData: Record<string, unknown>): StoredSubscriptionState {
	const stored = staticData[SUBSCRIPTION_KEY];
	if (stored === undefined) return {};
	if (!isPlainObject(stored)) return { problem: 'the stored subscription state is not an object' };
	if (typeof stored.version !== 'number' || stored.version > SUBSCRIPTION_STATE_VERSION) {
		return { problem: `the stored subscription state has an unknown version (${JSON.stringify(stored.version) ?? 'none'})` };
	}
	if (typeof stored.clientStateKey !== 'string' || !/^[A-Za-z0-9_-]{43}$/.test(stored.clientStateKey)) {
		return { problem: 'the stored subscription state has no usable clientState key' };
	}
	if (stored.notificationUrl !== undefined && typeof stored.notificationUrl !== 'string') {
		return { problem: 'the stored notification URL is not a string' };
	}
	const problem = currentProblem(stored.current);
	if (problem) return { problem: `the stored subscription state is damaged: ${problem}` };
	return { state: JSON.parse(JSON.stringify(stored)) as SubscriptionState };
}

export function writeSubscriptionState(staticData: Record<string, unknown>, state: SubscriptionState): void {
	staticData[SUBSCRIPTION_KEY] = JSON.parse(JSON.stringify(state)) as SubscriptionState;
}

/** The change tracker's own object, copied out so its module can rewrite it freely. */
export function readChangesHolder(staticData: Record<string, unknown>): Record<string, unknown> {
	const stored = staticData[CHANGES_KEY];
	return isPlainObject(stored) ? (JSON.parse(JSON.stringify(stored)) as Record<string, unknown>) : {};
}

export function writeChangesHolder(staticData: Record<string, unknown>, holder: Record<string, unknown>): void {
	staticData[CHANGES_KEY] = holder;
}
