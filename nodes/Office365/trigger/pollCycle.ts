/**
 * One poll of one collection: state in, events and the next state out, in three steps: collect the
 * candidates (read the window), decide what each one is (emit or skip), and compute the next tracker.
 * No n8n imports; the caller passes `fetchPage` (Graph transport) and commits the returned state only after
 * it has the events in hand, so a failure anywhere leaves the stored state untouched (nothing emitted, nothing
 * lost).
 */
import { RecordError } from './errors';
import type { StandardEvent } from '../shared/standardEvent';
import { classifyChange, toStandardEvent } from './eventShape';
import { readFieldPath } from './fieldPath';
import { buildNewestRequest, buildWindowRequest } from './odataQuery';
import { recordPredicate } from './mailFilters';
import type { FolderKeys } from './mailFolders';
import { fingerprint, type TimestampTrackerState } from './pollState';
import { CLOCK_SKEW_MARGIN_MS, describeDisagreement, readClocks } from './serverClock';
import type { DateField } from './resourceScope';
import { newestField, type PollConfig } from './triggerConfig';
import { PagingError, readWindow, type FetchPage, type ReadResult, type RecordPosition, type WindowSource } from './windowReader';

export interface PollInput {
	config: PollConfig;
	/** The stored tracker (undefined on the first poll). */
	previous?: TimestampTrackerState;
	fetchPage: FetchPage;
	/** n8n's clock; `nowMs` is its reading at the start of the poll. */
	clock: () => number;
	nowMs: number;
	/** No new page is requested at or after this instant: the poll ends within n8n's budget. */
	deadlineMs: number;
	/** Ids of the well-known folders `config.folderNames` (kept in the state for the next polls). */
	folderKeys?: FolderKeys;
}

export interface PollResult {
	events: StandardEvent[];
	/** The next state; store it only if the events are handed on. */
	tracker: TimestampTrackerState;
	/** Graph requests made (pages read). */
	requests: number;
	/** True when this was the first poll, which only set the starting point. */
	seeded: boolean;
	/** Lines for n8n's log: a server clock newly seen disagreeing, a region that could not be proven complete. */
	warnings: string[];
}

interface Candidate {
	record: Record<string, unknown>;
	objectId: string;
	key: string;
	trackedMs: number;
	createdMs?: number;
	updatedMs?: number;
}

/** What earlier polls processed: emitted (`seen`) or deliberately not emitted (`skipped`). */
interface Memory {
	seen: Readonly<Record<string, number>>;
	skipped: Readonly<Record<string, number>>;
}

/** The record's id as ID Field says (an Open Connectors-style dot path), as text. */
export function readObjectId(config: Pick<PollConfig, 'idField' | 'objectType'>, record: Record<string, unknown>, index: number): string {
	const value = readFieldPath(record, config.idField);
	if (typeof value === 'string' && value !== '') return value;
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	throw new RecordError(
		`Record #${index + 1} of ${config.objectType} has no usable ID Field "${config.idField}" (found ${JSON.stringify(value) ?? 'nothing'}); set ID Field to the property that identifies a record`,
		undefined,
		index,
	);
}

/** A date of the record in ms; a value that does not fit its format (or a missing required one) is a RecordError. */
export function readDate(field: DateField, record: Record<string, unknown>, objectId: string, index: number, required: boolean): number | undefined {
	const value = readFieldPath(record, field.field);
	let parsed: number | undefined;
	try {
		parsed = field.codec.parse(value);
	} catch (error) {
		return reportBadDate(field, objectId, index, (error as Error).message);
	}
	if (parsed === undefined && required) {
		return reportBadDate(field, objectId, index, `the field is ${value === undefined ? 'missing' : 'empty'}`);
	}
	return parsed;
}

function reportBadDate(field: DateField, objectId: string, index: number, reason: string): never {
	throw new RecordError(`Record "${objectId}" (#${index + 1}) has an unusable date in "${field.field}": ${reason}`, objectId, index);
}

