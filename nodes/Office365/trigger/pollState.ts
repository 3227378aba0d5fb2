/**
 * The trigger's persistent state: the ONE place its shape is defined.
 *
 * Stored in n8n's `getWorkflowStaticData('node')`, which n8n serializes as JSON, so only strings,
 * numbers, booleans, arrays and plain objects appear here.
 *
 * ```jsonc
 * {
 *   "version": 1,
 *   "trackers": {
 *     // one entry per polled resource configuration (key: see trackerKey); today one per node
 *     "messages#3kq0VZ2l": {
 *       "mode": "timestamp",            // room for "delta" (Graph delta links, DELETED events) later
 *       "objectType": "messages",
 *       "watermark": "2026-11-28T10:00:00.000Z", // server time of the last poll that read everything
 *       "since": "2026-11-28T09:59:00.000Z",     // lower bound (inclusive) of the next query
 *       "rememberedSince": "2026-11-28T09:58:00.000Z", // `seen` covers every processed record dated at/after it
 *       "draining": false,              // true: the last poll stopped at maxEventsPerPoll
 *       "seen": { "Q2n9…": 1764323940000 } // fingerprint(objectId) -> tracked date (ms) of the newest
 *                                         // version processed; only entries >= the prune bound
 *     }
 *   }
 * }
 * ```
 *
 * Invariants: every record whose tracked date is < `since` was processed (emitted, or skipped by
 * the event-type choice); `seen` holds every processed record whose date is >= `since` (so a
 * re-read window never emits twice); `since` never moves backwards.
 */
import * as crypto from 'node:crypto';

export const STATE_VERSION = 1;

export interface TimestampTrackerState {
	mode: 'timestamp';
	objectType: string;
	watermark: string;
	since: string;
	/** Every record processed with a date at or after this instant is in `seen`. */
	rememberedSince: string;
	draining: boolean;
	seen: Record<string, number>;
}

export type TrackerState = TimestampTrackerState;

export interface TriggerState {
	version: typeof STATE_VERSION;
	trackers: Record<string, TrackerState>;
}

type OneShotHash = (algorithm: string, data: string, outputEncoding: 'base64url') => string;
/** `crypto.hash` (Node >= 20.12) is about 4x cheaper per record; older Node versions that n8n 1.x runs on lack it. */
const oneShotHash = (crypto as unknown as { hash?: OneShotHash }).hash;

/** Compact, fixed-size stand-in for a Graph id (~150 chars): 96 bits of SHA-1, base64url. */
export function fingerprint(objectId: string): string {
	const digest = oneShotHash
		? oneShotHash('sha1', objectId, 'base64url')
		: crypto.createHash('sha1').update(objectId).digest('base64url');
	return digest.slice(0, 16);
}

/** Key of a tracker: changes when anything that changes the set of records polled changes. */
export function trackerKey(objectType: string, identity: unknown): string {
	return `${objectType}#${fingerprint(JSON.stringify(identity)).slice(0, 8)}`;
}

function isTrackerState(value: unknown): value is TrackerState {
	const state = value as Partial<TimestampTrackerState> | undefined;
	return (
		!!state &&
		state.mode === 'timestamp' &&
		typeof state.since === 'string' &&
		!Number.isNaN(Date.parse(state.since)) &&
		typeof state.watermark === 'string' &&
		typeof state.rememberedSince === 'string' &&
		!!state.seen &&
		typeof state.seen === 'object'
	);
}

/**
 * Reads the tracker for `key` from the static data object, or undefined when there is none yet.
 * Static data written by other versions or damaged by hand is ignored (the trigger then seeds
 * afresh) instead of being trusted half-way.
 */
export function readTracker(staticData: Record<string, unknown>, key: string): TrackerState | undefined {
	if (staticData.version !== STATE_VERSION) return undefined;
	const trackers = staticData.trackers as Record<string, unknown> | undefined;
	const tracker = trackers?.[key];
	return isTrackerState(tracker) ? tracker : undefined;
}

/**
 * Replaces the static data content with `key -> tracker` in place (n8n watches this very object).
 * Trackers of earlier configurations are dropped so state never outgrows the current config.
 */
export function writeTracker(staticData: Record<string, unknown>, key: string, tracker: TrackerState): void {
	for (const name of Object.keys(staticData)) delete staticData[name];
	const state: TriggerState = { version: STATE_VERSION, trackers: { [key]: tracker } };
	Object.assign(staticData, state);
}
