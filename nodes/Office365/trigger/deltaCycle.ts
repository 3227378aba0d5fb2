/**
 * One poll of one delta collection: the stored link in, events and the next tracker out. Pure (no n8n imports);
 * the caller commits the returned tracker only once the events are handed on, so a failure anywhere leaves the
 * stored state untouched.
 *
 * - Activation starts from "now": drives ask for `token=latest`; other collections are enumerated once without
 *   emitting (the deltaLink at the end of that round is the starting point).
 * - A round's deltaLink is stored only when it arrives; a round cut short by the event quota or the poll's time
 *   stores the nextLink it stopped at and goes on from there next poll. Until the deltaLink, `since` stays put.
 * - Changes become CREATED / UPDATED (Open Connectors' rule, sharpened: a version already emitted makes UPDATED,
 *   a record created after `since` and never emitted is CREATED); `@removed` and the `deleted` facet become DELETED.
 * - Every version emitted with a date at or after `since` is remembered, so a replayed change (within a round,
 *   across rounds, or after a restart) is not emitted again.
 * - When Graph lost the sync state (410 Gone, syncStateNotFound) or the stored link cannot be used, the collection
 *   is enumerated again and only versions dated at or after `since` that were not emitted are reported: nothing
 *   already reported comes again, nothing changed since the last complete round is lost. Deletions made while
 *   the sync state was lost cannot be seen by any enumeration; that is reported in n8n's log.
 * - calendarView reads a window of days around today; when today moves (or the window is edited), the new window
 *   is enumerated the same way, and the old link is read once more for deletions the new round cannot see.
 */
import type { StandardEvent } from '../shared/standardEvent';
import type { DeltaCollection, DeltaConfig, DeltaRequest } from './deltaConfig';
import { copyMemory, readPass, type Memory, type Pass, type PassResult } from './deltaPass';
import { DeltaSyncLostError, type FetchDelta } from './deltaRound';
import { settle } from './errors';
import type { DeltaTrackerState } from './pollState';

interface DeltaCycleInput {
	config: DeltaConfig;
	collection: DeltaCollection;
	/** The stored tracker (undefined on the first poll). */
	previous?: DeltaTrackerState;
	/** The collection joined a set already tracked (a mail folder created since): its first round reports what changed from this instant. */
	joinedSinceMs?: number;
	fetchDelta: FetchDelta;
	/** n8n's clock; `nowMs` is its reading at the start of the poll. */
	clock: () => number;
	nowMs: number;
	deadlineMs: number;
	/** Events this poll may still emit (a round stops at the first page boundary past it). */
	quota: number;
	/** False for a stored link the transport would refuse (it points outside the credential's Graph root). */
	linkUsable: (link: string) => boolean;
}

interface DeltaCycleResult {
	events: StandardEvent[];
	tracker: DeltaTrackerState;
	requests: number;
	warnings: string[];
}

function pruned(map: Record<string, number>, belowMs: number): Record<string, number> {
	const kept: Record<string, number> = {};
	for (const key in map) if (map[key] >= belowMs) kept[key] = map[key];
	return kept;
}

function describeSince(ms: number): string {
	return new Date(ms).toISOString();
}

/** Where this poll starts: the stored link, or a first round. */
function firstPass(input: DeltaCycleInput, warnings: string[]): Pass {
	const { config, collection, previous, nowMs } = input;
	const page = (url: string): DeltaRequest => ({ url, pageSize: collection.first.pageSize });
	if (previous) {
		const sinceMs = Date.parse(previous.since);
		if (!input.linkUsable(previous.link)) {
			warnings.push(
				`The stored delta link of ${config.objectType} points outside the credential's Microsoft Graph address (was the credential changed?); ` +
					`the collection is read again and changes since ${describeSince(sinceMs)} are emitted.`,
			);
			return { kind: 'resync', request: collection.first, sinceMs };
		}
		if (previous.round) {
			return { kind: previous.round, request: page(previous.link), sinceMs, roundStartMs: Date.parse(previous.roundStartedAt!) };
		}
		return { kind: 'changes', request: page(previous.link), sinceMs };
	}
	if (input.joinedSinceMs !== undefined) return { kind: 'resync', request: collection.first, sinceMs: input.joinedSinceMs };
	const sinceMs = nowMs - config.pollDelayMs;
	if (config.emitExistingOnFirstPoll) return { kind: 'changes', request: collection.first, sinceMs };
	return { kind: 'seed', request: collection.fromNow ?? collection.first, sinceMs };
}

/** calendarView: today moved past the window the stored link reads (or the window was edited). */
function windowMoved(input: DeltaCycleInput): boolean {
	const stored = input.previous?.windowStart;
	return stored !== undefined && input.collection.windowStart !== undefined && stored !== input.collection.windowStart;
}

