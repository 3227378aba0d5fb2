/**
 * The trigger's persistent state: the ONE place its shape is defined.
 *
 * Stored in n8n's `getWorkflowStaticData('node')`, which n8n serializes as JSON, so only strings,
 * numbers, booleans, arrays and plain objects appear here.
 *
 * ```jsonc
 * {
 *   "version": 3,
 *   "trackers": {
 *     // one entry per watched collection (key: see trackerKey): one per resource, one per mail folder in delta mode
 *     "messages#3kq0VZ2l": {
 *       "mode": "timestamp",
 *       "objectType": "messages",
 *       "configKey": "Vb1c…",           // the configuration (filter, folder, event types…) that wrote it
 *       "watermark": "2026-11-28T10:00:00.000Z", // reference time of the last poll that read everything
 *       "since": "2026-11-28T09:59:00.000Z",     // lower bound (inclusive) of the next query
 *       "rememberedSince": "2026-11-28T09:58:00.000Z", // every record processed at/after it is in seen or skipped
 *       "seen": { "Q2n9…": 1764323940000 },    // fingerprint(objectId) -> tracked date (ms) of the newest
 *                                              // version emitted (or noted by the first poll)
 *       "skipped": { "x7Pb…": 1764323941000 }, // the same for versions processed but not emitted (event type,
 *                                              // folder, filter); dropped when the configuration changes, so they
 *                                              // are decided anew
 *       "folderKeys": { "drafts": "Hq3b…", "outbox": null }, // well-known folders the folder decision needs:
 *                                              // fingerprint of the id (never changes), null when the mailbox has none
 *       "clockWarned": false             // a server clock disagreement was reported and still holds
 *     },
 *     "messages#Pz81Kq0c": {
 *       "mode": "delta",
 *       "objectType": "messages",
 *       "configKey": "Vb1c…",
 *       "link": "https://graph.microsoft.com/v1.0/me/mailFolders/AQMk…/messages/delta?$deltatoken=…",
 *                                        // where the next poll reads: the last round's @odata.deltaLink, or the
 *                                        // @odata.nextLink of a round that a poll's quota or time cut short
 *       "round": "changes",              // only while a round is cut short: changes | seed | resync
 *       "roundStartedAt": "2026-11-28T10:00:00.000Z", // only then: Graph's clock at the round's first page
 *       "since": "2026-11-28T09:58:00.000Z",   // (start of the last complete round) - Poll Delay
 *       "seen": { "Q2n9…": 1764323940000 },    // fingerprint(objectId) -> change date (ms) of every version
 *                                              // emitted (or noted) dated at/after since
 *       "tags": { "Q2n9…": "k3Vd0aQx" },      // the version tag (@odata.etag / eTag) of those versions, hashed:
 *                                              // tells two changes within one second apart
 *       "removed": { "x7Pb…": 1764324000000 }, // the same for deletions emitted, dated by their round's start
 *       "windowStart": "2026-10-29T00:00:00.000Z" // calendarView: the start of the window the link reads
 *     }
 *   },
 *   "folderListings": {                  // delta over a whole mailbox: its mail folders (one tracker each)
 *     "messages#x1Yq": { "listedAt": "2026-11-28T09:50:00.000Z", "folders": ["AQMkADAw…", "…"] }
 *   }
 * }
 * ```
 *
 * Invariants (timestamp): every record whose tracked date is < `since` was processed; `seen` and `skipped` hold
 * every processed record whose date is >= `rememberedSince` (<= `since`), so a re-read window never emits twice;
 * `since` never moves backwards. (Delta): every change before the round `link` continues was emitted; `seen` holds
 * every version emitted with a date >= `since`, so a replayed or resynchronised change is recognised.
 *
 * Version 1 (the first release) had no `configKey` and `skipped`, a `draining` flag, and keyed trackers by the
 * whole configuration; version 2 had timestamp trackers only. Both are read and carried over. State that cannot be
 * read is reported and replaced by a fresh start, never an error on every poll.
 */
import * as crypto from 'node:crypto';

const STATE_VERSION = 3;

