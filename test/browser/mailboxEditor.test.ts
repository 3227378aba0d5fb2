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
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe } from 'node:test';

import type { Locator, Page } from 'playwright-core';

import { GraphSimulator } from '../graph-simulator/index';
import { CREDENTIAL_TYPE, TRIGGER_NODE_TYPE, startN8n, waitFor, type N8nInstance } from '../../scripts/n8n/harness';
import { buildAndPack } from '../../scripts/n8n/pack';
import { oauthCredentialData } from '../../scripts/n8n/workflows';
import { addNodeToNewWorkflow, EditorSteps, ensureChromium, signIn, startEditorSession, type EditorSession } from '../support/editorSession';

const SHARED = 'support@contoso.com';

let sim: GraphSimulator;
let n8n: N8nInstance | undefined;
let session: EditorSession | undefined;
let page: Page;
let workflowId = '';
let escalatedId = '';
const steps = new EditorSteps(() => session);
const step = steps.step.bind(steps);

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

			session = await startEditorSession(n8n, { viewport: { width: 1440, height: 900 } });
			page = session.page;
		} catch (error) {
			steps.failed = true;
			throw error;
		}
	}, { timeout: 20 * 60_000 });

	after(async () => {
		if (steps.failed && n8n) fs.writeFileSync(path.join(n8n.logDir, 'graph-requests.json'), JSON.stringify(sim.requests, null, 2));
		await session?.close({ keepLogs: steps.failed });
		await n8n?.dispose({ keepLogs: steps.failed });
		await sim?.stop();
	});

	step('a newly placed trigger shows version 2\'s defaults', 4 * 60_000, async () => {
		assert.ok(n8n);
		await signIn(page, n8n);
		const ndv = await addNodeToNewWorkflow(page, n8n.baseUrl, 'Office 365 Trigger');

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
