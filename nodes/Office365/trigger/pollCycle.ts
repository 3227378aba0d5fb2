/**
 * One poll of one collection: state in, events and the next state out, in three steps: collect the
 * candidates (read the window), decide what each one is (emit or skip: pollDecision.ts), and compute the
 * next tracker. No n8n imports; the caller passes `fetchPage` (Graph transport) and commits the returned state only after
 * it has the events in hand, so a failure anywhere leaves the stored state untouched (nothing emitted, nothing
 * lost).
 */
import type { StandardEvent } from '../shared/standardEvent';
import type { FolderKeys } from './mailFolders';
import { buildWindowRequest } from './odataQuery';
import { priorStamp, toCandidate, type Candidate, type Memory } from './pollCandidate';
import { decide, nextMemory } from './pollDecision';
import type { TimestampTrackerState } from './pollState';
import { CLOCK_SKEW_MARGIN_MS, describeDisagreement, readClocks } from './serverClock';
import type { PollConfig } from './triggerConfig';
import { PagingError } from './errors';
import { readWindow, type FetchPage, type ReadResult, type RecordPosition, type WindowSource } from './windowReader';

interface PollInput {
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

const byTrackedDate = (a: Candidate, b: Candidate) => a.trackedMs - b.trackedMs;

function isSorted(candidates: Candidate[]): boolean {
	for (let i = 1; i < candidates.length; i++) if (candidates[i].trackedMs < candidates[i - 1].trackedMs) return false;
	return true;
}

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
