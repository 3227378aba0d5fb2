// What the real-n8n suites share: dependent steps with timings, and the ledger of what reached the
// receiver (exactly once, signed) for the Office 365 Trigger → Office 365 Event Forward workflow.
import assert from 'node:assert/strict';
import { it, type TestContext } from 'node:test';

import type { ExecutionSummary } from '../../scripts/n8n/client';
import { CREDENTIAL_TYPE, delay, waitFor, type N8nInstance } from '../../scripts/n8n/harness';
import { eventsOf, type Delivery, type EventReceiver } from '../../scripts/n8n/receiver';
import { FORWARD_NAME, SIGNING_CREDENTIAL_TYPE, eventForwardWorkflow, oauthCredentialData } from '../../scripts/n8n/workflows';
import type { GraphSimulator, RequestLogEntry } from '../graph-simulator/index';

/** One poll period (60 s, random second within the minute) plus n8n's run and delivery. */
export const POLL_WAIT_MS = 150_000;
export const MESSAGES_PATH = '/v1.0/me/messages';

/**
 * Steps build on each other: after a failing step the later ones are skipped, except after an
 * `independent` step (a pure check nothing else depends on). `failed` tells the suite's `after`
 * to keep the logs.
 */
export class Steps {
	failed = false;
	private blocked = false;

	step(name: string, timeoutMs: number, body: (t: TestContext) => Promise<void>, { independent = false } = {}): void {
		it(name, { timeout: timeoutMs }, async (t) => {
			if (this.blocked) {
				t.skip('an earlier step failed');
				return;
			}
			const begin = Date.now();
			try {
				await body(t);
			} catch (error) {
				this.failed = true;
				if (!independent) this.blocked = true;
				throw error;
			} finally {
				t.diagnostic(`${name}: ${((Date.now() - begin) / 1000).toFixed(1)} s`);
			}
		});
	}
}

export interface ReceivedEvent {
	eventType: string;
	objectType: string;
	objectId: string;
	date: string;
	webhookId: string;
	delivery: number;
}

/** Completed list requests for messages that started after `sinceMs`. */
export function messagePollsSince(sim: GraphSimulator, sinceMs: number): RequestLogEntry[] {
	return sim.requests.filter((entry) => entry.method === 'GET' && entry.path.startsWith(MESSAGES_PATH) && entry.at >= sinceMs && entry.status !== undefined);
}

/** Mail the test made, by short name, and what the receiver got for it. */
export class EventLedger {
	readonly ids: Record<string, string> = {};

	constructor(
		private readonly receiver: EventReceiver,
		private readonly sim: GraphSimulator,
	) {}

	received(): ReceivedEvent[] {
		return this.receiver.deliveries.flatMap((delivery: Delivery) =>
			eventsOf(delivery).map((event) => ({
				eventType: String(event.eventType),
				objectType: String(event.objectType),
				objectId: String(event.objectId),
				date: String(event.date),
				webhookId: String(delivery.headers['elements-webhook-id'] ?? ''),
				delivery: delivery.seq,
			})),
		);
	}

	/** Events for the mail named `name` (optionally of one type). */
	eventsFor(name: string, eventType?: string): ReceivedEvent[] {
		const objectId = this.ids[name];
		assert.ok(objectId, `no mail named ${name}`);
		return this.received().filter((event) => event.objectId === objectId && (eventType === undefined || event.eventType === eventType));
	}

	/** "CREATED a", "UPDATED b", … for everything received, sorted. */
	summary(): string[] {
		return this.received()
			.map((event) => `${event.eventType} ${Object.keys(this.ids).find((key) => this.ids[key] === event.objectId) ?? event.objectId}`)
			.sort();
	}

	async waitForEvents(description: string, wanted: Array<[name: string, eventType: string]>): Promise<void> {
		await waitFor(description, () => wanted.every(([name, type]) => this.eventsFor(name, type).length > 0), {
			timeoutMs: POLL_WAIT_MS,
			intervalMs: 500,
		});
	}

	pollsSince(sinceMs: number): RequestLogEntry[] {
		return messagePollsSince(this.sim, sinceMs);
	}

	/** Waits for a poll that starts after now and completes, then a little for n8n to act on it. */
	async waitForFurtherPoll(description: string): Promise<void> {
		const since = Date.now();
		await waitFor(description, () => this.pollsSince(since).length > 0, { timeoutMs: POLL_WAIT_MS, intervalMs: 500 });
		await new Promise((resolve) => setTimeout(resolve, 5_000));
	}

