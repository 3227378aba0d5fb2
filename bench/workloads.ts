/**
 * The benchmark workloads. Each one runs after both triggers were activated (their first poll)
 * on an emptied simulator: it may lay down history before activation, then makes its changes
 * and calls `pollBoth()` for the polls that are measured.
 *
 * Graph stamps messages to the second, and the peer's window is [last poll, now) in its own
 * clock, so new mail is stamped from the next whole second after activation and polled once the
 * last stamp's second is over; that is "between two polls" for both triggers.
 */
import { setTimeout as sleep } from 'node:timers/promises';

import type { SimulatorProcess } from './simulatorProcess';

const DAY_MS = 24 * 3600 * 1000;

export interface WorkloadContext {
	sim: SimulatorProcess;
	/**
	 * One measured poll of each trigger under test, in this run's order; with `untilDrained` our
	 * trigger polls again while a poll emits the cap (all polls add up), the
	 * simulated clock moving `intervalMs` before each further poll.
	 */
	pollBoth(options?: { untilDrained?: boolean; intervalMs?: number }): Promise<void>;
	/** Notes a deviation from the intended timing (reported with the results). */
	warn(message: string): void;
}

export interface Workload {
	key: string;
	title: string;
	/** Changes the workload makes after activation: the events a lossless trigger emits. */
	changes: number;
	/** Options of our trigger (besides resource and event types). */
	oursOptions: Record<string, unknown>;
	/** Our trigger's version (default 1) and other parameters (tracking mode, Simplify…) over the messages resource. */
	oursVersion?: number;
	oursParameters?: Record<string, unknown>;
	/** The peer's Output (default raw). */
	peerOutput?: 'raw' | 'simple';
	/** Only our trigger runs (a variant of ours, not a comparison). */
	oursOnly?: boolean;
	/** Fewer runs / latencies than the comparison rows (to keep `npm run bench` short). */
	runs?: number;
	latencies?: number[];
	/** Mail that exists before activation. */
	history?(sim: SimulatorProcess): Promise<void>;
	/** Changes and measured polls. */
	run(context: WorkloadContext): Promise<void>;
}

export async function sleepUntil(epochMs: number): Promise<void> {
	const wait = epochMs - Date.now();
	if (wait > 0) await sleep(wait);
}

/** The next whole second strictly after now. */
export function nextSecond(): number {
	return (Math.floor(Date.now() / 1000) + 1) * 1000;
}

/** Issue #6 leaves the cap to us: one poll takes the whole backlog, like the peer (which has no cap). */
export const ONE_POLL_OPTIONS = { maxEventsPerPoll: 100_000 };

const oldHistory = (count: number) => async (sim: SimulatorProcess) => {
	await sim.seedMessages(count, Date.now() - 2 * DAY_MS, 1000);
};

function newMessages(count: number, spreadMs: number): Workload {
	return {
		key: `new-${count}`,
		title: `${count.toLocaleString('en-US')} new messages`,
		changes: count,
		oursOptions: ONE_POLL_OPTIONS,
		async run({ sim, pollBoth }) {
			const start = nextSecond();
			await sim.seedMessages(count, start, spreadMs / count);
			await sleepUntil(start + spreadMs + 100);
			await pollBoth();
		},
	};
}

async function inParallel<T>(items: T[], limit: number, work: (item: T) => Promise<unknown>): Promise<void> {
	let next = 0;
	const worker = async (): Promise<void> => {
		while (next < items.length) await work(items[next++]);
	};
	await Promise.all(Array.from({ length: limit }, worker));
}

export const WORKLOADS: Workload[] = [
	{
		key: 'idle',
		title: 'idle poll (1,000 old messages, nothing new)',
		changes: 0,
		oursOptions: ONE_POLL_OPTIONS,
		history: oldHistory(1000),
		async run({ pollBoth }) {
			await pollBoth();
		},
	},
	newMessages(1_000, 1000),
	newMessages(20_000, 1000),
	newMessages(100_000, 1000),
	{
		key: 'updates-5000',
		title: '5,000 updates (of mail older than the window)',
		changes: 5000,
		oursOptions: ONE_POLL_OPTIONS,
		history: oldHistory(5000),
		async run({ sim, pollBoth }) {
			const ids = (await sim.messages()).map((message) => message.id);
			await inParallel(ids, 16, (id) => sim.patchMessage(id, { isRead: true }));
			await sleepUntil(nextSecond() + 100);
			await pollBoth();
		},
	},
	{
		key: 'burst-500',
		title: '500-message burst within one second, polled mid-burst',
		changes: 500,
		oursOptions: ONE_POLL_OPTIONS,
		async run({ sim, pollBoth, warn }) {
			// Both stamped second S: 250 arrive before the polls at S+100 ms, 250 right after them
			// (the polls, with the measuring around them, take most of the rest of that second).
			const second = nextSecond();
			await sleepUntil(second);
			await sim.seedMessages(250, second, 0.4);
			await sleepUntil(second + 100);
			await pollBoth();
			await sim.seedMessages(250, second + 500, 1);
			const late = Date.now() - (second + 1000);
			if (late >= 0) warn(`burst: the second half arrived ${late} ms after its stamped second`);
			await sleepUntil(second + 1100);
			await pollBoth();
		},
	},
];

