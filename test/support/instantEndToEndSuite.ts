/**
 * End to end in a real n8n of a given version: Office 365 Instant Trigger → Office 365 Event Forward → a loopback
 * receiver. The Graph simulator (in this process) posts change notifications to n8n's production webhook through a
 * loopback "tunnel" (what a reverse proxy or tunnel does in production) that n8n knows as its WEBHOOK_URL, so the
 * test can also take n8n's public address away. test/e2e/instant*.e2e.test.ts run it for each supported n8n line.
 *
 * On failure n8n's log, the receiver's deliveries, the simulator's request and notification logs are kept under
 * .e2e-logs/.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { after, before, describe } from 'node:test';

import { N8nHttpError, type WorkflowDefinition } from '../../scripts/n8n/client';
import { CREDENTIAL_TYPE, delay, FORWARD_NODE_TYPE, PACKAGE_NAME, startN8n, waitFor, type N8nInstance } from '../../scripts/n8n/harness';
import { buildAndPack } from '../../scripts/n8n/pack';
import { eventsOf, startReceiver, type EventReceiver } from '../../scripts/n8n/receiver';
import { oauthCredentialData } from '../../scripts/n8n/workflows';
import { GraphSimulator } from '../graph-simulator/index';
import { Steps } from './e2eFlow';

const INSTANT_NODE_TYPE = `${PACKAGE_NAME}.office365InstantTrigger`;
const INSTANT_NAME = 'Office 365 Instant Trigger';
const FORWARD_NAME = 'Office 365 Event Forward';
/** The schedule's turn (every minute) plus n8n's run and delivery. */
const SCHEDULE_WAIT_MS = 150_000;

/** A loopback forwarder to n8n: n8n's public address. `open = false` refuses connections (a tunnel that is down). */
interface Tunnel {
	url: string;
	open: boolean;
	close(): Promise<void>;
}

