// Runs the Graph simulator as its own process (e2e test, demo, benchmark):
//   node --import tsx test/graph-simulator/cli.ts --port 0 [--latency 50] [--seed-messages N] [--demo]
// Prints one JSON line {"baseUrl","loginBaseUrl","adminUrl",...} on stdout once listening and seeded; everything
// else goes to stderr so the line is easy to parse. Stops on SIGINT/SIGTERM.

import { startDemoActivity } from './demoActivity';
import { GraphSimulator } from './index';

const USAGE = `usage: cli.ts [--port N] [--latency MS] [--page-size N] [--seed-messages N] [--seed-events N]
              [--seed-contacts N] [--demo] [--demo-interval-ms MS]`;

interface CliOptions {
	port: number;
	latency: number;
	pageSize?: number;
	seedMessages: number;
	seedEvents: number;
	seedContacts: number;
	demo: boolean;
	demoIntervalMs: number;
}

function fail(message: string): never {
	process.stderr.write(`${message}\n${USAGE}\n`);
	process.exit(2);
}

function parseArgs(argv: string[]): CliOptions {
	const options: CliOptions = { port: 0, latency: 0, seedMessages: 0, seedEvents: 0, seedContacts: 0, demo: false, demoIntervalMs: 20_000 };
	const numeric: Record<string, (n: number) => void> = {
		'--port': (n) => (options.port = n),
		'--latency': (n) => (options.latency = n),
		'--page-size': (n) => (options.pageSize = n),
		'--seed-messages': (n) => (options.seedMessages = n),
		'--seed-events': (n) => (options.seedEvents = n),
		'--seed-contacts': (n) => (options.seedContacts = n),
		'--demo-interval-ms': (n) => (options.demoIntervalMs = n),
	};
	for (let i = 0; i < argv.length; i++) {
		const [flag, inline] = argv[i].split('=', 2);
		if (flag === '--demo') {
			options.demo = true;
			continue;
		}
		if (flag === '--help' || flag === '-h') {
			process.stdout.write(`${USAGE}\n`);
			process.exit(0);
		}
		const set = numeric[flag];
		if (set === undefined) fail(`unknown option ${flag}`);
		const text = inline ?? argv[++i];
		const value = Number(text);
		if (text === undefined || !Number.isInteger(value) || value < 0) fail(`${flag} needs a non-negative integer`);
		set(value);
	}
	return options;
}

async function main(): Promise<void> {
	const options = parseArgs(process.argv.slice(2));
	const sim = new GraphSimulator({ latencyMs: options.latency, defaultPageSize: options.pageSize });
	await sim.start(options.port);
	if (options.seedMessages > 0) sim.seed('messages', options.seedMessages);
	if (options.seedEvents > 0) sim.seed('events', options.seedEvents);
	if (options.seedContacts > 0) sim.seed('contacts', options.seedContacts);
	const stopDemo = options.demo ? startDemoActivity(sim, { intervalMs: options.demoIntervalMs }) : undefined;

	process.stdout.write(
		`${JSON.stringify({ baseUrl: sim.baseUrl, loginBaseUrl: sim.loginBaseUrl, adminUrl: sim.adminUrl, graphUrl: sim.graphUrl, pid: process.pid })}\n`,
	);

	let stopping = false;
	const shutdown = (signal: string): void => {
		if (stopping) return;
		stopping = true;
		stopDemo?.();
		process.stderr.write(`[graph-simulator] ${signal}: stopping\n`);
		sim.stop().then(
			() => process.exit(0),
			() => process.exit(1),
		);
	};
	process.on('SIGINT', () => shutdown('SIGINT'));
	process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
	process.stderr.write(`[graph-simulator] failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
	process.exit(1);
});