function toCandidate(config: PollConfig, raw: unknown, index: number): Candidate {
	if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
		throw new RecordError(`Record #${index + 1} of ${config.objectType} is not a JSON object`, undefined, index);
	}
	const record = raw as Record<string, unknown>;
	const objectId = readObjectId(config, record, index);
	const trackedMs = readDate(config.tracked, record, objectId, index, true)!;
	const updatedMs =
		config.updated === config.tracked ? trackedMs : config.updated && readDate(config.updated, record, objectId, index, false);
	const createdMs =
		config.created === config.tracked ? trackedMs : config.created && readDate(config.created, record, objectId, index, false);
	return { record, objectId, key: fingerprint(objectId), trackedMs, updatedMs, createdMs };
}

const byTrackedDate = (a: Candidate, b: Candidate) => a.trackedMs - b.trackedMs;

function isSorted(candidates: Candidate[]): boolean {
	for (let i = 1; i < candidates.length; i++) if (candidates[i].trackedMs < candidates[i - 1].trackedMs) return false;
	return true;
}

const priorStamp = (memory: Memory, key: string): number | undefined => memory.seen[key] ?? memory.skipped[key];

/** How many requests one read may make: enough for every page of the quota twice over, and a margin. */
function requestBudget(config: PollConfig): number {
	return 2 * Math.ceil(config.maxEventsPerPoll / config.pageSize) + 50;
}

/** Step 1: every record changed in the window that this configuration has not processed yet, oldest first. */
async function collectCandidates(
	input: PollInput,
	sinceMs: number,
	memory: Memory,
	useQuota: boolean,
): Promise<{ candidates: Candidate[]; read: ReadResult }> {
	const { config } = input;
	const candidates: Candidate[] = [];
	const byKey = new Map<string, number>();
	let index = 0;
	const source: WindowSource = {
		sorted: config.dateFilter === 'server',
		// Graph's mail, calendar and contacts lists answer $count=true; custom collections may not.
		countable: config.dateFilter === 'server' && config.countable,
		maxPageSize: config.maxPageSize,
		request: (fromMs, options) => buildWindowRequest(config, fromMs, options),
	};
	const read = await readWindow(
		input.fetchPage,
		source,
		sinceMs,
		{
			position: (raw) => toCandidate(config, raw, index),
			accept: (records) => {
				const positions: RecordPosition[] = [];
				for (const raw of records) {
					const candidate = toCandidate(config, raw, index++);
					positions.push(candidate);
					// Older than the window: processed before (Graph may compare at second precision).
					if (candidate.trackedMs < sinceMs) continue;
					const prior = priorStamp(memory, candidate.key);
					if (prior !== undefined && prior >= candidate.trackedMs) continue;
					// Read twice (a restart, or a change between pages): keep the newest version.
					const at = byKey.get(candidate.key);
					if (at !== undefined) {
						if (candidates[at].trackedMs < candidate.trackedMs) candidates[at] = candidate;
						continue;
					}
					byKey.set(candidate.key, candidates.length);
					candidates.push(candidate);
				}
				return positions;
			},
			// Oldest first from the server: once enough are read, later pages are all newer.
			enough: () => useQuota && candidates.length >= config.maxEventsPerPoll,
		},
		{ maxRequests: requestBudget(config), deadlineMs: input.deadlineMs, clock: input.clock },
	);
	// Oldest first (stable, so the server's order of same-second records is kept); usually already so.
	if (!isSorted(candidates)) candidates.sort(byTrackedDate);
	return { candidates, read };
}

