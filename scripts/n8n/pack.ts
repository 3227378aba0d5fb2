// Builds the package and packs it into a tarball, the way it would be published.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT } from './install';

/**
 * `npm run build && npm pack` under a file lock (the e2e and browser tests may run in
 * parallel and both write dist/). Returns the tarball path (a fresh temp folder per call).
 * N8N_E2E_PACKAGE_TARBALL short-circuits this with a prebuilt tarball; N8N_E2E_SKIP_BUILD=1
 * packs the existing dist/ (when the caller has just run `npm run build`).
 */
export async function buildAndPack(): Promise<string> {
	const preset = process.env.N8N_E2E_PACKAGE_TARBALL;
	if (preset) {
		if (!fs.existsSync(preset)) throw new Error(`N8N_E2E_PACKAGE_TARBALL=${preset} does not exist`);
		return path.resolve(preset);
	}
	const destination = fs.mkdtempSync(path.join(os.tmpdir(), 'o365-pack-'));
	// npm install copies the tarball into n8n's user folder; the packed file is only needed until then.
	process.once('exit', () => fs.rmSync(destination, { recursive: true, force: true }));
	const lockFile = path.join(os.tmpdir(), 'n8n-nodes-office365-events.build.lock');
	const build = process.env.N8N_E2E_SKIP_BUILD === '1' ? 'test -d dist' : 'npm run --silent build >&2';
	const script = `${build} && npm pack --silent --pack-destination "$1"`;
	const output = await run('flock', ['-w', '600', lockFile, 'bash', '-c', script, 'pack', destination]);
	const tarball = fs.readdirSync(destination).find((name) => name.endsWith('.tgz'));
	if (!tarball) throw new Error(`npm pack produced no tarball in ${destination}:\n${output}`);
	return path.join(destination, tarball);
}

function run(command: string, args: string[]): Promise<string> {
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
		let output = '';
		child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
		child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
		child.on('error', reject);
		child.on('close', (code) =>
			code === 0
				? resolve(output)
				: reject(new Error(`${command} ${args.join(' ')} exited with ${String(code)}:\n${output}`)),
		);
	});
}
