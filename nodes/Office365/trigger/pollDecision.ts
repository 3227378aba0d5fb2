/**
 * The decision of a timestamp poll: which candidates become events and which are deliberately not emitted, and
 * what the next tracker remembers of both.
 */
import type { StandardEvent } from '../shared/standardEvent';
import { classifyChange, toStandardEvent } from './eventShape';
import { recordPredicate } from './mailFilters';
import type { FolderKeys } from './mailFolders';
import { priorStamp, type Candidate, type Memory } from './pollCandidate';
import type { PollConfig } from './triggerConfig';

/** Step 2: the events of the processed candidates, and which candidates were deliberately not emitted. */
export function decide(
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
export function nextMemory(
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
