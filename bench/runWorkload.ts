/**
 * One run of one workload at one latency: both triggers freshly activated against an emptied
 * simulator, the workload's changes and measured polls, then a follow-up poll of each trigger
 * (catches late duplicates), and for ours one more poll once the simulated clock is past the
 * look-back window (what static data shrinks to). Every event of every poll is accounted.
 */
import { account, expectedChanges, type Accounting } from './accounting';
import { addCosts, measurePoll, NO_COST, type PollCost } from './measure';
import { PollRunner } from './pollRunner';
import type { SimulatorProcess } from './simulatorProcess';
import type { EmittedEvent, TriggerName, TriggerUnderTest } from './triggers';
import type { Workload } from './workloads';

/** Our trigger's default Poll Delay for messages (seconds): its look-back window. */
export const OUR_POLL_DELAY_MS = 120_000;
const MAX_DRAIN_POLLS = 100;

export interface TriggerRun {
	trigger: TriggerName;
	/** The workload's measured polls, added up (heap: the highest peak). */
	measured: PollCost;
	measuredPolls: number;
	/** Static data bytes after the measured polls. */
	staticBytes: number;
	followUp: PollCost;
	staticBytesAfterFollowUp: number;
	/** Ours only: the poll after the clock passed the look-back window. */
	aged?: PollCost;
	staticBytesAged?: number;
	accounting: Accounting;
	tokenUpdates: number;
}

export interface RunResult {
	workload: string;
	latencyMs: number;
	run: number;
	changes: number;
	triggers: TriggerRun[];
	warnings: string[];
}

interface Participant {
	trigger: TriggerUnderTest;
	runner: PollRunner;
	emitted: EmittedEvent[];
	measured: PollCost;
	measuredPolls: number;
}

function isDraining(staticData: object): boolean {
	const trackers = (staticData as { trackers?: Record<string, { draining?: boolean }> }).trackers ?? {};
	return Object.values(trackers).some((tracker) => tracker.draining === true);
}

export async function runWorkload(
	sim: SimulatorProcess,
	triggers: TriggerUnderTest[],
	workload: Workload,
	latencyMs: number,
	run: number,
): Promise<RunResult> {
	await sim.reset();
	await sim.setLatency(latencyMs);
	const active = workload.oursOnly ? triggers.filter((t) => t.name === 'ours') : triggers;
	// Alternate who polls first so neither always meets a cold or a warm simulator cache.
	const ordered = run % 2 === 0 ? active : [...active].reverse();
	const participants: Participant[] = [];
	for (const trigger of ordered) {
		const setup = trigger.setup(sim.info, await sim.issueTokens(), workload.oursOptions);
		participants.push({ trigger, runner: new PollRunner(setup), emitted: [], measured: NO_COST, measuredPolls: 0 });
	}

	await workload.history?.(sim);
	const before = await sim.messages();
	for (const participant of participants) {
		participant.emitted.push(...participant.trigger.events(await participant.runner.poll()));
	}

	const warnings: string[] = [];
	const measuredPoll = async (participant: Participant): Promise<void> => {
		const { cost, result } = await measurePoll(sim, () => participant.runner.poll());
		participant.measured = addCosts(participant.measured, cost);
		participant.measuredPolls++;
		participant.emitted.push(...participant.trigger.events(result));
	};
	await workload.run({
		sim,
		warn: (message) => warnings.push(message),
		pollBoth: async (options = {}) => {
			for (const participant of participants) {
				await measuredPoll(participant);
				const drains = options.untilDrained === true && participant.trigger.name === 'ours';
				while (drains && isDraining(participant.runner.staticData) && participant.measuredPolls < MAX_DRAIN_POLLS) {
					if (options.intervalMs) await sim.setClockOffset(sim.clockOffsetMs + options.intervalMs);
					await measuredPoll(participant);
				}
			}
		},
	});

	const results = new Map<Participant, Partial<TriggerRun>>();
	for (const participant of participants) results.set(participant, { staticBytes: participant.runner.staticDataBytes() });
	for (const participant of participants) {
		const { cost, result } = await measurePoll(sim, () => participant.runner.poll());
		participant.emitted.push(...participant.trigger.events(result));
		Object.assign(results.get(participant)!, { followUp: cost, staticBytesAfterFollowUp: participant.runner.staticDataBytes() });
	}
	const ours = participants.find((participant) => participant.trigger.name === 'ours');
	if (ours) {
		await sim.setClockOffset(sim.clockOffsetMs + OUR_POLL_DELAY_MS + 5000);
		const { cost, result } = await measurePoll(sim, () => ours.runner.poll());
		ours.emitted.push(...ours.trigger.events(result));
		Object.assign(results.get(ours)!, { aged: cost, staticBytesAged: ours.runner.staticDataBytes() });
	}

	const expected = expectedChanges(before, await sim.messages());
	return {
		workload: workload.key,
		latencyMs,
		run,
		changes: workload.changes,
		warnings,
		triggers: participants.map((participant) => ({
			...(results.get(participant) as Omit<TriggerRun, 'trigger' | 'measured' | 'measuredPolls' | 'accounting' | 'tokenUpdates'>),
			trigger: participant.trigger.name,
			measured: participant.measured,
			measuredPolls: participant.measuredPolls,
			accounting: account(expected, participant.emitted),
			tokenUpdates: participant.runner.tokenUpdates,
		})),
	};
}