	assertNoDuplicates(): void {
		const keys = this.received().map((event) => `${event.eventType} ${event.objectId} ${event.date}`);
		assert.deepEqual(keys.filter((key, index) => keys.indexOf(key) !== index), [], 'an event reached the receiver twice');
		const webhookIds = this.receiver.deliveries.map((delivery) => String(delivery.headers['elements-webhook-id']));
		assert.equal(new Set(webhookIds).size, webhookIds.length, 'a notification (Elements-Webhook-Id) was delivered twice');
	}

	assertSigned(): void {
		for (const delivery of this.receiver.deliveries) {
			assert.equal(delivery.signatureValid, true, `delivery ${delivery.seq}: ${delivery.signatureProblem ?? 'bad signature'}`);
			assert.match(String(delivery.headers['content-type']), /^application\/json/);
			assert.ok(delivery.headers['elements-webhook-id'], `delivery ${delivery.seq} has no Elements-Webhook-Id`);
		}
	}

	/** The receiver's deliveries and the simulator's request log, for a failed run's log folder. */
	artifacts(): Record<string, unknown> {
		return {
			'receiver.json': this.receiver.deliveries.map((d) => ({ seq: d.seq, at: d.receivedAt, headers: d.headers, body: d.json, signatureValid: d.signatureValid })),
			'graph-requests.json': this.sim.requests,
		};
	}
}

export const SIGNING_KEY = 'e2e-signing-key-Ünïcode ✓';

export interface PublishedWorkflow {
	workflowId: string;
	/** The connected OAuth2 credential, for further workflows. */
	oauthCredential: { id: string; name: string };
	/** The authorize URL n8n built for the OAuth2 credential. */
	authorizeUrl: string;
	/** Token requests the simulator saw while n8n connected the credential. */
	tokenRequestsWhileConnecting: number;
}

/**
 * Creates the OAuth2 credential (connected through n8n's OAuth2 flow against the simulator) and the
 * signing credential, then the Trigger → Forward workflow to the receiver; publishes it and waits
 * for its seeding poll at the simulator (n8n may still be running it when the publish call returns).
 */
export async function publishForwardWorkflow(n8n: N8nInstance, sim: GraphSimulator, receiver: EventReceiver, name: string): Promise<PublishedWorkflow> {
	const oauth = await n8n.createCredential({
		name: 'Office 365 (simulator)',
		type: CREDENTIAL_TYPE,
		data: oauthCredentialData({ graphApiBaseUrl: sim.baseUrl, loginBaseUrl: sim.loginBaseUrl }),
	});
	const tokenRequestsBefore = sim.tokenRequests;
	const authorizeUrl = await n8n.connectOAuth2(oauth.id);
	const tokenRequestsWhileConnecting = sim.tokenRequests - tokenRequestsBefore;
	const signing = await n8n.createCredential({ name: 'Event signing key', type: SIGNING_CREDENTIAL_TYPE, data: { signingKey: SIGNING_KEY } });
	const workflow = await n8n.createWorkflow(
		eventForwardWorkflow({
			name,
			oauthCredential: { id: oauth.id, name: oauth.name },
			signingCredential: { id: signing.id, name: signing.name },
			callbackUrl: receiver.url,
		}),
	);
	const activatedAt = Date.now();
	await n8n.activateWorkflow(workflow.id);
	await waitFor('the seeding poll', () => messagePollsSince(sim, activatedAt).length > 0, { timeoutMs: 60_000, intervalMs: 250 });
	await delay(3_000); // let n8n finish processing the seeding poll's response
	return { workflowId: workflow.id, oauthCredential: { id: oauth.id, name: oauth.name }, authorizeUrl, tokenRequestsWhileConnecting };
}

/**
 * Stops the n8n main, creates mail `created` and edits mail `updated` while it is down, starts it
 * again and checks that exactly these two changes arrive, once each, also over a further poll.
 */
/**
 * Tracking by delta: publishes a OneDrive files workflow, then creates a file and deletes one that existed before
 * activation; the receiver gets CREATED and DELETED once each, also over a further poll. Returns the workflow id.
 */
