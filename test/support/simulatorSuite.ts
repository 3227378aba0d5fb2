/**
 * The hooks every trigger suite needs around one Graph simulator: start and stop it, let n8n's clock follow the
 * test's clock, and capture what nodes write to n8n's log. Call once at the top level of a test file.
 */
import { after, before } from 'node:test';

import type { GraphSimulator } from '../graph-simulator';
import { followClock } from './n8nClock';
import { captureN8nLog, type CapturedLog } from './n8nLog';

export function useSimulator(sim: GraphSimulator, n8nClock: () => number): { readonly log: CapturedLog } {
	const holder: { log: CapturedLog } = { log: { warnings: [], errors: [], restore: () => undefined } };
	let restoreClock: () => void = () => undefined;
	before(async () => {
		restoreClock = followClock(n8nClock);
		holder.log = captureN8nLog();
		await sim.start();
	});
	after(async () => {
		await sim.stop();
		holder.log.restore();
		restoreClock();
	});
	return holder;
}
