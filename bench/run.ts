/**
 * `npm run bench` (scripts/bench.sh builds everything and starts this compiled file):
 * the poll cycle of our trigger against n8n's Microsoft Outlook Trigger, side by side, on the
 * workloads of issue #6. Prints the tables and writes bench/results.md. Asserts nothing.
 *
 * Environment: N8N_HOME (from scripts/n8n/install.sh, required), BENCH_REPO_ROOT,
 * BENCH_RUNS (5), BENCH_LATENCIES ("0,50"), BENCH_WORKLOADS (keys, default all),
 * BENCH_TRIGGERS ("ours,peer"; "ours" alone for profiling), BENCH_SIM_CPU (core for the simulator,
 * via taskset), BENCH_OUT (results file).
 */
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import path from 'node:path';

import { renderReport } from './report';
import { OUR_POLL_DELAY_MS, runWorkload, type RunResult } from './runWorkload';
import { SimulatorProcess } from './simulatorProcess';
import { ourTrigger, peerTrigger, type TriggerUnderTest } from './triggers';
import { DRAIN_WORKLOAD, WORKLOADS, type Workload } from './workloads';

const PAGE_SIZE = 1000;

function listFromEnv(name: string, fallback: string): string[] {
	return (process.env[name] ?? fallback)
		.split(',')
		.map((part) => part.trim())
		.filter(Boolean);
}

function describeRun(result: RunResult): string {
	return result.triggers
		.map((t) => `${t.trigger} ${t.measured.graphRequests} req ${t.measured.wallMs.toFixed(0)} ms wall ${t.measured.cpuMs.toFixed(0)} ms cpu, ${t.accounting.events} ev, lost ${t.accounting.lost} dup ${t.accounting.duplicated}`)
		.join(' | ');
}

const METHOD = `## How it is measured

- **Simulator**: \`test/graph-simulator\` compiled and run as its own process on 127.0.0.1, pinned to its own core
  (taskset), answering every Graph request after a fixed latency (\`PUT /_sim/latency\`). Its CPU is not counted.
  Messages are realistic Graph JSON (~1.5 KB, ~150-character ids, second-precision stamps).
- **Polling process**: one Node.js process on the other core runs both triggers' \`poll()\` through n8n-core's real
  \`PollContext\` (trigger mode, persistent node static data, real OAuth2 signing and HTTP helpers); only n8n's
  credential store is mocked (getParentTypes: office365OAuth2Api → oAuth2Api; microsoftOutlookOAuth2Api →
  microsoftOAuth2Api → oAuth2Api). Ours is loaded from \`dist/\` (compiled), the peer from \`n8n-nodes-base\` of the
  pinned n8n install (not copied); both use this package's n8n-core 2.40.3 / n8n-workflow 2.40.1, the versions that
  n8n 2.40.7 ships.
- **Ours**: \`office365Trigger\`, resource \`messages\`, event types created + updated, page size 1000 (default), Poll Delay
  120 s (default), Max Events Per Poll 100,000 so one poll takes the whole backlog like the peer (which has no cap);
  the drain row shows the default cap of 10,000 instead.
- **Peer**: \`microsoftOutlookTrigger\` (n8n-nodes-base 2.40.2), Outlook OAuth2 credential, output "Raw" (the full Graph
  message, as ours hands on), no filters. Its transport reads the Graph base URL from the credential's
  \`graphApiBaseUrl\` (a select of national-cloud URLs in the UI; n8n hands the node the stored string), which is how it
  is pointed at the simulator. It pages with \`$top=100\` and sees received mail only (\`receivedDateTime\` window).
- **Each run**: emptied simulator, fresh static data, both triggers activated (their first poll), then the workload;
  the order of the two triggers alternates between runs. Wall time is the poll as n8n awaits it; CPU is
  \`process.cpuUsage()\` (user + system, all threads of the polling process) around it; heap is the used V8 heap
  sampled every 5 ms during the poll after a forced GC, minus the level before (a lower bound of the peak); static
  data is the JSON n8n would store. Graph requests are read from the simulator's request log.
- **Truth**: the simulator's item list before activation and after the run. Every message created after activation
  must be announced once as CREATED, every updated one once as UPDATED (the peer: once, as received). Events of
  every poll after activation count, including the follow-up polls.
- **Workloads**: new mail is stamped from the next whole second after activation, spread over 2 s, and polled once
  that span is over. The burst stamps 500 messages in one second S: 250 exist when both triggers poll at S+300 ms,
  250 arrive right after those polls (same second); the next polls follow at S+1.1 s (the two polls add up in the
  row). Updates patch \`isRead\` on 5,000 messages received two days earlier. The drain row seeds 1,000 messages a
  second over 100 s of simulated time (\`PUT /_sim/clock\`) and polls ours until its state says it is no longer
  draining. "Once no change is younger than the window": the simulated clock moves ${OUR_POLL_DELAY_MS / 1000 + 5} s ahead and ours polls
  once more.
`;

