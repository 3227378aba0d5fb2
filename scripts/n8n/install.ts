// Locates (and if needed installs) a cached n8n and the Node it runs on via scripts/n8n/install.sh.
import { spawn } from 'node:child_process';
import * as path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');

export interface N8nInstallation {
	/** Cache folder for this n8n version. */
	home: string;
	/** Node.js binary n8n runs under (24 for 2.x, 22 for 1.x). */
	nodeBin: string;
	/** n8n's CLI entry (bin/n8n), to be run with nodeBin. */
	n8nBin: string;
	version: string;
	nodeVersion: string;
}

/** The n8n versions the suites run against: the pinned 2.x and the newest 1.x. */
export const N8N_VERSIONS = { pinned: '2.40.7', legacy: '1.123.81' } as const;

const pending = new Map<string, Promise<N8nInstallation>>();

/**
 * Runs install.sh for an n8n version (a no-op when the cache is complete) and returns the paths it
 * prints. Default: N8N_E2E_N8N_VERSION, else the pinned version. install.sh's progress output is
 * forwarded to our stderr so a slow first install is visible.
 */
export function ensureN8nInstalled(version = process.env.N8N_E2E_N8N_VERSION || N8N_VERSIONS.pinned): Promise<N8nInstallation> {
	let install = pending.get(version);
	if (!install) {
		install = runInstallScript(version).catch((error: unknown) => {
			pending.delete(version);
			throw error;
		});
		pending.set(version, install);
	}
	return install;
}

function runInstallScript(version: string): Promise<N8nInstallation> {
	const script = path.join(REPO_ROOT, 'scripts', 'n8n', 'install.sh');
	return new Promise((resolve, reject) => {
		const child = spawn('bash', [script], {
			cwd: REPO_ROOT,
			env: { ...process.env, N8N_E2E_N8N_VERSION: version },
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let stdout = '';
		child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
		child.stderr.on('data', (chunk: Buffer) => process.stderr.write(chunk));
		child.on('error', reject);
		child.on('close', (code) => {
			if (code !== 0) {
				reject(new Error(`scripts/n8n/install.sh exited with ${String(code)}`));
				return;
			}
			const values = new Map<string, string>();
			for (const line of stdout.split('\n')) {
				const match = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
				if (match) values.set(match[1], match[2]);
			}
			const get = (key: string): string => {
				const value = values.get(key);
				if (!value) throw new Error(`install.sh did not print ${key}; output was:\n${stdout}`);
				return value;
			};
			try {
				resolve({
					home: get('N8N_HOME'),
					nodeBin: get('N8N_NODE_BIN'),
					n8nBin: get('N8N_BIN'),
					version: get('N8N_VERSION'),
					nodeVersion: get('N8N_NODE_VERSION'),
				});
			} catch (error) {
				reject(error);
			}
		});
	});
}
