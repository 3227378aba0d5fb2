/**
 * One poll of one resource: state in, events and the next state out. No n8n imports; the caller
 * passes `fetchPage` (Graph transport) and commits the returned state only after it has the events
 * in hand, so a failure anywhere leaves the stored state untouched (nothing emitted, nothing lost).
 */
import { RecordError } from './errors';
import { classifyChange, toStandardEvent, type StandardEvent } from './eventShape';
import { readFieldPath } from './fieldPath';
import { buildNewestRequest, buildWindowRequest, type ListRequest } from './odataQuery';
import { fingerprint, type TimestampTrackerState } from './pollState';
import type { DateField, PollConfig } from './triggerConfig';

export interface FetchedPage {
	records: unknown[];
	/** `@odata.nextLink`, followed verbatim. */
	nextLink?: string;
	/** The server's clock (HTTP Date header), when it sent one. */
	serverTimeMs?: number;
}

export type FetchPage = (request: ListRequest | { url: string; qs?: undefined }) => Promise<FetchedPage>;

export interface PollResult {
	events: StandardEvent[];
	/** The next state; store it only if the events are handed on. */
	tracker: TimestampTrackerState;
	/** Graph requests made (pages read). */
	requests: number;
	/** True when this was the first poll, which only set the starting point. */
	seeded: boolean;
}

interface Candidate {
	record: Record<string, unknown>;
	objectId: string;
	key: string;
	trackedMs: number;
	createdMs?: number;
	updatedMs?: number;
}

function readObjectId(config: PollConfig, record: Record<string, unknown>, index: number): string {
	const value = readFieldPath(record, config.idField);
	if (typeof value === 'string' && value !== '') return value;
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	throw new RecordError(
		`Record #${index + 1} of ${config.objectType} has no usable ID Field "${config.idField}" (found ${JSON.stringify(value) ?? 'nothing'}); set ID Field to the property that identifies a record`,
		undefined,
		index,
	);
}

