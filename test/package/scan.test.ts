/**
 * The lint runs n8n's community-package scan the way the scanner does: on a package with the kinds
 * of findings the scanner reports, in the source and in the packed JavaScript, it fails and names
 * them, also where an inline eslint-disable comment tries to silence one.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';

const ROOT = path.resolve(__dirname, '..', '..');
const fixture = fs.mkdtempSync(path.join(os.tmpdir(), 'o365-scan-fixture-'));
after(() => fs.rmSync(fixture, { recursive: true, force: true }));

function write(file: string, text: string): void {
	fs.mkdirSync(path.dirname(path.join(fixture, file)), { recursive: true });
	fs.writeFileSync(path.join(fixture, file), text);
}

write('package.json', JSON.stringify({
	name: 'n8n-nodes-scan-fixture',
	version: '0.0.1',
	description: 'A package with the findings the scanner reports',
	homepage: 'https://github.com/example/n8n-nodes-scan-fixture',
	license: 'MIT',
	keywords: ['n8n-community-node-package'],
	author: { name: 'Fixture', email: 'fixture@example.com' },
	repository: { type: 'git', url: 'git+https://github.com/example/n8n-nodes-scan-fixture.git' },
	files: ['dist'],
	n8n: { n8nNodesApiVersion: 1, nodes: ['dist/nodes/Sample/Sample.node.js'], credentials: [] },
	peerDependencies: { 'n8n-workflow': '*' },
}, null, 2));
write('nodes/Sample/Sample.node.ts', `import { NodeConnectionTypes, type IExecuteFunctions, type INodeType, type INodeTypeDescription } from 'n8n-workflow';
export class Sample implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Sample',
		name: 'sample',
		icon: 'file:sample.svg',
		group: ['transform'],
		version: 1,
		subtitle: 'sample',
		description: 'Sample node',
		defaults: { name: 'Sample' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		properties: [
			{ displayName: 'Timeout', name: 'timeout', type: 'number', default: 5, description: 'Seconds to wait for the url' },
		],
	};
	async execute(this: IExecuteFunctions) {
		// eslint-disable-next-line n8n-nodes-base/node-execute-block-wrong-error-thrown
		throw new Error('no');
	}
}
`);
write('nodes/Sample/sample.svg', '<svg xmlns="http://www.w3.org/2000/svg"/>');
write('dist/nodes/Sample/Sample.node.js', '"use strict";\nconsole.log("loaded");\nclass Sample {}\nexports.Sample = Sample;\n');

describe('scripts/scan-package.mjs', () => {
	it('fails on the scanner findings in the source and in the packed tarball, ignoring inline disables', () => {
		const result = spawnSync('node', [path.join(ROOT, 'scripts', 'scan-package.mjs'), '--source', fixture], { cwd: ROOT, encoding: 'utf8', timeout: 180_000 });
		const output = `${result.stdout}${result.stderr}`;
		assert.equal(result.status, 1, output);
		// The execute() error is reported although an inline comment disables the rule.
		for (const rule of ['n8n-nodes-base/node-execute-block-wrong-error-thrown', 'n8n-nodes-base/node-param-description-miscased-url', 'no-console']) {
			assert.ok(output.includes(rule), `${rule} not reported:\n${output}`);
		}
		assert.match(output, /FAILED: source/);
		assert.match(output, /FAILED: n8n-nodes-scan-fixture-0\.0\.1\.tgz/);
	});
});
