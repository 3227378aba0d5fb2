/**
 * Property: whatever happens to the notifications (dropped, duplicated, delayed, reordered, a `missed` lifecycle
 * event, the subscription removed) and to n8n (restarts, with the subscription expiring while n8n is stopped), the
 * current version of every message reaches the workflow exactly once after the next scheduled read, no version
 * twice, and every deletion of a delivered message once, as DELETED. Real Hook, Trigger and Webhook contexts, real
 * HTTP both ways.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';

import fc from 'fast-check';
import type { IDataObject } from 'n8n-workflow';

import { GraphSimulator } from '../graph-simulator';
import { InstantHarness } from '../support/instantHarness';
import { simulatorCredential } from '../support/simulatorCredentials';
import { useSimulator } from '../support/simulatorSuite';

type Op =
	| { kind: 'create'; count: number; folder: 'inbox' | 'archive' }
	| { kind: 'update'; pick: number }
	| { kind: 'move'; pick: number }
	| { kind: 'delete'; pick: number }
	| { kind: 'switches'; dropRate: number; duplicateRate: number; delayMs: number; reorderWindowMs: number }
	| { kind: 'tick' }
	| { kind: 'missed' }
	| { kind: 'removed' }
	| { kind: 'restart'; expire: boolean }
	| { kind: 'nextSecond' };

const opArbitrary: fc.Arbitrary<Op> = fc.oneof(
	{ weight: 6, arbitrary: fc.record({ kind: fc.constant('create' as const), count: fc.integer({ min: 1, max: 4 }), folder: fc.constantFrom('inbox' as const, 'archive' as const) }) },
	{ weight: 4, arbitrary: fc.record({ kind: fc.constant('update' as const), pick: fc.nat() }) },
	{ weight: 1, arbitrary: fc.record({ kind: fc.constant('move' as const), pick: fc.nat() }) },
	{ weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }) },
	{
		weight: 2,
		arbitrary: fc.record({
			kind: fc.constant('switches' as const),
			dropRate: fc.constantFrom(0, 0.1, 0.5, 1),
			duplicateRate: fc.constantFrom(0, 0.1, 0.5),
			delayMs: fc.constantFrom(0, 50, 300),
			reorderWindowMs: fc.constantFrom(0, 100),
		}),
	},
	{ weight: 2, arbitrary: fc.constant({ kind: 'tick' as const }) },
	{ weight: 1, arbitrary: fc.constant({ kind: 'missed' as const }) },
	{ weight: 1, arbitrary: fc.constant({ kind: 'removed' as const }) },
	{ weight: 1, arbitrary: fc.record({ kind: fc.constant('restart' as const), expire: fc.boolean() }) },
	{ weight: 2, arbitrary: fc.constant({ kind: 'nextSecond' as const }) },
);

const realNow = Date.now;
const sim = new GraphSimulator({ now: realNow });
useSimulator(sim, realNow);

describe('Office 365 Instant Trigger: exactly once, whatever happens to notifications and to n8n', () => {
	let trigger: InstantHarness | undefined;
	beforeEach(() => {
		sim.reset();
		sim.notifier.retryDelaysMs = [30];
	});
	afterEach(async () => {
		await trigger?.dispose();
		await sim.notificationsSettled();
	});

	it('every version of every message arrives once', { timeout: 15 * 60_000 }, async () => {
		await fc.assert(
			fc.asyncProperty(fc.array(opArbitrary, { minLength: 5, maxLength: 25 }), fc.integer(), async (ops, seed) => {
				sim.reset();
				sim.notifier.retryDelaysMs = [30];
				sim.notifier.seed = seed;
				await trigger?.dispose();
				trigger = new InstantHarness(sim, simulatorCredential(sim, sim.issueTokens()), { resource: 'messages', eventTypes: ['created', 'updated', 'deleted'], reconcileMinutes: 1 });
				await trigger.start();
				await trigger.activate();
				let running = true;
				const deleted = new Set<string>();
				const live = (): string[] => sim.list('messages').map((m) => m.id);
				for (const op of ops) {
					const ids = live();
					const pick = (n: number): string | undefined => (ids.length ? ids[n % ids.length] : undefined);
					switch (op.kind) {
						case 'create':
							for (let i = 0; i < op.count; i++) sim.createMessage({ subject: `m${i}` }, { folder: op.folder });
							break;
						case 'update': {
							const id = pick(op.pick);
							if (id) sim.updateMessage(id, { isRead: true, subject: `edited ${op.pick}` });
							break;
						}
						case 'move': {
							const id = pick(op.pick);
							if (id) sim.moveMessage(id, sim.getMessage(id)!.parentFolderId === sim.folderId('inbox') ? 'archive' : 'inbox');
							break;
						}
						case 'delete': {
							const id = pick(op.pick);
							if (id) {
								sim.deleteMessage(id);
								deleted.add(id);
							}
							break;
						}
						case 'switches':
							Object.assign(sim.notifier, { dropRate: op.dropRate, duplicateRate: op.duplicateRate, delayMs: op.delayMs, reorderWindowMs: op.reorderWindowMs });
							break;
						case 'tick':
							if (running) trigger.tick();
							break;
						case 'missed':
						case 'removed': {
							const [subscription] = sim.subscriptions();
							if (subscription && running) {
								if (op.kind === 'missed') sim.announceMissed(subscription.id);
								else sim.removeSubscription(subscription.id);
								await trigger.quiet(100);
							}
							break;
						}
						case 'restart':
							if (running) {
								await trigger.stop();
								running = false;
							}
							if (op.expire) for (const subscription of sim.subscriptions()) sim.expireSubscription(subscription.id);
							await sim.notificationsSettled();
							await trigger.activate('init');
							running = true;
							break;
						case 'nextSecond':
							await new Promise((resolve) => setTimeout(resolve, 1000 - (realNow() % 1000) + 5));
							break;
					}
				}
				// Let the notifications settle; then the schedule's read must leave nothing behind.
				Object.assign(sim.notifier, { dropRate: 0, duplicateRate: 0, delayMs: 0, reorderWindowMs: 0 });
				await trigger.quiet(200);
				trigger.tick();
				await trigger.quiet(200);

				const events = trigger.events();
				// A version is its changeKey: two changes within one second share a date, never a changeKey.
				const versionOf = (event: IDataObject): string => `${event.objectId as string} ${(event.raw as IDataObject).changeKey as string}`;
				const delivered = events.filter((e) => e.eventType !== 'DELETED').map(versionOf);
				const twice = delivered.filter((key, index) => delivered.indexOf(key) !== index);
				assert.deepEqual(twice, [], 'a version was delivered twice');
				const deletions = events.filter((e) => e.eventType === 'DELETED').map((e) => e.objectId as string);
				assert.deepEqual(deletions.filter((id, index) => deletions.indexOf(id) !== index), [], 'a deletion was delivered twice');
				const announced = new Set(events.filter((e) => e.eventType !== 'DELETED').map((e) => e.objectId as string));
				const unreported = [...deleted].filter((id) => announced.has(id) && !deletions.includes(id));
				assert.deepEqual(unreported, [], 'a deletion of a delivered message was never reported');
				const missing = sim
					.list('messages')
					.map((m) => `${m.id} ${m.changeKey}`)
					.filter((key) => !delivered.includes(key));
				assert.deepEqual(missing, [], 'a current version was never delivered');
				assert.ok(sim.subscriptions().length === 1, 'one live subscription at the end');
				assert.deepEqual(trigger.failures.map((error) => `${error.message} ${(error as { description?: string }).description ?? ''}`), [], 'the trigger reported failures');
				await trigger.dispose();
				trigger = undefined;
			}),
			{ numRuns: Number(process.env.PROPERTY_RUNS ?? 6), endOnFailure: true, includeErrorInReport: true },
		);
	});
});
