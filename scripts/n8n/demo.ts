// `npm start` (scripts/demo.sh): the Graph simulator (CLI, --demo: a mailbox that keeps changing),
// a real n8n with this package installed and the workflow Office 365 Trigger → Office 365 Event
// Forward published, and a local receiver that prints every delivered event. Ctrl-C stops all.
import { spawn, type ChildProcess } from 'node:child_process';
import * as net from 'node:net';
import * as path from 'node:path';
import * as readline from 'node:readline';

import type { OwnerAccount } from './client';
import { CREDENTIAL_TYPE, freePort, startN8n, type N8nInstance } from './harness';
import { REPO_ROOT } from './install';
import { buildAndPack } from './pack';
import { eventsOf, startReceiver, type Delivery, type EventReceiver } from './receiver';
import { SIGNING_CREDENTIAL_TYPE, eventForwardWorkflow, oauthCredentialData } from './workflows';

const OWNER: OwnerAccount = { email: 'demo@example.com', password: 'Demo-Passw0rd', firstName: 'Demo', lastName: 'User' };
const SIGNING_KEY = 'demo-signing-key';
const useColor = process.stdout.isTTY === true && process.env.NO_COLOR === undefined;
const paint = (code: string, text: string): string => (useColor ? `\u001b[${code}m${text}\u001b[0m` : text);

interface SimInfo {
	baseUrl: string;
	loginBaseUrl: string;
	adminUrl: string;
}

let sim: ChildProcess | undefined;
let n8n: N8nInstance | undefined;
let receiver: EventReceiver | undefined;
let stopping = false;

function say(line: string): void {
	process.stdout.write(`${line}\n`);
}

async function portIsFree(port: number): Promise<boolean> {
	return await new Promise((resolve) => {
		const server = net.createServer();
		server.once('error', () => resolve(false));
		server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
	});
}

/** Starts test/graph-simulator/cli.ts --demo and reads the JSON line it prints once listening. */
async function startSimulator(): Promise<SimInfo> {
	const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'test', 'graph-simulator', 'cli.ts'), '--port', '0', '--demo'], {
		cwd: REPO_ROOT,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	sim = child;
	// The simulator narrates its changes on stderr ("[demo] … new message …").
	readline.createInterface({ input: child.stderr! }).on('line', (line) => say(paint('2', `  sim  ${line}`)));
	return await new Promise<SimInfo>((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error('the Graph simulator did not start within 60 s')), 60_000);
		child.once('exit', (code) => {
			clearTimeout(timer);
			reject(new Error(`the Graph simulator exited with ${String(code)}`));
		});
		readline.createInterface({ input: child.stdout! }).once('line', (line) => {
			clearTimeout(timer);
			try {
				resolve(JSON.parse(line) as SimInfo);
			} catch {
				reject(new Error(`unexpected simulator output: ${line}`));
			}
		});
	});
}

function printDelivery(delivery: Delivery): void {
	const raw = (delivery.json as { message?: { raw?: Record<string, unknown> } } | undefined)?.message?.raw;
	const events = eventsOf(delivery);
	const signature = delivery.signatureValid === true ? paint('32', 'signature ok') : paint('31', `signature BAD (${delivery.signatureProblem ?? '?'})`);
	say(paint('1', `← notification #${delivery.seq}: ${events.length} event(s), ${signature}, Elements-Webhook-Id ${String(delivery.headers['elements-webhook-id'] ?? '-')}`));
	events.forEach((event, index) => {
		const records = raw && typeof raw.objectType === 'string' ? raw[raw.objectType] : undefined;
		const record = Array.isArray(records) ? (records[index] as Record<string, unknown> | undefined) : undefined;
		const subject = typeof record?.subject === 'string' ? ` "${record.subject}"` : '';
		const id = String(event.objectId);
		say(`    ${paint('36', String(event.eventType).padEnd(7))} ${String(event.objectType)}${subject} …${id.slice(-14)} @ ${String(event.date)}`);
	});
}

async function shutdown(code: number): Promise<never> {
	if (!stopping) {
		stopping = true;
		say('\nStopping …');
		await n8n?.dispose({ keepLogs: code !== 0 }).catch(() => undefined);
		if (sim && sim.exitCode === null) {
			sim.kill('SIGTERM');
			await new Promise((resolve) => {
				const timer = setTimeout(() => {
					sim?.kill('SIGKILL');
					resolve(undefined);
				}, 5_000);
				sim?.once('exit', () => {
					clearTimeout(timer);
					resolve(undefined);
				});
			});
		}
		await receiver?.close().catch(() => undefined);
	}
	process.exit(code);
}

async function main(): Promise<void> {
	process.on('SIGINT', () => void shutdown(0));
	process.on('SIGTERM', () => void shutdown(0));

	say('Building and packing the package …');
	const tarball = await buildAndPack();

	say('Starting the Graph simulator (--demo) …');
	const info = await startSimulator();

	receiver = await startReceiver({ signatureKey: SIGNING_KEY, onDelivery: printDelivery });

	const port = Number(process.env.N8N_DEMO_PORT ?? 0) || ((await portIsFree(5678)) ? 5678 : await freePort());
	say(`Starting n8n on port ${port} (first start runs database migrations, ~30 s) …`);
	n8n = await startN8n({ packageTarball: tarball, port, label: 'demo' });
	await n8n.setupOwner(OWNER);
	await n8n.createApiKey();

	const oauth = await n8n.createCredential({
		name: 'Office 365 (Graph simulator)',
		type: CREDENTIAL_TYPE,
		data: oauthCredentialData({ graphApiBaseUrl: info.baseUrl, loginBaseUrl: info.loginBaseUrl }),
	});
	await n8n.connectOAuth2(oauth.id); // n8n's own "Connect my account" flow against the simulator
	const signing = await n8n.createCredential({ name: 'Demo signing key', type: SIGNING_CREDENTIAL_TYPE, data: { signingKey: SIGNING_KEY } });
	const workflow = await n8n.createWorkflow(
		eventForwardWorkflow({
			name: 'Demo: Office 365 mail → callback',
			oauthCredential: { id: oauth.id, name: oauth.name },
			signingCredential: { id: signing.id, name: signing.name },
			callbackUrl: receiver.url,
		}),
	);
	await n8n.activateWorkflow(workflow.id);

	say('');
	say(paint('1', 'n8n is running with the demo workflow published.'));
	say(`  Editor:    ${n8n.baseUrl}/workflow/${workflow.id}`);
	say(`  Login:     ${OWNER.email} / ${OWNER.password}`);
	say(`  Graph sim: ${info.baseUrl} (admin API ${info.adminUrl})`);
	say(`  Receiver:  ${receiver.url} (signing key "${SIGNING_KEY}")`);
	say(`  n8n log:   ${n8n.logFile}`);
	say('The simulator adds a mail about every 20 s; n8n polls once a minute. Ctrl-C to stop.');
	say('');

	// Keep running; report if n8n dies underneath us.
	for (;;) {
		await new Promise((resolve) => setTimeout(resolve, 2_000));
		if (!stopping && n8n && !n8n.running) {
			say(paint('31', `n8n exited unexpectedly; log kept at ${n8n.logFile}`));
			await shutdown(1);
		}
	}
}

main().catch(async (error: unknown) => {
	process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
	await shutdown(1);
});
