// Test harness around real n8n processes: the Node 20 test process spawns `n8n start` (a main) or
// `n8n worker` under the Node that scripts/n8n/install.sh installed for that n8n version, each with
// its own user folder in a temp folder (SQLite unless the environment says otherwise). The process
// lifecycle is ManagedProcess's; the main's HTTP APIs are N8nClient's.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { N8nClient } from './client';
import { ensureN8nInstalled, REPO_ROOT, type N8nInstallation } from './install';
import { delay, ManagedProcess } from './managedProcess';

export { delay } from './managedProcess';

export const PACKAGE_NAME = 'n8n-nodes-office365-events';
export const TRIGGER_NODE_TYPE = `${PACKAGE_NAME}.office365Trigger`;
export const FORWARD_NODE_TYPE = `${PACKAGE_NAME}.office365EventForward`;
export const CREDENTIAL_TYPE = 'office365OAuth2Api';

export interface StartN8nOptions {
	/** n8n version (default: the pinned one, see install.ts). */
	version?: string;
	/** n8n's user folder (N8N_USER_FOLDER; n8n keeps its data in `<userFolder>/.n8n`). Default: a new temp folder. */
	userFolder?: string;
	/** Port for the editor/API on 127.0.0.1. Default: a free port. */
	port?: number;
	/** Extra environment for n8n (wins over the harness defaults). */
	env?: Record<string, string | undefined>;
	/** Encryption key (processes of one queue-mode topology share it). Default: random. */
	encryptionKey?: string;
	/** Packed tarball of this package, installed as a community package before the first start. */
	packageTarball?: string;
	/** Name of the log folder under .e2e-logs/ (ignored with logDir). */
	label?: string;
	/** Log folder to write into (default: a new one under .e2e-logs/). */
	logDir?: string;
	/** Log file name inside the log folder. Default n8n.log. */
	logName?: string;
	/** Bound for /healthz + readiness after spawning. Default 240 s (first boot runs migrations). */
	startTimeoutMs?: number;
	/** Bound between SIGTERM and SIGKILL. Default 30 s. */
	stopTimeoutMs?: number;
	/** Also copy n8n's output to this process's stderr (or set N8N_E2E_ECHO_LOGS=1). */
	echoLogs?: boolean;
}

/** A fresh log folder `.e2e-logs/<label>-<time>-<pid>/`. */
export function newLogDir(label: string): string {
	const logDir = path.join(REPO_ROOT, '.e2e-logs', `${label}-${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}`);
	fs.mkdirSync(logDir, { recursive: true });
	return logDir;
}

/** Installs n8n if needed, installs the package tarball, starts an n8n main and waits until it answers. */
export async function startN8n(options: StartN8nOptions = {}): Promise<N8nInstance> {
	const installation = await ensureN8nInstalled(options.version);
	const ownsUserFolder = !options.userFolder;
	const userFolder = options.userFolder ?? fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-e2e-'));
	const logDir = options.logDir ?? newLogDir(options.label ?? 'n8n');
	const instance = new N8nInstance(installation, {
		...options,
		userFolder,
		port: options.port ?? (await freePort()),
		logDir,
		logFile: path.join(logDir, options.logName ?? 'n8n.log'),
		ownsUserFolder,
		brokerPort: await freePort(),
		encryptionKey: options.encryptionKey ?? randomBytes(24).toString('hex'),
	});
	if (options.packageTarball) installCommunityPackage(userFolder, options.packageTarball, instance.logFile);
	await instance.start();
	return instance;
}