/** Step 2: the events of the processed candidates, and which candidates were deliberately not emitted. */
function decide(
	config: PollConfig,
	processed: Candidate[],
	memory: Memory,
	rememberedSinceMs: number | undefined,
	folderKeys: FolderKeys,
): { events: StandardEvent[]; emitted: Candidate[]; skipped: Candidate[] } {
	const events: StandardEvent[] = [];
	const emitted: Candidate[] = [];
	const skipped: Candidate[] = [];
	const reported = config.recordFilter ? recordPredicate(config.recordFilter, folderKeys) : undefined;
	for (const candidate of processed) {
		// A folder or filter the user did not ask for: remembered, so it is never read as new again.
		if (reported && !reported(candidate.record)) {
			skipped.push(candidate);
			continue;
		}
		// Candidates are unique per key, so this poll's own records never change the answer.
		const eventType = classifyChange({
			seenBefore: priorStamp(memory, candidate.key) !== undefined,
			createdMs: candidate.createdMs,
			updatedMs: candidate.updatedMs,
			rememberedSinceMs,
			toleranceMs: config.createdToleranceMs,
			trackingCreated: config.trackingCreated,
		});
		if (eventType === 'CREATED' ? !config.emitCreated : !config.emitUpdated) {
			skipped.push(candidate);
			continue;
		}
		emitted.push(candidate);
		events.push(toStandardEvent(eventType, config.objectType, candidate.objectId, candidate.updatedMs ?? candidate.trackedMs, candidate.record));
	}
	return { events, emitted, skipped };
}

/** Entries still inside the look-back, then this poll's (a key lives in one of the two maps only). */
function nextMemory(
	memory: Memory,
	pruneBelowMs: number,
	seenNow: Candidate[],
	skippedNow: Candidate[],
): { seen: Record<string, number>; skipped: Record<string, number> } {
	const seen: Record<string, number> = {};
	const skipped: Record<string, number> = {};
	for (const key in memory.seen) if (memory.seen[key] >= pruneBelowMs) seen[key] = memory.seen[key];
	for (const key in memory.skipped) if (memory.skipped[key] >= pruneBelowMs) skipped[key] = memory.skipped[key];
	for (const candidate of seenNow) {
		if (candidate.trackedMs < pruneBelowMs) continue;
		seen[candidate.key] = candidate.trackedMs;
		delete skipped[candidate.key];
	}
	for (const candidate of skippedNow) {
		if (candidate.trackedMs < pruneBelowMs) continue;
		skipped[candidate.key] = candidate.trackedMs;
		delete seen[candidate.key];
	}
	return { seen, skipped };
}

/**
 * The poll cycle. A changed configuration of the same collection carries on from the stored window: what it
 * emitted stays emitted, what it skipped is decided anew.
 */
