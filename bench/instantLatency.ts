/**
 * Latency of the Office 365 Instant Trigger in a real n8n, against the polling Office 365 Trigger on the same
 * mailbox: 200 changes (new mail and edits) are made in the Graph simulator while it drops and duplicates 10 % of
 * the change notifications each; for every change, the time from the change to the start of the execution that
 * carries it. Also counts lost and duplicated events. Writes bench/instant-results.md; asserts nothing.
 *
 *   node --import tsx bench/instantLatency.ts        (scripts/bench.sh runs it after the poll-cycle benchmark)
 *
 * Environment: BENCH_CHANGES (200), BENCH_GAP_MS (mean gap between changes, 400), BENCH_DROP (0.1),
 * BENCH_DUPLICATE (0.1), BENCH_OUT_INSTANT (results file).
 */
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import path from 'node:path';

import { GraphSimulator } from '../test/graph-simulator/index';
import { CREDENTIAL_TYPE, PACKAGE_NAME, TRIGGER_NODE_TYPE, startN8n, waitFor, type N8nInstance } from '../scripts/n8n/harness';
import { REPO_ROOT } from '../scripts/n8n/install';
import { buildAndPack } from '../scripts/n8n/pack';
import { oauthCredentialData } from '../scripts/n8n/workflows';

const CHANGES = Number(process.env.BENCH_CHANGES ?? 200);
const GAP_MS = Number(process.env.BENCH_GAP_MS ?? 400);
const DROP = Number(process.env.BENCH_DROP ?? 0.1);
const DUPLICATE = Number(process.env.BENCH_DUPLICATE ?? 0.1);
const OUT = process.env.BENCH_OUT_INSTANT ?? path.join(REPO_ROOT, 'bench', 'instant-results.md');
const SEED = 20261128;

interface Change {
	objectId: string;
	/** The version's lastModifiedDateTime, as the events carry it. */
	date: string;
	kind: 'new mail' | 'edit';
	at: number;
	notification: 'sent' | 'dropped';
}

interface TriggerResult {
	name: string;
	latencies: number[];
	droppedLatencies: number[];
	lost: number;
	duplicated: number;
	executions: number;
}

