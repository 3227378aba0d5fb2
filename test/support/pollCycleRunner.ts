/** Runs the pure poll cycle at a fixed instant, without n8n: for unit tests of the engine. */
import { runPollCycle, type PollResult } from '../../nodes/Office365/trigger/pollCycle';
import type { TimestampTrackerState } from '../../nodes/Office365/trigger/pollState';
import type { PollConfig } from '../../nodes/Office365/trigger/triggerConfig';
import type { FetchPage } from '../../nodes/Office365/trigger/windowReader';

export async function pollAt(
	config: PollConfig,
	previous: TimestampTrackerState | undefined,
	fetchPage: FetchPage,
	nowMs: number,
): Promise<PollResult> {
	return await runPollCycle({ config, previous, fetchPage, nowMs, clock: () => nowMs, deadlineMs: Infinity });
}