export interface TimestampTrackerState {
	mode: 'timestamp';
	objectType: string;
	configKey: string;
	watermark: string;
	since: string;
	rememberedSince: string;
	seen: Record<string, number>;
	skipped: Record<string, number>;
	folderKeys?: Record<string, string | null>;
	clockWarned?: boolean;
}

/** Why a delta round is read across polls: ordinary changes, the silent first enumeration, or a resynchronisation. */
export type DeltaRoundKind = 'changes' | 'seed' | 'resync';

export interface DeltaTrackerState {
	mode: 'delta';
	objectType: string;
	configKey: string;
	link: string;
	round?: DeltaRoundKind;
	roundStartedAt?: string;
	since: string;
	seen: Record<string, number>;
	tags: Record<string, string>;
	removed: Record<string, number>;
	windowStart?: string;
}

export type TrackerState = TimestampTrackerState | DeltaTrackerState;

interface TriggerState {
	version: typeof STATE_VERSION;
	trackers: Record<string, TrackerState>;
	folderListings?: Record<string, FolderListing>;
}

/** The mail folders of a mailbox, as last listed. */
export interface FolderListing {
	listedAt: string;
	folders: string[];
}

interface StoredTracker {
	/** The tracker of this collection, or undefined when there is none (first poll, or unreadable state). */
	tracker?: TrackerState;
	/** Why stored state was not used, for n8n's log. */
	problem?: string;
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

/** Key of a tracker: changes only when the watched collection changes (not with filters or event types). */
export function trackerKey(objectType: string, collection: unknown): string {
	return `${objectType}#${fingerprint(JSON.stringify(collection)).slice(0, 8)}`;
}

/** Identifies a configuration of one collection (what is emitted from it). */
export function configKey(configuration: unknown): string {
	return fingerprint(JSON.stringify(configuration));
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
	!!value && typeof value === 'object' && !Array.isArray(value);

function isDate(value: unknown): value is string {
	return typeof value === 'string' && !Number.isNaN(Date.parse(value));
}

function isStampMap(value: unknown): value is Record<string, number> {
	if (!isPlainObject(value)) return false;
	for (const key in value) if (typeof value[key] !== 'number' || !Number.isFinite(value[key])) return false;
	return true;
}

function isFolderKeyMap(value: unknown): value is Record<string, string | null> {
	if (!isPlainObject(value)) return false;
	for (const key in value) if (value[key] !== null && typeof value[key] !== 'string') return false;
	return true;
}

const DELTA_ROUNDS: readonly string[] = ['changes', 'seed', 'resync'] satisfies DeltaRoundKind[];

/** Why a stored tracker is unusable, or undefined when it is sound. */
function trackerProblem(value: unknown, latestPlausibleMs: number): string | undefined {
	if (!isPlainObject(value) || typeof value.objectType !== 'string') return 'it is not a tracker';
	if (value.mode === 'delta') return deltaTrackerProblem(value, latestPlausibleMs);
	if (value.mode !== 'timestamp') return `it has an unknown mode (${JSON.stringify(value.mode) ?? 'missing'})`;
	for (const field of ['since', 'watermark', 'rememberedSince'] as const) {
		if (!isDate(value[field])) return `"${field}" is not a date (${JSON.stringify(value[field]) ?? 'missing'})`;
	}
	if (Date.parse(value.since as string) > latestPlausibleMs) return `"since" lies in the future (${value.since as string})`;
	if (!isStampMap(value.seen)) return '"seen" is not a map of dates';
	if (value.skipped !== undefined && !isStampMap(value.skipped)) return '"skipped" is not a map of dates';
	if (value.folderKeys !== undefined && !isFolderKeyMap(value.folderKeys)) return '"folderKeys" is not a map of folder keys';
	return undefined;
}

function deltaTrackerProblem(value: Record<string, unknown>, latestPlausibleMs: number): string | undefined {
	if (typeof value.link !== 'string' || !/^https?:\/\/[^\s]+$/i.test(value.link)) return '"link" is not a URL';
	if (typeof value.configKey !== 'string') return '"configKey" is missing';
	if (!isDate(value.since)) return `"since" is not a date (${JSON.stringify(value.since) ?? 'missing'})`;
	if (Date.parse(value.since) > latestPlausibleMs) return `"since" lies in the future (${value.since})`;
	if (value.round !== undefined) {
		if (!DELTA_ROUNDS.includes(value.round as string)) return `"round" is not one of ${DELTA_ROUNDS.join(', ')}`;
		if (!isDate(value.roundStartedAt)) return '"roundStartedAt" is not a date';
	}
	if (!isStampMap(value.seen)) return '"seen" is not a map of dates';
	if (value.removed !== undefined && !isStampMap(value.removed)) return '"removed" is not a map of dates';
	if (value.tags !== undefined && !(isPlainObject(value.tags) && Object.values(value.tags).every((tag) => typeof tag === 'string'))) {
		return '"tags" is not a map of version tags';
	}
	if (value.windowStart !== undefined && !isDate(value.windowStart)) return '"windowStart" is not a date';
	return undefined;
}

/** Version 1 kept one tracker per node, keyed by the whole configuration: carry it over. */
function fromVersion1(trackers: Record<string, unknown>, objectType: string): unknown {
	const candidates = Object.values(trackers).filter((tracker) => isPlainObject(tracker) && tracker.objectType === objectType);
	if (candidates.length !== 1) return undefined;
	const carried: Record<string, unknown> = { ...(candidates[0] as Record<string, unknown>), configKey: '', skipped: {} };
	delete carried.draining;
	return carried;
}

/** The stored state's root, or why it cannot be used. */
function readRoot(staticData: Record<string, unknown>): { version?: number; trackers?: Record<string, unknown>; problem?: string } {
	if (Object.keys(staticData).length === 0) return {};
	const version = staticData.version;
	const trackers = staticData.trackers;
	if (typeof version !== 'number' || !isPlainObject(trackers)) return { problem: 'the stored state has an unknown shape' };
	if (version > STATE_VERSION) {
		return { problem: `the stored state was written by a newer version of this node (state version ${version})` };
	}
	return { version, trackers };
}

/**
 * Reads the tracker for `key`. State of an unknown shape, written by a newer version, or damaged (dates that
 * are not dates, a window starting after `latestPlausibleMs`) is not used; `problem` says why.
 */
export function readTracker(
	staticData: Record<string, unknown>,
	key: string,
	objectType: string,
	latestPlausibleMs: number,
): StoredTracker {
	const root = readRoot(staticData);
	if (!root.trackers) return root.problem ? { problem: root.problem } : {};
	const stored = root.version === 1 ? fromVersion1(root.trackers, objectType) : root.trackers[key];
	if (stored === undefined) return {};
	const problem = trackerProblem(stored, latestPlausibleMs);
	if (problem) return { problem: `the stored state is damaged: ${problem}` };
	const tracker = stored as TrackerState;
	return {
		tracker: tracker.mode === 'timestamp' ? { ...tracker, skipped: tracker.skipped ?? {} } : { ...tracker, tags: tracker.tags ?? {}, removed: tracker.removed ?? {} },
	};
}

/** The folder list stored under `key`, if it is on record and sound. */
export function readFolderListing(staticData: Record<string, unknown>, key: string, latestPlausibleMs: number): FolderListing | undefined {
	const listings = staticData.folderListings;
	if (!readRoot(staticData).trackers || !isPlainObject(listings)) return undefined;
	const listing = listings[key];
	if (!isPlainObject(listing) || !isDate(listing.listedAt) || Date.parse(listing.listedAt) > latestPlausibleMs) return undefined;
	if (!Array.isArray(listing.folders) || !listing.folders.every((folder) => typeof folder === 'string')) return undefined;
	return { listedAt: listing.listedAt, folders: [...(listing.folders as string[])] };
}

/**
 * Replaces the static data content with these trackers (and folder listings) in place (n8n watches this very
 * object). Trackers of other collections are dropped so state never outgrows the current configuration.
 */
export function writeState(
	staticData: Record<string, unknown>,
	trackers: Record<string, TrackerState>,
	folderListings: Record<string, FolderListing> = {},
): void {
	for (const name of Object.keys(staticData)) delete staticData[name];
	const state: TriggerState = { version: STATE_VERSION, trackers };
	if (Object.keys(folderListings).length > 0) state.folderListings = folderListings;
	Object.assign(staticData, state);
}
