/**
 * End to end against a real n8n (2.40.7, installed by scripts/n8n/install.sh into ~/.cache):
 * the packed package is installed as a community package, the Graph simulator runs in this
 * process, and the workflow Office 365 Trigger → Office 365 Event Forward delivers to a loopback
 * receiver here (mail tracked by timestamp; then files tracked by delta, deletions included). n8n polls at most once a minute, so every wait is bounded by a few poll periods.
 *
 *   node --import tsx --test test/e2e/n8n.e2e.test.ts
 *
 * On failure n8n's log, the receiver's deliveries and the simulator's request log are kept under
 * .e2e-logs/. N8N_E2E_ECHO_LOGS=1 also streams n8n's output to stderr.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it, type TestContext } from 'node:test';

import { GraphSimulator, type RequestLogEntry } from '../graph-simulator/index';
import {
	CREDENTIAL_TYPE,
	FORWARD_NODE_TYPE,
	PACKAGE_NAME,
	TRIGGER_NODE_TYPE,
	startN8n,
	waitFor,
	type ExecutionSummary,
	type N8nInstance,
} from '../../scripts/n8n/harness';
import { buildAndPack } from '../../scripts/n8n/pack';
import { eventsOf, startReceiver, type Delivery, type EventReceiver } from '../../scripts/n8n/receiver';
import { SIGNING_CREDENTIAL_TYPE, eventForwardWorkflow, oauthCredentialData } from '../../scripts/n8n/workflows';

const SIGNING_KEY = 'e2e-signing-key-Ünïcode ✓';
/** One poll period (60 s, random second within the minute) plus n8n's run and delivery. */
const POLL_WAIT_MS = 150_000;
const MESSAGES_PATH = '/v1.0/me/messages';

interface ReceivedEvent {
	eventType: string;
	objectType: string;
	objectId: string;
	date: string;
	webhookId: string;
	delivery: number;
}

let sim: GraphSimulator;
let receiver: EventReceiver;
let n8n: N8nInstance | undefined;
let workflowId = '';
let oauthCredential: { id: string; name: string } | undefined;
let failed = false;
const startedAt = Date.now();
const ids: Record<string, string> = {};

let blocked = false;

/**
 * Runs a step. Steps build on each other: after a failing step the later ones are skipped,
 * except after an `independent` step (a pure check nothing else depends on).
 */
function step(name: string, timeoutMs: number, body: (t: TestContext) => Promise<void>, { independent = false } = {}): void {
	it(name, { timeout: timeoutMs }, async (t) => {
		if (blocked) {
			t.skip('an earlier step failed');
			return;
		}
		const begin = Date.now();
		try {
			await body(t);
		} catch (error) {
			failed = true;
			if (!independent) blocked = true;
			throw error;
		} finally {
			t.diagnostic(`${name}: ${((Date.now() - begin) / 1000).toFixed(1)} s`);
		}
	});
}

