/**
 * The version 2 Office 365 Trigger in the n8n editor (headless chromium, playwright-core), with the packed package
 * installed and a credential pointing at the Graph simulator running in this process:
 *
 * 1. A newly placed trigger shows version 2's defaults in its panel: My Mailbox, Event Types "Created", all folders
 *    except Drafts, Sent Items, Deleted Items, Junk Email and Outbox, Simplify on, and the notice about activation.
 * 2. The Mailbox resource locator searches the directory and picks a shared mailbox; the folder resource locator
 *    searches that mailbox's folders (every depth) and picks one; the saved workflow holds both.
 *
 *   node --import tsx --test test/browser/mailboxEditor.test.ts
 *
 * On failure n8n's log, screenshots and the browser console are kept under .e2e-logs/.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it, type TestContext } from 'node:test';

import { chromium, selectors, type BrowserContext, type Locator, type Page } from 'playwright-core';

import { GraphSimulator } from '../graph-simulator/index';
import { CREDENTIAL_TYPE, TRIGGER_NODE_TYPE, startN8n, waitFor, type N8nInstance } from '../../scripts/n8n/harness';
import { REPO_ROOT } from '../../scripts/n8n/install';
import { buildAndPack } from '../../scripts/n8n/pack';
import { oauthCredentialData } from '../../scripts/n8n/workflows';

const CHROMIUM = process.env.CHROMIUM_BIN ?? '/usr/bin/chromium';
const UI_TIMEOUT_MS = 30_000;
const SHARED = 'support@contoso.com';

let sim: GraphSimulator;
let n8n: N8nInstance | undefined;
let context: BrowserContext | undefined;
let page: Page;
let userDataDir = '';
let failed = false;
let workflowId = '';
let escalatedId = '';
const consoleErrors: string[] = [];

function ensureChromium(): void {
	if (fs.existsSync(CHROMIUM)) return;
	const result = spawnSync('bash', [path.join(REPO_ROOT, 'scripts', 'n8n', 'install-chromium.sh')], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', timeout: 15 * 60_000 });
	if (result.status !== 0 || !fs.existsSync(CHROMIUM)) throw new Error(`could not install chromium (exit ${String(result.status)})`);
}

function step(name: string, timeoutMs: number, body: (t: TestContext) => Promise<void>): void {
	it(name, { timeout: timeoutMs }, async (t) => {
		try {
			await body(t);
		} catch (error) {
			failed = true;
			if (n8n) {
				const file = path.join(n8n.logDir, name.replace(/\W+/g, '-').slice(0, 80));
				await page?.screenshot({ path: `${file}.png`, fullPage: true }).catch(() => undefined);
				const html = await page?.content().catch(() => '');
				if (html) fs.writeFileSync(`${file}.html`, html);
			}
			throw error;
		}
	});
}

/** A parameter of the open node panel, by its name. */
const parameter = (name: string): Locator => page.locator(`[data-test-id="parameter-input-${name}"]`).first();

/** What a resource locator shows (its value input). */
const shown = async (locator: Locator): Promise<string> => await locator.getByTestId('rlc-input').first().inputValue();

/** Opens a resource locator's list, searches it and picks the entry named `entry`. */
async function pickFromList(locator: Locator, search: string, entry: RegExp): Promise<void> {
	await locator.getByTestId('rlc-input').click();
	const searchBox = page.getByTestId('rlc-search').filter({ visible: true });
	await searchBox.fill(search);
	const item = page.getByTestId('rlc-item').filter({ visible: true, hasText: entry });
	await item.first().waitFor();
	await item.first().click();
}