export async function deliversDeletedFileOnce(
	n8n: N8nInstance,
	sim: GraphSimulator,
	ledger: EventLedger,
	receiver: EventReceiver,
	oauthCredential: { id: string; name: string },
): Promise<string> {
	ledger.ids.oldFile = sim.createDriveItem({ name: 'before activation.docx' }).id;
	const workflow = await n8n.createWorkflow(
		eventForwardWorkflow({ name: 'e2e: OneDrive files (delta) → callback', oauthCredential, callbackUrl: receiver.url, resource: 'driveItems' }),
	);
	const drivePolls = (sinceMs: number, query = '') =>
		sim.requests.filter((entry) => entry.at >= sinceMs && entry.path.includes('/drive/root/delta') && entry.path.includes(query) && entry.status === 200);
	const activatedAt = Date.now();
	await n8n.activateWorkflow(workflow.id);
	await waitFor('the seeding request (token=latest)', () => drivePolls(activatedAt, 'token=latest').length > 0, { timeoutMs: 60_000, intervalMs: 250 });
	await delay(3_000);

	ledger.ids.file = sim.createDriveItem({ name: 'E2E plan.docx' }).id;
	sim.deleteDriveItem(ledger.ids.oldFile);
	await ledger.waitForEvents('CREATED for the new file and DELETED for the old one', [
		['file', 'CREATED'],
		['oldFile', 'DELETED'],
	]);
	// A further complete poll repeats nothing.
	const settledAt = Date.now();
	await waitFor('a further poll of the drive', () => drivePolls(settledAt).length > 0, { timeoutMs: POLL_WAIT_MS, intervalMs: 500 });
	await delay(5_000);
	assert.deepEqual(ledger.eventsFor('oldFile').map((event) => [event.objectType, event.eventType]), [['driveItems', 'DELETED']]);
	assert.deepEqual(ledger.eventsFor('file').map((event) => [event.objectType, event.eventType]), [['driveItems', 'CREATED']]);
	ledger.assertNoDuplicates();
	return String(workflow.id);
}

export async function changesWhileMainIsDown(
	t: TestContext,
	main: N8nInstance,
	sim: GraphSimulator,
	ledger: EventLedger,
	{ workflowId, created, updated }: { workflowId: string; created: string; updated: string },
): Promise<void> {
	const before = ledger.received().length;
	const stopBegin = Date.now();
	await main.stop();
	t.diagnostic(`n8n stopped in ${((Date.now() - stopBegin) / 1000).toFixed(1)} s`);
	ledger.ids[created] = sim.createMessage({ subject: `${created} (created while n8n was down)` }).id;
	sim.updateMessage(ledger.ids[updated], { isRead: true, subject: `${updated} (edited while n8n was down)` });

	const startBegin = Date.now();
	await main.start();
	t.diagnostic(`n8n restarted in ${((Date.now() - startBegin) / 1000).toFixed(1)} s`);
	assert.equal((await main.getWorkflow(workflowId)).active, true, 'the workflow is no longer active after the restart');

	await ledger.waitForEvents(`CREATED ${created} and UPDATED ${updated} after the restart`, [
		[created, 'CREATED'],
		[updated, 'UPDATED'],
	]);
	// One more complete poll after the deliveries: it must not repeat anything.
	await ledger.waitForFurtherPoll('a further poll after the restart deliveries');
	const all = ledger.received();
	assert.equal(all.length, before + 2, `expected exactly 2 new events after the restart, got ${JSON.stringify(all.slice(before))}`);
	ledger.assertSigned();
	ledger.assertNoDuplicates();
}

/** Every execution succeeded, and its Forward node's output confirms each delivery (HTTP 200). */
export function assertDeliveringExecutions(runs: ExecutionSummary[]): void {
	for (const run of runs) {
		assert.equal(run.status, 'success', `execution ${run.id} ended ${run.status}: ${run.data?.resultData?.error?.message ?? ''}`);
		const forwardRuns = run.data?.resultData?.runData?.[FORWARD_NAME] ?? [];
		const outputs = forwardRuns.flatMap((entry) => entry.data?.main?.[0] ?? []).map((item) => item.json as { delivered?: boolean; statusCode?: number });
		assert.ok(outputs.length > 0, `execution ${run.id} has no Forward output`);
		for (const output of outputs) {
			assert.equal(output.delivered, true);
			assert.equal(output.statusCode, 200);
		}
	}
}