/** `npm install <tarball>` into `<userFolder>/.n8n/nodes`, where n8n looks for community packages. */
export function installCommunityPackage(userFolder: string, tarball: string, logFile?: string): void {
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	fs.mkdirSync(nodesDir, { recursive: true });
	const manifest = path.join(nodesDir, 'package.json');
	if (!fs.existsSync(manifest)) {
		fs.writeFileSync(manifest, JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }, null, 2));
	}
	// --legacy-peer-deps: the package's peer dependency n8n-workflow must come from n8n itself
	// (n8n puts its node_modules on NODE_PATH), never a second copy in nodes/node_modules.
	const result = spawnSync(
		'npm',
		['install', path.resolve(tarball), '--prefix', nodesDir, '--ignore-scripts', '--legacy-peer-deps', '--omit=dev', '--no-audit', '--no-fund', '--loglevel=error'],
		{ cwd: nodesDir, encoding: 'utf8', timeout: 300_000 },
	);
	if (logFile) fs.appendFileSync(logFile, `--- npm install ${tarball}\n${result.stdout}${result.stderr}\n`);
	if (result.status !== 0) {
		throw new Error(`npm install of ${tarball} into ${nodesDir} failed (${String(result.status)}):\n${result.stdout}\n${result.stderr}`);
	}
	const installed = path.join(nodesDir, 'node_modules', PACKAGE_NAME, 'package.json');
	if (!fs.existsSync(installed)) throw new Error(`${installed} missing after npm install`);
}

interface ProcessSettings {
	userFolder: string;
	encryptionKey: string;
	brokerPort: number;
	env?: Record<string, string | undefined>;
}

/** Environment an n8n process runs with: the harness defaults, then `settings.env`. */
export function n8nEnvironment(installation: N8nInstallation, settings: ProcessSettings): NodeJS.ProcessEnv {
	const inherited: NodeJS.ProcessEnv = {};
	for (const [key, value] of Object.entries(process.env)) {
		// Keep the test runner's and npm's settings away from the server process.
		if (/^(NODE_OPTIONS|NODE_TEST_CONTEXT|NODE_PATH|NODE_CHANNEL_FD|NODE_UNIQUE_ID|TSX_.*|npm_.*|N8N_.*|QUEUE_.*|DB_.*|EXECUTIONS_.*)$/i.test(key)) continue;
		inherited[key] = value;
	}
	const env: NodeJS.ProcessEnv = {
		...inherited,
		PATH: `${path.dirname(installation.nodeBin)}${path.delimiter}${process.env.PATH ?? ''}`,
		NO_PROXY: ['127.0.0.1', 'localhost', process.env.NO_PROXY].filter(Boolean).join(','),
		no_proxy: ['127.0.0.1', 'localhost', process.env.no_proxy].filter(Boolean).join(','),
		TZ: 'UTC',
		GENERIC_TIMEZONE: 'UTC',
		N8N_USER_FOLDER: settings.userFolder,
		N8N_ENCRYPTION_KEY: settings.encryptionKey,
		DB_TYPE: 'sqlite',
		N8N_SECURE_COOKIE: 'false',
		N8N_RUNNERS_ENABLED: 'false',
		N8N_RUNNERS_BROKER_PORT: String(settings.brokerPort),
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
		N8N_REINSTALL_MISSING_PACKAGES: 'false',
		N8N_PUBLIC_API_DISABLED: 'false',
		N8N_PUBLIC_API_SWAGGERUI_DISABLED: 'true',
		N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '15',
		N8N_LOG_LEVEL: 'info',
		N8N_LOG_OUTPUT: 'console',
		NO_COLOR: '1',
		EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'all',
		EXECUTIONS_DATA_SAVE_ON_ERROR: 'all',
	};
	for (const [key, value] of Object.entries(settings.env ?? {})) {
		if (value === undefined) delete env[key];
		else env[key] = value;
	}
	return env;
}

/** One n8n process (`n8n start` or `n8n worker`): spawned, then ready once its health endpoints say so. */
class N8nProcess extends ManagedProcess {
	constructor(
		readonly installation: N8nInstallation,
		command: 'start' | 'worker',
		private readonly healthBaseUrl: string,
		settings: { userFolder: string; env: NodeJS.ProcessEnv; logFile: string; echo?: boolean },
	) {
		super({
			label: `n8n ${installation.version} (${command})`,
			command: installation.nodeBin,
			args: [installation.n8nBin, command],
			env: settings.env,
			cwd: settings.userFolder,
			logFile: settings.logFile,
			echo: settings.echo ?? process.env.N8N_E2E_ECHO_LOGS === '1',
		});
	}

	/** Spawns and waits for /healthz and /healthz/readiness; stops the process if it never gets ready. */
	async startAndWait(timeoutMs: number): Promise<void> {
		this.start();
		try {
			await this.waitUntilReady(timeoutMs);
		} catch (error) {
			await this.stop(30_000);
			throw error;
		}
	}

