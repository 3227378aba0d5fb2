// n8n in queue mode on loopback: PostgreSQL (the database), Redis (the queue), one main
// (`EXECUTIONS_MODE=queue`: owns triggers, enqueues executions) and N `n8n worker` processes (run
// them). Each n8n process has its own user folder with the packed package installed as a community
// package, as on separate machines. All logs go to one folder, kept on failure.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort, installCommunityPackage, N8nWorker, newLogDir, startN8n, type N8nInstance } from './harness';
import { ensureN8nInstalled } from './install';
import { ensureQueueServices, startPostgres, startRedis, type Postgres, type Service } from './services';

export interface QueueTopologyOptions {
	packageTarball: string;
	/** Number of workers. Default 2. */
	workers?: number;
	/** n8n version (default: the pinned one). */
	version?: string;
	/** Log folder name under .e2e-logs/. Default "queue". */
	label?: string;
	/** Extra environment for every n8n process. */
	env?: Record<string, string | undefined>;
}

/**
 * Binary data in queue mode must be where every process can read it: the main, or the worker that
 * ran an earlier node, stores it; another process reads it. n8n 2.x defaults to (and without a
 * licence for S3/Azure, only offers) `database` in queue mode; `filesystem` would be each machine's
 * own disk.
 */
export const QUEUE_BINARY_DATA_MODE = 'database';

export class QueueTopology {
	private constructor(
		readonly logDir: string,
		readonly postgres: Postgres,
		readonly redis: Service,
		readonly main: N8nInstance,
		readonly workers: N8nWorker[],
		private readonly userFolders: string[],
	) {}

	static async start(options: QueueTopologyOptions): Promise<QueueTopology> {
		const logDir = newLogDir(options.label ?? 'queue');
		const [binaries, installation] = await Promise.all([ensureQueueServices(), ensureN8nInstalled(options.version)]);
		const started: Array<{ stop(): Promise<void> }> = [];
		const userFolders: string[] = [];
		try {
			const postgres = await startPostgres(binaries.postgresBinDir, await freePort(), logDir);
			started.push(postgres);
			const redis = await startRedis(binaries.redisServer, await freePort(), logDir);
			started.push(redis);

			const shared: Record<string, string | undefined> = {
				EXECUTIONS_MODE: 'queue',
				QUEUE_BULL_REDIS_HOST: '127.0.0.1',
				QUEUE_BULL_REDIS_PORT: String(redis.port),
				DB_TYPE: 'postgresdb',
				DB_POSTGRESDB_HOST: '127.0.0.1',
				DB_POSTGRESDB_PORT: String(postgres.port),
				DB_POSTGRESDB_DATABASE: postgres.database,
				DB_POSTGRESDB_USER: postgres.user,
				DB_POSTGRESDB_PASSWORD: '',
				N8N_DEFAULT_BINARY_DATA_MODE: QUEUE_BINARY_DATA_MODE,
				...options.env,
			};
			const userFolder = (name: string): string => {
				const folder = fs.mkdtempSync(path.join(os.tmpdir(), `n8n-queue-${name}-`));
				userFolders.push(folder);
				return folder;
			};

			const mainFolder = userFolder('main');
			installCommunityPackage(mainFolder, options.packageTarball, path.join(logDir, 'main.log'));
			const main = await startN8n({ version: options.version, userFolder: mainFolder, logDir, logName: 'main.log', env: shared });
			started.push(main);

			const workers: N8nWorker[] = [];
			for (let index = 1; index <= (options.workers ?? 2); index++) {
				const folder = userFolder(`worker${index}`);
				// The same installed package as the main's (one npm install, copied).
				fs.cpSync(path.join(mainFolder, '.n8n', 'nodes'), path.join(folder, '.n8n', 'nodes'), { recursive: true });
				const worker = await N8nWorker.start({
					installation,
					userFolder: folder,
					encryptionKey: main.encryptionKey,
					env: shared,
					logFile: path.join(logDir, `worker-${index}.log`),
				});
				workers.push(worker);
				started.push(worker);
			}
			return new QueueTopology(logDir, postgres, redis, main, workers, userFolders);
		} catch (error) {
			for (const service of started.reverse()) await service.stop().catch(() => undefined);
			process.stderr.write(`[queue] start failed; logs kept in ${logDir}\n`);
			throw error;
		}
	}

	/** Execution ids each worker's log says it started (index 0 = worker 1). */
	executionsStartedByWorker(): string[][] {
		return this.workers.map((worker) => [...worker.logText().matchAll(/Worker started execution (\d+)/g)].map((match) => match[1]));
	}

	/** Execution ids the main's log says it put on the queue. */
	executionsEnqueuedByMain(): string[] {
		return [...this.main.logText().matchAll(/Enqueued execution (\d+)/g)].map((match) => match[1]);
	}


	/** The workflow's static data as stored in PostgreSQL (`workflow_entity."staticData"`). */
	storedStaticData(workflowId: string): string {
		return this.postgres.query(`select coalesce("staticData"::text, '') from workflow_entity where id = '${workflowId.replace(/'/g, "''")}'`);
	}

	/** Stops everything (n8n first, then Redis and PostgreSQL); keeps the logs and user folders when asked. */
	async dispose({ keepLogs }: { keepLogs: boolean }): Promise<void> {
		for (const worker of this.workers) await worker.stop();
		await this.main.stop();
		await this.redis.stop();
		await this.postgres.stop();
		if (keepLogs) {
			process.stderr.write(`[queue] kept logs in ${this.logDir} (user folders ${this.userFolders.join(', ')})\n`);
			return;
		}
		fs.rmSync(this.logDir, { recursive: true, force: true });
		for (const folder of this.userFolders) fs.rmSync(folder, { recursive: true, force: true });
	}
}
