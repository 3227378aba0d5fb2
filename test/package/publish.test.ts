/**
 * What `npm publish` would upload (run with --dry-run on the built dist/): the files n8n loads, and
 * nothing else; and what the release workflow needs to publish with provenance.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';

const ROOT = path.resolve(__dirname, '..', '..');
const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
	name: string;
	version: string;
	repository: { url: string };
	dependencies?: Record<string, string>;
	n8n: { nodes: string[]; credentials: string[] };
};

interface DryRun {
	name: string;
	version: string;
	files: Array<{ path: string }>;
}

function publishDryRun(): DryRun {
	const result = spawnSync('npm', ['publish', '--dry-run', '--json', '--ignore-scripts', '--tag', 'dry-run'], {
		cwd: ROOT,
		encoding: 'utf8',
		timeout: 120_000,
	});
	assert.equal(result.status, 0, `npm publish --dry-run failed:\n${result.stderr}`);
	// npm keys the report by package name (npm 10+) or returns it bare (older npm).
	const report = JSON.parse(result.stdout) as DryRun | Record<string, DryRun>;
	return 'files' in report ? (report as DryRun) : (report as Record<string, DryRun>)[manifest.name];
}

/** The icon files (light and dark) a built node or credential names, as package paths. */
function iconFiles(entry: string): string[] {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const exported = require(path.join(ROOT, entry)) as Record<string, unknown>;
	const types = Object.values(exported).filter((value): value is new () => { icon?: unknown; description?: { icon?: unknown } } => typeof value === 'function');
	assert.ok(types.length > 0, `${entry} exports no class`);
	return types.flatMap((Type) => {
		const instance = new Type();
		const icon = instance.description?.icon ?? instance.icon;
		const names = typeof icon === 'string' ? [icon] : icon && typeof icon === 'object' ? Object.values(icon as Record<string, string>) : [];
		assert.ok(names.length > 0, `${entry} names no icon`);
		return names.map((name) => {
			assert.match(name, /^file:/, `${entry}: icon ${name}`);
			return path.posix.normalize(path.posix.join(path.posix.dirname(entry), name.slice('file:'.length)));
		});
	});
}

describe('npm publish --dry-run', () => {
	assert.ok(fs.existsSync(path.join(ROOT, 'dist')), 'dist/ is missing: run `npm run build` first');
	const report = publishDryRun();
	const files = report.files.map((file) => file.path);

	it('publishes this package and version', () => {
		assert.equal(report.name, manifest.name);
		assert.equal(report.version, manifest.version);
	});

	it('contains every node and credential n8n loads, with their icons', () => {
		for (const entry of [...manifest.n8n.nodes, ...manifest.n8n.credentials]) {
			assert.ok(files.includes(entry), `${entry} (package.json "n8n") is not in the package`);
		}
		// Every icon a built node or credential names, resolved from its file as n8n resolves it.
		const icons = [...manifest.n8n.nodes, ...manifest.n8n.credentials].flatMap((entry) => iconFiles(entry));
		assert.ok(icons.length >= 2 * (manifest.n8n.nodes.length + manifest.n8n.credentials.length), icons.join());
		for (const icon of icons) assert.ok(files.includes(icon), `${icon} is not in the package`);
	});

	it('contains nothing but the build, the README, the licence and package.json', () => {
		const unexpected = files.filter((file) => !/^dist\/(nodes|credentials)\//.test(file) && !['README.md', 'LICENSE', 'package.json'].includes(file));
		assert.deepEqual(unexpected, []);
		assert.deepEqual(files.filter((file) => /(^|\/)(test|bench|scripts)\//.test(file) || /\.test\.|\.tsbuildinfo$/.test(file)), []);
	});

	it('has no runtime dependencies and a repository npm provenance can point at', () => {
		assert.deepEqual(manifest.dependencies ?? {}, {});
		assert.match(manifest.repository.url, /^git\+https:\/\/github\.com\/[^/]+\/[^/]+\.git$/);
	});
});