async function startTunnel(targetPort: () => number): Promise<Tunnel> {
	const state = { open: true };
	const server: Server = createServer((req, res) => {
		if (!state.open) {
			req.socket.destroy();
			return;
		}
		const upstream = httpRequest({ host: '127.0.0.1', port: targetPort(), method: req.method, path: req.url, headers: req.headers }, (answer) => {
			res.writeHead(answer.statusCode ?? 502, answer.headers);
			answer.pipe(res);
		});
		upstream.on('error', () => res.destroy());
		req.pipe(upstream);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
		get open() {
			return state.open;
		},
		set open(value: boolean) {
			state.open = value;
		},
		close: async () => {
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}

interface PublicationStatus {
	status: string;
	triggers: Array<{ nodeId: string; status: string; errorMessage: string | null }>;
}

/** Waits until the wall clock is `from`–`to` seconds into a minute (the schedule turns at second 0). */
async function intoMinute(from: number, to: number): Promise<void> {
	await waitFor(
		`second ${from}–${to} of a minute`,
		() => {
			const second = new Date().getSeconds();
			return second >= from && second <= to;
		},
		{ timeoutMs: 70_000, intervalMs: 200 },
	);
}

export function instantEndToEndSuite(version: string): void {
	const steps = new Steps();
	const step = steps.step.bind(steps);
	// n8n 2.x publishes in the background (its outcome in publication-status); 1.x activates while the call waits.
	const publishesInBackground = !version.startsWith('1.');
	let sim: GraphSimulator;
	let receiver: EventReceiver;
	let n8n: N8nInstance | undefined;
	let tunnel: Tunnel;
	let workflowId = '';
	let credential: { id: string; name: string };
	const ids: Record<string, string> = {};

	function instantWorkflow(name: string, webhookId: string): WorkflowDefinition {
		return {
			name,
			nodes: [
				{
					id: 'e1b2c3d4-0000-4000-8000-000000000001',
					name: INSTANT_NAME,
					type: INSTANT_NODE_TYPE,
					typeVersion: 1,
					position: [240, 300],
					webhookId,
					parameters: { resource: 'messages', eventTypes: ['created', 'updated', 'deleted'], reconcileMinutes: 1 },
					credentials: { [CREDENTIAL_TYPE]: credential },
				},
				{
					id: 'e1b2c3d4-0000-4000-8000-000000000002',
					name: FORWARD_NAME,
					type: FORWARD_NODE_TYPE,
					typeVersion: 1,
					position: [520, 300],
					parameters: { url: receiver.url, batching: 'perEvent', signNotifications: false, options: {} },
				},
			],
			connections: { [INSTANT_NAME]: { main: [[{ node: FORWARD_NAME, type: 'main', index: 0 }]] } },
			settings: { executionOrder: 'v1', saveDataSuccessExecution: 'all', saveDataErrorExecution: 'all' },
		};
	}

	function received(): Array<{ eventType: string; objectId: string; date: string; at: number }> {
		return receiver.deliveries.flatMap((delivery) =>
			eventsOf(delivery).map((event) => ({
				eventType: String(event.eventType),
				objectId: String(event.objectId),
				date: String(event.date),
				at: delivery.receivedAt.getTime(),
			})),
		);
	}

	const eventsFor = (id: string): ReturnType<typeof received> => received().filter((event) => event.objectId === ids[id]);

	async function waitForEvent(id: string, eventType: string, timeoutMs = SCHEDULE_WAIT_MS): Promise<number> {
		await waitFor(`${eventType} ${id}`, () => eventsFor(id).some((event) => event.eventType === eventType), { timeoutMs, intervalMs: 100 });
		return eventsFor(id).find((event) => event.eventType === eventType)!.at;
	}

	function assertNoDuplicates(): void {
		const keys = received().map((event) => `${event.eventType} ${event.objectId} ${event.date}`);
		assert.deepEqual(
			keys.filter((key, index) => keys.indexOf(key) !== index),
			[],
			'an event reached the receiver twice',
		);
	}

	/** Publishes; resolves with n8n's error message when publishing failed, undefined when it succeeded. */
	async function publish(id: string): Promise<string | undefined> {
		assert.ok(n8n);
		const instance = n8n;
		if (!publishesInBackground) {
			return await instance.activateWorkflow(id).then(
				() => undefined,
				(error: Error) => (error instanceof N8nHttpError ? String((error.body as { message?: unknown }).message) : error.message),
			);
		}
		await instance.activateWorkflow(id);
		let last: PublicationStatus | undefined;
		await waitFor(
			`publication of workflow ${id}`,
			async () => {
				last = await instance.rest<PublicationStatus>('GET', `/workflows/${encodeURIComponent(id)}/publication-status`);
				return last.status !== 'in_progress' && last.status !== 'not_published';
			},
			{ timeoutMs: 120_000, intervalMs: 500 },
		);
		return last!.status === 'published' ? undefined : `${last!.status}: ${last!.triggers.map((trigger) => trigger.errorMessage ?? '').join(' ')}`;
	}

	describe(`n8n ${version} end to end: Office 365 Instant Trigger`, { timeout: 30 * 60_000 }, () => {
		before(async () => {
			try {
				sim = new GraphSimulator();
				await sim.start();
				sim.notifier.retryDelaysMs = [500];
				receiver = await startReceiver();
				let n8nPort = 0;
				tunnel = await startTunnel(() => n8nPort);
				const tarball = await buildAndPack();
				// n8n 2.x reads N8N_WEBHOOK_URL, 1.x WEBHOOK_URL.
				n8n = await startN8n({ version, packageTarball: tarball, label: `e2e-instant-${version}`, env: { N8N_WEBHOOK_URL: tunnel.url, WEBHOOK_URL: tunnel.url } });
				n8nPort = n8n.port;
				await n8n.setupOwner();
				await n8n.createApiKey();
				credential = await n8n.createCredential({
					name: 'Office 365 (simulator)',
					type: CREDENTIAL_TYPE,
					data: oauthCredentialData({ graphApiBaseUrl: sim.baseUrl, loginBaseUrl: sim.loginBaseUrl }),
				});
				await n8n.connectOAuth2(credential.id);
			} catch (error) {
				steps.failed = true;
				throw error;
			}
		}, { timeout: 20 * 60_000 });

		after(async () => {
			if (steps.failed && n8n) {
				const artifacts = {
					'receiver.json': receiver.deliveries.map((d) => ({ seq: d.seq, at: d.receivedAt, body: d.json })),
					'graph-requests.json': sim.requests,
					'graph-notifications.json': sim.deliveries,
				};
				for (const [name, content] of Object.entries(artifacts)) fs.writeFileSync(path.join(n8n.logDir, name), JSON.stringify(content, null, 2));
			}
			await n8n?.dispose({ keepLogs: steps.failed });
			await tunnel?.close();
			await receiver?.close();
			await sim?.stop();
		});

		step("publishing subscribes n8n's production webhook after Graph validated it, without events", 3 * 60_000, async () => {
			assert.ok(n8n);
			assert.ok((await n8n.nodeTypes()).some((type) => type.name === INSTANT_NODE_TYPE), `${INSTANT_NODE_TYPE} is not served`);
			ids.old = sim.createMessage({ subject: 'before publishing' }).id;
			const workflow = await n8n.createWorkflow(instantWorkflow('e2e: instant', '0b7f7a8e-1d2c-4e5f-8a9b-0c1d2e3f4a5b'));
			workflowId = workflow.id;
			assert.equal(await publish(workflowId), undefined);
			const subscriptions = sim.subscriptions();
			assert.equal(subscriptions.length, 1);
			assert.equal(subscriptions[0].notificationUrl, `${tunnel.url}webhook/0b7f7a8e-1d2c-4e5f-8a9b-0c1d2e3f4a5b/graph`);
			assert.equal(sim.deliveries.find((d) => d.kind === 'validation')?.outcome, 'delivered');
			await delay(2_000);
			assert.deepEqual(await n8n.listExecutions({ workflowId }), [], 'publishing started an execution');
		});

		step("a change reaches the receiver through the notification, before the schedule's next turn", 3 * 60_000, async (t) => {
			assert.ok(n8n);
			await intoMinute(5, 30);
			const changedAt = Date.now();
			ids.a = sim.createMessage({ subject: 'instant A' }).id;
			const deliveredAt = await waitForEvent('a', 'CREATED', 60_000);
			const nextTurn = Math.ceil(changedAt / 60_000) * 60_000;
			assert.ok(deliveredAt < nextTurn, 'delivered before the scheduled read could have found it');
			const instance = n8n;
			// The public API lists an execution once it has finished.
			const [execution] = await waitFor('the execution in the list', async () => {
				const runs = await instance.listExecutions({ workflowId });
				return runs.length > 0 ? runs : undefined;
			}, { timeoutMs: 30_000, intervalMs: 250 });
			const startedAfterMs = Date.parse(execution.startedAt ?? '') - changedAt;
			t.diagnostic(`latency change → execution start ${startedAfterMs} ms, change → receiver ${deliveredAt - changedAt} ms`);
			assert.deepEqual(eventsFor('old'), [], 'mail from before publishing was delivered');
		});

		step('ten notifications for one change deliver it once', 3 * 60_000, async () => {
			const subscription = sim.subscriptions()[0];
			sim.notifier.duplicateNext = 1;
			ids.b = sim.createMessage({ subject: 'instant B' }).id;
			await waitForEvent('b', 'CREATED', 60_000);
			const replay = { value: [{ subscriptionId: subscription.id, changeType: 'created', clientState: subscription.clientState, resourceData: { id: ids.b } }] };
			for (let i = 0; i < 8; i++) {
				const res = await fetch(subscription.notificationUrl, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(replay) });
				assert.equal(res.status, 202);
			}
			await delay(8_000);
			assert.equal(eventsFor('b').length, 1);
			assertNoDuplicates();
		});

		step('a deletion arrives once, as DELETED', 2 * 60_000, async () => {
			sim.deleteMessage(ids.b);
			await waitForEvent('b', 'DELETED', 60_000);
			await delay(4_000);
			assert.deepEqual(
				eventsFor('b').map((event) => event.eventType),
				['CREATED', 'DELETED'],
			);
			assertNoDuplicates();
		});

		step('a dropped notification is caught by the scheduled read', 4 * 60_000, async () => {
			sim.notifier.dropNext = 1;
			const changedAt = Date.now();
			ids.c = sim.createMessage({ subject: 'instant C (notification dropped)' }).id;
			const deliveredAt = await waitForEvent('c', 'CREATED');
			assert.ok(sim.deliveries.some((d) => d.itemId === ids.c && d.outcome === 'dropped'));
			const firstTurn = Math.ceil(changedAt / 60_000) * 60_000;
			assert.ok(deliveredAt >= firstTurn, 'found by the schedule, not by a notification');
			assert.equal(eventsFor('c').length, 1);
			assertNoDuplicates();
		});

		step('a subscription that expired while n8n was stopped is recreated on start; nothing lost, nothing twice', 8 * 60_000, async () => {
			assert.ok(n8n);
			const before = sim.subscriptions()[0];
			const count = received().length;
			await n8n.stop();
			ids.d = sim.createMessage({ subject: 'instant D (while n8n was down)' }).id;
			await delay(1_100); // a later second: Graph stamps mail to the second
			sim.updateMessage(ids.a, { isRead: true });
			await sim.notificationsSettled();
			sim.expireSubscription(before.id);
			assert.deepEqual(sim.subscriptions(), []);

			await n8n.start();
			await waitForEvent('d', 'CREATED', SCHEDULE_WAIT_MS);
			await waitForEvent('a', 'UPDATED', SCHEDULE_WAIT_MS);
			// n8n 2.x starts the trigger (its first read) and the webhook (subscribing) side by side.
			await waitFor('a new subscription', () => sim.subscriptions().length === 1, { timeoutMs: 60_000, intervalMs: 200 });
			const renewed = sim.subscriptions()[0];
			assert.notEqual(renewed.id, before.id);
			assert.equal(renewed.notificationUrl, before.notificationUrl);

			ids.e = sim.createMessage({ subject: 'instant E (after the restart)' }).id;
			await waitForEvent('e', 'CREATED', 60_000);
			await delay(5_000);
			assert.equal(received().length, count + 3);
			assertNoDuplicates();
		});

		step('every execution succeeded', 60_000, async () => {
			assert.ok(n8n);
			for (const run of await n8n.listExecutions({ workflowId })) assert.equal(run.status, 'success', `execution ${run.id}`);
		});

		step('unpublishing deletes the subscription', 2 * 60_000, async () => {
			assert.ok(n8n);
			await n8n.deactivateWorkflow(workflowId);
			await waitFor('the subscription to be deleted', () => sim.subscriptions().length === 0, { timeoutMs: 30_000, intervalMs: 200 });
			const count = received().length;
			sim.createMessage({ subject: 'after unpublishing' });
			await delay(3_000);
			assert.equal(received().length, count);
		});

		step('publishing fails, naming the URL and WEBHOOK_URL, when Graph cannot reach n8n', 3 * 60_000, async () => {
			assert.ok(n8n);
			tunnel.open = false;
			const workflow = await n8n.createWorkflow(instantWorkflow('e2e: unreachable', '5d6e7f80-9a1b-4c2d-8e3f-4a5b6c7d8e9f'));
			const failure = await publish(workflow.id);
			tunnel.open = true;
			assert.ok(failure, 'publishing succeeded although Graph could not reach n8n');
			assert.match(failure, /cannot deliver change notifications to n8n's webhook URL/);
			assert.match(failure, /webhook\/5d6e7f80-9a1b-4c2d-8e3f-4a5b6c7d8e9f\/graph/);
			assert.ok(failure.includes(`WEBHOOK_URL setting, now "${tunnel.url}"`), failure);
			assert.deepEqual(sim.subscriptions(), []);
		});
	});
}
