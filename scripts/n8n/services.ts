// PostgreSQL and Redis for the queue-mode topology: private instances on free loopback ports, data
// in temp folders, no persistence beyond the test. scripts/n8n/install-queue-services.sh finds (or
// installs) the binaries.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT } from './install';
import { delay, ManagedProcess } from './managedProcess';

export interface ServiceBinaries {
	redisServer: string;
	/** Folder holding initdb, pg_ctl, postgres (and psql). */
	postgresBinDir: string;
}

/** Runs install-queue-services.sh and returns the binaries it found. */
export function ensureQueueServices(): Promise<ServiceBinaries> {
	return new Promise((resolve, reject) => {
		const child = spawn('bash', [path.join(REPO_ROOT, 'scripts', 'n8n', 'install-queue-services.sh')], { stdio: ['ignore', 'pipe', 'pipe'] });
		let stdout = '';
		child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
		child.stderr.on('data', (chunk: Buffer) => process.stderr.write(chunk));
		child.on('error', reject);
		child.on('close', (code) => {
			const redisServer = /^REDIS_SERVER_BIN=(.+)$/m.exec(stdout)?.[1];
			const postgresBinDir = /^PG_BIN_DIR=(.+)$/m.exec(stdout)?.[1];
			if (code !== 0 || !redisServer || !postgresBinDir) reject(new Error(`install-queue-services.sh exited with ${String(code)}:\n${stdout}`));
			else resolve({ redisServer, postgresBinDir });
		});
	});
}

export interface Service {
	port: number;
	logFile: string;
	stop(): Promise<void>;
}

export interface Postgres extends Service {
	database: string;
	user: string;
	/** Runs one SQL statement with psql; returns its unaligned, tuples-only output. */
	query(sql: string): string;
}

/** PostgreSQL refuses to run as root: then it runs as the `postgres` user (Debian's), else `nobody`. */
function unprivilegedUser(): { uid: number; gid: number } | undefined {
	if (process.getuid?.() !== 0) return undefined;
	for (const name of ['postgres', 'nobody']) {
		const uid = spawnSync('id', ['-u', name], { encoding: 'utf8' });
		const gid = spawnSync('id', ['-g', name], { encoding: 'utf8' });
		if (uid.status === 0 && gid.status === 0) return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
	}
	throw new Error('running as root, and neither a "postgres" nor a "nobody" user exists to run PostgreSQL as');
}

export async function startPostgres(binDir: string, port: number, logDir: string): Promise<Postgres> {
	const user = unprivilegedUser();
	const root = fs.mkdtempSync(path.join(os.tmpdir(), 'o365-pg-'));
	if (user) fs.chownSync(root, user.uid, user.gid);
	const dataDir = path.join(root, 'data');
	const logFile = path.join(logDir, 'postgres.log');
	const dbUser = 'n8n';
	const database = 'n8n';
	const initdb = spawnSync(path.join(binDir, 'initdb'), ['-D', dataDir, '-U', dbUser, '--auth=trust', '--encoding=UTF8', '--no-sync'], {
		encoding: 'utf8',
		timeout: 120_000,
		...(user ?? {}),
	});
	fs.appendFileSync(logFile, `--- initdb\n${initdb.stdout}${initdb.stderr}\n`);
	if (initdb.status !== 0) throw new Error(`initdb failed (${String(initdb.status)}): ${initdb.stderr}`);

	const server = new ManagedProcess({
		label: 'postgres',
		command: path.join(binDir, 'postgres'),
		// A throwaway cluster: no fsync; the socket stays in the temp folder, TCP on loopback only.
		args: ['-D', dataDir, '-p', String(port), '-h', '127.0.0.1', '-k', root, '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=100'],
		env: { PATH: process.env.PATH, LANG: 'C.UTF-8' },
		cwd: root,
		logFile,
		user,
		stopSignal: 'SIGINT', // "fast" shutdown: does not wait for clients to disconnect
	});
	const psql = (sql: string, db = database): string => {
		const result = spawnSync(path.join(binDir, 'psql'), ['-h', '127.0.0.1', '-p', String(port), '-U', dbUser, '-d', db, '-v', 'ON_ERROR_STOP=1', '-At', '-c', sql], {
			encoding: 'utf8',
			timeout: 30_000,
		});
		if (result.status !== 0) throw new Error(`psql ${JSON.stringify(sql)} failed: ${result.stderr}`);
		return result.stdout.trim();
	};
	const stop = async (): Promise<void> => {
		await server.stop(30_000);
		fs.rmSync(root, { recursive: true, force: true });
	};
	server.start();
	try {
		await waitForPort('postgres', server, port, 60_000);
		// Accepting connections can lag the port opening (startup recovery).
		await retry(() => psql('select 1', 'postgres'), 30_000);
		psql(`create database ${database}`, 'postgres');
	} catch (error) {
		await stop();
		throw error;
	}
	return { port, logFile, database, user: dbUser, query: (sql) => psql(sql), stop };
}

export async function startRedis(redisServer: string, port: number, logDir: string): Promise<Service> {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'o365-redis-'));
	const logFile = path.join(logDir, 'redis.log');
	const server = new ManagedProcess({
		label: 'redis',
		command: redisServer,
		args: ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', '--protected-mode', 'yes', '--daemonize', 'no'],
		env: { PATH: process.env.PATH },
		cwd: dir,
		logFile,
	});
	const stop = async (): Promise<void> => {
		await server.stop(15_000);
		fs.rmSync(dir, { recursive: true, force: true });
	};
	server.start();
	try {
		await waitForPort('redis', server, port, 30_000);
		await retry(() => redisPing(port), 15_000);
	} catch (error) {
		await stop();
		throw error;
	}
	return { port, logFile, stop };
}

async function waitForPort(label: string, server: ManagedProcess, port: number, timeoutMs: number): Promise<void> {
	await retry(async () => {
		if (!server.running) throw Object.assign(new Error(`${label} exited during startup. Log ${server.logFile}:\n${server.logTail(30)}`), { fatal: true });
		await connect(port);
	}, timeoutMs);
}

function connect(port: number): Promise<void> {
	return new Promise((resolve, reject) => {
		const socket = net.connect({ host: '127.0.0.1', port, timeout: 2_000 });
		socket.once('connect', () => {
			socket.destroy();
			resolve();
		});
		socket.once('timeout', () => socket.destroy(new Error(`connect to 127.0.0.1:${port} timed out`)));
		socket.once('error', reject);
	});
}

function redisPing(port: number): Promise<void> {
	return new Promise((resolve, reject) => {
		const socket = net.connect({ host: '127.0.0.1', port, timeout: 2_000 });
		let reply = '';
		socket.once('connect', () => socket.write('PING\r\n'));
		socket.on('data', (chunk) => {
			reply += chunk.toString('utf8');
			if (reply.includes('\r\n')) {
				socket.destroy();
				if (reply.startsWith('+PONG')) resolve();
				else reject(new Error(`redis answered ${JSON.stringify(reply)}`));
			}
		});
		socket.once('timeout', () => socket.destroy(new Error('redis PING timed out')));
		socket.once('error', reject);
	});
}

async function retry<T>(attempt: () => T | Promise<T>, timeoutMs: number): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		try {
			return await attempt();
		} catch (error) {
			if (Date.now() >= deadline || (error as { fatal?: boolean }).fatal) throw error;
			await delay(250);
		}
	}
}
