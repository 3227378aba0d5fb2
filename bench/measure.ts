/**
 * What one poll costs in the polling process: wall time, CPU time (process.cpuUsage: all threads
 * of this process, so GC and libuv work count too), peak heap growth (used heap sampled every few
 * ms while the poll runs, after a full GC, minus the level before), and the Graph requests the
 * simulator logged for it.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { getHeapStatistics } from 'node:v8';

import type { INodeExecutionData } from 'n8n-workflow';

import type { LoggedRequest, SimulatorProcess } from './simulatorProcess';

export interface PollCost {
	wallMs: number;
	cpuMs: number;
	heapPeakBytes: number;
	/** Graph (/v1.0) requests. */
	graphRequests: number;
	/** Token endpoint requests (refreshes). */
	loginRequests: number;
	maxConcurrent: number;
}

export const NO_COST: PollCost = { wallMs: 0, cpuMs: 0, heapPeakBytes: 0, graphRequests: 0, loginRequests: 0, maxConcurrent: 0 };

const HEAP_SAMPLE_MS = 5;
/** Lets the forced GC's background threads (sweeping, unmapping) finish before CPU is read. */
const SETTLE_MS = 50;

function collectGarbage(): void {
	const gc = (globalThis as { gc?: () => void }).gc;
	if (!gc) throw new Error('run the benchmark with node --expose-gc');
	gc();
	gc();
}

export function countRequests(requests: LoggedRequest[]): Pick<PollCost, 'graphRequests' | 'loginRequests' | 'maxConcurrent'> {
	let graphRequests = 0;
	let loginRequests = 0;
	let maxConcurrent = 0;
	for (const request of requests) {
		if (request.path.startsWith('/v1.0/')) graphRequests++;
		else if (request.path.startsWith('/login/')) loginRequests++;
		maxConcurrent = Math.max(maxConcurrent, request.concurrent);
	}
	return { graphRequests, loginRequests, maxConcurrent };
}

/** Runs `poll` once and measures it; the simulator's log is read outside the measured span. */
export async function measurePoll(
	sim: SimulatorProcess,
	poll: () => Promise<INodeExecutionData[][] | null>,
): Promise<{ cost: PollCost; result: INodeExecutionData[][] | null }> {
	await sim.takeRequests();
	collectGarbage();
	await sleep(SETTLE_MS);
	const heapBefore = getHeapStatistics().used_heap_size;
	let heapPeak = heapBefore;
	const sample = (): void => {
		const used = getHeapStatistics().used_heap_size;
		if (used > heapPeak) heapPeak = used;
	};
	const sampler = setInterval(sample, HEAP_SAMPLE_MS);
	const cpuBefore = process.cpuUsage();
	const wallBefore = performance.now();
	let result: INodeExecutionData[][] | null;
	try {
		result = await poll();
	} finally {
		clearInterval(sampler);
	}
	const wallMs = performance.now() - wallBefore;
	const cpu = process.cpuUsage(cpuBefore);
	sample();
	const requests = countRequests(await sim.takeRequests());
	return {
		cost: { wallMs, cpuMs: (cpu.user + cpu.system) / 1000, heapPeakBytes: heapPeak - heapBefore, ...requests },
		result,
	};
}

export function addCosts(a: PollCost, b: PollCost): PollCost {
	return {
		wallMs: a.wallMs + b.wallMs,
		cpuMs: a.cpuMs + b.cpuMs,
		heapPeakBytes: Math.max(a.heapPeakBytes, b.heapPeakBytes),
		graphRequests: a.graphRequests + b.graphRequests,
		loginRequests: a.loginRequests + b.loginRequests,
		maxConcurrent: Math.max(a.maxConcurrent, b.maxConcurrent),
	};
}
