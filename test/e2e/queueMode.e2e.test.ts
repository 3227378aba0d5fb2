/**
 * Queue mode end to end (scripts/n8n/queueTopology.ts): PostgreSQL, Redis, an n8n main with
 * EXECUTIONS_MODE=queue and two `n8n worker` processes on loopback, each with the packed package
 * installed as a community package. Workflow Office 365 Trigger → Office 365 Event Forward →
 * receiver. The trigger polls on the main; executions run on the workers. A second workflow (trigger version 2 with
 * Download Attachments → two Extract From File nodes) checks that files the trigger stored in n8n's binary data on
 * the main are read byte for byte on a worker.
 *
 *   node --import tsx --test test/e2e/queueMode.e2e.test.ts
 *
 * On failure every process's log, the receiver's deliveries and the simulator's request log are
 * kept under .e2e-logs/queue-<time>/.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe } from 'node:test';

import type { ExecutionSummary, WorkflowDefinition } from '../../scripts/n8n/client';
import { CREDENTIAL_TYPE, TRIGGER_NODE_TYPE, waitFor } from '../../scripts/n8n/harness';
import { N8N_VERSIONS } from '../../scripts/n8n/install';
import { buildAndPack } from '../../scripts/n8n/pack';
import { QUEUE_BINARY_DATA_MODE, QueueTopology } from '../../scripts/n8n/queueTopology';
import { startReceiver, type EventReceiver } from '../../scripts/n8n/receiver';
import { TRIGGER_NAME } from '../../scripts/n8n/workflows';
import { GraphSimulator } from '../graph-simulator/index';
import { assertDeliveringExecutions, changesWhileMainIsDown, deliversDeletedFileOnce, EventLedger, POLL_WAIT_MS, publishForwardWorkflow, SIGNING_KEY, Steps } from '../support/e2eFlow';

/** Workflow static data the trigger keeps for a handful of changes; the bench measures ~237 B idle. */
const STATIC_DATA_BOUND_BYTES = 2_048;

/** The attachments workflow: its trigger (version 2, Download Attachments) polls on the main, its file nodes run on a worker. */
const FIRST_FILE_NODE = 'First file to base64';
const SECOND_FILE_NODE = 'Second file to base64';
const POLL_WAIT_MS_QUEUE = POLL_WAIT_MS + 30_000;

