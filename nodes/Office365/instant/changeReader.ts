/**
 * One read of what changed in the watched collection since the last read, by the trigger's change tracker in delta
 * mode: Graph delta rounds, committed at their deltaLink. Every read covers everything since the previous one, so one
 * read answers any number of notifications, and a dropped notification's change is in the next read, whatever
 * caused it. Pure: the caller passes the fetchers and stores `holder` only after handing the events on.
 */
import type { StandardEvent } from '../shared/standardEvent';
import type { FetchDelta } from '../trigger/deltaRound';
import { writeState } from '../trigger/pollState';
import { runTriggerPoll } from '../trigger/triggerPoll';
import type { FetchPage } from '../trigger/windowReader';
import type { InstantConfig } from './instantConfig';

interface ChangeRead {
	events: StandardEvent[];
	/** Lines for n8n's log. */
	warnings: string[];
}

/**
 * Reads the changes; on success `holder` (the tracker's object in static data, copied out) holds the next state.
 * Stored state that cannot be used is reported in `warnings` and replaced by a fresh start.
 */
export async function readChanges(input: {
	config: InstantConfig;
	holder: Record<string, unknown>;
	fetchPage: FetchPage;
	fetchDelta: FetchDelta;
	clock: () => number;
	deadlineMs: number;
	linkUsable: (link: string) => boolean;
}): Promise<ChangeRead> {
	const result = await runTriggerPoll({
		plans: [{ mode: 'delta', config: input.config.delta }],
		staticData: input.holder,
		fetchPage: input.fetchPage,
		fetchDelta: input.fetchDelta,
		clock: input.clock,
		nowMs: input.clock(),
		deadlineMs: input.deadlineMs,
		linkUsable: input.linkUsable,
	});
	writeState(input.holder, result.trackers, result.folderListings);
	return { events: result.events, warnings: result.warnings };
}