function received(): ReceivedEvent[] {
	return receiver.deliveries.flatMap((delivery: Delivery) =>
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

function eventsFor(objectId: string, eventType?: string): ReceivedEvent[] {
	return received().filter((event) => event.objectId === objectId && (eventType === undefined || event.eventType === eventType));
}

/** Completed list requests for messages that started after `sinceMs`. */
function pollsSince(sinceMs: number): RequestLogEntry[] {
	return sim.requests.filter((entry) => entry.method === 'GET' && entry.path.startsWith(MESSAGES_PATH) && entry.at >= sinceMs && entry.status !== undefined);
}

async function waitForEvents(description: string, wanted: Array<[string, string]>): Promise<void> {
	await waitFor(description, () => wanted.every(([id, type]) => eventsFor(ids[id], type).length > 0), {
		timeoutMs: POLL_WAIT_MS,
		intervalMs: 500,
	});
}

async function executions(): Promise<ExecutionSummary[]> {
	assert.ok(n8n);
	return await n8n.listExecutions({ workflowId, includeData: true });
}

function assertNoDuplicates(): void {
	const keys = received().map((event) => `${event.eventType} ${event.objectId} ${event.date}`);
	assert.deepEqual(keys.filter((key, index) => keys.indexOf(key) !== index), [], 'an event reached the receiver twice');
	const webhookIds = receiver.deliveries.map((delivery) => String(delivery.headers['elements-webhook-id']));
	assert.equal(new Set(webhookIds).size, webhookIds.length, 'a notification (Elements-Webhook-Id) was delivered twice');
}

function assertSigned(): void {
	for (const delivery of receiver.deliveries) {
		assert.equal(delivery.signatureValid, true, `delivery ${delivery.seq}: ${delivery.signatureProblem ?? 'bad signature'}`);
		assert.match(String(delivery.headers['content-type']), /^application\/json/);
		assert.ok(delivery.headers['elements-webhook-id'], `delivery ${delivery.seq} has no Elements-Webhook-Id`);
	}
}

function keepArtifacts(): void {
	if (!n8n) return;
	fs.writeFileSync(
		path.join(n8n.logDir, 'receiver.json'),
		JSON.stringify(receiver.deliveries.map((d) => ({ seq: d.seq, at: d.receivedAt, headers: d.headers, body: d.json, signatureValid: d.signatureValid })), null, 2),
	);
	fs.writeFileSync(path.join(n8n.logDir, 'graph-requests.json'), JSON.stringify(sim.requests, null, 2));
}

describe('n8n end to end: Office 365 Trigger → Office 365 Event Forward', { timeout: 30 * 60_000 }, () => {
	before(async () => {
		try {
			sim = new GraphSimulator();
			await sim.start();
			receiver = await startReceiver({ signatureKey: SIGNING_KEY });
			const tarball = await buildAndPack();
			// debug: n8n then logs "Loaded all credentials and nodes from <package>".
			n8n = await startN8n({ packageTarball: tarball, label: 'e2e', env: { N8N_LOG_LEVEL: 'debug' } });
			await n8n.setupOwner();
			await n8n.createApiKey();
		} catch (error) {
			failed = true;
			throw error;
		}
	}, { timeout: 20 * 60_000 }); // includes a first-time n8n install (~6 min)

	after(async () => {
		if (failed && n8n) keepArtifacts();
		await n8n?.dispose({ keepLogs: failed });
		await receiver?.close();
		await sim?.stop();
		process.stderr.write(`[e2e] total ${((Date.now() - startedAt) / 1000).toFixed(0)} s\n`);
	});

	step('loads the package without errors', 60_000, async () => {
		assert.ok(n8n);
		const nodeTypes = (await n8n.nodeTypes()).map((type) => type.name);
		assert.ok(nodeTypes.includes(TRIGGER_NODE_TYPE), `${TRIGGER_NODE_TYPE} missing from /types/nodes.json`);
		assert.ok(nodeTypes.includes(FORWARD_NODE_TYPE), `${FORWARD_NODE_TYPE} missing from /types/nodes.json`);
		const credentialTypes = (await n8n.credentialTypes()).map((type) => type.name);
		for (const name of [CREDENTIAL_TYPE, SIGNING_CREDENTIAL_TYPE]) {
			assert.ok(credentialTypes.includes(name), `credential type ${name} missing from /types/credentials.json (is it listed in package.json "n8n.credentials"?)`);
		}
		// The n8n cache folder is named after the package too: keep its paths out of the search.
		const cacheRoot = path.dirname(n8n.installation.home);
		const log = n8n.logText().split(cacheRoot).join('<n8n-cache>');
		assert.match(log, new RegExp(`Loaded all credentials and nodes from ${PACKAGE_NAME}`));
		const problems = log
			.split('\n')
			.filter((line) => /office365/i.test(line))
			.filter((line) => /\b(error|warn)\b|Failed to load|Unknown credential/i.test(line));
		assert.deepEqual(problems, [], 'n8n logged problems about the package');
	}, { independent: true });

	step('connects the credential through n8n and seeds the watermark on activation without events', 3 * 60_000, async () => {
		assert.ok(n8n);
		// Mail that exists before activation must never be delivered.
		ids.old1 = sim.createMessage({ subject: 'before activation 1' }).id;
		ids.old2 = sim.createMessage({ subject: 'before activation 2' }).id;

		const oauth = await n8n.createCredential({
			name: 'Office 365 (simulator)',
			type: CREDENTIAL_TYPE,
			data: oauthCredentialData({ graphApiBaseUrl: sim.baseUrl, loginBaseUrl: sim.loginBaseUrl }),
		});
		const tokenRequestsBefore = sim.tokenRequests;
		const authorizeUrl = await n8n.connectOAuth2(oauth.id);
		assert.ok(authorizeUrl.startsWith(`${sim.loginBaseUrl}/common/oauth2/v2.0/authorize?`), `authorize URL ${authorizeUrl}`);
		assert.equal(sim.tokenRequests, tokenRequestsBefore + 1, 'n8n redeemed the code at the simulator');

		oauthCredential = { id: oauth.id, name: oauth.name };
		const signing = await n8n.createCredential({ name: 'Event signing key', type: SIGNING_CREDENTIAL_TYPE, data: { signingKey: SIGNING_KEY } });
		const workflow = await n8n.createWorkflow(
			eventForwardWorkflow({
				name: 'e2e: Office 365 → callback',
				oauthCredential: { id: oauth.id, name: oauth.name },
				signingCredential: { id: signing.id, name: signing.name },
				callbackUrl: receiver.url,
			}),
		);
		workflowId = workflow.id;

		const activatedAt = Date.now();
		await n8n.activateWorkflow(workflowId);
		// The first poll runs on activation (possibly after the API call returned).
		await waitFor('the seeding poll', () => pollsSince(activatedAt).length > 0, { timeoutMs: 60_000, intervalMs: 250 });
		await delay(3_000); // let n8n finish processing the seeding poll's response
		assert.deepEqual(await executions(), [], 'the seeding poll started an execution');
		assert.equal(receiver.deliveries.length, 0, 'the seeding poll delivered events');
	});

	step('delivers created mail exactly once, signed', 3 * 60_000, async () => {
		ids.a = sim.createMessage({ subject: 'E2E message A' }).id;
		ids.b = sim.createMessage({ subject: 'E2E message B' }).id;
		await waitForEvents('CREATED events for A and B', [
			['a', 'CREATED'],
			['b', 'CREATED'],
		]);
		assert.deepEqual(eventsFor(ids.old1), [], 'mail from before activation was delivered');
		assert.deepEqual(eventsFor(ids.old2), [], 'mail from before activation was delivered');
		for (const event of [...eventsFor(ids.a), ...eventsFor(ids.b)]) assert.equal(event.objectType, 'messages');
		assertSigned();
		assertNoDuplicates();
	});

	step('refreshes an expired access token through n8n and delivers the update once', 3 * 60_000, async () => {
		const tokenRequestsBefore = sim.tokenRequests;
		const expiredAt = Date.now();
		sim.expireAccessTokens();
		sim.updateMessage(ids.a, { isRead: true });
		await waitForEvents('UPDATED event for A', [['a', 'UPDATED']]);

		assert.ok(sim.tokenRequests > tokenRequestsBefore, 'n8n did not call the token endpoint');
		const after = sim.requests.filter((entry) => entry.at >= expiredAt);
		const rejected = after.findIndex((entry) => entry.path.startsWith('/v1.0/') && entry.status === 401);
		const refreshed = after.findIndex((entry) => /\/oauth2\/v2\.0\/token$/.test(entry.path) && entry.status === 200);
		const retried = after.findIndex((entry, index) => index > refreshed && entry.path.startsWith('/v1.0/') && entry.status === 200);
		assert.ok(rejected >= 0 && refreshed > rejected && retried > refreshed, `expected 401 → token refresh → 200, got ${JSON.stringify(after.map((e) => [e.method, e.path.split('?')[0], e.status]))}`);
		assert.equal(eventsFor(ids.a, 'CREATED').length, 1);
		assert.equal(eventsFor(ids.b).length, 1, 'B did not change but was delivered again');
		assertSigned();
		assertNoDuplicates();
	});

	step('after a restart, emits nothing twice and delivers the changes made while n8n was down', 6 * 60_000, async (t) => {
		assert.ok(n8n);
		const before = received().length;
		const stopBegin = Date.now();
		await n8n.stop();
		t.diagnostic(`n8n stopped in ${((Date.now() - stopBegin) / 1000).toFixed(1)} s`);

		ids.c = sim.createMessage({ subject: 'E2E message C (while n8n was down)' }).id;
		sim.updateMessage(ids.b, { isRead: true, subject: 'E2E message B (edited while n8n was down)' });

		const startBegin = Date.now();
		await n8n.start();
		t.diagnostic(`n8n restarted in ${((Date.now() - startBegin) / 1000).toFixed(1)} s`);
		assert.equal((await n8n.getWorkflow(workflowId)).active, true, 'the workflow is no longer active after the restart');

		await waitForEvents('CREATED C and UPDATED B after the restart', [
			['c', 'CREATED'],
			['b', 'UPDATED'],
		]);
		// One more complete poll after the deliveries: it must not repeat anything.
		const settledAt = Date.now();
		await waitFor('a further poll after the restart deliveries', () => pollsSince(settledAt).length > 0, { timeoutMs: POLL_WAIT_MS, intervalMs: 500 });
		await delay(5_000);

		const all = received();
		assert.equal(all.length, before + 2, `expected exactly 2 new events after the restart, got ${JSON.stringify(all.slice(before))}`);
		const summary = all.map((event) => `${event.eventType} ${Object.keys(ids).find((key) => ids[key] === event.objectId) ?? event.objectId}`).sort();
		assert.deepEqual(summary, ['CREATED a', 'CREATED b', 'CREATED c', 'UPDATED a', 'UPDATED b']);
		assertSigned();
		assertNoDuplicates();
	});

	step('records successful executions whose Forward output confirms each delivery', 60_000, async () => {
		const runs = await executions();
		assert.ok(runs.length >= 3, `expected at least 3 executions, got ${runs.length}`);
		for (const run of runs) {
			assert.equal(run.status, 'success', `execution ${run.id} ended ${run.status}: ${run.data?.resultData?.error?.message ?? ''}`);
			const forwardRuns = run.data?.resultData?.runData?.['Office 365 Event Forward'] ?? [];
			const outputs = forwardRuns.flatMap((entry) => entry.data?.main?.[0] ?? []).map((item) => item.json as { delivered?: boolean; statusCode?: number });
			assert.ok(outputs.length > 0, `execution ${run.id} has no Forward output`);
			for (const output of outputs) {
				assert.equal(output.delivered, true);
				assert.equal(output.statusCode, 200);
			}
		}
	});

	step('tracking by delta: files deleted in OneDrive reach the receiver as DELETED, once', 6 * 60_000, async () => {
		assert.ok(n8n && oauthCredential);
		ids.oldFile = sim.createDriveItem({ name: 'before activation.docx' }).id;
		const workflow = await n8n.createWorkflow(
			eventForwardWorkflow({
				name: 'e2e: OneDrive files (delta) → callback',
				oauthCredential,
				callbackUrl: receiver.url,
				resource: 'driveItems',
			}),
		);
		const activatedAt = Date.now();
		await n8n.activateWorkflow(workflow.id);
		const seeded = () => sim.requests.some((entry) => entry.at >= activatedAt && entry.path.includes('/drive/root/delta') && entry.path.includes('token=latest'));
		await waitFor('the seeding request (token=latest)', seeded, { timeoutMs: 60_000, intervalMs: 250 });
		await delay(3_000);

		ids.file = sim.createDriveItem({ name: 'E2E plan.docx' }).id;
		sim.deleteDriveItem(ids.oldFile);
		await waitForEvents('CREATED for the new file and DELETED for the old one', [
			['file', 'CREATED'],
			['oldFile', 'DELETED'],
		]);
		assert.deepEqual(eventsFor(ids.oldFile).map((event) => [event.objectType, event.eventType]), [['driveItems', 'DELETED']]);
		assert.deepEqual(eventsFor(ids.file).map((event) => [event.objectType, event.eventType]), [['driveItems', 'CREATED']]);
		// A further complete poll repeats nothing.
		const settledAt = Date.now();
		await waitFor('a further poll', () => sim.requests.some((entry) => entry.at >= settledAt && entry.path.includes('/drive/root/delta') && entry.status === 200), {
			timeoutMs: POLL_WAIT_MS,
			intervalMs: 500,
		});
		await delay(5_000);
		assert.equal(eventsFor(ids.oldFile).length + eventsFor(ids.file).length, 2);
		assertNoDuplicates();
		const runs = await n8n.listExecutions({ workflowId: workflow.id, includeData: true });
		assert.ok(runs.length >= 1 && runs.every((run) => run.status === 'success'), `executions: ${runs.map((run) => run.status).join(', ')}`);
	});
});

function delay(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}
