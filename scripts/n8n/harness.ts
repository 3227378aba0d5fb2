// Test harness around a real n8n server: the Node 20 test process spawns `n8n start` under the
// cached Node 24 (see install.sh), with SQLite in a throwaway user folder, and talks to it over
// the REST API (owner, login cookie, API key) and the public API (credentials, workflows,
// activation, executions).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { ensureN8nInstalled, REPO_ROOT, type N8nInstallation } from './install';

export const PACKAGE_NAME = 'n8n-nodes-office365-events';
export const TRIGGER_NODE_TYPE = `${PACKAGE_NAME}.office365Trigger`;
export const FORWARD_NODE_TYPE = `${PACKAGE_NAME}.office365EventForward`;
export const CREDENTIAL_TYPE = 'office365OAuth2Api';

export const DEFAULT_OWNER: OwnerAccount = {
	email: 'owner@example.com',
	password: 'E2e-Owner-Passw0rd',
	firstName: 'Test',
	lastName: 'Owner',
};

export interface OwnerAccount {
	email: string;
	password: string;
	firstName: string;
	lastName: string;
}

export interface StartN8nOptions {
	/** n8n's user folder (N8N_USER_FOLDER; n8n keeps its data in `<userFolder>/.n8n`). Default: a new temp folder. */
	userFolder?: string;
	/** Port for the editor/API on 127.0.0.1. Default: a free port. */
	port?: number;
	/** Extra environment for n8n (wins over the harness defaults). */
	env?: Record<string, string | undefined>;
	/** Packed tarball of this package, installed as a community package before the first start. */
	packageTarball?: string;
	/** Name of the log folder under .e2e-logs/. */
	label?: string;
	/** Bound for /healthz + REST readiness after spawning. Default 240 s (first boot runs migrations). */
	startTimeoutMs?: number;
	/** Bound between SIGTERM and SIGKILL. Default 30 s. */
	stopTimeoutMs?: number;
	/** Also copy n8n's output to this process's stderr (or set N8N_E2E_ECHO_LOGS=1). */
	echoLogs?: boolean;
}

export interface ExecutionSummary {
	id: string | number;
	workflowId: string;
	status?: string;
	finished?: boolean;
	mode?: string;
	startedAt?: string;
	stoppedAt?: string | null;
	data?: ExecutionData;
}

export interface ExecutionData {
	resultData?: {
		error?: { message?: string; description?: string };
		runData?: Record<string, Array<{ error?: { message?: string }; data?: { main?: Array<Array<{ json: unknown }> | null> } }>>;
		lastNodeExecuted?: string;
	};
}

export interface WorkflowDefinition {
	name: string;
	nodes: unknown[];
	connections: Record<string, unknown>;
	settings?: Record<string, unknown>;
	staticData?: unknown;
}

export class N8nHttpError extends Error {
	constructor(
		readonly method: string,
		readonly url: string,
		readonly status: number,
		readonly body: unknown,
	) {
		super(`${method} ${url} -> HTTP ${status}: ${typeof body === 'string' ? body : JSON.stringify(body)}`);
		this.name = 'N8nHttpError';
	}
}

type RequestAuth = 'none' | 'cookie' | 'apiKey';

interface RequestOptions {
	body?: unknown;
	auth?: RequestAuth;
	/** Statuses returned instead of thrown. */
	allow?: number[];
	timeoutMs?: number;
}

const live = new Set<N8nInstance>();
process.once('exit', () => {
	for (const instance of live) instance.killNow();
});

