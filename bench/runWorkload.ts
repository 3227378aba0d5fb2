/**
 * One run of one workload at one latency: both triggers freshly activated against an emptied
 * simulator, the workload's changes and measured polls, then the next poll of each trigger once
 * the simulated clock has moved past our look-back window (it re-reads that window, so late
 * duplicates would show, and it is what static data shrinks to). Every event of every poll after
 * activation is accounted against the simulator's truth.
 */
import { DEFAULT_MAX_EVENTS_PER_POLL } from '../nodes/Office365/trigger/triggerConfig';
import { account, expectedChanges, type Accounting } from './accounting';
import { addCosts, measurePoll, NO_COST, type PollCost } from './measure';
import { PollRunner } from './pollRunner';
import type { SimulatorProcess } from './simulatorProcess';
import type { EmittedEvent, TriggerName, TriggerUnderTest } from './triggers';
import type { Workload } from './workloads';

/** Our trigger's default Poll Delay for messages: its look-back window. */
export const OUR_POLL_DELAY_MS = 120_000;
/** How far the simulated clock moves before the next poll: just past the look-back window. */
export const NEXT_POLL_AFTER_MS = OUR_POLL_DELAY_MS + 5000;
const MAX_DRAIN_POLLS = 100;

export interface TriggerRun {
	trigger: TriggerName;
	/** The workload's measured polls, added up (heap: the highest peak). */
	measured: PollCost;
	measuredPolls: number;
	/** Static data bytes after the measured polls. */
	staticBytes: number;
	/** The next poll, NEXT_POLL_AFTER_MS later on the simulated clock. */
	next: PollCost;
	/** Events of the next poll (a lossless trigger without new changes emits none). */
	nextEvents: number;
	staticBytesAfterNext: number;
	/** Changes still remembered in static data after the next poll (0: nothing but watermarks and links). */
	historyAfterNext: number;
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

/** The real clock, before any poll borrows Date.now for the simulated one. */
const realNow = Date.now;

async function pollMeasured(sim: SimulatorProcess, participant: Participant): Promise<{ cost: PollCost; events: number }> {
	const { cost, result } = await measurePoll(sim, () => participant.runner.poll());
	const events = participant.trigger.events(result);
	participant.emitted.push(...events);
	return { cost, events: events.length };
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
		const setup = trigger.setup(sim.info, await sim.issueTokens(), {
			options: workload.oursOptions,
			oursVersion: workload.oursVersion,
			oursParameters: workload.oursParameters,
			peerOutput: workload.peerOutput,
		});
		const runner = new PollRunner(setup, () => realNow() + sim.clockOffsetMs);
		participants.push({ trigger, runner, emitted: [], measured: NO_COST, measuredPolls: 0 });
	}

	await workload.history?.(sim);
	const before = await sim.messages();
	for (const participant of participants) {
		participant.emitted.push(...participant.trigger.events(await participant.runner.poll()));
	}

	const warnings: string[] = [];
	const workloadPoll = async (participant: Participant): Promise<number> => {
		const { cost, events } = await pollMeasured(sim, participant);
		participant.measured = addCosts(participant.measured, cost);
		participant.measuredPolls++;
		return events;
	};
	const cap = Number(workload.oursOptions.maxEventsPerPoll ?? DEFAULT_MAX_EVENTS_PER_POLL);
	await workload.run({
		sim,
		warn: (message) => warnings.push(message),
		pollBoth: async (options = {}) => {
			for (const participant of participants) {
				let events = await workloadPoll(participant);
				const drains = options.untilDrained === true && participant.trigger.name === 'ours';
				// A poll that emitted the cap stopped there: the backlog goes on in the next one.
				while (drains && events >= cap && participant.measuredPolls < MAX_DRAIN_POLLS) {
					if (options.intervalMs) await sim.setClockOffset(sim.clockOffsetMs + options.intervalMs);
					events = await workloadPoll(participant);
				}
			}
		},
	});

	const staticBytes = participants.map((participant) => participant.runner.staticDataBytes());
	await sim.setClockOffset(sim.clockOffsetMs + NEXT_POLL_AFTER_MS);
	const next: Array<{ cost: PollCost; events: number }> = [];
	for (const participant of participants) next.push(await pollMeasured(sim, participant));

	const expected = expectedChanges(before, await sim.messages());
	return {
		workload: workload.key,
		latencyMs,
		run,
		changes: workload.changes,
		warnings,
		triggers: participants.map((participant, index) => ({
			trigger: participant.trigger.name,
			measured: participant.measured,
			measuredPolls: participant.measuredPolls,
			staticBytes: staticBytes[index],
			next: next[index].cost,
			nextEvents: next[index].events,
			staticBytesAfterNext: participant.runner.staticDataBytes(),
			historyAfterNext: participant.runner.historyEntries(),
			accounting: account(expected, participant.emitted),
			tokenUpdates: participant.runner.tokenUpdates,
		})),
	};
}
