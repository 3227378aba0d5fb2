// Locates (and if needed installs) the cached n8n + Node 24 runtime via scripts/n8n/install.sh.
import { spawn } from 'node:child_process';
import * as path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');

export interface N8nInstallation {
	/** Cache folder for this n8n version. */
	home: string;
	/** Node.js 24 binary n8n runs under. */
	nodeBin: string;
	/** n8n's CLI entry (bin/n8n), to be run with nodeBin. */
	n8nBin: string;
	version: string;
	nodeVersion: string;
}

let pending: Promise<N8nInstallation> | undefined;

/**
 * Runs install.sh (a no-op when the cache is complete) and returns the paths it prints.
 * install.sh's progress output is forwarded to our stderr so a slow first install is visible.
 */
export function ensureN8nInstalled(): Promise<N8nInstallation> {
	pending ??= runInstallScript().catch((error: unknown) => {
		pending = undefined;
		throw error;
	});
	return pending;
}

function runInstallScript(): Promise<N8nInstallation> {
	const script = path.join(REPO_ROOT, 'scripts', 'n8n', 'install.sh');
	return new Promise((resolve, reject) => {
		const child = spawn('bash', [script], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
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
