/**
 * What one poll costs in the polling process: wall time, CPU time (process.cpuUsage: all threads
 * of this process, so GC and libuv work count too), the main thread's GC pauses within it, peak
 * heap growth (used heap sampled every few ms while the poll runs, after a full GC, minus the level
 * before), and the Graph requests the simulator logged for it.
 */
import { PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import { getHeapStatistics } from 'node:v8';

import type { INodeExecutionData } from 'n8n-workflow';

import type { LoggedRequest, SimulatorProcess } from './simulatorProcess';

export interface PollCost {
	wallMs: number;
	cpuMs: number;
	/** Main-thread GC pauses during the poll (part of cpuMs). */
	gcMs: number;
	/** CPU of the main (JavaScript) thread alone; NaN where Node lacks process.threadCpuUsage (< 23.9). */
	mainThreadCpuMs: number;
	heapPeakBytes: number;
	/** Graph (/v1.0) requests. */
	graphRequests: number;
	/** Token endpoint requests (refreshes). */
	loginRequests: number;
	maxConcurrent: number;
	/** Bytes of the Graph answers (what crossed the wire). */
	wireBytes: number;
	/** Graph requests for attachments (lists and downloads). */
	attachmentRequests: number;
}

export const NO_COST: PollCost = {
	wallMs: 0,
	cpuMs: 0,
	gcMs: 0,
	mainThreadCpuMs: 0,
	heapPeakBytes: 0,
	graphRequests: 0,
	loginRequests: 0,
	maxConcurrent: 0,
	wireBytes: 0,
	attachmentRequests: 0,
};

type CpuUsage = { user: number; system: number };
/** Node >= 23.9: CPU of the calling thread only. */
const threadCpuUsage = (process as { threadCpuUsage?: (previous?: CpuUsage) => CpuUsage }).threadCpuUsage?.bind(process);

const HEAP_SAMPLE_MS = 5;
/** Lets the forced GC's background threads (sweeping, unmapping) finish before CPU is read. */
const SETTLE_MS = 50;

function collectGarbage(): void {
	const gc = (globalThis as { gc?: () => void }).gc;
	if (!gc) throw new Error('run the benchmark with node --expose-gc');
	gc();
	gc();
}

type RequestCounts = Pick<PollCost, 'graphRequests' | 'loginRequests' | 'maxConcurrent' | 'wireBytes' | 'attachmentRequests'>;

export function countRequests(requests: LoggedRequest[]): RequestCounts {
	const counts: RequestCounts = { graphRequests: 0, loginRequests: 0, maxConcurrent: 0, wireBytes: 0, attachmentRequests: 0 };
	for (const request of requests) {
		if (request.path.startsWith('/v1.0/')) {
			counts.graphRequests++;
			counts.wireBytes += request.bytes ?? 0;
			if (request.path.includes('/attachments')) counts.attachmentRequests++;
		} else if (request.path.startsWith('/login/')) counts.loginRequests++;
		counts.maxConcurrent = Math.max(counts.maxConcurrent, request.concurrent);
	}
	return counts;
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
	const gcPauses: PerformanceEntry[] = [];
	const gcObserver = new PerformanceObserver((list) => gcPauses.push(...list.getEntries()));
	gcObserver.observe({ entryTypes: ['gc'] });
	const cpuBefore = process.cpuUsage();
	const threadBefore = threadCpuUsage?.();
	const wallBefore = performance.now();
	let result: INodeExecutionData[][] | null;
	try {
		result = await poll();
	} finally {
		clearInterval(sampler);
	}
	const wallAfter = performance.now();
	const cpu = process.cpuUsage(cpuBefore);
	const thread = threadBefore && threadCpuUsage?.(threadBefore);
	sample();
	await nextTurn(); // GC entries arrive asynchronously
	gcObserver.disconnect();
	const gcMs = gcPauses
		.filter((entry) => entry.startTime >= wallBefore && entry.startTime < wallAfter)
		.reduce((sum, entry) => sum + entry.duration, 0);
	const requests = countRequests(await sim.takeRequests());
	return {
		cost: {
			wallMs: wallAfter - wallBefore,
			cpuMs: (cpu.user + cpu.system) / 1000,
			gcMs,
			mainThreadCpuMs: thread ? (thread.user + thread.system) / 1000 : Number.NaN,
			heapPeakBytes: heapPeak - heapBefore,
			...requests,
		},
		result,
	};
}

export function addCosts(a: PollCost, b: PollCost): PollCost {
	return {
		wallMs: a.wallMs + b.wallMs,
		cpuMs: a.cpuMs + b.cpuMs,
		gcMs: a.gcMs + b.gcMs,
		mainThreadCpuMs: a.mainThreadCpuMs + b.mainThreadCpuMs,
		heapPeakBytes: Math.max(a.heapPeakBytes, b.heapPeakBytes),
		graphRequests: a.graphRequests + b.graphRequests,
		loginRequests: a.loginRequests + b.loginRequests,
		maxConcurrent: Math.max(a.maxConcurrent, b.maxConcurrent),
		wireBytes: a.wireBytes + b.wireBytes,
		attachmentRequests: a.attachmentRequests + b.attachmentRequests,
	};
}