/** What a newly placed trigger (version 2) does: new mail only, real folders, Simplify. */
const VERSION_2_DEFAULTS = { eventTypes: ['created'], simplify: true };

/** Ours with Simplify against the peer's Output "Simple": bytes per message and wall time. */
export const SIMPLIFY_WORKLOAD: Workload = {
	key: 'simplify-1000',
	title: '1,000 new messages, simplified (ours: version 2 with Simplify; peer: Output Simple)',
	changes: 1000,
	oursOptions: ONE_POLL_OPTIONS,
	oursVersion: 2,
	oursParameters: VERSION_2_DEFAULTS,
	peerOutput: 'simple',
	async run({ sim, pollBoth }) {
		const start = nextSecond();
		await sim.seedMessages(1000, start, 1);
		await sleepUntil(start + 1100);
		await pollBoth();
	},
};

export const ATTACHMENT_MAILS = 10;
export const ATTACHMENTS_PER_MAIL = 2;
export const ATTACHMENT_BYTES = 1024 * 1024;

/** Download Attachments: 10 mails with 2 files of 1 MB each; 4 requests in flight at most. */
export const ATTACHMENTS_WORKLOAD: Workload = {
	key: 'attachments-10x2',
	title: `${ATTACHMENT_MAILS} new mails × ${ATTACHMENTS_PER_MAIL} file attachments × 1 MB, Download Attachments (binary data as files)`,
	changes: ATTACHMENT_MAILS,
	oursOptions: { downloadAttachments: true },
	oursVersion: 2,
	oursParameters: VERSION_2_DEFAULTS,
	oursOnly: true,
	latencies: [50],
	async run({ sim, pollBoth }) {
		const start = nextSecond();
		for (let i = 0; i < ATTACHMENT_MAILS; i++) await sim.createMessageWithFiles(start, ATTACHMENTS_PER_MAIL, ATTACHMENT_BYTES);
		await sleepUntil(start + 1100);
		await pollBoth();
	},
};

/** Our trigger with its default cap (10,000 events per poll) draining a 100,000 backlog. */
export const DRAIN_WORKLOAD: Workload = {
	key: 'drain-100000',
	title: '100,000 new over 100 s, default Max Events Per Poll (10,000), polled every minute until drained',
	changes: 100_000,
	oursOptions: {},
	oursOnly: true,
	// Requests and CPU do not depend on the latency; wall time is not compared.
	runs: 3,
	latencies: [0],
	async run({ sim, pollBoth }) {
		// 1,000 a second for 100 s of simulated time, then the clock jumps to the end of that span
		// (still inside the 120 s look-back), so the backlog does not all share one second. n8n polls
		// at most once a minute, so the clock moves a minute before each further poll.
		const start = nextSecond();
		await sim.seedMessages(100_000, start, 1);
		await sim.setClockOffset(start + 101_000 - Date.now());
		await pollBoth({ untilDrained: true, intervalMs: 60_000 });
	},
};

/** Tracking mode delta over the inbox (Graph's per-folder message delta), our trigger alone. */
const DELTA = { oursParameters: { trackingMode: 'delta', eventTypes: ['created', 'updated', 'deleted'] }, oursOnly: true, runs: 3 };

export const DELTA_WORKLOADS: Workload[] = [
	{
		key: 'delta-idle',
		title: 'delta: idle poll (1,000 old messages in the inbox, nothing new)',
		changes: 0,
		oursOptions: { ...ONE_POLL_OPTIONS, folder: 'inbox' },
		...DELTA,
		history: oldHistory(1000),
		async run({ pollBoth }) {
			await pollBoth();
		},
	},
	{
		...newMessages(20_000, 1000),
		key: 'delta-20000',
		title: 'delta: 20,000 new messages in the inbox',
		oursOptions: { ...ONE_POLL_OPTIONS, folder: 'inbox' },
		...DELTA,
	},
];