async function main(): Promise<void> {
	const started = Date.now();
	const repoRoot = process.env.BENCH_REPO_ROOT ?? path.resolve(__dirname, '../../..');
	const n8nHome = process.env.N8N_HOME;
	if (!n8nHome) throw new Error('N8N_HOME is not set: run through scripts/bench.sh (it runs scripts/n8n/install.sh)');
	const runs = Number(process.env.BENCH_RUNS ?? '5');
	const latencies = listFromEnv('BENCH_LATENCIES', '0,50').map(Number);
	const wanted = listFromEnv('BENCH_WORKLOADS', [...WORKLOADS, DRAIN_WORKLOAD].map((w) => w.key).join(','));
	const workloads: Workload[] = [...WORKLOADS, DRAIN_WORKLOAD].filter((w) => wanted.includes(w.key));
	const simCpu = process.env.BENCH_SIM_CPU === undefined || process.env.BENCH_SIM_CPU === '' ? undefined : Number(process.env.BENCH_SIM_CPU);
	const out = process.env.BENCH_OUT ?? path.join(repoRoot, 'bench/results.md');

	const triggerNames = listFromEnv('BENCH_TRIGGERS', 'ours,peer');
	const triggers: TriggerUnderTest[] = [];
	if (triggerNames.includes('ours')) triggers.push(ourTrigger(repoRoot));
	if (triggerNames.includes('peer')) triggers.push(peerTrigger(n8nHome));
	const sim = await SimulatorProcess.start(process.execPath, path.join(__dirname, '../test/graph-simulator/cli.js'), simCpu);
	const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);
	const results: RunResult[] = [];
	try {
		// Warm-up (discarded): JIT of both triggers, n8n-core's HTTP path and the simulator.
		const warmUp = workloads.filter((w) => w.key === 'new-1000' || w.key === 'burst-500');
		for (const workload of warmUp.length ? warmUp : workloads.slice(0, 1)) {
			for (let run = 0; run < 2; run++) await runWorkload(sim, triggers, workload, 0, run);
		}
		log(`warm-up done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
		for (const latencyMs of latencies) {
			for (const workload of workloads) {
				for (let run = 0; run < runs; run++) {
					const result = await runWorkload(sim, triggers, workload, latencyMs, run);
					results.push(result);
					log(`${latencyMs} ms ${workload.key} #${run + 1}: ${describeRun(result)}`);
				}
			}
		}
	} finally {
		await sim.stop();
	}

	const cpu = cpus()[0]?.model ?? 'unknown CPU';
	const { markdown } = renderReport(
		results,
		workloads,
		{
			date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
			machine: `${cpus().length} × ${cpu}${simCpu === undefined ? '' : ', simulator pinned to core ' + simCpu}`,
			node: `Node.js ${process.version}`,
			n8n: 'peer from n8n 2.40.7 (n8n-nodes-base 2.40.2)',
			runs,
			latencies,
			durationS: (Date.now() - started) / 1000,
			pageSize: PAGE_SIZE,
		},
		METHOD,
	);
	writeFileSync(out, markdown);
	process.stdout.write(`${markdown}\n`);
	log(`wrote ${path.relative(repoRoot, out)}`);
}

main().catch((error: unknown) => {
	process.stderr.write(`[bench] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
	process.exit(1);
});