	private async waitUntilReady(timeoutMs: number): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		let last = 'no answer yet';
		while (Date.now() < deadline) {
			if (!this.running) {
				throw new Error(`${this.options.label} exited during startup (${last}). Log ${this.logFile}:\n${this.logTail(60)}`);
			}
			try {
				// /healthz answers as soon as the HTTP server listens (during migrations, when every other
				// route says "n8n is starting up"); /healthz/readiness only once the DB is migrated and
				// n8n is fully started (nodes loaded, active workflows activated; a worker: DB and Redis up).
				const health = await fetch(`${this.healthBaseUrl}/healthz`, { signal: AbortSignal.timeout(5_000) });
				last = `/healthz ${health.status}`;
				if (health.ok) {
					const readiness = await fetch(`${this.healthBaseUrl}/healthz/readiness`, { signal: AbortSignal.timeout(5_000) });
					last = `/healthz/readiness ${readiness.status}`;
					if (readiness.ok) return;
				}
			} catch (error) {
				last = error instanceof Error ? error.message : String(error);
			}
			await delay(500);
		}
		throw new Error(`${this.options.label} did not become ready within ${timeoutMs} ms (${last}). Log ${this.logFile}:\n${this.logTail(60)}`);
	}
}

interface InstanceConfig extends StartN8nOptions {
	userFolder: string;
	port: number;
	logFile: string;
	logDir: string;
	ownsUserFolder: boolean;
	brokerPort: number;
	encryptionKey: string;
}

/** An n8n main: its process and a client for its APIs. */
export class N8nInstance extends N8nClient {
	readonly userFolder: string;
	readonly port: number;
	readonly logFile: string;
	readonly logDir: string;
	readonly encryptionKey: string;
	private readonly process: N8nProcess;

	constructor(
		readonly installation: N8nInstallation,
		private readonly config: InstanceConfig,
	) {
		super(`http://127.0.0.1:${config.port}`, !installation.version.startsWith('1.'));
		this.userFolder = config.userFolder;
		this.port = config.port;
		this.logFile = config.logFile;
		this.logDir = config.logDir;
		this.encryptionKey = config.encryptionKey;
		this.process = new N8nProcess(installation, 'start', this.baseUrl, {
			userFolder: config.userFolder,
			env: this.environment(),
			logFile: config.logFile,
			echo: config.echoLogs,
		});
	}

	get pid(): number | undefined {
		return this.process.pid;
	}

	get running(): boolean {
		return this.process.running;
	}

	/** Environment n8n runs with (harness defaults, then options.env). */
	environment(): NodeJS.ProcessEnv {
		return n8nEnvironment(this.installation, {
			userFolder: this.userFolder,
			encryptionKey: this.encryptionKey,
			brokerPort: this.config.brokerPort,
			env: {
				N8N_PORT: String(this.port),
				N8N_LISTEN_ADDRESS: '127.0.0.1',
				N8N_HOST: '127.0.0.1',
				N8N_PROTOCOL: 'http',
				N8N_EDITOR_BASE_URL: this.baseUrl,
				N8N_WEBHOOK_URL: `${this.baseUrl}/`,
				...this.config.env,
			},
		});
	}

	/** Spawns `n8n start` and waits until it is ready; logs in again when an owner exists. */
	async start(): Promise<void> {
		fs.appendFileSync(this.logFile, `\n===== n8n on ${this.baseUrl} (user folder ${this.userFolder})\n`);
		const timeoutMs = this.config.startTimeoutMs ?? 240_000;
		await this.process.startAndWait(timeoutMs);
		// n8n 1.x reports readiness once the database is migrated, before the REST routes exist.
		await waitFor(`${this.baseUrl}/rest/settings`, async () => (await fetch(`${this.baseUrl}/rest/settings`, { signal: AbortSignal.timeout(5_000) })).ok, {
			timeoutMs,
			intervalMs: 500,
		});
		this.forgetLogin();
		if (this.owner) await this.login();
	}

	/** SIGTERM, then SIGKILL after the bound. Idempotent. */
	async stop(timeoutMs = this.config.stopTimeoutMs ?? 30_000): Promise<void> {
		await this.process.stop(timeoutMs);
	}