function attachmentsWorkflow(oauthCredential: { id: string; name: string }): WorkflowDefinition {
	const toBase64 = (name: string, binaryPropertyName: string, destinationKey: string, keepSource: string, x: number) => ({
		id: `d8b2a3c4-7173-4b2a-9c55-2b3a4f5e6${x}`,
		name,
		type: 'n8n-nodes-base.extractFromFile',
		typeVersion: 1.1,
		position: [x, 300] as [number, number],
		parameters: { operation: 'binaryToPropery', binaryPropertyName, destinationKey, options: { keepSource } },
	});
	return {
		name: 'queue: Office 365 attachments → files read on a worker',
		nodes: [
			{
				id: 'e9c3b4d5-8284-4c3b-8d66-3c4b5a6f7e80',
				name: TRIGGER_NAME,
				type: TRIGGER_NODE_TYPE,
				typeVersion: 2,
				position: [240, 300],
				parameters: { pollTimes: { item: [{ mode: 'everyMinute' }] }, eventTypes: ['created'], options: { downloadAttachments: true } },
				credentials: { [CREDENTIAL_TYPE]: oauthCredential },
			},
			// The first keeps the trigger's JSON and the second file; the second keeps the JSON.
			toBase64(FIRST_FILE_NODE, 'attachment_0', 'firstFile', 'both', 480),
			toBase64(SECOND_FILE_NODE, 'attachment_1', 'secondFile', 'json', 720),
		],
		connections: {
			[TRIGGER_NAME]: { main: [[{ node: FIRST_FILE_NODE, type: 'main', index: 0 }]] },
			[FIRST_FILE_NODE]: { main: [[{ node: SECOND_FILE_NODE, type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1', saveDataSuccessExecution: 'all', saveDataErrorExecution: 'all' },
	};
}

const steps = new Steps();
const step = steps.step.bind(steps);
let sim: GraphSimulator;
let receiver: EventReceiver;
let ledger: EventLedger;
let topology: QueueTopology | undefined;
let workflowId = '';
let oauthCredential: { id: string; name: string } | undefined;
const staticDataSizes: number[] = [];
const startedAt = Date.now();

function cluster(): QueueTopology {
	assert.ok(topology, 'the topology did not start');
	return topology;
}

async function executions(): Promise<ExecutionSummary[]> {
	return await cluster().main.listExecutions({ workflowId, includeData: true });
}

/** Index of the one worker whose log says it started the execution; fails if none or several did. */
function workerOf(executionId: string | number): number {
	const runners = cluster()
		.executionsStartedByWorker()
		.flatMap((ids, index) => ids.filter((id) => id === String(executionId)).map(() => index));
	assert.equal(runners.length, 1, `execution ${executionId} was started by ${runners.length} worker runs (workers ${runners.map((i) => i + 1).join(', ')})`);
	return runners[0];
}

/**
 * The executions that delivered the named mail. The receiver can have the delivery before the worker has saved the
 * execution's data, so this waits for at least one.
 */
async function executionsDelivering(name: string): Promise<ExecutionSummary[]> {
	const objectId = ledger.ids[name];
	let delivering: ExecutionSummary[] = [];
	await waitFor(`the saved execution that delivered ${name}`, async () => {
		delivering = (await executions()).filter((run) => JSON.stringify(run.data?.resultData?.runData?.[TRIGGER_NAME] ?? []).includes(objectId));
		return delivering.length > 0;
	}, { timeoutMs: 30_000, intervalMs: 500 });
	return delivering;
}

/** Reads the trigger's static data from PostgreSQL and checks it is there and bounded. */
function checkStoredStaticData(): Record<string, unknown> {
	const stored = cluster().storedStaticData(workflowId);
	assert.ok(stored, 'workflow_entity."staticData" is empty in PostgreSQL');
	staticDataSizes.push(Buffer.byteLength(stored));
	const data = JSON.parse(stored) as Record<string, unknown>;
	assert.ok(`node:${TRIGGER_NAME}` in data, `no state of node "${TRIGGER_NAME}" in ${stored}`);
	assert.ok(Buffer.byteLength(stored) <= STATIC_DATA_BOUND_BYTES, `static data grew to ${Buffer.byteLength(stored)} bytes: ${stored}`);
	return data;
}

async function noExecutionRunning(): Promise<void> {
	await waitFor('no running execution', async () => (await executions()).every((run) => run.status !== 'running' && run.status !== 'new'), {
		timeoutMs: 60_000,
		intervalMs: 500,
	});
}

describe(`n8n ${N8N_VERSIONS.pinned} in queue mode: main + 2 workers, PostgreSQL, Redis`, { timeout: 40 * 60_000 }, () => {
	before(async () => {
		try {
			sim = new GraphSimulator();
			await sim.start();
			receiver = await startReceiver({ signatureKey: SIGNING_KEY });
			ledger = new EventLedger(receiver, sim);
			topology = await QueueTopology.start({ packageTarball: await buildAndPack(), workers: 2, version: N8N_VERSIONS.pinned });
			await topology.main.setupOwner();
			await topology.main.createApiKey();
		} catch (error) {
			steps.failed = true;
			throw error;
		}
	}, { timeout: 20 * 60_000 });

	after(async () => {
		if (steps.failed && topology) {
			for (const [name, content] of Object.entries(ledger.artifacts())) fs.writeFileSync(path.join(topology.logDir, name), JSON.stringify(content, null, 2));
		}
		await topology?.dispose({ keepLogs: steps.failed });
		await receiver?.close();
		await sim?.stop();
		process.stderr.write(`[queue] total ${((Date.now() - startedAt) / 1000).toFixed(0)} s\n`);
	});

	step('runs in queue mode on PostgreSQL with the binary-data mode queue mode needs', 60_000, async () => {
		const settings = await cluster().main.rest<{ executionMode?: string; binaryDataMode?: string }>('GET', '/settings');
		assert.equal(settings.executionMode, 'queue');
		assert.equal(settings.binaryDataMode, QUEUE_BINARY_DATA_MODE);
		assert.equal(cluster().postgres.query(`select to_regclass('public.workflow_entity') is not null`), 't', 'n8n has no tables in PostgreSQL');
		assert.ok(cluster().workers.every((worker) => worker.running));
	});

	step('seeds the watermark on activation without events', 3 * 60_000, async () => {
		const { main } = cluster();
		ledger.ids.old = sim.createMessage({ subject: 'before activation' }).id;
		({ workflowId, oauthCredential } = await publishForwardWorkflow(main, sim, receiver, 'queue: Office 365 → callback'));
		assert.deepEqual(await executions(), [], 'the seeding poll started an execution');
		assert.equal(receiver.deliveries.length, 0, 'the seeding poll delivered events');
		checkStoredStaticData();
	});

	step('delivers created and updated mail exactly once, from executions that ran on a worker', 4 * 60_000, async () => {
		ledger.ids.a = sim.createMessage({ subject: 'queue A' }).id;
		ledger.ids.b = sim.createMessage({ subject: 'queue B' }).id;
		await ledger.waitForEvents('CREATED A and B', [
			['a', 'CREATED'],
			['b', 'CREATED'],
		]);
		sim.updateMessage(ledger.ids.a, { isRead: true });
		await ledger.waitForEvents('UPDATED A', [['a', 'UPDATED']]);
		assert.deepEqual(ledger.summary(), ['CREATED a', 'CREATED b', 'UPDATED a']);
		ledger.assertSigned();
		ledger.assertNoDuplicates();

		const runs = await executions();
		const enqueued = cluster().executionsEnqueuedByMain();
		for (const run of runs) {
			assert.ok(enqueued.includes(String(run.id)), `the main did not enqueue execution ${run.id} (it ran it itself?)`);
			workerOf(run.id);
		}
		checkStoredStaticData();
	});

	step('a worker killed and restarted loses and repeats nothing; the other worker takes over', 5 * 60_000, async (t) => {
		const [first, second] = cluster().workers;
		await noExecutionRunning();
		await first.crash();
		ledger.ids.c = sim.createMessage({ subject: 'queue C (worker 1 down)' }).id;
		await ledger.waitForEvents('CREATED C with worker 1 down', [['c', 'CREATED']]);
		const [runC] = await executionsDelivering('c');
		assert.ok(runC, 'no execution delivered C');
		assert.equal(workerOf(runC.id), 1, 'C ran on a worker that was down');

		const restartBegin = Date.now();
		await first.start();
		t.diagnostic(`worker 1 restarted in ${((Date.now() - restartBegin) / 1000).toFixed(1)} s`);
		// With worker 2 stopped, the next change can only run on the restarted worker 1.
		await noExecutionRunning();
		await second.stop();
		ledger.ids.d = sim.createMessage({ subject: 'queue D (worker 2 stopped)' }).id;
		await ledger.waitForEvents('CREATED D on the restarted worker 1', [['d', 'CREATED']]);
		const [runD] = await executionsDelivering('d');
		assert.ok(runD, 'no execution delivered D');
		assert.equal(workerOf(runD.id), 0, 'D did not run on the restarted worker 1');
		await second.start();

		assert.deepEqual(ledger.summary(), ['CREATED a', 'CREATED b', 'CREATED c', 'CREATED d', 'UPDATED a']);
		ledger.assertNoDuplicates();
		checkStoredStaticData();
	});

	step('a restarted main loses and repeats nothing, and resumes from the state in PostgreSQL', 6 * 60_000, async (t) => {
		const stateBefore = cluster().storedStaticData(workflowId);
		await noExecutionRunning();
		await changesWhileMainIsDown(t, cluster().main, sim, ledger, { workflowId, created: 'e', updated: 'b' });
		assert.deepEqual(ledger.summary(), ['CREATED a', 'CREATED b', 'CREATED c', 'CREATED d', 'CREATED e', 'UPDATED a', 'UPDATED b']);
		assert.notEqual(cluster().storedStaticData(workflowId), stateBefore, 'the state in PostgreSQL did not advance');
		checkStoredStaticData();
	});

	step('tracking by delta: a deleted file arrives once as DELETED, from an execution on a worker', 6 * 60_000, async () => {
		assert.ok(oauthCredential);
		const driveWorkflowId = await deliversDeletedFileOnce(cluster().main, sim, ledger, receiver, oauthCredential);
		const runs = await cluster().main.listExecutions({ workflowId: driveWorkflowId, includeData: true });
		assert.ok(runs.length >= 1, 'the deliveries ran as executions');
		assertDeliveringExecutions(runs);
		for (const run of runs) workerOf(run.id);
	});

	step('attachments downloaded by the trigger on the main reach the workflow on a worker byte for byte', 6 * 60_000, async () => {
		assert.ok(oauthCredential);
		const { main } = cluster();
		const workflow = await main.createWorkflow(attachmentsWorkflow(oauthCredential));
		const activatedAt = Date.now();
		await main.activateWorkflow(workflow.id);
		// Only this trigger asks for folder ids (the folders version 2 leaves out by default), then lists the mail.
		const seeded = () => {
			const since = sim.requests.filter((entry) => entry.at >= activatedAt);
			const folders = since.findIndex((entry) => entry.path.startsWith('/v1.0/me/mailFolders/'));
			return folders >= 0 && since.slice(folders).some((entry) => entry.path.startsWith('/v1.0/me/messages') && entry.status === 200);
		};
		await waitFor('the seeding poll of the attachments workflow', seeded, { timeoutMs: 60_000, intervalMs: 250 });
		await new Promise((resolve) => setTimeout(resolve, 3_000));

		const message = sim.createMessage(
			{ subject: 'queue: invoice and photo' },
			{
				attachments: [
					{ kind: 'file', name: 'invoice.pdf', contentType: 'application/pdf', size: 200 * 1024 },
					{ kind: 'file', name: 'photo.jpg', contentType: 'image/jpeg', size: 700 * 1024 },
				],
			},
		);
		ledger.ids.attached = message.id;
		let runs: ExecutionSummary[] = [];
		await waitFor('the finished execution of the attachments workflow', async () => {
			runs = await main.listExecutions({ workflowId: workflow.id, includeData: true });
			return runs.length > 0 && runs.every((run) => run.status !== 'running' && run.status !== 'new' && run.data?.resultData?.runData !== undefined);
		}, { timeoutMs: POLL_WAIT_MS_QUEUE, intervalMs: 1_000 });
		assert.equal(runs.length, 1, 'one execution for the mail');
		const [run] = runs;
		assert.equal(run.status, 'success', `execution ${run.id} ended ${run.status}: ${run.data?.resultData?.error?.message ?? ''}`);
		assert.ok(cluster().executionsEnqueuedByMain().includes(String(run.id)), 'the main enqueued the execution');
		workerOf(run.id);

		const output = run.data?.resultData?.runData?.[SECOND_FILE_NODE]?.[0]?.data?.main?.[0] ?? [];
		assert.equal(output.length, 1);
		const json = output[0].json as { objectId?: string; firstFile?: string; secondFile?: string };
		assert.equal(json.objectId, message.id);
		const served = sim.attachments(message.id);
		assert.equal(served.length, 2);
		for (const [index, key] of (['firstFile', 'secondFile'] as const).entries()) {
			const bytes = Buffer.from(json[key] ?? '', 'base64');
			assert.equal(bytes.length, served[index].content!.length, `${served[index].name}: size read on the worker`);
			assert.ok(bytes.equals(served[index].content!), `${served[index].name}: bytes read on the worker`);
		}
		await main.deactivateWorkflow(workflow.id);
	});

	step('every execution succeeded on a worker and confirmed its delivery; static data stayed bounded', 60_000, async (t) => {
		const runs = await executions();
		assert.ok(runs.length >= 5, `expected at least 5 executions, got ${runs.length}`);
		assertDeliveringExecutions(runs);
		const workers = new Set(runs.map((run) => workerOf(run.id)));
		assert.deepEqual([...workers].sort(), [0, 1], 'both workers ran executions');
		t.diagnostic(`static data sizes in PostgreSQL: ${staticDataSizes.join(', ')} bytes`);
		assert.ok(Math.max(...staticDataSizes) <= STATIC_DATA_BOUND_BYTES);
	});
});
