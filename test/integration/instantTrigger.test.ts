/**
 * The Office 365 Instant Trigger through n8n-core's real contexts (HookContext, TriggerContext, WebhookContext), with
 * the Graph simulator posting real change notifications to the node's webhook on loopback.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';

import type { IDataObject } from 'n8n-workflow';

import { verifyClientState } from '../../nodes/Office365/instant/clientState';
import { GraphSimulator, type Subscription } from '../graph-simulator';
import { InstantHarness } from '../support/instantHarness';
import { simulatorCredential } from '../support/simulatorCredentials';
import { useSimulator } from '../support/simulatorSuite';

const MINUTE = 60_000;
// Real time (notifications are real HTTP); tests that let hours pass move n8n's and Graph's clocks together.
const realNow = Date.now;
let offsetMs = 0;
const sim = new GraphSimulator({ now: realNow });
const log = useSimulator(sim, () => realNow() + offsetMs);

async function waitUntil(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error('condition not met in time');
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
}

const ids = (items: IDataObject[]): string[] => items.map((item) => item.objectId as string);
const keyOf = (state: IDataObject): string => (state.subscription as { clientStateKey: string }).clientStateKey;

describe('Office 365 Instant Trigger', () => {
	let trigger: InstantHarness;

	function harness(parameters: IDataObject = {}): InstantHarness {
		return new InstantHarness(sim, simulatorCredential(sim, sim.issueTokens()), {
			resource: 'messages',
			eventTypes: ['created', 'updated', 'deleted'],
			reconcileMinutes: 5,
			...parameters,
		});
	}

	beforeEach(async () => {
		sim.reset();
		offsetMs = 0;
		sim.clockOffsetMs = 0;
		sim.notifier.retryDelaysMs = [50];
		log.log.warnings.length = 0;
		trigger = harness();
		await trigger.start();
	});
	afterEach(async () => {
		await trigger.dispose();
		await sim.notificationsSettled();
		assert.deepEqual(trigger.failures.map((error) => error.message), [], 'the trigger reported failures');
	});

	function only(): Subscription {
		const all = sim.subscriptions();
		assert.equal(all.length, 1, `one subscription, found ${all.length}`);
		return all[0];
	}

	it('publishing subscribes to the webhook after Graph validated it, and notes where to start', async () => {
		sim.createMessage({ subject: 'before publishing' });
		await trigger.activate();
		const subscription = only();
		assert.equal(subscription.notificationUrl, trigger.notificationUrl);
		assert.equal(subscription.lifecycleNotificationUrl, trigger.notificationUrl);
		assert.equal(subscription.resource, 'me/messages');
		assert.equal(subscription.changeType, 'created,updated,deleted');
		const lifetime = Date.parse(subscription.expirationDateTime) - Date.now();
		assert.ok(lifetime > 4100 * MINUTE && lifetime <= 4230 * MINUTE, `lifetime ${lifetime / MINUTE} min`);

		const validation = trigger.webhookCalls[0];
		assert.equal(validation.status, 200);
		assert.match(validation.contentType, /^text\/plain/);
		assert.match(validation.body, /^Validation: Testing client application reachability/);
		assert.equal(trigger.webhookCalls.length, 1, 'only the validation request so far');

		const stored = trigger.storedNodeState;
		assert.ok(verifyClientState(keyOf(stored), subscription.clientState), 'the clientState is signed with the stored key');
		assert.equal((stored.subscription as IDataObject).notificationUrl, trigger.notificationUrl);
		assert.equal(((stored.subscription as IDataObject).current as IDataObject).id, subscription.id);
		assert.ok(stored.changes, 'the change tracker was stored at activation');
		assert.deepEqual(trigger.events(), [], 'what existed before publishing is not delivered');
		assert.equal(trigger.cronCount, 1);
	});

	it('new and changed mail arrive within the notification, once, as standardized events', async () => {
		await trigger.activate();
		const created = sim.createMessage({ subject: 'hello' });
		await trigger.quiet();
		assert.deepEqual(ids(trigger.events()), [created.id]);
		const [event] = trigger.events();
		assert.equal(event.eventType, 'CREATED');
		assert.equal(event.objectType, 'messages');
		assert.equal((event.raw as IDataObject).subject, 'hello');

		await new Promise((resolve) => setTimeout(resolve, 1100)); // a later second: Graph stamps mail to the second
		sim.updateMessage(created.id, { isRead: true });
		await trigger.quiet();
		assert.deepEqual(
			trigger.events().map((e) => `${e.eventType as string} ${e.objectId as string}`),
			[`CREATED ${created.id}`, `UPDATED ${created.id}`],
		);
		assert.ok(trigger.webhookCalls.slice(1).every((call) => call.status === 202));
	});

	it('a deletion arrives once as DELETED, however often Graph announces it', async () => {
		await trigger.activate();
		const doomed = sim.createMessage({ subject: 'short-lived' });
		await trigger.quiet();
		sim.notifier.duplicateNext = 1;
		sim.deleteMessage(doomed.id);
		await trigger.quiet(3_500);
		assert.deepEqual(
			trigger.events().map((e) => `${e.eventType as string} ${e.objectId as string}`),
			[`CREATED ${doomed.id}`, `DELETED ${doomed.id}`],
		);
	});

	it('events, contacts and files: each resource is subscribed and read by delta', async () => {
		for (const [resource, change, expectedResource] of [
			['events', () => sim.createEvent({ subject: 'standup' }).id, 'me/events'],
			['contacts', () => sim.createContact({ displayName: 'Ada' }).id, 'me/contacts'],
			['driveItems', () => sim.createDriveItem({ name: 'report.docx' }).id, 'me/drive/root'],
		] as const) {
			await trigger.dispose();
			sim.reset();
			sim.notifier.retryDelaysMs = [50];
			trigger = harness({ resource });
			await trigger.start();
			await trigger.activate();
			assert.equal(only().resource, expectedResource, resource);
			const id = change();
			await trigger.quiet();
			assert.deepEqual(
				trigger.events().map((e) => [e.eventType, e.objectId]),
				[['CREATED', id]],
				resource,
			);
			if (resource === 'driveItems') {
				const drive = sim.deliveries.find((d) => d.kind === 'change');
				assert.equal(drive?.changeType, 'created', 'the simulator logs the change; Graph posts it as updated of the root');
				assert.equal(only().changeType, 'updated');
			}
		}
	});

	it('answers 202 before reading: a slow Graph does not slow the webhook', async () => {
		await trigger.activate();
		sim.latencyMs = 1500;
		sim.createMessage();
		await trigger.quiet(300, 60_000);
		sim.latencyMs = 0;
		const notification = trigger.webhookCalls.at(-1)!;
		assert.equal(notification.status, 202);
		assert.ok(notification.durationMs < 1500, `webhook took ${notification.durationMs} ms, Graph needs 1500 ms per request`);
		assert.equal(trigger.events().length, 1);
	});

	it('ignores POSTs without a valid clientState: nothing is read, nothing runs', async () => {
		await trigger.activate();
		const forged = [
			{ value: [{ subscriptionId: only().id, changeType: 'created', clientState: 'guessed', resourceData: { id: 'x' } }] },
			{ value: [{ subscriptionId: only().id, changeType: 'created', resourceData: { id: 'x' } }] },
			{ value: [{ subscriptionId: only().id, changeType: 'created', clientState: `${only().clientState}x` }] },
			{ value: [{ subscriptionId: only().id, lifecycleEvent: 'subscriptionRemoved', clientState: 'guessed' }] },
			{ nothing: true },
		];
		const readsBefore = sim.requests.length;
		const executionsBefore = trigger.executions.length;
		for (const body of forged) {
			const res = await fetch(trigger.notificationUrl, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
			assert.equal(res.status, 202);
		}
		await trigger.quiet();
		assert.equal(sim.requests.length, readsBefore, 'no Graph request for forged notifications');
		assert.equal(trigger.executions.length, executionsBefore);
		assert.equal(log.log.warnings.filter((w) => w.includes('without a valid clientState')).length, forged.length);
		assert.ok(!log.log.warnings.some((w) => w.includes(keyOf(trigger.storedNodeState)) || w.includes(only().clientState!)), 'no secret in the log');
	});

	it('ten notifications for one change, delayed and reordered ones: each change once', async () => {
		await trigger.activate();
		sim.notifier.duplicateNext = 1;
		const first = sim.createMessage({ subject: 'one' });
		await sim.notificationsSettled();
		assert.equal(sim.deliveries.filter((d) => d.kind === 'change' && d.itemId === first.id && d.outcome === 'delivered').length, 2);
		// Replay the same notification body eight more times (ten in all).
		const body = { value: [{ subscriptionId: only().id, changeType: 'created', clientState: only().clientState, resourceData: { id: first.id } }] };
		await Promise.all(Array.from({ length: 8 }, () => fetch(trigger.notificationUrl, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })));
		Object.assign(sim.notifier, { delayMs: 200, reorderWindowMs: 100 });
		const later = [sim.createMessage({ subject: 'two' }), sim.createMessage({ subject: 'three' })];
		await trigger.quiet(3_500);
		assert.deepEqual(ids(trigger.events()).sort(), [first.id, ...later.map((m) => m.id)].sort());
	});

	it('a dropped notification is caught by the next read, whichever comes first', async () => {
		await trigger.activate();
		sim.notifier.dropNext = 1;
		const dropped = sim.createMessage({ subject: 'never announced' });
		await trigger.quiet();
		assert.deepEqual(trigger.events(), []);
		trigger.tick();
		await trigger.quiet();
		assert.deepEqual(ids(trigger.events()), [dropped.id], 'the scheduled read');

		sim.notifier.dropNext = 1;
		const droppedAgain = sim.createMessage({ subject: 'dropped too' });
		const announced = sim.createMessage({ subject: 'announced' });
		await trigger.quiet();
		assert.deepEqual(ids(trigger.events()).slice(1).sort(), [droppedAgain.id, announced.id].sort(), 'the next notification’s read');
		trigger.tick();
		await trigger.quiet();
		assert.equal(trigger.events().length, 3);
	});

	it('missed, subscriptionRemoved and reauthorizationRequired: read, recreate, reauthorize', async () => {
		await trigger.activate();
		const original = only();

		sim.notifier.dropNext = 1;
		const lost = sim.createMessage();
		sim.announceMissed(original.id);
		await trigger.quiet();
		assert.deepEqual(ids(trigger.events()), [lost.id], 'missed → read');

		sim.requireReauthorization(original.id);
		await trigger.quiet();
		const reauthorized = sim.requests.filter((r) => r.method === 'POST' && r.path.endsWith(`/subscriptions/${original.id}/reauthorize`));
		assert.equal(reauthorized.length, 1);
		const afterReauth = sim.createMessage();
		await trigger.quiet();
		assert.ok(ids(trigger.events()).includes(afterReauth.id), 'notifications flow again');

		sim.removeSubscription(original.id);
		const whileRemoved = sim.createMessage();
		await trigger.quiet();
		const replacement = only();
		assert.notEqual(replacement.id, original.id);
		assert.ok(verifyClientState(keyOf(trigger.storedNodeState), replacement.clientState), 'the new clientState verifies with the stored key');
		assert.ok(ids(trigger.events()).includes(whileRemoved.id), 'changes made meanwhile are read');
		const afterRecreate = sim.createMessage();
		await trigger.quiet();
		assert.equal(ids(trigger.events()).at(-1), afterRecreate.id, 'the new subscription notifies the webhook');
		assert.equal(new Set(ids(trigger.events())).size, trigger.events().length, 'nothing twice');
	});

	it('the schedule renews every hour and recreates a subscription that expired unnoticed', async () => {
		await trigger.activate();
		const first = only();
		const patches = (): number => sim.requests.filter((r) => r.method === 'PATCH' && r.path.includes('/subscriptions/') && r.status === 200).length;
		trigger.tick();
		await trigger.quiet();
		assert.equal(patches(), 1, 'renewed at the first scheduled turn');
		trigger.tick();
		await trigger.quiet();
		assert.equal(patches(), 1, 'not again within the hour');

		offsetMs = 61 * MINUTE;
		sim.clockOffsetMs = offsetMs;
		{
			trigger.tick();
			await trigger.quiet();
			assert.equal(patches(), 2, 'an hour later');
			const renewed = Date.parse(only().expirationDateTime);
			assert.ok(renewed - sim.clock() > 4100 * MINUTE);

			// Gone without a lifecycle notification (a dropped one): the schedule still reads, the next hourly
			// renewal finds out and subscribes again.
			sim.expireSubscription(first.id);
			const unannounced = sim.createMessage();
			trigger.tick();
			await trigger.quiet();
			assert.deepEqual(ids(trigger.events()), [unannounced.id]);
			assert.deepEqual(sim.subscriptions(), []);
			offsetMs = 122 * MINUTE;
			sim.clockOffsetMs = offsetMs;
			trigger.tick();
			await trigger.quiet();
			assert.notEqual(only().id, first.id, 'recreated');
			const announced = sim.createMessage();
			await trigger.quiet();
			assert.deepEqual(ids(trigger.events()), [unannounced.id, announced.id]);
		}
	});

	it('a subscription that expired while n8n was stopped is recreated on start; what changed meanwhile arrives once', async () => {
		await trigger.activate();
		const before = sim.createMessage({ subject: 'before the stop' });
		await trigger.quiet();
		await trigger.stop();

		const whileDown = [sim.createMessage({ subject: 'while down 1' }), sim.createMessage({ subject: 'while down 2' })];
		await new Promise((resolve) => setTimeout(resolve, 1100)); // a later second: Graph stamps mail to the second
		sim.updateMessage(before.id, { subject: 'edited while down' });
		await sim.notificationsSettled();
		assert.ok(sim.deliveries.filter((d) => d.kind === 'change').slice(-3).every((d) => d.outcome !== 'delivered'), 'n8n missed those notifications');
		sim.expireSubscription(only().id);

		await trigger.activate('init');
		await trigger.quiet();
		assert.equal(sim.subscriptions().length, 1, 'a new subscription');
		assert.deepEqual(new Set(ids(trigger.events()).slice(1)), new Set([...whileDown.map((m) => m.id), before.id]));
		trigger.tick();
		await trigger.quiet();
		assert.equal(trigger.events().length, 4, 'nothing twice on the next read');
	});

	it('a live subscription is adopted and renewed on start instead of a new one', async () => {
		await trigger.activate();
		const original = only();
		await trigger.stop();
		const whileDown = sim.createMessage();
		await trigger.activate('init');
		await trigger.quiet();
		assert.equal(only().id, original.id);
		assert.equal(sim.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/subscriptions')).length, 1, 'no second POST');
		assert.ok(sim.requests.some((r) => r.method === 'PATCH' && r.path.endsWith(original.id)), 'renewed at start');
		assert.deepEqual(ids(trigger.events()), [whileDown.id]);
	});

	it('a read still running when n8n stops hands nothing on; the next start delivers it, once', async () => {
		await trigger.activate();
		sim.latencyMs = 800;
		const created = sim.createMessage({ subject: 'read while stopping' });
		await waitUntil(() => sim.requests.some((r) => r.method === 'GET' && r.path.startsWith('/v1.0/me/') && r.status === undefined));
		await trigger.stop();
		assert.ok(!sim.requests.some((r) => r.status === undefined), 'stop waited for the read');
		assert.deepEqual(trigger.events(), []);
		sim.latencyMs = 0;
		await trigger.activate('init');
		await trigger.quiet();
		assert.deepEqual(ids(trigger.events()), [created.id]);
	});

	it('unpublishing deletes every subscription of the webhook, also ones the state forgot', async () => {
		await trigger.activate();
		const stray = await fetch(`${sim.graphUrl}/subscriptions`, {
			method: 'POST',
			headers: { Authorization: `Bearer ${sim.issueTokens().access_token}`, 'Content-Type': 'application/json' },
			body: JSON.stringify({ changeType: 'created', resource: 'me/events', notificationUrl: trigger.notificationUrl, expirationDateTime: new Date(Date.now() + 60 * MINUTE).toISOString() }),
		});
		assert.equal(stray.status, 201);
		assert.equal(sim.subscriptions().length, 2);
		await trigger.deactivate();
		assert.deepEqual(sim.subscriptions(), []);
		const state = trigger.storedNodeState.subscription as IDataObject;
		assert.equal(state.current, undefined);
		assert.equal(typeof state.clientStateKey, 'string');
		sim.createMessage();
		await trigger.quiet();
		assert.deepEqual(trigger.events(), []);
	});

	it('republishing with another folder replaces the subscription', async () => {
		await trigger.activate();
		const messagesEverywhere = only();
		await trigger.deactivate();
		trigger.edit({ resource: 'messages', folder: 'inbox', eventTypes: ['created'], reconcileMinutes: 1 });
		await trigger.activate('update');
		const inbox = only();
		assert.notEqual(inbox.id, messagesEverywhere.id);
		assert.equal(inbox.resource, "me/mailFolders('inbox')/messages");
		assert.equal(inbox.changeType, 'created');
		const archived = sim.createMessage({}, { folder: 'archive' });
		const arrived = sim.createMessage({}, { folder: 'inbox' });
		await trigger.quiet();
		trigger.tick();
		await trigger.quiet();
		assert.deepEqual(ids(trigger.events()), [arrived.id]);
		assert.ok(!ids(trigger.events()).includes(archived.id));
	});

	it('an n8n that Graph cannot reach fails to publish with the URL and WEBHOOK_URL named, leaving no subscription', async () => {
		trigger.webhookOverride = (_req, res) => {
			res.writeHead(502, { 'Content-Type': 'text/html' }).end('<h1>Bad gateway</h1>');
			return true;
		};
		await assert.rejects(trigger.activate(), (error: Error & { description?: string }) => {
			assert.match(error.message, new RegExp(`cannot deliver change notifications to n8n's webhook URL "${trigger.notificationUrl.replace(/[.?]/g, '\\$&')}"`));
			assert.match(error.message, /validation request failed/i);
			assert.match(error.message, new RegExp(`WEBHOOK_URL setting, now "${trigger.webhookBaseUrl}/"; set WEBHOOK_URL`));
			assert.match(error.description ?? '', /reverse proxy or a tunnel/);
			return true;
		});
		assert.deepEqual(sim.subscriptions(), []);
	});

	it('refuses a webhook URL Microsoft Graph can never reach before calling Graph', async () => {
		const global = new InstantHarness(sim, { ...simulatorCredential(sim, sim.issueTokens()), cloud: 'global' }, { resource: 'messages' });
		await global.start();
		try {
			const requests = sim.requests.length;
			await assert.rejects(global.activate(), (error: Error & { description?: string }) => {
				assert.match(error.message, /http:\/\/127\.0\.0\.1:\d+\/webhook\/.*\/graph.*: it is not HTTPS/);
				assert.match(error.message, /set WEBHOOK_URL \(N8N_WEBHOOK_URL since n8n 2\.0\) to the public HTTPS address/);
				return true;
			});
			assert.equal(sim.requests.length, requests);
		} finally {
			await global.dispose();
		}
	});

	it('damaged stored state is reported and replaced by a new subscription', async () => {
		await trigger.activate();
		await trigger.stop();
		trigger.storedStaticData = { ...trigger.storedStaticData, 'node:Office 365 Instant Trigger': undefined } as IDataObject;
		const stored = JSON.parse(JSON.stringify(trigger.storedStaticData)) as IDataObject;
		stored['node:Office 365 Instant Trigger'] = { subscription: { version: 1, clientStateKey: 42 }, changes: 'garbage' };
		trigger.storedStaticData = stored;
		await trigger.activate('init');
		assert.ok(log.log.warnings.some((w) => w.includes('no usable clientState key')));
		const created = sim.createMessage();
		await trigger.quiet();
		assert.deepEqual(ids(trigger.events()), [created.id]);
		assert.equal(sim.subscriptions().length, 1);
	});

	it('"Listen for test event" subscribes the test URL and returns the changed record, storing nothing', async () => {
		const listening = await trigger.listenForTestEvent();
		const test = only();
		assert.match(test.notificationUrl, /\/webhook-test\//);
		const created = sim.createMessage({ subject: 'test me' });
		await trigger.quiet();
		const execution = trigger.executions.find((e) => e.mode === 'manual');
		assert.ok(execution);
		assert.equal(execution.items[0].objectId, created.id);
		assert.equal((execution.items[0].raw as IDataObject).subject, 'test me');
		await listening.stop();
		assert.deepEqual(sim.subscriptions(), []);
		assert.deepEqual(trigger.storedStaticData, {});
	});
});
