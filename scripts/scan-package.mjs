// n8n's community-package scan, run locally: the rules and ESLint settings of
// @n8n/scan-community-package (pinned in devDependencies) applied the way the scanner applies them,
// to the source (package.json, nodes/**, credentials/**) and to the packed tarball (its JavaScript
// and package.json). Inline eslint-disable comments are ignored, as in the scanner; warnings are
// printed but do not fail, as in the scanner.
//
//   node scripts/scan-package.mjs                  # source + `npm pack` of the current dist/
//   node scripts/scan-package.mjs --tarball x.tgz  # source + the given tarball
//   node scripts/scan-package.mjs --source dir     # another package's source (and its `npm pack`)
//
// Only the provenance and download steps of the real scan need the published package; everything
// the scanner lints is linted here.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** What the scanner lints in the downloaded tarball. */
const TARBALL_FILE_PATTERNS = ['**/*.js', 'package.json'];

function run(command, args, cwd) {
	const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: 300_000 });
	if (result.status !== 0) {
		throw new Error(`${command} ${args.join(' ')} failed (${result.status ?? result.signal}):\n${result.stdout}${result.stderr}`);
	}
	return result.stdout;
}

function argument(name) {
	const index = process.argv.indexOf(name);
	return index === -1 ? undefined : path.resolve(process.argv[index + 1] ?? '');
}

async function scan(analyzePackage, label, directory, patterns) {
	const result = await analyzePackage(directory, patterns);
	if (result.details) process.stdout.write(result.details);
	process.stdout.write(`${result.passed ? 'passed' : 'FAILED'}: ${label}${result.message ? ` (${result.message})` : ''}\n`);
	return result.passed;
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'o365-scan-'));
// The scanner makes a temporary folder when it is loaded: keep it inside ours, removed below.
process.env.TMPDIR = work;
try {
	const { analyzePackage, SOURCE_FILE_PATTERNS } = await import('@n8n/scan-community-package/scanner/scanner.mjs');
	const source = argument('--source') ?? REPO_ROOT;
	let tarball = argument('--tarball');
	if (!tarball) {
		if (!fs.existsSync(path.join(source, 'dist'))) throw new Error('dist/ is missing: run `npm run build` first');
		run('npm', ['pack', '--silent', '--ignore-scripts', '--pack-destination', work], source);
		tarball = path.join(work, fs.readdirSync(work).find((name) => name.endsWith('.tgz')));
	}
	const unpacked = path.join(work, 'package');
	fs.mkdirSync(unpacked);
	run('tar', ['-xzf', tarball, '-C', unpacked, '--strip-components=1'], work);

	const sourcePassed = await scan(analyzePackage, `source (${SOURCE_FILE_PATTERNS.join(', ')})`, source, SOURCE_FILE_PATTERNS);
	const tarballPassed = await scan(analyzePackage, `${path.basename(tarball)} (${TARBALL_FILE_PATTERNS.join(', ')})`, unpacked, TARBALL_FILE_PATTERNS);
	process.exitCode = sourcePassed && tarballPassed ? 0 : 1;
} finally {
	fs.rmSync(work, { recursive: true, force: true });
}
