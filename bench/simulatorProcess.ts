/**
 * The Graph simulator in its own process (its CPU is not the trigger's), driven over its /_sim
 * admin API. Admin calls are neither delayed nor logged, so setting up a workload never shows up
 * in the request counts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface SimulatorInfo {
	baseUrl: string;
	loginBaseUrl: string;
	adminUrl: string;
	pid: number;
}

export interface LoggedRequest {
	seq: number;
	method: string;
	path: string;
	status?: number;
	concurrent: number;
	/** Answer size (Content-Length). */
	bytes?: number;
}

export interface SimMessage {
	id: string;
	receivedDateTime: string;
	lastModifiedDateTime: string;
}

export interface Tokens {
	access_token: string;
	refresh_token: string;
	expires_in: number;
	token_type: string;
}

export class SimulatorProcess {
	private lastSeq = 0;
	/** The simulated clock's shift against real time, as last set. */
	clockOffsetMs = 0;

	private constructor(
		readonly info: SimulatorInfo,
		private readonly child: ChildProcess,
	) {}

	/**
	 * Starts `node <cli.js> --port 0`, pinned to `cpu` with taskset when given, and waits for the
	 * JSON line the CLI prints once it listens.
	 */
	static async start(nodeBin: string, cliPath: string, cpu?: number): Promise<SimulatorProcess> {
		const args = [cliPath, '--port', '0'];
		const child =
			cpu === undefined
				? spawn(nodeBin, args, { stdio: ['ignore', 'pipe', 'inherit'] })
				: spawn('taskset', ['-c', String(cpu), nodeBin, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
		const lines = createInterface({ input: child.stdout! });
		const info = await new Promise<SimulatorInfo>((resolve, reject) => {
			child.once('exit', (code) => reject(new Error(`graph simulator exited with ${code} before it listened`)));
			lines.once('line', (line) => {
				try {
					resolve(JSON.parse(line) as SimulatorInfo);
				} catch (error) {
					reject(error);
				}
			});
		});
		return new SimulatorProcess(info, child);
	}

	async stop(): Promise<void> {
		if (this.child.exitCode !== null) return;
		const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
		this.child.kill('SIGTERM');
		await exited;
	}

	async admin<T>(method: string, path: string, body?: unknown): Promise<T> {
		const res = await fetch(`${this.info.adminUrl}${path}`, {
			method,
			headers: body === undefined ? undefined : { 'Content-Type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await res.text();
		if (!res.ok) throw new Error(`simulator admin ${method} ${path} answered ${res.status}: ${text.slice(0, 300)}`);
		return (text === '' ? undefined : JSON.parse(text)) as T;
	}

	/** Empty mailbox, no faults, clock back at real time; tokens stay valid. */
	async reset(): Promise<void> {
		await this.admin('POST', '/reset', {});
		await this.setClockOffset(0);
		await this.takeRequests();
	}

	async setLatency(ms: number): Promise<void> {
		await this.admin('PUT', '/latency', { ms });
	}

	async setClockOffset(offsetMs: number): Promise<void> {
		await this.admin('PUT', '/clock', { offsetMs });
		this.clockOffsetMs = offsetMs;
	}

	async seedMessages(count: number, startAt: number, stepMs: number): Promise<void> {
		await this.admin('POST', '/seed', { collection: 'messages', count, startAt, stepMs });
	}

	/** One message stamped `at`, with generated file attachments of `attachmentBytes` each. */
	async createMessageWithFiles(at: number, files: number, attachmentBytes: number): Promise<void> {
		const attachments = Array.from({ length: files }, (_, index) => ({ kind: 'file', name: `file-${index}.bin`, contentType: 'application/octet-stream', size: attachmentBytes }));
		await this.admin('POST', '/items/messages', { at, attachments });
	}

	/** The truth: every message in the mailbox (the admin view, not a Graph query). */
	async messages(): Promise<SimMessage[]> {
		const { value } = await this.admin<{ value: SimMessage[] }>('GET', '/items/messages?fields=id,receivedDateTime,lastModifiedDateTime');
		return value;
	}

	async patchMessage(id: string, patch: Record<string, unknown>): Promise<SimMessage> {
		return await this.admin<SimMessage>('PATCH', `/items/messages/${encodeURIComponent(id)}`, { patch });
	}

	async issueTokens(): Promise<Tokens> {
		return await this.admin<Tokens>('POST', '/tokens', {});
	}

	/** Graph and login requests logged since the previous call. */
	async takeRequests(): Promise<LoggedRequest[]> {
		const { value } = await this.admin<{ value: LoggedRequest[] }>('GET', `/requests?since=${this.lastSeq}`);
		for (const entry of value) this.lastSeq = Math.max(this.lastSeq, entry.seq);
		return value;
	}
}
