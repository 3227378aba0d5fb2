/**
 * Property: whatever the mailbox does between polls (bursts in one second across page boundaries,
 * updates, mail indexed late within pollDelay, throttling and server errors mid-paging, restarts,
 * two polls at once), every change is emitted and none twice. Real PollContext, real HTTP.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import fc from 'fast-check';
import type { IDataObject } from 'n8n-workflow';

import { GraphSimulator } from '../graph-simulator';
import { followClock } from '../support/n8nClock';
import { simulatorCredential, TriggerHarness } from '../support/pollHarness';

const SECOND = 1000;
const POLL_DELAY_S = 90;

type Op =
	| { kind: 'create'; count: number }
	| { kind: 'update'; pick: number }
	| { kind: 'late'; delaySeconds: number }
	| { kind: 'tick'; seconds: number }
	| { kind: 'poll' }
	| { kind: 'concurrentPolls' }
	| { kind: 'restart' }
	| { kind: 'fault'; status: 429 | 503 | 500; times: number; afterRequests: number };

const opArbitrary: fc.Arbitrary<Op> = fc.oneof(
	{ weight: 4, arbitrary: fc.record({ kind: fc.constant('create' as const), count: fc.integer({ min: 1, max: 12 }) }) },
	{ weight: 3, arbitrary: fc.record({ kind: fc.constant('update' as const), pick: fc.nat() }) },
	{ weight: 1, arbitrary: fc.record({ kind: fc.constant('late' as const), delaySeconds: fc.integer({ min: 1, max: POLL_DELAY_S - 30 }) }) },
	{ weight: 3, arbitrary: fc.record({ kind: fc.constant('tick' as const), seconds: fc.integer({ min: 1, max: 75 }) }) },
	{ weight: 4, arbitrary: fc.constant({ kind: 'poll' as const }) },
	{ weight: 1, arbitrary: fc.constant({ kind: 'concurrentPolls' as const }) },
	{ weight: 1, arbitrary: fc.constant({ kind: 'restart' as const }) },
	{
		weight: 1,
		arbitrary: fc.record({
			kind: fc.constant('fault' as const),
			status: fc.constantFrom(429 as const, 503 as const, 500 as const),
			times: fc.integer({ min: 1, max: 7 }),
			afterRequests: fc.integer({ min: 0, max: 3 }),
		}),
	},
);

let clock = Date.now();
const sim = new GraphSimulator({ now: () => clock });
let restoreClock: () => void;
before(async () => {
	restoreClock = followClock(() => clock);
	await sim.start();
});
after(async () => {
	await sim.stop();
	restoreClock();
});

async function runScenario(ops: Op[], pageSize: number, maxEventsPerPoll: number): Promise<void> {
	clock += 24 * 3600 * SECOND;
	sim.clearFaults();
	// A mailbox with history before activation.
	for (let i = 0; i < 5; i++) sim.createMessage({ subject: `history ${i}` });
	const trigger = new TriggerHarness(
		{ resource: 'messages', eventTypes: ['created', 'updated'], options: { pollDelay: POLL_DELAY_S, pageSize, maxEventsPerPoll } },
		simulatorCredential(sim, sim.issueTokens()),
	);
	const emitted: IDataObject[] = [];
	const poll = async () => {
		try {
			emitted.push(...(await trigger.pollJson()));
		} catch {
			// A failed poll emits nothing and keeps its state; the next poll retries the window.
		}
	};
	clock += SECOND;
	await trigger.pollJson(); // activation
	const stamps = new Map<string, number>();
	const changed = new Set<string>();
	const created = new Set<string>();
	const touch = (id: string) => {
		stamps.set(id, clock);
		changed.add(id);
	};
	const history = sim.list('messages').slice(-5);
	for (const message of history) stamps.set(message.id, Date.parse(message.lastModifiedDateTime));

	for (const op of ops) {
		switch (op.kind) {
			case 'create':
				for (let i = 0; i < op.count; i++) {
					const id = sim.createMessage({ subject: 'new' }).id;
					touch(id);
					created.add(id);
				}
				break;
			case 'update': {
				const all = [...stamps.keys()];
				const id = all[op.pick % all.length];
				// Second-precision stamps: a change within the same second as the last is invisible to any poller.
				clock = Math.max(clock, stamps.get(id)! + SECOND);
				sim.updateMessage(id, { isRead: true, categories: [`c${clock}`] });
				touch(id);
				break;
			}
			case 'late':
				{
					const id = sim.createMessage({ subject: 'late' }, { visibleAt: clock + op.delaySeconds * SECOND }).id;
					touch(id);
					created.add(id);
				}
				break;
			case 'tick':
				clock += op.seconds * SECOND;
				break;
			case 'poll':
				await poll();
				break;
			case 'concurrentPolls':
				await Promise.all([poll(), poll()]);
				break;
			case 'restart':
				trigger.restart();
				break;
			case 'fault':
				sim.injectFault({ path: '/me/messages', kind: 'status', status: op.status, retryAfterSeconds: 0, times: op.times, afterRequests: op.afterRequests });
				break;
		}
	}
	// Let everything settle: no faults, every record visible, backlog drained.
	sim.clearFaults();
	for (let round = 0; round < 200; round++) {
		clock += (POLL_DELAY_S + 1) * SECOND;
		const before = emitted.length;
		await trigger.pollJson().then((items) => emitted.push(...items));
		if (emitted.length === before && round > 1) break;
	}

	const seen = new Set<string>();
	for (const event of emitted) {
		const key = `${event.objectId as string}@${(event.raw as IDataObject).lastModifiedDateTime as string}`;
		assert.ok(!seen.has(key), `duplicate event ${key}`);
		seen.add(key);
	}
	const lastEmitted = new Map<string, IDataObject>();
	const firstEmitted = new Map<string, IDataObject>();
	for (const event of emitted) {
		lastEmitted.set(event.objectId as string, event);
		if (!firstEmitted.has(event.objectId as string)) firstEmitted.set(event.objectId as string, event);
	}
	for (const message of sim.list('messages')) {
		if (!changed.has(message.id)) {
			assert.ok(!lastEmitted.has(message.id), `unchanged history emitted: ${message.id}`);
			continue;
		}
		const last = lastEmitted.get(message.id);
		assert.ok(last, `lost: ${message.subject} ${message.id} modified ${message.lastModifiedDateTime}`);
		assert.equal((last.raw as IDataObject).lastModifiedDateTime, message.lastModifiedDateTime, `latest version of ${message.id} not emitted`);
		if (created.has(message.id)) {
			assert.equal(firstEmitted.get(message.id)!.eventType, 'CREATED', `first event of new mail ${message.id} is CREATED`);
		}
	}
}

describe('Office 365 Trigger properties', () => {
	it('zero lost, zero duplicated over random mailbox histories with faults', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.array(opArbitrary, { minLength: 5, maxLength: 40 }),
				fc.integer({ min: 2, max: 8 }),
				fc.integer({ min: 3, max: 40 }),
				async (ops, pageSize, maxEvents) => {
					try {
						await runScenario(ops, pageSize, maxEvents);
					} catch (error) {
						// fast-check v4 keeps the cause out of its message; print it so a failure explains itself.
						console.error(`property failure: ${(error as Error).message}`);
						throw new Error(`${(error as Error).message}\n  ops=${JSON.stringify(ops)} pageSize=${pageSize} maxEventsPerPoll=${maxEvents}`);
					}
				},
			),
			{ numRuns: Number(process.env.PROPERTY_RUNS ?? 60), endOnFailure: true, verbose: 1 },
		);
	});
});