/** Installs n8n if needed, installs the package tarball, starts n8n and waits until it answers. */
export async function startN8n(options: StartN8nOptions = {}): Promise<N8nInstance> {
	const installation = await ensureN8nInstalled();
	const ownsUserFolder = !options.userFolder;
	const userFolder = options.userFolder ?? fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-e2e-'));
	const port = options.port ?? (await freePort());
	const label = options.label ?? 'n8n';
	const logDir = path.join(REPO_ROOT, '.e2e-logs', `${label}-${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}`);
	fs.mkdirSync(logDir, { recursive: true });
	const instance = new N8nInstance(installation, {
		...options,
		userFolder,
		port,
		logFile: path.join(logDir, 'n8n.log'),
		logDir,
		ownsUserFolder,
		brokerPort: await freePort(),
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

interface InstanceConfig extends StartN8nOptions {
	userFolder: string;
	port: number;
	logFile: string;
	logDir: string;
	ownsUserFolder: boolean;
	brokerPort: number;
}

export class N8nInstance {
	readonly userFolder: string;
	readonly port: number;
	readonly baseUrl: string;
	readonly logFile: string;
	readonly logDir: string;
	owner: OwnerAccount | undefined;
	apiKey: string | undefined;

	private child: ChildProcess | undefined;
	private exited: Promise<void> = Promise.resolve();
	private cookie: string | undefined;
	private readonly browserId = randomBytes(8).toString('hex');
	private readonly encryptionKey = randomBytes(24).toString('hex');
	private starts = 0;

	constructor(
		readonly installation: N8nInstallation,
		private readonly config: InstanceConfig,
	) {
		this.userFolder = config.userFolder;
		this.port = config.port;
		this.baseUrl = `http://127.0.0.1:${config.port}`;
		this.logFile = config.logFile;
		this.logDir = config.logDir;
	}

	get pid(): number | undefined {
		return this.child?.pid;
	}

	get running(): boolean {
		return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
	}

	/** Environment n8n runs with (harness defaults, then options.env). */
	environment(): NodeJS.ProcessEnv {
		const inherited: NodeJS.ProcessEnv = {};
		for (const [key, value] of Object.entries(process.env)) {
			// Keep the test runner's and npm's settings away from the server process.
			if (/^(NODE_OPTIONS|NODE_TEST_CONTEXT|NODE_PATH|NODE_CHANNEL_FD|NODE_UNIQUE_ID|TSX_.*|npm_.*|N8N_.*)$/i.test(key)) continue;
			inherited[key] = value;
		}
		const env: NodeJS.ProcessEnv = {
			...inherited,
			PATH: `${path.dirname(this.installation.nodeBin)}${path.delimiter}${process.env.PATH ?? ''}`,
			NO_PROXY: ['127.0.0.1', 'localhost', process.env.NO_PROXY].filter(Boolean).join(','),
			no_proxy: ['127.0.0.1', 'localhost', process.env.no_proxy].filter(Boolean).join(','),
			TZ: 'UTC',
			GENERIC_TIMEZONE: 'UTC',
			N8N_USER_FOLDER: this.userFolder,
			N8N_PORT: String(this.port),
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: '127.0.0.1',
			N8N_PROTOCOL: 'http',
			N8N_EDITOR_BASE_URL: this.baseUrl,
			N8N_WEBHOOK_URL: `${this.baseUrl}/`,
			N8N_ENCRYPTION_KEY: this.encryptionKey,
			DB_TYPE: 'sqlite',
			N8N_SECURE_COOKIE: 'false',
			N8N_RUNNERS_ENABLED: 'false',
			N8N_RUNNERS_BROKER_PORT: String(this.config.brokerPort),
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
		for (const [key, value] of Object.entries(this.config.env ?? {})) {
			if (value === undefined) delete env[key];
			else env[key] = value;
		}
		return env;
	}

	/** Spawns `n8n start` and waits until /healthz and the REST API answer. */
	async start(): Promise<void> {
		if (this.running) throw new Error('n8n is already running');
		this.starts += 1;
		const { nodeBin, n8nBin } = this.installation;
		fs.appendFileSync(this.logFile, `\n===== n8n start #${this.starts} at ${new Date().toISOString()} on ${this.baseUrl} (user folder ${this.userFolder})\n`);
		const logFd = fs.openSync(this.logFile, 'a');
		const echo = this.config.echoLogs ?? process.env.N8N_E2E_ECHO_LOGS === '1';
		const child = spawn(nodeBin, [n8nBin, 'start'], {
			cwd: this.userFolder,
			env: this.environment(),
			detached: true, // own process group, so stop() reaches anything n8n spawns
			stdio: ['ignore', echo ? 'pipe' : logFd, echo ? 'pipe' : logFd],
		});
		if (echo) {
			const forward = (chunk: Buffer): void => {
				fs.appendFileSync(this.logFile, chunk);
				process.stderr.write(chunk);
			};
			child.stdout?.on('data', forward);
			child.stderr?.on('data', forward);
		}
		fs.closeSync(logFd);
		this.child = child;
		live.add(this);
		this.exited = new Promise((resolve) => {
			child.once('exit', (code, signal) => {
				fs.appendFileSync(this.logFile, `===== n8n exited (code ${String(code)}, signal ${String(signal)}) at ${new Date().toISOString()}\n`);
				live.delete(this);
				resolve();
			});
			child.once('error', (error) => {
				fs.appendFileSync(this.logFile, `===== spawn error: ${error.message}\n`);
				live.delete(this);
				resolve();
			});
		});
		try {
			await this.waitUntilReady(this.config.startTimeoutMs ?? 240_000);
		} catch (error) {
			await this.stop();
			throw error;
		}
		this.cookie = undefined;
		if (this.owner) await this.login();
	}

	private async waitUntilReady(timeoutMs: number): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		let last = 'no answer yet';
		while (Date.now() < deadline) {
			if (!this.running) {
				throw new Error(`n8n exited during startup (${last}). Log ${this.logFile}:\n${this.logTail(60)}`);
			}
			try {
				// /healthz answers as soon as the HTTP server listens (during migrations, when every other
				// route says "n8n is starting up"); /healthz/readiness only once the DB is migrated and
				// n8n is fully started (nodes loaded, active workflows activated).
				const health = await fetch(`${this.baseUrl}/healthz`, { signal: AbortSignal.timeout(5_000) });
				last = `/healthz ${health.status}`;
				if (health.ok) {
					const readiness = await fetch(`${this.baseUrl}/healthz/readiness`, { signal: AbortSignal.timeout(5_000) });
					last = `/healthz/readiness ${readiness.status}`;
					if (readiness.ok) return;
				}
			} catch (error) {
				last = error instanceof Error ? error.message : String(error);
			}
			await delay(500);
		}
		throw new Error(`n8n did not become ready within ${timeoutMs} ms (${last}). Log ${this.logFile}:\n${this.logTail(60)}`);
	}

	/** SIGTERM, then SIGKILL after the bound. Idempotent. */
	async stop(timeoutMs = this.config.stopTimeoutMs ?? 30_000): Promise<void> {
		const child = this.child;
		if (!child || !this.running) {
			await this.exited;
			return;
		}
		signalGroup(child, 'SIGTERM');
		const stopped = await Promise.race([this.exited.then(() => true), delay(timeoutMs).then(() => false)]);
		if (!stopped) {
			fs.appendFileSync(this.logFile, `===== no exit ${timeoutMs} ms after SIGTERM, sending SIGKILL\n`);
			signalGroup(child, 'SIGKILL');
			await this.exited;
		}
		// Anything left in the process group (n8n may spawn helpers).
		signalGroup(child, 'SIGKILL');
	}

	/** Stops and starts again with the same user folder, database, port and encryption key. */
	async restart(): Promise<void> {
		await this.stop();
		await this.start();
	}

	/** Synchronous last-resort kill (process exit handler). */
	killNow(): void {
		if (this.child && this.running) signalGroup(this.child, 'SIGKILL');
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
		try {
			return fs.readFileSync(this.logFile, 'utf8').replace(/\u001b\[[0-9;]*m/g, '');
		} catch {
			return '';
		}
	}

	logTail(lines: number): string {
		return this.logText().split('\n').slice(-lines).join('\n');
	}

	// ---- HTTP --------------------------------------------------------------------------------

	async request<T = unknown>(method: string, urlPath: string, options: RequestOptions = {}): Promise<{ status: number; body: T; headers: Headers }> {
		const headers: Record<string, string> = { accept: 'application/json', 'browser-id': this.browserId };
		if (options.body !== undefined) headers['content-type'] = 'application/json';
		const auth = options.auth ?? 'cookie';
		if (auth === 'cookie') {
			if (!this.cookie) throw new Error(`no login cookie for ${method} ${urlPath}: call setupOwner() or login() first`);
			headers.cookie = this.cookie;
		} else if (auth === 'apiKey') {
			if (!this.apiKey) throw new Error(`no API key for ${method} ${urlPath}: call createApiKey() first`);
			headers['x-n8n-api-key'] = this.apiKey;
		}
		const url = `${this.baseUrl}${urlPath}`;
		const response = await fetch(url, {
			method,
			headers,
			body: options.body === undefined ? undefined : JSON.stringify(options.body),
			signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
		});
		const text = await response.text();
		let body: unknown = text;
		try {
			body = text ? JSON.parse(text) : undefined;
		} catch {
			// not JSON: keep the text
		}
		if (!response.ok && !(options.allow ?? []).includes(response.status)) {
			throw new N8nHttpError(method, url, response.status, body);
		}
		return { status: response.status, body: body as T, headers: response.headers };
	}

	/** REST API (cookie auth); unwraps n8n's `{ data }` envelope. */
	async rest<T = unknown>(method: string, urlPath: string, body?: unknown): Promise<T> {
		const response = await this.request<{ data: T }>(method, `/rest${urlPath}`, { body, auth: 'cookie' });
		return response.body.data;
	}

	/** Public API (`X-N8N-API-KEY`). */
	async api<T = unknown>(method: string, urlPath: string, body?: unknown): Promise<T> {
		const response = await this.request<T>(method, `/api/v1${urlPath}`, { body, auth: 'apiKey' });
		return response.body;
	}

	private rememberCookie(headers: Headers): void {
		const cookies = headers.getSetCookie().map((value) => value.split(';')[0]);
		const auth = cookies.find((value) => value.startsWith('n8n-auth='));
		if (!auth) throw new Error(`n8n sent no n8n-auth cookie (got: ${cookies.join(', ') || 'none'})`);
		this.cookie = auth;
	}

	/** Creates the owner account (or logs in if the instance already has one). */
	async setupOwner(owner: OwnerAccount = DEFAULT_OWNER): Promise<OwnerAccount> {
		const response = await this.request('POST', '/rest/owner/setup', { body: owner, auth: 'none', allow: [400] });
		this.owner = owner;
		if (response.status === 400) await this.login();
		else this.rememberCookie(response.headers);
		return owner;
	}

	async login(): Promise<string> {
		if (!this.owner) throw new Error('login() needs setupOwner() first');
		const response = await this.request('POST', '/rest/login', {
			body: { emailOrLdapLoginId: this.owner.email, password: this.owner.password },
			auth: 'none',
		});
		this.rememberCookie(response.headers);
		return this.cookie as string;
	}

	/** The `n8n-auth=...` cookie pair of the logged-in owner. */
	get authCookie(): string | undefined {
		return this.cookie;
	}

	/** Creates a public-API key with the given scopes (default: every scope the owner may grant). */
	async createApiKey(scopes?: string[]): Promise<string> {
		const granted = scopes ?? (await this.rest<string[]>('GET', '/api-keys/scopes'));
		const created = await this.rest<{ rawApiKey?: string; apiKey?: string }>('POST', '/api-keys', {
			label: `e2e-${Date.now()}`,
			expiresAt: null,
			scopes: granted,
		});
		const key = created.rawApiKey ?? created.apiKey;
		if (!key) throw new Error(`POST /rest/api-keys returned no key: ${JSON.stringify(created)}`);
		this.apiKey = key;
		return key;
	}

	/**
	 * Creates a credential. Through the public API (`POST /api/v1/credentials`) unless `data`
	 * carries `oauthTokenData`: the public API validates `data` against the credential's visible
	 * properties with additionalProperties=false, so OAuth tokens obtained out of band can only be
	 * stored through the editor's REST endpoint (`POST /rest/credentials`, owner cookie).
	 */
	async createCredential(credential: { name: string; type: string; data: Record<string, unknown> }): Promise<{ id: string; name: string; type: string }> {
		if ('oauthTokenData' in credential.data) return this.rest('POST', '/credentials', credential);
		return this.api('POST', '/credentials', credential);
	}

	/**
	 * Runs n8n's own OAuth2 "Connect" flow for a credential, like a user clicking "Connect my
	 * account": asks n8n for the authorize URL (evaluating the credential's URL expressions),
	 * follows it at the identity provider (which must redirect straight back with a code, as the
	 * Graph simulator does), then calls n8n's callback, which redeems the code at the token
	 * endpoint and stores oauthTokenData. Returns the authorize URL n8n produced.
	 */
	async connectOAuth2(credentialId: string): Promise<string> {
		const authorizeUrl = await this.rest<string>('GET', `/oauth2-credential/auth?id=${encodeURIComponent(credentialId)}`);
		const idp = await fetch(authorizeUrl, { redirect: 'manual', signal: AbortSignal.timeout(30_000) });
		const location = idp.headers.get('location');
		if (idp.status < 300 || idp.status >= 400 || !location) {
			throw new Error(`authorize URL ${authorizeUrl} answered ${idp.status} without a redirect: ${await idp.text()}`);
		}
		const callback = new URL(location, authorizeUrl);
		if (callback.origin !== this.baseUrl) throw new Error(`identity provider redirected to ${callback.origin}, not to n8n (${this.baseUrl})`);
		const page = await this.request<string>('GET', `${callback.pathname}${callback.search}`, { auth: 'cookie' });
		const data = await this.getCredentialData(credentialId);
		if (!data.oauthTokenData) {
			throw new Error(`n8n's OAuth2 callback did not store tokens for credential ${credentialId}: ${String(page.body).slice(0, 500)}`);
		}
		return authorizeUrl;
	}

	/** Decrypted credential data as n8n stores it (REST, `includeData=true`; secrets may come back redacted). */
	async getCredentialData(id: string): Promise<Record<string, unknown>> {
		const credential = await this.rest<{ data?: Record<string, unknown> }>('GET', `/credentials/${encodeURIComponent(id)}?includeData=true`);
		return credential.data ?? {};
	}

	async createWorkflow(workflow: WorkflowDefinition): Promise<{ id: string; name: string; active: boolean; versionId?: string }> {
		return this.api('POST', '/workflows', { settings: {}, ...workflow });
	}

	async getWorkflow(id: string): Promise<{ id: string; active: boolean; staticData?: unknown; versionId?: string; activeVersionId?: string | null }> {
		return this.api('GET', `/workflows/${encodeURIComponent(id)}`);
	}

	/**
	 * Publishes (n8n 2.x term for activating) a workflow: `POST /workflows/{id}/publish`, falling
	 * back to the deprecated `/activate` alias. Activation runs the trigger's first poll
	 * synchronously, so activation errors surface here as an N8nHttpError.
	 */
	async activateWorkflow(id: string): Promise<void> {
		const base = `/api/v1/workflows/${encodeURIComponent(id)}`;
		const published = await this.request('POST', `${base}/publish`, { body: {}, auth: 'apiKey', allow: [404] });
		if (published.status === 404) await this.request('POST', `${base}/activate`, { body: {}, auth: 'apiKey' });
		const workflow = await this.getWorkflow(id);
		if (!workflow.active) throw new Error(`workflow ${id} is not active after publishing: ${JSON.stringify(workflow)}`);
	}

	async deactivateWorkflow(id: string): Promise<void> {
		const base = `/api/v1/workflows/${encodeURIComponent(id)}`;
		const unpublished = await this.request('POST', `${base}/unpublish`, { auth: 'apiKey', allow: [404] });
		if (unpublished.status === 404) await this.request('POST', `${base}/deactivate`, { auth: 'apiKey' });
	}

	/** All executions (newest first), following the public API's cursor. */
	async listExecutions(filter: { workflowId?: string; includeData?: boolean; status?: string } = {}): Promise<ExecutionSummary[]> {
		const all: ExecutionSummary[] = [];
		let cursor: string | undefined;
		for (let page = 0; page < 100; page++) {
			const query = new URLSearchParams({ limit: '100' });
			if (filter.workflowId) query.set('workflowId', filter.workflowId);
			if (filter.includeData) query.set('includeData', 'true');
			if (filter.status) query.set('status', filter.status);
			if (cursor) query.set('cursor', cursor);
			const result = await this.api<{ data: ExecutionSummary[]; nextCursor?: string | null }>('GET', `/executions?${query.toString()}`);
			all.push(...result.data);
			if (!result.nextCursor) break;
			cursor = result.nextCursor;
		}
		return all;
	}

	/** Node types n8n serves to the editor (`/types/nodes.json`). */
	async nodeTypes(): Promise<Array<{ name: string; displayName: string; version: number | number[] }>> {
		const response = await this.request<Array<{ name: string; displayName: string; version: number | number[] }>>('GET', '/types/nodes.json', {
			auth: this.cookie ? 'cookie' : 'none',
		});
		return response.body;
	}

	/** Credential types n8n serves to the editor (`/types/credentials.json`). */
	async credentialTypes(): Promise<Array<{ name: string; displayName: string }>> {
		const response = await this.request<Array<{ name: string; displayName: string }>>('GET', '/types/credentials.json', {
			auth: this.cookie ? 'cookie' : 'none',
		});
		return response.body;
	}
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
	if (child.pid === undefined) return;
	try {
		process.kill(-child.pid, signal);
	} catch {
		try {
			child.kill(signal);
		} catch {
			// already gone
		}
	}
}

export function delay(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
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