export async function runPollCycle(input: PollInput): Promise<PollResult> {
	const { config, previous, nowMs } = input;
	const seeding = previous === undefined && !config.emitExistingOnFirstPoll;
	// The seed window reaches a little further back than pollDelay: n8n's clock may run ahead of the server's.
	const sinceMs = previous ? Date.parse(previous.since) : seeding ? nowMs - config.pollDelayMs - CLOCK_SKEW_MARGIN_MS : 0;
	const configChanged = previous !== undefined && previous.configKey !== config.configKey;
	const memory: Memory = { seen: previous?.seen ?? {}, skipped: configChanged ? {} : (previous?.skipped ?? {}) };

	const { candidates, read } = await collectCandidates(input, sinceMs, memory, !seeding);
	if (seeding && read.end !== 'complete') {
		throw new PagingError(
			`The first poll could not read the starting window within n8n's poll time budget (${read.requests} requests); nothing was stored and the next poll starts again`,
		);
	}

	// Unread pages (stopped at the quota or for time) or more candidates than the quota: finish in later polls.
	const cut = !seeding && (read.end !== 'complete' || candidates.length > config.maxEventsPerPoll);
	const processed = cut ? candidates.slice(0, config.maxEventsPerPoll) : candidates;
	const decision = seeding
		? { events: [], emitted: processed, skipped: [] }
		: decide(config, processed, memory, previous ? Date.parse(previous.rememberedSince) : undefined, input.folderKeys ?? {});

	// Step 3: the next tracker. Records dated before reference - pollDelay were visible when this poll started
	// reading, so the next window may start there, but never past a record the quota left for later or a region
	// whose completeness could not be proven.
	const clocks = readClocks(nowMs, read.serverTimeMs);
	const settledBeforeMs = clocks.referenceMs - config.pollDelayMs;
	const cutMs = !cut ? Infinity : processed.length > 0 ? processed[processed.length - 1].trackedMs : sinceMs;
	const nextSinceMs = Math.max(sinceMs, Math.min(settledBeforeMs, cutMs, read.unprovenFromMs ?? Infinity));
	const previousWatermarkMs = previous ? Date.parse(previous.watermark) : undefined;
	const watermarkMs = cut
		? (previousWatermarkMs ?? clocks.referenceMs)
		: Math.max(previousWatermarkMs ?? -Infinity, clocks.referenceMs);
	const pruneBelowMs = Math.min(nextSinceMs, watermarkMs - config.pollDelayMs);
	const { seen, skipped } = nextMemory(memory, pruneBelowMs, decision.emitted, decision.skipped);

	const warnings: string[] = [];
	const clockWarned = clocks.disagreementMs !== undefined;
	if (clockWarned && !previous?.clockWarned) warnings.push(describeDisagreement(clocks, read.serverTimeMs!));
	if (read.unprovenFromMs !== undefined) {
		warnings.push(
			`More records than one page share the second ${new Date(read.unprovenFromMs).toISOString()} and the server listed them in a different order on every request, so reading them completely could not be proven; the trigger reads from that second again next poll (nothing is lost or repeated).`,
		);
	}

	const tracker: TimestampTrackerState = {
		mode: 'timestamp',
		objectType: config.objectType,
		configKey: config.configKey,
		watermark: new Date(watermarkMs).toISOString(),
		since: new Date(nextSinceMs).toISOString(),
		rememberedSince: new Date(pruneBelowMs).toISOString(),
		seen,
		skipped,
	};
	if (input.folderKeys && Object.keys(input.folderKeys).length) tracker.folderKeys = input.folderKeys;
	if (clockWarned) tracker.clockWarned = true;
	return { events: decision.events, tracker, requests: read.requests, seeded: seeding, warnings };
}

/** Pages "Fetch Test Event" reads looking for a record the per-record filter reports. */
const NEWEST_PAGES = 4;
const NEWEST_PAGE_SIZE = 25;

/**
 * "Fetch Test Event": the newest records (by `newestField(config)`) as events, shaped like a poll's; stores nothing.
 * With a per-record filter (folders, subject, categories) it reads a few pages newest first until one passes.
 */
export async function fetchNewestEvents(
	config: PollConfig,
	fetchPage: FetchPage,
	nowMs: number,
	count = 1,
	folderKeys: FolderKeys = {},
): Promise<StandardEvent[]> {
	const lookBackMs = 30 * 24 * 3600 * 1000;
	const reported = config.recordFilter ? recordPredicate(config.recordFilter, folderKeys) : () => true;
	const found: Candidate[] = [];
	let request = buildNewestRequest(config, config.recordFilter ? NEWEST_PAGE_SIZE : count, nowMs - lookBackMs);
	for (let page = 1; ; page++) {
		const answer = await fetchPage(request);
		found.push(...answer.records.map((raw, index) => toCandidate(config, raw, index)).filter((candidate) => reported(candidate.record)));
		if (found.length >= count || !config.recordFilter || !answer.nextLink || page >= NEWEST_PAGES) break;
		request = { url: answer.nextLink };
	}
	const newest = newestField(config);
	const newestFirst = (candidate: Candidate) => readDate(newest, candidate.record, candidate.objectId, 0, false) ?? candidate.trackedMs;
	found.sort((a, b) => newestFirst(b) - newestFirst(a));
	return found.slice(0, count).map((candidate) => {
		const eventType = classifyChange({
			seenBefore: false,
			createdMs: candidate.createdMs,
			updatedMs: candidate.updatedMs,
			toleranceMs: config.createdToleranceMs,
			trackingCreated: config.trackingCreated,
		});
		return toStandardEvent(eventType, config.objectType, candidate.objectId, candidate.updatedMs ?? candidate.trackedMs, candidate.record);
	});
}
