// Lifecycle of one server process the tests start (n8n main or worker, PostgreSQL, Redis): spawned in
// its own process group with its output appended to a log file, stopped with a bounded wait and
// SIGKILL after it, and killed when the test process exits or is stopped by a signal, whatever happened.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';

export interface ManagedProcessOptions {
	/** Name in the log file's markers. */
	label: string;
	command: string;
	args: string[];
	env: NodeJS.ProcessEnv;
	cwd: string;
	logFile: string;
	/** Run as this user (the test process must be root); PostgreSQL refuses to run as root. */
	user?: { uid: number; gid: number };
	/** Signal that asks for a clean shutdown (PostgreSQL: SIGINT, its "fast" shutdown). Default SIGTERM. */
	stopSignal?: NodeJS.Signals;
	/** Also copy the output to this process's stderr. */
	echo?: boolean;
}

const live = new Set<ManagedProcess>();
const killAll = (): void => {
	for (const child of live) child.kill('SIGKILL');
};
process.once('exit', killAll);
// A test process stopped by a signal (a cancelled run, a CI timeout) never reaches 'exit': kill the servers, then
// end the way the signal would have.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
	process.once(signal, () => {
		killAll();
		process.kill(process.pid, signal);
	});
}

export class ManagedProcess {
	private child: ChildProcess | undefined;
	private exited: Promise<void> = Promise.resolve();
	private starts = 0;

	constructor(readonly options: ManagedProcessOptions) {}

	get logFile(): string {
		return this.options.logFile;
	}

	get pid(): number | undefined {
		return this.child?.pid;
	}

	get running(): boolean {
		return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
	}

	start(): void {
		if (this.running) throw new Error(`${this.options.label} is already running`);
		this.starts += 1;
		const { label, command, args, env, cwd, logFile, user, echo } = this.options;
		fs.appendFileSync(logFile, `\n===== ${label} start #${this.starts} at ${new Date().toISOString()}: ${command} ${args.join(' ')}\n`);
		const logFd = fs.openSync(logFile, 'a');
		const child = spawn(command, args, {
			cwd,
			env,
			detached: true, // own process group, so stop() reaches anything it spawns
			stdio: ['ignore', echo ? 'pipe' : logFd, echo ? 'pipe' : logFd],
			...(user ?? {}),
		});
		fs.closeSync(logFd);
		if (echo) {
			const forward = (chunk: Buffer): void => {
				fs.appendFileSync(logFile, chunk);
				process.stderr.write(chunk);
			};
			child.stdout?.on('data', forward);
			child.stderr?.on('data', forward);
		}
		this.child = child;
		live.add(this);
		this.exited = new Promise((resolve) => {
			child.once('exit', (code, signal) => {
				fs.appendFileSync(logFile, `===== ${label} exited (code ${String(code)}, signal ${String(signal)}) at ${new Date().toISOString()}\n`);
				live.delete(this);
				resolve();
			});
			child.once('error', (error) => {
				fs.appendFileSync(logFile, `===== ${label} spawn error: ${error.message}\n`);
				live.delete(this);
				resolve();
			});
		});
	}

	/** Clean shutdown with a bound, then SIGKILL. Idempotent. */
	async stop(timeoutMs: number): Promise<void> {
		const child = this.child;
		if (!child || !this.running) {
			await this.exited;
			return;
		}
		this.kill(this.options.stopSignal ?? 'SIGTERM');
		const stopped = await Promise.race([this.exited.then(() => true), delay(timeoutMs).then(() => false)]);
		if (!stopped) {
			fs.appendFileSync(this.logFile, `===== no exit ${timeoutMs} ms after asking ${this.options.label} to stop, sending SIGKILL\n`);
			this.kill('SIGKILL');
			await this.exited;
		}
		// Anything left in the process group.
		this.kill('SIGKILL');
	}

	/** Sends a signal to the whole process group (SIGKILL: a crash, nothing cleaned up). */
	kill(signal: NodeJS.Signals): void {
		const pid = this.child?.pid;
		if (pid === undefined) return;
		try {
			process.kill(-pid, signal);
		} catch {
			try {
				this.child?.kill(signal);
			} catch {
				// already gone
			}
		}
	}

	/** Resolves when the process has exited (at once when it is not running). */
	whenExited(): Promise<void> {
		return this.exited;
	}

	/** The output so far (ANSI colours removed). */
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
}

export function delay(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}
