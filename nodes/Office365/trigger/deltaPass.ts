/**
 * One pass of a delta poll: reads one round (or its rest) and turns its records into events by the rules of the
 * pass's kind (seed, changes, resync), remembering each emitted version and deletion in a working copy.
 */
import type { StandardEvent } from '../shared/standardEvent';
import { classifyChange, toStandardEvent } from './eventShape';
import type { DeltaConfig, DeltaRequest } from './deltaConfig';
import { readRound, type DeltaPage, type FetchDelta, type RoundRead } from './deltaRound';
import { RecordError } from './errors';
import { readDate, readObjectId } from './pollCandidate';
import { fingerprint, type DeltaRoundKind } from './pollState';
import { readClocks } from './serverClock';

/** What a pass needs of the cycle's input. */
interface PassContext {
	config: DeltaConfig;
	fetchDelta: FetchDelta;
	clock: () => number;
	nowMs: number;
	deadlineMs: number;
}

/** What emitted versions and deletions are remembered (working copies; the stored state is never written). */
export interface Memory {
	seen: Record<string, number>;
	tags: Record<string, string>;
	removed: Record<string, number>;
}

export const copyMemory = (memory: Memory): Memory => ({ seen: { ...memory.seen }, tags: { ...memory.tags }, removed: { ...memory.removed } });

/** A record's version tag (Outlook's @odata.etag, a drive item's eTag), hashed short; Graph dates alone have one-second precision. */
function versionTag(record: Record<string, unknown>): string | undefined {
	const tag = record['@odata.etag'] ?? record.eTag ?? record.changeKey;
	return typeof tag === 'string' && tag ? fingerprint(tag).slice(0, 8) : undefined;
}

export interface Pass {
	kind: DeltaRoundKind;
	request: DeltaRequest;
	/** Versions dated before it were emitted (or existed at activation); a resync reports only newer ones. */
	sinceMs: number;
	/** Set when the pass continues a round started by an earlier poll. */
	roundStartMs?: number;
	/** Roll check: report only deletions of records the new window's enumeration did not list. */
	removalsOutside?: Set<string>;
}

export interface PassResult {
	events: StandardEvent[];
	read: RoundRead;
	roundStartMs: number;
	/** Fingerprints of the records the pass listed (not removed). */
	listed: Set<string>;
}

const MAX_ENUMERATION_REQUESTS = 1000;

export const isRecord = (value: unknown): value is Record<string, unknown> => !!value && typeof value === 'object' && !Array.isArray(value);

export function isRemoval(record: Record<string, unknown>): boolean {
	return record['@removed'] !== undefined || isRecord(record.deleted);
}

function requestBudget(config: DeltaConfig): number {
	return MAX_ENUMERATION_REQUESTS + 2 * Math.ceil(config.maxEventsPerPoll / config.pageSize);
}

/**
 * Reads one round (or its rest), turning records into events by the rules of `pass.kind`. One function: the
 * kinds differ in a few lines of one per-record rule, which is checked best side by side.
 */
export async function readPass(input: PassContext, pass: Pass, memory: Memory, quota: number): Promise<PassResult> {
	const { config } = input;
	const events: StandardEvent[] = [];
	const listed = new Set<string>();
	let roundStartMs = pass.roundStartMs;
	let index = 0;
	const takePage = (page: DeltaPage): void => {
		roundStartMs ??= readClocks(input.nowMs, page.serverTimeMs).referenceMs;
		for (const raw of page.records) {
			const at = index++;
			if (!isRecord(raw)) throw new RecordError(`Record #${at + 1} of ${config.objectType} is not a JSON object`, undefined, at);
			// A drive's root is listed with every full round and above every change: never an event of its own.
			if (raw.root !== undefined) continue;
			if (isRemoval(raw)) {
				const objectId = typeof raw.id === 'string' && raw.id ? raw.id : readObjectId(config, raw, at);
				const key = fingerprint(objectId);
				if (pass.kind !== 'changes' || memory.removed[key] !== undefined) continue;
				if (pass.removalsOutside?.has(key)) continue;
				memory.removed[key] = roundStartMs;
				delete memory.seen[key];
				delete memory.tags[key];
				if (config.emitDeleted) events.push(toStandardEvent('DELETED', config.objectType, objectId, roundStartMs, raw));
				continue;
			}
			if (pass.removalsOutside) continue;
			const objectId = readObjectId(config, raw, at);
			const key = fingerprint(objectId);
			listed.add(key);
			const changedMs = readDate((config.updated ?? config.created)!, raw, objectId, at, true)!;
			const createdMs = config.created && readDate(config.created, raw, objectId, at, false);
			// Drives list the folders above every change; a folder not changed itself since is no event.
			if (config.resource === 'driveItems' && raw.folder !== undefined && changedMs < pass.sinceMs) continue;
			const prior = memory.seen[key];
			const tag = versionTag(raw);
			// The version emitted before (a replay), or an older one; same date but another tag is a change within that second.
			if (prior !== undefined && (prior > changedMs || (prior === changedMs && (tag === undefined || memory.tags[key] === tag)))) continue;
			const remember = (): void => {
				memory.seen[key] = changedMs;
				if (tag) memory.tags[key] = tag;
				else delete memory.tags[key];
			};
			if (pass.kind === 'seed') {
				if (changedMs >= pass.sinceMs) remember();
				continue;
			}
			if (pass.kind === 'resync' && changedMs < pass.sinceMs) continue;
			const eventType = classifyChange({
				seenBefore: prior !== undefined,
				createdMs,
				updatedMs: config.updated ? changedMs : undefined,
				rememberedSinceMs: pass.sinceMs,
				toleranceMs: config.createdToleranceMs,
				trackingCreated: false,
			});
			remember();
			delete memory.removed[key];
			if (eventType === 'CREATED' ? config.emitCreated : config.emitUpdated) {
				events.push(toStandardEvent(eventType, config.objectType, objectId, changedMs, raw));
			}
		}
	};
	const read = await readRound(input.fetchDelta, pass.request, takePage, {
		maxRequests: requestBudget(config),
		deadlineMs: input.deadlineMs,
		clock: input.clock,
		enough: () => events.length >= quota,
	});
	return { events, read, roundStartMs: roundStartMs ?? input.nowMs, listed };
}
