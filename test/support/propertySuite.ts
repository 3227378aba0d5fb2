/**
 * A property over random scenarios, the way the trigger's property tests run it: PROPERTY_RUNS runs (a default per
 * suite), PROPERTY_SHRINK=1 to shrink a failure, PROPERTY_SCENARIO='<JSON of a counterexample>' to replay one. A
 * failure prints its own message (fast-check v4 keeps the cause out of its report) and the scenario.
 */
import { describe, it } from 'node:test';

import fc from 'fast-check';

export function propertySuite<S>(
	suite: string,
	property: string,
	scenarios: fc.Arbitrary<S>,
	run: (scenario: S) => Promise<void>,
	options: { runs: number; afterEach?: () => void },
): void {
	describe(suite, () => {
		if (process.env.PROPERTY_SCENARIO) {
			it('replays PROPERTY_SCENARIO', async () => {
				await run(JSON.parse(process.env.PROPERTY_SCENARIO!) as S);
			});
			return;
		}
		it(property, async () => {
			await fc.assert(
				fc.asyncProperty(scenarios, async (scenario) => {
					try {
						await run(scenario);
					} catch (error) {
						console.error(`property failure: ${(error as Error).message}`);
						throw new Error(`${(error as Error).message}\n  scenario=${JSON.stringify(scenario)}`);
					} finally {
						options.afterEach?.();
					}
				}),
				{ numRuns: Number(process.env.PROPERTY_RUNS ?? options.runs), endOnFailure: process.env.PROPERTY_SHRINK !== '1', verbose: 1 },
			);
		});
	});
}

/** A Graph throttling or server error a scenario injects: its status, how many times, after how many requests. */
export interface FaultOp {
	kind: 'fault';
	status: 429 | 503 | 500;
	times: number;
	afterRequests: number;
}

export const faultArbitrary: fc.Arbitrary<FaultOp> = fc.record({
	kind: fc.constant('fault' as const),
	status: fc.constantFrom(429 as const, 503 as const, 500 as const),
	times: fc.integer({ min: 1, max: 7 }),
	afterRequests: fc.integer({ min: 0, max: 3 }),
});

/**
 * Runs one poll of a scenario. A failed poll emits nothing and keeps its state, so a failure caused by an injected
 * fault (while `faultsArmed`) is part of the scenario; any other failure fails it.
 */
export async function pollUnlessInjectedFault(faultsArmed: boolean, poll: () => Promise<void>): Promise<void> {
	try {
		await poll();
	} catch (error) {
		const message = `${(error as Error).message} ${(error as { description?: string }).description ?? ''}`;
		if (!faultsArmed || !/\b(429|500|503)\b/.test(message)) throw error;
	}
}
