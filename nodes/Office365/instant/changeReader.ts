/**
 * One read of what changed in the watched collection since the last read, by the trigger's change tracker: the
 * events to hand on and the tracker's next state. Every read covers everything since the previous one, so one read
 * answers any number of notifications, and a dropped notification is caught by the next read, whatever caused it.
 * Pure: the caller passes the page fetcher and commits `holder` only after handing the events on.
 */
import type { StandardEvent } from '../shared/standardEvent';
import { runPollCycle } from '../trigger/pollCycle';
import { readTracker, trackerKey, writeTracker } from '../trigger/pollState';
import { CLOCK_SKEW_MARGIN_MS } from '../trigger/serverClock';
import { buildPollConfig, type PollConfig } from '../trigger/triggerConfig';
import type { FetchPage } from '../trigger/windowReader';
import type { InstantConfig } from './instantConfig';

export interface ChangeRead {
	events: StandardEvent[];
	/** Lines for n8n's log. */
	warnings: string[];
	/** True when this read only noted where to start (first read after activation). */
	seeded: boolean;
}

/** The tracker configuration for the instant trigger's collection. */
export function trackerConfig(config: InstantConfig): PollConfig {
	return buildPollConfig({ resource: config.resource, eventTypes: config.eventTypes, options: { folder: config.folder } });
}

/**
 * Reads the changes; on success `holder` (the tracker's object in static data, copied out) holds the next state.
 * Stored state that cannot be used is reported in `warnings` and replaced by a fresh start.
 */
export async function readChanges(input: {
	config: InstantConfig;
	holder: Record<string, unknown>;
	fetchPage: FetchPage;
	clock: () => number;
	deadlineMs: number;
}): Promise<ChangeRead> {
	const pollConfig = trackerConfig(input.config);
	const nowMs = input.clock();
	const key = trackerKey(pollConfig.objectType, pollConfig.collection);
	const stored = readTracker(input.holder, key, pollConfig.objectType, nowMs + CLOCK_SKEW_MARGIN_MS);
	const result = await runPollCycle({
		config: pollConfig,
		previous: stored.tracker,
		fetchPage: input.fetchPage,
		clock: input.clock,
		nowMs,
		deadlineMs: input.deadlineMs,
	});
	writeTracker(input.holder, key, result.tracker);
	const warnings = stored.problem ? [`${stored.problem}. It was replaced: the trigger starts afresh from now.`, ...result.warnings] : result.warnings;
	return { events: result.events, warnings, seeded: result.seeded };
}
