/**
 * Turns the runs into bench/results.md: medians per workload, latency and trigger; ratios
 * ours/peer taken run by run (same run, same data) and then the median; the issue's targets
 * checked against those figures.
 */
import type { RunResult, TriggerRun } from './runWorkload';
import type { TriggerName } from './triggers';
import type { Workload } from './workloads';

export interface ReportMeta {
	date: string;
	machine: string;
	node: string;
	n8n: string;
	runs: number;
	latencies: number[];
	durationS: number;
	pageSize: number;
	nextPollAfterS: number;
}

export function median(values: number[]): number {
	if (values.length === 0) return Number.NaN;
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

const integer = (value: number) => (Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : 'n/a');
const decimal = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');
const ratio = (value: number) => (Number.isFinite(value) ? value.toFixed(2) : 'n/a');

function bytes(value: number): string {
	if (!Number.isFinite(value)) return 'n/a';
	if (value < 10_000) return `${integer(value)} B`;
	if (value < 10_000_000) return `${decimal(value / 1024)} KB`;
	return `${decimal(value / 1024 / 1024)} MB`;
}

/** "0" when every run agrees, else "min–max". */
function range(values: number[]): string {
	const low = Math.min(...values);
	const high = Math.max(...values);
	return low === high ? integer(low) : `${integer(low)}–${integer(high)}`;
}

interface Cell {
	runs: RunResult[];
	workload: Workload;
	latencyMs: number;
}

function runsOf(cell: Cell, trigger: TriggerName): TriggerRun[] {
	return cell.runs.flatMap((run) => run.triggers.filter((t) => t.trigger === trigger));
}

const perEventUs = (run: TriggerRun) => (run.accounting.events > 0 ? (run.measured.cpuMs * 1000) / run.accounting.events : Number.NaN);
const mainThreadPerEventUs = (run: TriggerRun) =>
	run.accounting.events > 0 ? (run.measured.mainThreadCpuMs * 1000) / run.accounting.events : Number.NaN;

/** Ours/peer per run, then the median: wall time, and CPU per event (per poll when neither emits). */
function pairRatios(cell: Cell): { wall: number; cpu: number; cpuBasis: 'event' | 'poll' | 'none' } {
	const walls: number[] = [];
	const cpus: number[] = [];
	let basis: 'event' | 'poll' | 'none' = 'none';
	for (const run of cell.runs) {
		const ours = run.triggers.find((t) => t.trigger === 'ours');
		const peer = run.triggers.find((t) => t.trigger === 'peer');
		if (!ours || !peer) continue;
		walls.push(ours.measured.wallMs / peer.measured.wallMs);
		if (ours.accounting.events > 0 && peer.accounting.events > 0) {
			cpus.push(perEventUs(ours) / perEventUs(peer));
			basis = 'event';
		} else if (ours.accounting.events === 0 && peer.accounting.events === 0) {
			cpus.push(ours.measured.cpuMs / peer.measured.cpuMs);
			basis = 'poll';
		}
	}
	return { wall: median(walls), cpu: median(cpus), cpuBasis: basis };
}

const title = (cell: Cell) => (cell.workload.runs === undefined ? cell.workload.title : `${cell.workload.title} (${cell.runs.length} runs)`);

function mainTable(cells: Cell[]): string {
	const lines = [
		'| Workload | Latency | Trigger | Graph requests | Wall ms | CPU ms (main thread) | CPU µs/event (main thread) | Heap peak growth | Static data after | Events | Lost | Duplicated | Wall ours/peer | CPU ours/peer |',
		'|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
	];
	for (const cell of cells) {
		const ratios = pairRatios(cell);
		for (const trigger of ['ours', 'peer'] as const) {
			const runs = runsOf(cell, trigger);
			if (runs.length === 0) continue;
			const polls = median(runs.map((run) => run.measuredPolls));
			const pollNote = polls > 1 ? ` (${integer(polls)} polls)` : '';
			const wrong = Math.max(...runs.map((run) => run.accounting.wrongType));
			const cpuRatio =
				ratios.cpuBasis === 'event'
					? ratio(ratios.cpu)
					: ratios.cpuBasis === 'poll'
						? `${ratio(ratios.cpu)} (per poll)`
						: 'n/a (peer: 0 events)';
			lines.push(
				`| ${trigger === 'ours' ? title(cell) : ''} | ${trigger === 'ours' ? `${cell.latencyMs} ms` : ''} | ${trigger === 'ours' ? 'ours' : 'peer (Outlook Trigger)'} | ` +
					`${range(runs.map((run) => run.measured.graphRequests))}${pollNote} | ` +
					`${integer(median(runs.map((run) => run.measured.wallMs)))} | ` +
					`${integer(median(runs.map((run) => run.measured.cpuMs)))} (${integer(median(runs.map((run) => run.measured.mainThreadCpuMs)))}) | ` +
					`${decimal(median(runs.map(perEventUs)))} (${decimal(median(runs.map(mainThreadPerEventUs)))}) | ` +
					`${bytes(median(runs.map((run) => run.measured.heapPeakBytes)))} | ` +
					`${bytes(median(runs.map((run) => run.staticBytes)))} | ` +
					`${range(runs.map((run) => run.accounting.events))} | ` +
					`${range(runs.map((run) => run.accounting.lost))} | ` +
					`${range(runs.map((run) => run.accounting.duplicated))}${wrong ? ` (+${wrong} wrong type)` : ''} | ` +
					`${trigger === 'ours' && !cell.workload.oursOnly ? ratio(ratios.wall) : ''} | ` +
					`${trigger === 'ours' && !cell.workload.oursOnly ? cpuRatio : ''} |`,
			);
		}
	}
	return lines.join('\n');
}

function nextPollTable(cells: Cell[]): string {
	const lines = [
		'| Workload | Latency | Trigger | Graph requests | Wall ms | CPU ms | Events | Static data after | Max concurrent requests | Token refreshes |',
		'|---|---:|---|---:|---:|---:|---:|---:|---:|---:|',
	];
	for (const cell of cells) {
		for (const trigger of ['ours', 'peer'] as const) {
			const runs = runsOf(cell, trigger);
			if (runs.length === 0) continue;
			const maxConcurrent = Math.max(...runs.map((run) => Math.max(run.measured.maxConcurrent, run.next.maxConcurrent)));
			lines.push(
				`| ${trigger === 'ours' ? title(cell) : ''} | ${trigger === 'ours' ? `${cell.latencyMs} ms` : ''} | ${trigger === 'ours' ? 'ours' : 'peer'} | ` +
					`${range(runs.map((run) => run.next.graphRequests))} | ` +
					`${integer(median(runs.map((run) => run.next.wallMs)))} | ` +
					`${integer(median(runs.map((run) => run.next.cpuMs)))} | ` +
					`${range(runs.map((run) => run.nextEvents))} | ` +
					`${bytes(Math.max(...runs.map((run) => run.staticBytesAfterNext)))} | ` +
					`${maxConcurrent} | ${range(runs.map((run) => run.tokenUpdates))} |`,
			);
		}
	}
	return lines.join('\n');
}

const cellOf = (cells: Cell[], key: string, latencyMs: number) => cells.find((cell) => cell.workload.key === key && cell.latencyMs === latencyMs);
const bytesPerEvent = (run: TriggerRun) => (run.accounting.events > 0 ? run.measured.wireBytes / run.accounting.events : Number.NaN);

/** Simplify: what one message costs on the wire, and the wall time, against the peer's Output "Simple". */
function simplifyTable(cells: Cell[]): string | undefined {
	const rows = cells.filter((cell) => cell.workload.key === 'simplify-1000');
	if (rows.length === 0) return undefined;
	const lines = [
		'| Latency | Ours: bytes/message (Simplify) | Ours: bytes/message (full record, 1,000 new messages row) | Peer: bytes/message (Output Simple) | Wall ms ours / peer | Wall ours/peer |',
		'|---:|---:|---:|---:|---:|---:|',
	];
	for (const cell of rows) {
		const ours = runsOf(cell, 'ours');
		const peer = runsOf(cell, 'peer');
		const full = cellOf(cells, 'new-1000', cell.latencyMs);
		const fullBytes = full ? median(runsOf(full, 'ours').map(bytesPerEvent)) : Number.NaN;
		lines.push(
			`| ${cell.latencyMs} ms | ${integer(median(ours.map(bytesPerEvent)))} | ${integer(fullBytes)} | ${integer(median(peer.map(bytesPerEvent)))} | ` +
				`${integer(median(ours.map((run) => run.measured.wallMs)))} / ${integer(median(peer.map((run) => run.measured.wallMs)))} | ${ratio(pairRatios(cell).wall)} |`,
		);
	}
	return lines.join('\n');
}

/** The floor of an attachments poll: attachment requests 4 at a time, after the list requests, each one latency. */
function attachmentFloorMs(run: TriggerRun, latencyMs: number): number {
	const lists = run.measured.graphRequests - run.measured.attachmentRequests;
	return (Math.ceil(run.measured.attachmentRequests / 4) + lists) * latencyMs;
}

function attachmentsTable(cells: Cell[]): string | undefined {
	const rows = cells.filter((cell) => cell.workload.key === 'attachments-10x2');
	if (rows.length === 0) return undefined;
	const lines = [
		'| Latency | Attachment requests | List requests | Floor ms | Wall ms | Wall / floor | Max in flight | Heap peak growth | Events |',
		'|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
	];
	for (const cell of rows) {
		const ours = runsOf(cell, 'ours');
		lines.push(
			`| ${cell.latencyMs} ms | ${range(ours.map((run) => run.measured.attachmentRequests))} | ${range(ours.map((run) => run.measured.graphRequests - run.measured.attachmentRequests))} | ` +
				`${integer(median(ours.map((run) => attachmentFloorMs(run, cell.latencyMs))))} | ${integer(median(ours.map((run) => run.measured.wallMs)))} | ` +
				`${ratio(median(ours.map((run) => run.measured.wallMs / attachmentFloorMs(run, cell.latencyMs))))} | ` +
				`${Math.max(...ours.map((run) => run.measured.maxConcurrent))} | ${bytes(median(ours.map((run) => run.measured.heapPeakBytes)))} | ${range(ours.map((run) => run.accounting.events))} |`,
		);
	}
	return lines.join('\n');
}

interface TargetCheck {
	target: string;
	met: boolean;
	figures: string;
}

function checkTargets(cells: Cell[], pageSize: number, latencies: number[]): TargetCheck[] {
	const checks: TargetCheck[] = [];
	const find = (key: string, latencyMs: number) => cells.find((cell) => cell.workload.key === key && cell.latencyMs === latencyMs);
	const compared = cells.filter((cell) => !cell.workload.oursOnly);

	// Requests per poll for N listed: one page, then one per pageSize - 1 more records, because each next page starts
	// with the last record of the one before (the proof that no record moved between two pages); 1 when idle.
	const pagesFor = (listed: number) => (listed <= pageSize ? 1 : 1 + Math.ceil((listed - pageSize) / (pageSize - 1)));
	const requestFigures: string[] = [];
	let requestsMet = true;
	for (const cell of compared) {
		const expectedPerRun =
			cell.workload.key === 'idle' ? 1 : cell.workload.key === 'burst-500' ? pagesFor(250) + pagesFor(500) : pagesFor(cell.workload.changes);
		const actual = runsOf(cell, 'ours').map((run) => run.measured.graphRequests);
		const ok = actual.every((count) => count === expectedPerRun);
		requestsMet &&= ok;
		requestFigures.push(`${cell.workload.key}@${cell.latencyMs}ms ${range(actual)}/${expectedPerRun}${ok ? '' : ' ✗'}`);
	}
	checks.push({ target: 'Graph requests = 1 + ceil((N − pageSize) / (pageSize − 1)) for N > pageSize listed (pages overlap by one record; pageSize 1000), 1 up to pageSize, exactly 1 when idle', met: requestsMet, figures: requestFigures.join('; ') });

	const twenty = find('new-20000', 50);
	if (twenty) {
		const wall = pairRatios(twenty).wall;
		checks.push({ target: 'Wall time ≤ 1/3 of the peer\'s on 20,000 new messages at 50 ms', met: wall <= 1 / 3, figures: `ours/peer = ${ratio(wall)}` });
	}

	if (latencies.includes(0)) {
		const figures: string[] = [];
		let met = true;
		for (const cell of compared.filter((c) => c.latencyMs === 0)) {
			const ratios = pairRatios(cell);
			if (ratios.cpuBasis !== 'event') continue;
			met &&= ratios.cpu <= 1.2;
			figures.push(`${cell.workload.key} ${ratio(ratios.cpu)}`);
		}
		checks.push({ target: 'CPU per event ≤ 1.2× the peer\'s at 0 ms (workloads where both emit)', met, figures: figures.join('; ') });
	}

	for (const latencyMs of latencies) {
		const small = find('new-1000', latencyMs);
		const large = find('new-100000', latencyMs);
		if (!small || !large) continue;
		const perSmall = median(runsOf(small, 'ours').map(perEventUs));
		const perLarge = median(runsOf(large, 'ours').map(perEventUs));
		const mainSmall = median(runsOf(small, 'ours').map(mainThreadPerEventUs));
		const mainLarge = median(runsOf(large, 'ours').map(mainThreadPerEventUs));
		checks.push({
			target: `Per-event CPU at 100,000 ≤ 1.5× that at 1,000 (${latencyMs} ms)`,
			met: perLarge <= 1.5 * perSmall,
			figures:
				`process ${decimal(perLarge)} µs vs ${decimal(perSmall)} µs = ${ratio(perLarge / perSmall)}×; ` +
				`main thread ${decimal(mainLarge)} µs vs ${decimal(mainSmall)} µs = ${ratio(mainLarge / mainSmall)}×`,
		});
	}

	const attachments = cellOf(cells, 'attachments-10x2', 50);
	if (attachments) {
		const runs = runsOf(attachments, 'ours');
		const worst = Math.max(...runs.map((run) => run.measured.wallMs / attachmentFloorMs(run, 50)));
		const inFlight = Math.max(...runs.map((run) => run.measured.maxConcurrent));
		checks.push({
			target: 'Attachments (10 mails × 2 × 1 MB, 50 ms): wall ≤ 2× (ceil(attachment requests / 4) + list requests) × 50 ms, ≤ 4 in flight',
			met: worst <= 2 && inFlight <= 4,
			figures: `wall / floor at most ${ratio(worst)}, at most ${inFlight} in flight`,
		});
	}

	const largestAged = Math.max(...cells.flatMap((cell) => runsOf(cell, 'ours').map((run) => run.staticBytesAfterNext)));
	checks.push({
		target: 'Static data ≤ 16 KB once no change is younger than the window (every workload)',
		met: largestAged <= 16 * 1024,
		figures: `largest ${bytes(largestAged)}`,
	});

	const deltaCells = cells.filter((cell) => cell.workload.oursParameters?.trackingMode === 'delta');
	if (deltaCells.length) {
		const figures: string[] = [];
		let met = true;
		for (const cell of deltaCells) {
			const expected = cell.workload.changes === 0 ? 1 : Math.ceil(cell.workload.changes / pageSize);
			const runs = runsOf(cell, 'ours');
			const requests = runs.map((run) => run.measured.graphRequests);
			const history = Math.max(...runs.map((run) => run.historyAfterNext));
			const ok = requests.every((count) => count === expected) && history === 0;
			met &&= ok;
			figures.push(`${cell.workload.key}@${cell.latencyMs}ms ${range(requests)}/${expected} requests, ${history} remembered changes after the window${ok ? '' : ' ✗'}`);
		}
		checks.push({
			target: 'Delta: an idle poll is 1 request, N changes ceil(N / 1000) requests; static data then holds the deltaLink and no history',
			met,
			figures: figures.join('; '),
		});
	}

	const losses = cells.flatMap((cell) => runsOf(cell, 'ours').map((run) => run.accounting));
	const lost = losses.reduce((sum, a) => sum + a.lost, 0);
	const duplicated = losses.reduce((sum, a) => sum + a.duplicated, 0);
	const wrong = losses.reduce((sum, a) => sum + a.wrongType, 0);
	checks.push({
		target: 'Zero lost, zero duplicated (ours, every run of every workload)',
		met: lost === 0 && duplicated === 0 && wrong === 0,
		figures: `lost ${lost}, duplicated ${duplicated}, wrong type ${wrong} over ${losses.length} runs`,
	});
	return checks;
}

function optionalSection(heading: string, text: string, table: string | undefined): string[] {
	return table === undefined ? [] : [heading, '', text, '', table, ''];
}

export function renderReport(results: RunResult[], workloads: Workload[], meta: ReportMeta, notes: string): { markdown: string; targets: TargetCheck[] } {
	const cells: Cell[] = [];
	for (const latencyMs of meta.latencies) {
		for (const workload of workloads) {
			const runs = results.filter((run) => run.workload === workload.key && run.latencyMs === latencyMs);
			if (runs.length) cells.push({ runs, workload, latencyMs });
		}
	}
	const targets = checkTargets(cells, meta.pageSize, meta.latencies);
	const warnings = [...new Set(results.flatMap((run) => run.warnings))];
	const markdown = [
		'# Poll-cycle benchmark: Office 365 Trigger (ours) vs n8n\'s Microsoft Outlook Trigger (peer)',
		'',
		`Generated by \`npm run bench\` on ${meta.date} in ${integer(meta.durationS)} s. ${meta.machine}; ${meta.node}; ${meta.n8n}.`,
		`Medians of ${meta.runs} runs per row; ratios are ours/peer computed run by run (same run, same data), then the median.`,
		'',
		'## The workload polls',
		'',
		mainTable(cells),
		'',
		'## The next poll',
		'',
		`The next poll of each trigger, ${meta.nextPollAfterS} s later on the simulated clock: just past ours' look-back window (Poll Delay,`,
		'120 s for messages), so ours lists that window once more (a change is listed by every poll within Poll Delay after it)',
		'and then keeps only what a younger change would need. Its events count in Lost/Duplicated above.',
		'',
		nextPollTable(cells),
		'',
		...optionalSection('## Simplify: bytes on the wire', 'Graph answers (bytes, as the simulator sent them) of the measured poll divided by the messages it emitted.', simplifyTable(cells)),
		...optionalSection(
			'## Download Attachments',
			'The floor is what Outlook\'s limit of 4 concurrent requests per mailbox allows: the message list, then the attachment requests (one list per mail, one download per file) four at a time, each taking one latency.',
			attachmentsTable(cells),
		),
		'## Targets',
		'',
		'| Target | Met | Figures |',
		'|---|---|---|',
		...targets.map((check) => `| ${check.target} | ${check.met ? 'yes' : '**no**'} | ${check.figures} |`),
		'',
		...(warnings.length ? ['Timing warnings: ' + warnings.join('; '), ''] : []),
		notes,
	].join('\n');
	return { markdown, targets };
}