	/** Stops and starts again with the same user folder, database, port and encryption key. */
	async restart(): Promise<void> {
		await this.stop();
		await this.start();
	}

	/**
	 * Stops n8n; keeps the log folder (and the user folder) when `keepLogs`, otherwise removes both
	 * (the user folder only when the harness created it).
	 */
	async dispose({ keepLogs }: { keepLogs: boolean }): Promise<void> {
		await this.stop();
		if (keepLogs) {
			fs.writeFileSync(path.join(this.logDir, 'README.txt'), `n8n ${this.installation.version}\nbase URL ${this.baseUrl}\nuser folder (SQLite DB under .n8n/) ${this.userFolder}\n`);
			process.stderr.write(`[n8n-harness] kept logs in ${this.logDir} (user folder ${this.userFolder})\n`);
			return;
		}
		fs.rmSync(this.logDir, { recursive: true, force: true });
		if (this.config.ownsUserFolder) fs.rmSync(this.userFolder, { recursive: true, force: true });
	}

	/** n8n's output so far (ANSI colours removed). */
	logText(): string {
		return this.process.logText();
	}

	logTail(lines: number): string {
		return this.process.logTail(lines);
	}
}

export interface StartWorkerOptions {
	installation: N8nInstallation;
	/** The worker's own user folder, with the community package installed in it. */
	userFolder: string;
	/** Must be the main's. */
	encryptionKey: string;
	/** Queue and database settings (the main's), and anything else. */
	env: Record<string, string | undefined>;
	logFile: string;
	startTimeoutMs?: number;
}

/** An `n8n worker`, ready once its health server (on a free loopback port) says so. */
export class N8nWorker {
	readonly healthPort: number;
	private readonly process: N8nProcess;

	private constructor(
		private readonly options: StartWorkerOptions,
		healthPort: number,
		brokerPort: number,
	) {
		this.healthPort = healthPort;
		const env = n8nEnvironment(options.installation, {
			userFolder: options.userFolder,
			encryptionKey: options.encryptionKey,
			brokerPort,
			env: {
				QUEUE_HEALTH_CHECK_ACTIVE: 'true',
				QUEUE_HEALTH_CHECK_PORT: String(healthPort),
				N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
				...options.env,
			},
		});
		this.process = new N8nProcess(options.installation, 'worker', `http://127.0.0.1:${healthPort}`, {
			userFolder: options.userFolder,
			env,
			logFile: options.logFile,
		});
	}

	static async start(options: StartWorkerOptions): Promise<N8nWorker> {
		const worker = new N8nWorker(options, await freePort(), await freePort());
		await worker.start();
		return worker;
	}

	get running(): boolean {
		return this.process.running;
	}

	get logFile(): string {
		return this.options.logFile;
	}

	async start(): Promise<void> {
		await this.process.startAndWait(this.options.startTimeoutMs ?? 180_000);
	}

	async stop(timeoutMs = 30_000): Promise<void> {
		await this.process.stop(timeoutMs);
	}

	/** SIGKILL to the worker's process group: a crash, nothing shut down cleanly. */
	async crash(): Promise<void> {
		this.process.kill('SIGKILL');
		await this.process.whenExited();
	}

	logText(): string {
		return this.process.logText();
	}
}

/** Polls `probe` until it returns a value other than undefined/false, or throws after the bound. */
export async function waitFor<T>(
	description: string,
	probe: () => Promise<T | undefined | false> | T | undefined | false,
	{ timeoutMs, intervalMs = 1_000 }: { timeoutMs: number; intervalMs?: number },
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	let lastError: unknown;
	for (;;) {
		try {
			const value = await probe();
			if (value !== undefined && value !== false) return value;
		} catch (error) {
			lastError = error;
		}
		if (Date.now() >= deadline) {
			const reason = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
			throw new Error(`timed out after ${timeoutMs} ms waiting for ${description}${reason}`);
		}
		await delay(intervalMs);
	}
}

export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() => {
				if (address && typeof address === 'object') resolve(address.port);
				else reject(new Error('could not get a free port'));
			});
		});
	});
}