describe('n8n editor: the version 2 trigger\'s defaults and resource locators', { timeout: 25 * 60_000 }, () => {
	before(async () => {
		try {
			ensureChromium();
			sim = new GraphSimulator();
			await sim.start();
			const support = sim.addMailbox({ displayName: 'Support', mail: SHARED });
			const tickets = support.createFolder('Tickets');
			escalatedId = support.createFolder('Escalated', tickets.id).id;
			sim.addMailbox({ displayName: 'Finance', mail: 'finance@contoso.com' });

			n8n = await startN8n({ packageTarball: await buildAndPack(), label: 'browser-mailbox' });
			await n8n.setupOwner();
			await n8n.createApiKey();
			const tokens = sim.issueTokens('offline_access Mail.Read Mail.Read.Shared User.ReadBasic.All');
			await n8n.createCredential({
				name: 'Office 365 (simulator)',
				type: CREDENTIAL_TYPE,
				data: oauthCredentialData({ graphApiBaseUrl: sim.baseUrl, loginBaseUrl: sim.loginBaseUrl }, { ...tokens }),
			});

			userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'o365-chromium-'));
			context = await chromium.launchPersistentContext(userDataDir, {
				executablePath: CHROMIUM,
				headless: true,
				args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
				viewport: { width: 1440, height: 900 },
				locale: 'en-US',
				timezoneId: 'UTC',
			});
			context.setDefaultTimeout(UI_TIMEOUT_MS);
			selectors.setTestIdAttribute('data-test-id');
			page = await context.newPage();
			page.on('console', (message) => {
				if (message.type() === 'error') consoleErrors.push(message.text());
			});
		} catch (error) {
			failed = true;
			throw error;
		}
	}, { timeout: 20 * 60_000 });

	after(async () => {
		if (failed && n8n) {
			fs.writeFileSync(path.join(n8n.logDir, 'browser-console.txt'), consoleErrors.join('\n'));
			fs.writeFileSync(path.join(n8n.logDir, 'graph-requests.json'), JSON.stringify(sim.requests, null, 2));
		}
		await context?.close().catch(() => undefined);
		if (userDataDir) fs.rmSync(userDataDir, { recursive: true, force: true });
		await n8n?.dispose({ keepLogs: failed });
		await sim?.stop();
	});

	step('a newly placed trigger shows version 2\'s defaults', 4 * 60_000, async () => {
		assert.ok(n8n?.owner);
		await page.goto(`${n8n.baseUrl}/signin`);
		await page.locator('input[name="emailOrLdapLoginId"]').fill(n8n.owner.email);
		await page.locator('input[name="password"]').fill(n8n.owner.password);
		await page.getByTestId('form-submit-button').click();
		await page.waitForURL((url) => !url.pathname.startsWith('/signin'));

		await page.goto(`${n8n.baseUrl}/workflow/new`);
		await page.getByTestId('canvas-plus-button').click();
		await page.getByTestId('node-creator-search-bar').fill('Office 365 Trigger');
		await page.getByTestId('node-creator-item-name').filter({ hasText: /^Office 365 Trigger$/ }).first().click();
		const addButton = page.getByRole('button', { name: 'Add to workflow' });
		const ndv = page.getByTestId('ndv');
		await Promise.race([addButton.waitFor(), ndv.waitFor()]);
		if (await addButton.isVisible()) await addButton.click();
		await ndv.waitFor();

		await ndv.getByText('On activation the trigger only notes where to start').waitFor();
		assert.equal(await shown(parameter('mailbox')), 'My Mailbox');
		assert.deepEqual((await parameter('eventTypes').locator('.el-select__tags-text').allInnerTexts()).map((text) => text.trim()), ['Created']);
		assert.match(await parameter('folderFilter').locator('input').first().inputValue(), /All Folders Except/);
		const excluded = ndv.locator('[data-test-id="parameter-input-folder"]');
		const names: string[] = [];
		for (let index = 0; index < (await excluded.count()); index++) names.push(await shown(excluded.nth(index)));
		for (const folder of ['Drafts', 'Sent Items', 'Deleted Items', 'Junk Email', 'Outbox']) {
			assert.ok(names.some((name) => name.includes(folder)), `${folder} is excluded by default (${names.join(' | ')})`);
		}
		assert.equal(await parameter('simplify').locator('input[role="switch"]').getAttribute('aria-checked'), 'true');
		assert.ok(!(await ndv.getByText('Mail changes whenever it is read').isVisible()), 'the updates notice only shows with Updated');
	});

	step('the Mailbox and folder resource locators search and pick a shared mailbox and one of its folders', 4 * 60_000, async () => {
		await pickFromList(parameter('mailbox'), 'sup', /Support \(support@contoso\.com\)/);
		assert.match(await shown(parameter('mailbox')), /Support/);

		await parameter('folderFilter').click();
		await page.getByRole('option', { name: 'Only These Folders' }).click();
		await page.getByRole('button', { name: 'Add Folder' }).filter({ visible: true }).first().click();
		const folder = page.getByTestId('ndv').locator('[data-test-id="parameter-input-folder"]').last();
		await pickFromList(folder, 'escal', /Tickets \/ Escalated/);
		assert.match(await shown(folder), /Escalated/);
		const folderRequests = sim.requests.filter((entry) => decodeURIComponent(entry.path).startsWith(`/v1.0/users/${SHARED}/mailFolders`));
		assert.ok(folderRequests.length > 0, 'the folder list came from the chosen mailbox');

		await page.getByTestId('ndv-close-button').click();
		// n8n 2.x saves the workflow by itself (a moment after a change); Ctrl+S asks for it at once.
		await page.keyboard.press('Control+s');
		await page.waitForURL((url) => /\/workflow\/[A-Za-z0-9]+/.test(url.pathname) && !url.pathname.endsWith('/new'));
		workflowId = new URL(page.url()).pathname.split('/').filter(Boolean)[1];
		type SavedNode = { type: string; typeVersion: number; parameters: Record<string, unknown> };
		let trigger: SavedNode | undefined;
		await waitFor('the saved workflow with the picked mailbox', async () => {
			const saved = await n8n!.api<{ nodes: SavedNode[] }>('GET', `/workflows/${workflowId}`);
			trigger = saved.nodes.find((node) => node.type === TRIGGER_NODE_TYPE);
			const folders = (trigger?.parameters.foldersToInclude as { folders?: Array<{ folder?: unknown }> } | undefined)?.folders;
			return (trigger?.parameters.mailbox as { value?: string } | undefined)?.value === SHARED && folders?.[0]?.folder !== undefined;
		}, { timeoutMs: 30_000, intervalMs: 500 });
		assert.ok(trigger);
		assert.equal(trigger.typeVersion, 2);
		assert.equal((trigger.parameters.mailbox as { value: string }).value, SHARED);
		const included = (trigger.parameters.foldersToInclude as { folders?: Array<{ folder?: { value: string } }> }).folders ?? [];
		assert.deepEqual(included.map((entry) => entry.folder?.value), [escalatedId], JSON.stringify(trigger.parameters));
	});
});
