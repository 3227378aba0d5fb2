// Client for a running n8n main: the editor's REST API (owner, login cookie, API keys, OAuth2
// connect) and the public API (credentials, workflows, publishing, executions).
import { randomBytes } from 'node:crypto';

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

/** Where the editor loads a type's icon from: one path, or one per theme. */
export type IconUrl = string | { light: string; dark: string };

interface RequestOptions {
	body?: unknown;
	auth?: RequestAuth;
	/** Statuses returned instead of thrown. */
	allow?: number[];
	timeoutMs?: number;
}

export class N8nClient {
	owner: OwnerAccount | undefined;
	apiKey: string | undefined;

	private cookie: string | undefined;
	private readonly browserId = randomBytes(8).toString('hex');

	/**
	 * @param publicApiCredentials create credentials through the public API (off for n8n 1.x, see
	 * createCredential)
	 */
	constructor(
		readonly baseUrl: string,
		private readonly publicApiCredentials = true,
	) {}

	/** Forgets the login cookie (a restarted n8n may not accept it); login() gets a new one. */
	forgetLogin(): void {
		this.cookie = undefined;
	}

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
	 * carries `oauthTokenData` or `publicApiCredentials` is off: the public API validates `data`
	 * against the credential's visible properties with additionalProperties=false, so OAuth tokens
	 * obtained out of band can only be stored through the editor's REST endpoint
	 * (`POST /rest/credentials`, owner cookie); and n8n 1.x's public API also requires every
	 * conditional property of `oAuth2Api` (serverUrl, allowedDomains, …) of any OAuth2 credential.
	 */
	async createCredential(credential: { name: string; type: string; data: Record<string, unknown> }): Promise<{ id: string; name: string; type: string }> {
		if ('oauthTokenData' in credential.data || !this.publicApiCredentials) return this.rest('POST', '/credentials', credential);
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
		// n8n 1.x has no /publish: 404 or 405.
		const published = await this.request('POST', `${base}/publish`, { body: {}, auth: 'apiKey', allow: [404, 405] });
		if (published.status === 404 || published.status === 405) await this.request('POST', `${base}/activate`, { body: {}, auth: 'apiKey' });
		const workflow = await this.getWorkflow(id);
		if (!workflow.active) throw new Error(`workflow ${id} is not active after publishing: ${JSON.stringify(workflow)}`);
	}

	async deactivateWorkflow(id: string): Promise<void> {
		const base = `/api/v1/workflows/${encodeURIComponent(id)}`;
		const unpublished = await this.request('POST', `${base}/unpublish`, { auth: 'apiKey', allow: [404, 405] });
		if (unpublished.status === 404 || unpublished.status === 405) await this.request('POST', `${base}/deactivate`, { auth: 'apiKey' });
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
	async nodeTypes(): Promise<Array<{ name: string; displayName: string; version: number | number[]; iconUrl?: IconUrl }>> {
		const response = await this.request<Array<{ name: string; displayName: string; version: number | number[]; iconUrl?: IconUrl }>>('GET', '/types/nodes.json', {
			auth: this.cookie ? 'cookie' : 'none',
		});
		return response.body;
	}

	/** Credential types n8n serves to the editor (`/types/credentials.json`). */
	async credentialTypes(): Promise<Array<{ name: string; displayName: string; iconUrl?: IconUrl }>> {
		const response = await this.request<Array<{ name: string; displayName: string; iconUrl?: IconUrl }>>('GET', '/types/credentials.json', {
			auth: this.cookie ? 'cookie' : 'none',
		});
		return response.body;
	}

	/** An icon the editor loads (an `iconUrl` of the types above): its status and text. */
	async icon(iconUrl: string): Promise<{ status: number; text: string }> {
		const response = await fetch(`${this.baseUrl}/${iconUrl.replace(/^\/+/, '')}`, { signal: AbortSignal.timeout(30_000) });
		return { status: response.status, text: await response.text() };
	}}