/** Deterministic pseudo-random numbers (mulberry32), so runs make the same choices. */
function random(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = Math.imul(state ^ (state >>> 15), state | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

function percentile(values: number[], p: number): number {
	if (values.length === 0) return Number.NaN;
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const seconds = (ms: number): string => (Number.isNaN(ms) ? '–' : `${(ms / 1000).toFixed(2)} s`);

function workflow(name: string, trigger: Record<string, unknown>): Record<string, unknown> {
	return {
		name,
		nodes: [{ position: [240, 300], typeVersion: 1, ...trigger }],
		connections: {},
		settings: { executionOrder: 'v1', saveDataSuccessExecution: 'all', saveDataErrorExecution: 'all' },
	};
}

async function publish(n8n: N8nInstance, id: string): Promise<void> {
	await n8n.activateWorkflow(id);
	await waitFor(`publication of ${id}`, async () => (await n8n.rest<{ status: string }>('GET', `/workflows/${id}/publication-status`)).status === 'published', {
		timeoutMs: 120_000,
		intervalMs: 500,
	});
}

interface DeliveredEvent {
	objectId: string;
	/** The version's date (ISO, ms precision: Graph's second stamps end in .000Z). */
	date: string;
	startedAt: number;
}

/** Every event of the workflow's executions with the start of the execution that carried it. */
async function eventsOf(n8n: N8nInstance, workflowId: string, nodeName: string): Promise<{ events: DeliveredEvent[]; executions: number }> {
	const runs = await n8n.listExecutions({ workflowId, includeData: true });
	const events = runs.flatMap((run) =>
		(run.data?.resultData?.runData?.[nodeName] ?? [])
			.flatMap((entry) => entry.data?.main?.[0] ?? [])
			.map((item) => {
				const event = item.json as { objectId: string; date: string };
				return { objectId: event.objectId, date: event.date, startedAt: Date.parse(run.startedAt ?? '') };
			}),
	);
	return { events, executions: runs.length };
}

/**
 * A change counts as delivered by the first execution that carries its object at its version or a later one (a
 * poller sees the latest version only); lost when none does; duplicated when one version is carried twice.
 */
function account(name: string, changes: Change[], events: DeliveredEvent[], executions: number): TriggerResult {
	const result: TriggerResult = { name, latencies: [], droppedLatencies: [], lost: 0, duplicated: 0, executions };
	for (const change of changes) {
		const starts = events.filter((e) => e.objectId === change.objectId && e.date >= change.date).map((e) => e.startedAt);
		if (starts.length === 0) {
			result.lost++;
			continue;
		}
		const latency = Math.min(...starts) - change.at;
		result.latencies.push(latency);
		if (change.notification === 'dropped') result.droppedLatencies.push(latency);
	}
	const versions = events.map((e) => `${e.objectId} ${e.date}`);
	result.duplicated = versions.length - new Set(versions).size;
	return result;
}

function covered(changes: Change[], events: DeliveredEvent[]): boolean {
	return changes.every((change) => events.some((e) => e.objectId === change.objectId && e.date >= change.date));
}

async function main(): Promise<void> {
	const sim = new GraphSimulator();
	await sim.start();
	let n8n: N8nInstance | undefined;
	try {
		const tarball = await buildAndPack();
		n8n = await startN8n({ packageTarball: tarball, label: 'bench-instant' });
		await n8n.setupOwner();
		await n8n.createApiKey();
		const credential = await n8n.createCredential({
			name: 'Office 365 (simulator)',
			type: CREDENTIAL_TYPE,
			data: oauthCredentialData({ graphApiBaseUrl: sim.baseUrl, loginBaseUrl: sim.loginBaseUrl }),
		});
		await n8n.connectOAuth2(credential.id);
		const credentials = { [CREDENTIAL_TYPE]: credential };
		const instant = await n8n.createWorkflow(
			workflow('bench: instant', {
				id: '9a0b1c2d-0000-4000-8000-00000000000a',
				name: 'Instant',
				type: `${PACKAGE_NAME}.office365InstantTrigger`,
				webhookId: '9a0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d',
				parameters: { resource: 'messages', eventTypes: ['created', 'updated'], reconcileMinutes: 1 },
				credentials,
			}) as never,
		);
		const polling = await n8n.createWorkflow(
			workflow('bench: polling', {
				id: '9a0b1c2d-0000-4000-8000-00000000000b',
				name: 'Polling',
				type: TRIGGER_NODE_TYPE,
				parameters: { pollTimes: { item: [{ mode: 'everyMinute' }] }, resource: 'messages', eventTypes: ['created', 'updated'], options: {} },
				credentials,
			}) as never,
		);
		await publish(n8n, instant.id);
		await publish(n8n, polling.id);
		process.stderr.write(`[bench-instant] n8n ${n8n.baseUrl} ready, both workflows published\n`);

		Object.assign(sim.notifier, { dropRate: DROP, duplicateRate: DUPLICATE, seed: SEED, retryDelaysMs: [1_000, 4_000] });
		const next = random(SEED);
		const changes: Change[] = [];
		const created: Array<{ id: string; at: number; edited: boolean }> = [];
		const began = Date.now();
		for (let i = 0; i < CHANGES; i++) {
			await new Promise((resolve) => setTimeout(resolve, -Math.log(1 - next()) * GAP_MS));
			const now = Date.now();
			// Edits go to mail at least 2 s old that was not edited yet: Graph stamps mail to the second.
			const editable = created.filter((m) => !m.edited && now - m.at > 2_000);
			const edit = next() < 0.25 && editable.length > 0;
			const deliveriesBefore = sim.deliveries.length;
			let record;
			if (edit) {
				const target = editable[Math.floor(next() * editable.length)];
				target.edited = true;
				record = sim.updateMessage(target.id, { isRead: true });
			} else {
				record = sim.createMessage({ subject: `bench ${i}` });
				created.push({ id: record.id, at: now, edited: false });
			}
			const dropped = sim.deliveries.slice(deliveriesBefore).some((d) => d.kind === 'change' && d.outcome === 'dropped');
			changes.push({
				objectId: record.id,
				date: new Date(Date.parse(record.lastModifiedDateTime)).toISOString(),
				kind: edit ? 'edit' : 'new mail',
				at: now,
				notification: dropped ? 'dropped' : 'sent',
			});
		}
		process.stderr.write(`[bench-instant] ${CHANGES} changes in ${((Date.now() - began) / 1000).toFixed(0)} s; waiting for both triggers\n`);

		const results: TriggerResult[] = [];
		for (const [name, id, node] of [
			['Office 365 Instant Trigger', instant.id, 'Instant'],
			['Office 365 Trigger (polling every minute)', polling.id, 'Polling'],
		] as const) {
			const instance = n8n;
			await waitFor(`${name}: every change`, async () => covered(changes, (await eventsOf(instance, id, node)).events), {
				timeoutMs: 240_000,
				intervalMs: 2_000,
			}).catch(() => undefined);
			// One more scheduled turn, so a late duplicate would show.
			await new Promise((resolve) => setTimeout(resolve, 65_000));
			const { events, executions } = await eventsOf(n8n, id, node);
			results.push(account(name, changes, events, executions));
		}

		const deliveries = sim.deliveries.filter((d) => d.kind === 'change');
		const report = render(changes, results, {
			dropped: deliveries.filter((d) => d.outcome === 'dropped').length,
			duplicated: deliveries.filter((d) => d.copy === 2).length,
			delivered: deliveries.filter((d) => d.outcome === 'delivered').length,
			late: deliveries.filter((d) => d.outcome === 'late' || d.outcome === 'failed').length,
		});
		writeFileSync(OUT, report);
		process.stdout.write(`${report}\n`);
	} finally {
		await n8n?.dispose({ keepLogs: false });
		await sim.stop();
	}
}

function render(changes: Change[], results: TriggerResult[], notifications: { dropped: number; duplicated: number; delivered: number; late: number }): string {
	const rows = results.map(
		(r) =>
			`| ${r.name} | ${seconds(percentile(r.latencies, 50))} | ${seconds(percentile(r.latencies, 95))} | ${seconds(Math.max(...r.latencies))} | ` +
			`${seconds(percentile(r.droppedLatencies, 50))} | ${r.lost} | ${r.duplicated} | ${r.executions} |`,
	);
	const instant = results[0];
	return [
		'# Instant trigger latency (npm run bench)',
		'',
		`${changes.length} changes (${changes.filter((c) => c.kind === 'new mail').length} new mails, ${changes.filter((c) => c.kind === 'edit').length} edits, ` +
			`exponential gaps with a ${GAP_MS} ms mean) in the Graph simulator; n8n 2.40.7 runs both workflows against the same mailbox. ` +
			`Latency: from the change to the start of the n8n execution that carries it (the execution's startedAt), or a later ` +
			`version of the same record (a poller only sees the latest). Lost: never carried; duplicated: one version carried twice.`,
		'',
		'| Trigger | Median | 95th percentile | Max | Median, notification dropped | Lost | Duplicated | Executions |',
		'|---|---:|---:|---:|---:|---:|---:|---:|',
		...rows,
		'',
		`Notifications: ${notifications.delivered} delivered, ${notifications.dropped} dropped (${(DROP * 100).toFixed(0)} %), ` +
			`${notifications.duplicated} sent twice (${(DUPLICATE * 100).toFixed(0)} %), ${notifications.late} failed or late attempts. ` +
			`A dropped notification's change is read with the next change's notification, or by the scheduled read (every minute here).`,
		'',
		`Target: median under 2 s with 0 lost and 0 duplicated: ${percentile(instant.latencies, 50) < 2_000 && instant.lost === 0 && instant.duplicated === 0 ? 'met' : 'missed'}.`,
		'',
		`Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node.js ${process.version} (this process, simulator included), n8n on its pinned Node.js; ${new Date().toISOString().slice(0, 10)}.`,
		'',
	].join('\n');
}

main().catch((error: unknown) => {
	process.stderr.write(`[bench-instant] ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
	process.exit(1);
});