function readDate(field: DateField, record: Record<string, unknown>, objectId: string, index: number, required: boolean): number | undefined {
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

/** Reads pages until `enough()` says stop (server-sorted windows) or the last page. */
async function readPages(
	fetchPage: FetchPage,
	first: ListRequest,
	onPage: (records: unknown[]) => void,
	enough: () => boolean,
): Promise<{ requests: number; serverTimeMs?: number; complete: boolean }> {
	let page = await fetchPage(first);
	const serverTimeMs = page.serverTimeMs;
	let requests = 1;
	for (;;) {
		onPage(page.records);
		if (!page.nextLink) return { requests, serverTimeMs, complete: true };
		if (enough()) return { requests, serverTimeMs, complete: false };
		page = await fetchPage({ url: page.nextLink });
		requests++;
	}
}

/** How far n8n's clock may run ahead of Graph's without the seed poll missing a record. */
export const CLOCK_SKEW_MARGIN_MS = 10 * 60 * 1000;

const byTrackedDate = (a: Candidate, b: Candidate) => a.trackedMs - b.trackedMs;

/**
 * The poll cycle. `previous` is the stored tracker (undefined on the first poll); `nowMs` stands
 * in for the server clock when the API sends no Date header.
 */
export async function runPollCycle(
	config: PollConfig,
	previous: TimestampTrackerState | undefined,
	fetchPage: FetchPage,
	nowMs: number,
): Promise<PollResult> {
	const seeding = previous === undefined && !config.emitExistingOnFirstPoll;
	// The seed window reaches a little further back than pollDelay: n8n's clock may run ahead of the server's.
	const since = previous ? Date.parse(previous.since) : seeding ? nowMs - config.pollDelayMs - CLOCK_SKEW_MARGIN_MS : 0;
	// Read, never written: the next `seen` is built once at the end (the stored state stays untouched).
	const previousSeen: Readonly<Record<string, number>> = previous ? previous.seen : {};
	const previousWatermarkMs = previous ? Date.parse(previous.watermark) : undefined;
	const rememberedSinceMs = previous ? Date.parse(previous.rememberedSince) : undefined;

	const candidates: Candidate[] = [];
	const byKey = new Map<string, number>();
	let index = 0;
	const serverSorted = config.dateFilter === 'server';
	const { requests, serverTimeMs, complete } = await readPages(
		fetchPage,
		buildWindowRequest(config, since),
		(records) => {
			for (const raw of records) {
				const candidate = toCandidate(config, raw, index++);
				// Older than the window: processed before (Graph may compare at second precision).
				if (candidate.trackedMs < since) continue;
				const seenMs = previousSeen[candidate.key];
				if (seenMs !== undefined && seenMs >= candidate.trackedMs) continue;
				// Offset paging can show a record twice when it changes mid-read: keep the newest.
				const at = byKey.get(candidate.key);
				if (at !== undefined) {
					if (candidates[at].trackedMs >= candidate.trackedMs) continue;
					candidates[at] = candidate;
					continue;
				}
				byKey.set(candidate.key, candidates.length);
				candidates.push(candidate);
			}
		},
		// Oldest first from the server: once a page fills the quota, later pages are all newer.
		() => serverSorted && !seeding && candidates.length >= config.maxEventsPerPoll,
	);

	const serverNowMs = serverTimeMs ?? nowMs;
	// Oldest first (stable, so Graph's order of same-second records is kept); usually already so.
	if (!isSorted(candidates)) candidates.sort(byTrackedDate);

	// Unread pages (stopped at the quota) or more candidates than the quota: finish in later polls.
	const cut = !seeding && (!complete || candidates.length > config.maxEventsPerPoll);
	const processed = cut ? candidates.slice(0, config.maxEventsPerPoll) : candidates;

	const events: StandardEvent[] = [];
	// The seed poll only remembers what it read (below).
	if (!seeding) {
		for (const candidate of processed) {
			// Candidates are unique per key, so this poll's own records never change the answer.
			const eventType = classifyChange({
				seenBefore: previousSeen[candidate.key] !== undefined,
				createdMs: candidate.createdMs,
				updatedMs: candidate.updatedMs,
				rememberedSinceMs,
				toleranceMs: config.createdToleranceMs,
				trackingCreated: config.trackingCreated,
			});
			if (eventType === 'CREATED' ? !config.emitCreated : !config.emitUpdated) continue;
			const dateMs = candidate.updatedMs ?? candidate.trackedMs;
			events.push(toStandardEvent(eventType, config.objectType, candidate.objectId, dateMs, candidate.record));
		}
	}

	// Records dated before serverNow - pollDelay were visible when this poll started reading, so
	// the next query may start there, but not past a record the quota left for later.
	const settledBefore = serverNowMs - config.pollDelayMs;
	const cutDate = cut ? processed[processed.length - 1].trackedMs : Infinity;
	const nextSince = seeding ? settledBefore : Math.max(since, Math.min(cutDate, settledBefore));
	const watermarkMs = cut ? (previousWatermarkMs ?? serverNowMs) : Math.max(previousWatermarkMs ?? 0, serverNowMs);
	const pruneBelow = Math.min(nextSince, watermarkMs - config.pollDelayMs);
	// One pass: what is still inside the look-back, then what this poll processed (newer versions win).
	const seen: Record<string, number> = {};
	for (const key in previousSeen) {
		const ms = previousSeen[key];
		if (ms >= pruneBelow) seen[key] = ms;
	}
	for (const candidate of processed) if (candidate.trackedMs >= pruneBelow) seen[candidate.key] = candidate.trackedMs;

	return {
		events,
		tracker: {
			mode: 'timestamp',
			objectType: config.objectType,
			watermark: new Date(watermarkMs).toISOString(),
			since: new Date(nextSince).toISOString(),
			rememberedSince: new Date(pruneBelow).toISOString(),
			draining: cut,
			seen,
		},
		requests,
		seeded: seeding,
	};
}

function isSorted(candidates: Candidate[]): boolean {
	for (let i = 1; i < candidates.length; i++) if (candidates[i].trackedMs < candidates[i - 1].trackedMs) return false;
	return true;
}

/** "Fetch Test Event": the newest records as events; reads one page, stores nothing. */
export async function fetchNewestEvents(
	config: PollConfig,
	fetchPage: FetchPage,
	nowMs: number,
	count = 1,
): Promise<StandardEvent[]> {
	const lookBackMs = 30 * 24 * 3600 * 1000;
	const page = await fetchPage(buildNewestRequest(config, count, nowMs - lookBackMs));
	const candidates = page.records.map((raw, index) => toCandidate(config, raw, index));
	candidates.sort((a, b) => b.trackedMs - a.trackedMs);
	return candidates.slice(0, count).map((candidate) => {
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
