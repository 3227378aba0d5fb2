/**
 * End to end against a real n8n of a given version (installed by scripts/n8n/install.sh into
 * ~/.cache): the packed package is installed as a community package, the Graph simulator runs in
 * this process, and the workflow Office 365 Trigger → Office 365 Event Forward delivers to a
 * loopback receiver here: mail tracked by timestamp, then files tracked by delta (deletions included). n8n polls at most once a minute, so every wait is bounded by a few poll
 * periods. test/e2e/*.e2e.test.ts run it for each supported n8n line.
 *
 * On failure n8n's log, the receiver's deliveries and the simulator's request log are kept under
 * .e2e-logs/. N8N_E2E_ECHO_LOGS=1 also streams n8n's output to stderr.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe } from 'node:test';

import type { ExecutionSummary } from '../../scripts/n8n/client';
import { CREDENTIAL_TYPE, FORWARD_NODE_TYPE, PACKAGE_NAME, startN8n, TRIGGER_NODE_TYPE, type N8nInstance } from '../../scripts/n8n/harness';
import { buildAndPack } from '../../scripts/n8n/pack';
import { startReceiver, type EventReceiver } from '../../scripts/n8n/receiver';
import { SIGNING_CREDENTIAL_TYPE } from '../../scripts/n8n/workflows';
import { GraphSimulator } from '../graph-simulator/index';
import { assertDeliveringExecutions, changesWhileMainIsDown, deliversDeletedFileOnce, EventLedger, publishForwardWorkflow, SIGNING_KEY, Steps } from './e2eFlow';

export function endToEndSuite(version: string): void {
	const steps = new Steps();
	const step = steps.step.bind(steps);
	let sim: GraphSimulator;
	let receiver: EventReceiver;
	let ledger: EventLedger;
	let n8n: N8nInstance | undefined;
	let workflowId = '';
	let oauthCredential: { id: string; name: string } | undefined;
	const startedAt = Date.now();

	const executions = async (): Promise<ExecutionSummary[]> => {
		assert.ok(n8n);
		return await n8n.listExecutions({ workflowId, includeData: true });
	};

	describe(`n8n ${version} end to end: Office 365 Trigger → Office 365 Event Forward`, { timeout: 30 * 60_000 }, () => {
		before(async () => {
			try {
				sim = new GraphSimulator();
				await sim.start();
				receiver = await startReceiver({ signatureKey: SIGNING_KEY });
				ledger = new EventLedger(receiver, sim);
				const tarball = await buildAndPack();
				// debug: n8n then logs "Loaded all credentials and nodes from <package>".
				n8n = await startN8n({ version, packageTarball: tarball, label: `e2e-${version}`, env: { N8N_LOG_LEVEL: 'debug' } });
				await n8n.setupOwner();
				await n8n.createApiKey();
			} catch (error) {
				steps.failed = true;
				throw error;
			}
		}, { timeout: 20 * 60_000 }); // includes a first-time n8n install (~6 min)

		after(async () => {
			if (steps.failed && n8n) {
				for (const [name, content] of Object.entries(ledger.artifacts())) fs.writeFileSync(path.join(n8n.logDir, name), JSON.stringify(content, null, 2));
			}
			await n8n?.dispose({ keepLogs: steps.failed });
			await receiver?.close();
			await sim?.stop();
			process.stderr.write(`[e2e ${version}] total ${((Date.now() - startedAt) / 1000).toFixed(0)} s\n`);
		});

		step('loads the package without errors', 60_000, async () => {
			assert.ok(n8n);
			assert.equal(n8n.installation.version, version);
			const served = [...(await n8n.nodeTypes()), ...(await n8n.credentialTypes())];
			const nodeTypes = served.map((type) => type.name);
			assert.ok(nodeTypes.includes(TRIGGER_NODE_TYPE), `${TRIGGER_NODE_TYPE} missing from /types/nodes.json`);
			assert.ok(nodeTypes.includes(FORWARD_NODE_TYPE), `${FORWARD_NODE_TYPE} missing from /types/nodes.json`);
			for (const name of [CREDENTIAL_TYPE, SIGNING_CREDENTIAL_TYPE]) {
				assert.ok(nodeTypes.includes(name), `credential type ${name} missing from /types/credentials.json (is it listed in package.json "n8n.credentials"?)`);
			}
			// Every icon of the package is served: the credentials show the nodes' icon files (one copy in the package).
			const ours = served.filter((type) => [TRIGGER_NODE_TYPE, FORWARD_NODE_TYPE, CREDENTIAL_TYPE, SIGNING_CREDENTIAL_TYPE].includes(type.name));
			for (const type of ours) {
				assert.ok(type.iconUrl, `${type.name} has no iconUrl`);
				for (const url of typeof type.iconUrl === 'string' ? [type.iconUrl] : [type.iconUrl.light, type.iconUrl.dark]) {
					const icon = await n8n.icon(url);
					assert.equal(icon.status, 200, `${type.name}: icon ${url} answered ${icon.status}`);
					assert.match(icon.text, /<svg[\s>]/, `${type.name}: icon ${url} is not an SVG`);
				}
			}
			// The n8n cache folder is named after the package too: keep its paths out of the search.
			const cacheRoot = path.dirname(n8n.installation.home);
			const log = n8n.logText().split(cacheRoot).join('<n8n-cache>');
			assert.match(log, new RegExp(`Loaded all credentials and nodes from ${PACKAGE_NAME}`));
			const problems = log
				.split('\n')
				.filter((line) => /office365/i.test(line))
				.filter((line) => /\b(error|warn)\b|Failed to load|Unknown credential/i.test(line));
			assert.deepEqual(problems, [], 'n8n logged problems about the package');
		}, { independent: true });

		step('connects the credential through n8n and seeds the watermark on activation without events', 3 * 60_000, async () => {
			assert.ok(n8n);
			// Mail that exists before activation must never be delivered.
			ledger.ids.old1 = sim.createMessage({ subject: 'before activation 1' }).id;
			ledger.ids.old2 = sim.createMessage({ subject: 'before activation 2' }).id;

			const published = await publishForwardWorkflow(n8n, sim, receiver, 'e2e: Office 365 → callback');
			workflowId = published.workflowId;
			oauthCredential = published.oauthCredential;
			assert.ok(published.authorizeUrl.startsWith(`${sim.loginBaseUrl}/common/oauth2/v2.0/authorize?`), `authorize URL ${published.authorizeUrl}`);
			assert.equal(published.tokenRequestsWhileConnecting, 1, 'n8n redeemed the code at the simulator');
			assert.deepEqual(await executions(), [], 'the seeding poll started an execution');
			assert.equal(receiver.deliveries.length, 0, 'the seeding poll delivered events');
		});

		step('delivers created mail exactly once, signed', 3 * 60_000, async () => {
			ledger.ids.a = sim.createMessage({ subject: 'E2E message A' }).id;
			ledger.ids.b = sim.createMessage({ subject: 'E2E message B' }).id;
			await ledger.waitForEvents('CREATED events for A and B', [
				['a', 'CREATED'],
				['b', 'CREATED'],
			]);
			assert.deepEqual(ledger.eventsFor('old1'), [], 'mail from before activation was delivered');
			assert.deepEqual(ledger.eventsFor('old2'), [], 'mail from before activation was delivered');
			for (const event of [...ledger.eventsFor('a'), ...ledger.eventsFor('b')]) assert.equal(event.objectType, 'messages');
			ledger.assertSigned();
			ledger.assertNoDuplicates();
		});

		step('refreshes an expired access token through n8n and delivers the update once', 3 * 60_000, async () => {
			const tokenRequestsBefore = sim.tokenRequests;
			const expiredAt = Date.now();
			sim.expireAccessTokens();
			sim.updateMessage(ledger.ids.a, { isRead: true });
			await ledger.waitForEvents('UPDATED event for A', [['a', 'UPDATED']]);

			assert.ok(sim.tokenRequests > tokenRequestsBefore, 'n8n did not call the token endpoint');
			const after = sim.requests.filter((entry) => entry.at >= expiredAt);
			const rejected = after.findIndex((entry) => entry.path.startsWith('/v1.0/') && entry.status === 401);
			const refreshed = after.findIndex((entry) => /\/oauth2\/v2\.0\/token$/.test(entry.path) && entry.status === 200);
			const retried = after.findIndex((entry, index) => index > refreshed && entry.path.startsWith('/v1.0/') && entry.status === 200);
			assert.ok(rejected >= 0 && refreshed > rejected && retried > refreshed, `expected 401 → token refresh → 200, got ${JSON.stringify(after.map((e) => [e.method, e.path.split('?')[0], e.status]))}`);
			assert.equal(ledger.eventsFor('a', 'CREATED').length, 1);
			assert.equal(ledger.eventsFor('b').length, 1, 'B did not change but was delivered again');
			ledger.assertSigned();
			ledger.assertNoDuplicates();
		});

		step('after a restart, emits nothing twice and delivers the changes made while n8n was down', 6 * 60_000, async (t) => {
			assert.ok(n8n);
			await changesWhileMainIsDown(t, n8n, sim, ledger, { workflowId, created: 'c', updated: 'b' });
			assert.deepEqual(ledger.summary(), ['CREATED a', 'CREATED b', 'CREATED c', 'UPDATED a', 'UPDATED b']);
		});

		step('records successful executions whose Forward output confirms each delivery', 60_000, async () => {
			const runs = await executions();
			assert.ok(runs.length >= 3, `expected at least 3 executions, got ${runs.length}`);
			assertDeliveringExecutions(runs);
		});

		step('tracking by delta: a file deleted in OneDrive reaches the receiver as DELETED, once', 6 * 60_000, async () => {
			assert.ok(n8n && oauthCredential);
			const workflowId = await deliversDeletedFileOnce(n8n, sim, ledger, receiver, oauthCredential);
			const runs = await n8n.listExecutions({ workflowId, includeData: true });
			assert.ok(runs.length >= 1, 'the deliveries ran as executions');
			assertDeliveringExecutions(runs);
		});
	});
}
