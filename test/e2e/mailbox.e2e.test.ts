/**
 * End to end in a real n8n (2.40.7) with the packed package installed: the example workflow from the README
 * (docs/example-workflow.json) is imported and published, its trigger polls a shared mailbox of the Graph simulator
 * with an app-only credential (client-credentials grant, no sign-in), and a mail with two attachments reaches the
 * receiver once while the execution holds both files as binary data (sizes and bytes checked through n8n's REST API).
 *
 *   node --import tsx --test test/e2e/mailbox.e2e.test.ts
 *
 * On failure n8n's log, the receiver's deliveries and the simulator's request log are kept under .e2e-logs/.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe } from 'node:test';

import { GraphSimulator, type SimMailbox } from '../graph-simulator/index';
import { CREDENTIAL_TYPE, TRIGGER_NODE_TYPE, startN8n, waitFor, type N8nInstance } from '../../scripts/n8n/harness';
import { REPO_ROOT } from '../../scripts/n8n/install';
import { buildAndPack } from '../../scripts/n8n/pack';
import { eventsOf, startReceiver, type EventReceiver } from '../../scripts/n8n/receiver';
import { POLL_WAIT_MS, Steps } from '../support/e2eFlow';

const SHARED = 'support@contoso.com';
const TENANT = 'contoso.example';
const EXAMPLE = path.join(REPO_ROOT, 'docs', 'example-workflow.json');

interface ExampleWorkflow {
	name: string;
	nodes: Array<{ name: string; type: string; typeVersion: number; parameters: Record<string, unknown>; credentials?: Record<string, unknown> }>;
	connections: Record<string, unknown>;
	settings?: Record<string, unknown>;
}

interface BinaryEntry {
	id?: string;
	fileName?: string;
	mimeType?: string;
	fileSize?: string;
	bytes?: number;
}

let sim: GraphSimulator;
let shared: SimMailbox;
let receiver: EventReceiver;
let n8n: N8nInstance | undefined;
let workflowId = '';
let triggerName = '';
const ids: Record<string, string> = {};

const steps = new Steps();
const step = steps.step.bind(steps);

const delivered = () => receiver.deliveries.flatMap((delivery) => eventsOf(delivery));
const sharedRequests = (since: number) => sim.requests.filter((entry) => entry.at >= since && decodeURIComponent(entry.path).startsWith(`/v1.0/users/${SHARED}/`));

describe('n8n end to end: shared mailbox, app-only credential, attachments, the example workflow', { timeout: 30 * 60_000 }, () => {
	before(async () => {
		try {
			sim = new GraphSimulator();
			await sim.start();
			shared = sim.addMailbox({ displayName: 'Support', mail: SHARED });
			receiver = await startReceiver();
			n8n = await startN8n({ packageTarball: await buildAndPack(), label: 'e2e-mailbox' });
			await n8n.setupOwner();
			await n8n.createApiKey();
		} catch (error) {
			steps.failed = true;
			throw error;
		}
	}, { timeout: 20 * 60_000 });

	after(async () => {
		if (steps.failed && n8n) {
			fs.writeFileSync(path.join(n8n.logDir, 'receiver.json'), JSON.stringify(receiver.deliveries.map((d) => ({ seq: d.seq, headers: d.headers, body: d.json })), null, 2));
			fs.writeFileSync(path.join(n8n.logDir, 'graph-requests.json'), JSON.stringify(sim.requests, null, 2));
		}
		await n8n?.dispose({ keepLogs: steps.failed });
		await receiver?.close();
		await sim?.stop();
	});

	step('serves the trigger in versions 1 and 2', 60_000, async () => {
		const trigger = (await n8n!.nodeTypes()).filter((type) => type.name === TRIGGER_NODE_TYPE);
		const versions = trigger.flatMap((type) => (Array.isArray(type.version) ? type.version : [type.version]));
		assert.deepEqual([...new Set(versions)].sort(), [1, 2]);
	});

	step('imports the example workflow with an app-only credential and publishes it: an app token, the seeding poll, no execution', 3 * 60_000, async () => {
		ids.before = shared.createMessage({ subject: 'before activation' }, { attachments: [{ kind: 'file', name: 'old.txt', content: 'old' }] }).id;
		const credential = await n8n!.createCredential({
			name: 'Office 365 app-only (simulator)',
			type: CREDENTIAL_TYPE,
			data: {
				grantType: 'clientCredentials',
				cloud: 'custom',
				graphApiBaseUrl: sim.baseUrl,
				loginBaseUrl: sim.loginBaseUrl,
				tenantId: TENANT,
				clientId: 'e2e-app-id',
				clientSecret: 'e2e-app-secret',
			},
		});
		const example = JSON.parse(fs.readFileSync(EXAMPLE, 'utf8')) as ExampleWorkflow;
		const trigger = example.nodes.find((node) => node.type === TRIGGER_NODE_TYPE)!;
		assert.equal(trigger.typeVersion, 2);
		assert.deepEqual(trigger.parameters.mailbox, { __rl: true, mode: 'address', value: SHARED }, 'the example watches the shared mailbox as shipped');
		triggerName = trigger.name;
		trigger.credentials = { [CREDENTIAL_TYPE]: { id: credential.id, name: credential.name } };
		const forward = example.nodes.find((node) => node.type.endsWith('.office365EventForward'))!;
		forward.parameters.url = receiver.url;
		const created = await n8n!.createWorkflow({
			name: example.name,
			nodes: example.nodes,
			connections: example.connections,
			settings: { ...example.settings, saveDataSuccessExecution: 'all', saveDataErrorExecution: 'all' },
		});
		workflowId = created.id;

		const publishedAt = Date.now();
		await n8n!.activateWorkflow(workflowId);
		await waitFor('the seeding poll', () => sharedRequests(publishedAt).some((entry) => entry.path.includes('/messages') && entry.status === 200), { timeoutMs: 60_000, intervalMs: 250 });
		const token = sim.requests.filter((entry) => entry.at >= publishedAt && entry.path === `/login/${TENANT}/oauth2/v2.0/token`);
		assert.equal(token.length, 1, 'n8n fetched one app token at the tenant\'s token endpoint');
		assert.equal(token[0].status, 200);
		assert.ok(!sim.requests.some((entry) => entry.at >= publishedAt && entry.path.startsWith('/v1.0/me/')), 'no /me request without a user');
		await new Promise((resolve) => setTimeout(resolve, 3_000));
		assert.deepEqual(await n8n!.listExecutions({ workflowId }), [], 'the seeding poll started no execution');
	});

	step('a mail with two attachments arrives once; the execution holds both files byte for byte', 4 * 60_000, async () => {
		const message = shared.createMessage(
			{ subject: 'Invoice and photo' },
			{
				attachments: [
					{ kind: 'file', name: 'invoice.pdf', contentType: 'application/pdf', size: 300 * 1024 },
					{ kind: 'file', name: 'photo.jpg', contentType: 'image/jpeg', size: 1536 * 1024 },
				],
			},
		);
		ids.mail = message.id;
		ids.sent = shared.createMessage({ subject: 'our reply' }, { folder: 'sentitems' }).id;
		await waitFor('the mail at the receiver', () => delivered().some((event) => event.objectId === ids.mail), { timeoutMs: POLL_WAIT_MS, intervalMs: 500 });
		const events = delivered();
		assert.deepEqual(
			events.map((event) => [event.eventType, event.objectId]),
			[['CREATED', ids.mail]],
			'only the new mail: not the one from before activation, not Sent Items',
		);
		const raw = (receiver.deliveries[0].json as { message: { raw: { messages: Array<Record<string, unknown>> } } }).message.raw.messages[0];
		assert.equal(raw.subject, 'Invoice and photo');
		assert.equal(raw.body, undefined, 'the simplified record');

		let run: { data?: { main?: Array<Array<{ json: Record<string, unknown>; binary?: Record<string, BinaryEntry> }> | null> } } | undefined;
		await waitFor('the finished execution', async () => {
			const executions = await n8n!.listExecutions({ workflowId, includeData: true });
			run = executions[0]?.data?.resultData?.runData?.[triggerName]?.[0] as typeof run;
			return executions.length === 1 && executions[0].status === 'success' && run !== undefined;
		}, { timeoutMs: 60_000, intervalMs: 1_000 });
		const item = run!.data!.main![0]![0];
		const binary = item.binary ?? {};
		assert.deepEqual(Object.keys(binary).sort(), ['attachment_0', 'attachment_1']);
		const expected = sim.mailbox(SHARED).attachments(ids.mail);
		for (const [index, attachment] of expected.entries()) {
			const entry = binary[`attachment_${index}`];
			assert.equal(entry.fileName, attachment.name);
			assert.equal(entry.mimeType, attachment.contentType);
			assert.ok(entry.id, `attachment_${index} is stored by n8n's binary data service`);
			const response = await fetch(`${n8n!.baseUrl}/rest/binary-data?id=${encodeURIComponent(entry.id!)}&action=download`, { headers: { cookie: n8n!.authCookie! } });
			assert.equal(response.status, 200, `GET binary data ${entry.id}`);
			const bytes = Buffer.from(await response.arrayBuffer());
			assert.equal(bytes.length, attachment.content!.length, `attachment_${index} size`);
			assert.ok(bytes.equals(attachment.content!), `attachment_${index} bytes`);
		}
		assert.deepEqual((item.json.attachments as Array<{ binaryProperty?: string }>).map((a) => a.binaryProperty), ['attachment_0', 'attachment_1']);
	});

	step('polls on: the next poll repeats nothing', 3 * 60_000, async () => {
		const since = Date.now();
		await waitFor('one more poll', () => sharedRequests(since).some((entry) => entry.path.includes('/messages') && entry.status === 200), { timeoutMs: POLL_WAIT_MS, intervalMs: 500 });
		await new Promise((resolve) => setTimeout(resolve, 3_000));
		assert.equal(delivered().length, 1);
		const attachmentRequests = sim.requests.filter((entry) => entry.path.includes('/attachments'));
		assert.equal(attachmentRequests.length, 3, 'one list and two downloads, once');
		assert.ok(sim.maxConcurrentRequests <= 4);
	});
});