/**
 * One poll of one delta link (see the header). One function: the order of its steps (the first pass, a new round
 * when Graph lost the sync state, the window move, the next tracker) is the rule that keeps events once.
 */
export async function runDeltaCycle(input: DeltaCycleInput): Promise<DeltaCycleResult> {
	const { config, collection, previous } = input;
	const warnings: string[] = [];
	let pass = firstPass(input, warnings);
	const stored: Memory = { seen: previous?.seen ?? {}, tags: previous?.tags ?? {}, removed: previous?.removed ?? {} };
	let memory = copyMemory(stored);
	let requests = 0;
	const first = await settle(async () => await readPass(input, pass, memory, input.quota));
	let result: PassResult;
	if ('value' in first) {
		result = first.value;
	} else {
		const { error } = first;
		if (!(error instanceof DeltaSyncLostError) || pass.request === collection.first || pass.request === collection.fromNow) throw error;
		// What this pass read is dropped: the new round reports it again (by date), once.
		warnings.push(
			`Microsoft Graph no longer knows the sync state of ${config.objectType} (${error.message}); the collection is read again and ` +
				`changes since ${describeSince(pass.sinceMs)} are emitted once. Deletions made while the state was lost cannot be reported.`,
		);
		pass =
			pass.kind === 'seed'
				? { kind: 'seed', request: collection.fromNow ?? collection.first, sinceMs: pass.sinceMs }
				: { kind: 'resync', request: collection.first, sinceMs: pass.sinceMs };
		memory = copyMemory(stored);
		result = await readPass(input, pass, memory, input.quota);
	}
	requests += result.read.requests;
	const events = [...result.events];
	const continuesStoredLink = pass.request !== collection.first && pass.request !== collection.fromNow;
	let windowStart = continuesStoredLink ? previous?.windowStart : collection.windowStart;

	if (result.read.end !== 'delta') {
		const tracker: DeltaTrackerState = {
			mode: 'delta',
			objectType: config.objectType,
			configKey: config.configKey,
			link: result.read.link,
			round: pass.kind,
			roundStartedAt: new Date(result.roundStartMs).toISOString(),
			since: new Date(pass.sinceMs).toISOString(),
			seen: memory.seen,
			tags: memory.tags,
			removed: memory.removed,
		};
		if (windowStart) tracker.windowStart = windowStart;
		return { events, tracker, requests, warnings };
	}

	const sinceMs = Math.max(pass.sinceMs, result.roundStartMs - config.pollDelayMs);
	let link = result.read.link;
	if (continuesStoredLink && windowMoved(input)) {
		const rolled = await rollWindow(input, link, sinceMs, memory);
		requests += rolled.requests;
		if (rolled.link) {
			events.push(...rolled.events);
			link = rolled.link;
			windowStart = collection.windowStart;
			memory = rolled.memory;
		}
	}
	const tracker: DeltaTrackerState = {
		mode: 'delta',
		objectType: config.objectType,
		configKey: config.configKey,
		link,
		since: new Date(sinceMs).toISOString(),
		seen: pruned(memory.seen, sinceMs),
		tags: {},
		removed: pruned(memory.removed, sinceMs),
	};
	for (const key in tracker.seen) if (memory.tags[key]) tracker.tags[key] = memory.tags[key];
	if (windowStart) tracker.windowStart = windowStart;
	return { events, tracker, requests, warnings };
}

/**
 * Moves a calendarView link to the current window: the new window is enumerated (changes since `sinceMs` that
 * were not emitted are reported), then the old link is read once more for deletions of events the enumeration
 * no longer saw. Either read cut short leaves the old link in place for the next poll.
 */
async function rollWindow(
	input: DeltaCycleInput,
	oldLink: string,
	sinceMs: number,
	before: Memory,
): Promise<{ events: StandardEvent[]; link?: string; memory: Memory; requests: number }> {
	const memory = copyMemory(before);
	const unlimited = Number.POSITIVE_INFINITY;
	const enumeration = await readPass(input, { kind: 'resync', request: input.collection.first, sinceMs }, memory, unlimited);
	if (enumeration.read.end !== 'delta') return { events: [], memory: before, requests: enumeration.read.requests };
	const check = await readPass(
		input,
		{ kind: 'changes', request: { url: oldLink, pageSize: input.collection.first.pageSize }, sinceMs, removalsOutside: enumeration.listed },
		memory,
		unlimited,
	);
	const requests = enumeration.read.requests + check.read.requests;
	if (check.read.end !== 'delta') return { events: [], memory: before, requests };
	return { events: [...enumeration.events, ...check.events], link: enumeration.read.link, memory, requests };
}
