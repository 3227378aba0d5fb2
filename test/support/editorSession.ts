// What the browser suites share: Debian's headless chromium driven by playwright-core against a real n8n editor,
// signing in, placing a node from the node panel, and steps that keep the page (screenshot + HTML) when they fail.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { TestContext } from 'node:test';

import { chromium, selectors, type BrowserContext, type Locator, type Page } from 'playwright-core';

import type { N8nInstance } from '../../scripts/n8n/harness';
import { REPO_ROOT } from '../../scripts/n8n/install';
import { Steps } from './e2eFlow';

const CHROMIUM = process.env.CHROMIUM_BIN ?? '/usr/bin/chromium';
/** Default for every wait of playwright's (clicks, locators, navigation). */
const UI_TIMEOUT_MS = 30_000;
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/**
 * Installs chromium with scripts/n8n/install-chromium.sh when it is missing. Suites call it before starting n8n, so a
 * failed install shows before minutes of n8n start-up; startEditorSession checks again.
 */
export function ensureChromium(): void {
	if (fs.existsSync(CHROMIUM)) return;
	const result = spawnSync('bash', [path.join(REPO_ROOT, 'scripts', 'n8n', 'install-chromium.sh')], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', timeout: 15 * 60_000 });
	if (result.status !== 0 || !fs.existsSync(CHROMIUM)) throw new Error(`could not install chromium (exit ${String(result.status)})`);
}

export interface EditorSessionOptions {
	viewport: { width: number; height: number };
	deviceScaleFactor?: number;
	/** Page script run in every page before n8n's own (a string: test files are compiled without DOM types). */
	initScript?: string;
}

export interface EditorSession {
	page: Page;
	/** Writes a screenshot and the HTML of the page to n8n's log folder, as `<label>.png` and `<label>.html`. */
	savePage(label: string): Promise<void>;
	/** Closes the browser and removes its profile; with `keepLogs` the browser console's errors go to n8n's log folder. */
	close(options: { keepLogs: boolean }): Promise<void>;
}

/** A headless chromium with a fresh profile and one page, for the editor of `n8n`. */
export async function startEditorSession(n8n: N8nInstance, options: EditorSessionOptions): Promise<EditorSession> {
	ensureChromium();
	// playwright passes the profile to chromium as --user-data-dir.
	const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'o365-chromium-'));
	let context: BrowserContext;
	try {
		context = await chromium.launchPersistentContext(userDataDir, {
			executablePath: CHROMIUM,
			headless: true,
			args: CHROMIUM_ARGS,
			viewport: options.viewport,
			deviceScaleFactor: options.deviceScaleFactor,
			locale: 'en-US',
			timezoneId: 'UTC',
		});
	} catch (error) {
		fs.rmSync(userDataDir, { recursive: true, force: true });
		throw error;
	}
	context.setDefaultTimeout(UI_TIMEOUT_MS);
	if (options.initScript) await context.addInitScript({ content: options.initScript });
	selectors.setTestIdAttribute('data-test-id');
	const page = await context.newPage();
	const consoleErrors: string[] = [];
	page.on('console', (message) => {
		if (message.type() === 'error') consoleErrors.push(message.text());
	});

	return {
		page,
		async savePage(label) {
			const file = path.join(n8n.logDir, label.replace(/\W+/g, '-').slice(0, 80));
			await page.screenshot({ path: `${file}.png`, fullPage: true }).catch(() => undefined);
			const html = await page.content().catch(() => '');
			if (html) fs.writeFileSync(`${file}.html`, html);
		},
		async close({ keepLogs }) {
			if (keepLogs) fs.writeFileSync(path.join(n8n.logDir, 'browser-console.txt'), consoleErrors.join('\n'));
			await context.close().catch(() => undefined);
			fs.rmSync(userDataDir, { recursive: true, force: true });
		},
	};
}

/** Signs in as n8n's owner through the login form. */
export async function signIn(page: Page, n8n: N8nInstance): Promise<void> {
	if (!n8n.owner) throw new Error('n8n has no owner to sign in as (call setupOwner first)');
	await page.goto(`${n8n.baseUrl}/signin`);
	await page.locator('input[name="emailOrLdapLoginId"]').fill(n8n.owner.email);
	await page.locator('input[name="password"]').fill(n8n.owner.password);
	await page.getByTestId('form-submit-button').click();
	await page.waitForURL((url) => !url.pathname.startsWith('/signin'));
}

/** Opens a new workflow, searches the node panel for the node named `name` and adds it; returns its open details view. */
export async function addNodeToNewWorkflow(page: Page, baseUrl: string, name: string): Promise<Locator> {
	await page.goto(`${baseUrl}/workflow/new`);
	await page.getByTestId('canvas-plus-button').click();
	await page.getByTestId('node-creator-search-bar').fill(name);
	const exactly = new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
	await page.getByTestId('node-creator-item-name').filter({ hasText: exactly }).first().click();
	// A community node may first show its details panel with an "Add to workflow" button.
	const addButton = page.getByRole('button', { name: 'Add to workflow' });
	const ndv = page.getByTestId('ndv');
	await Promise.race([addButton.waitFor(), ndv.waitFor()]);
	if (await addButton.isVisible()) await addButton.click();
	await ndv.waitFor();
	return ndv;
}

/** Steps (see e2eFlow's Steps) that also keep the page of the session, when there is one, as a failing step left it. */
export class EditorSteps extends Steps {
	constructor(private readonly session: () => EditorSession | undefined) {
		super();
	}

	override step(name: string, timeoutMs: number, body: (t: TestContext) => Promise<void>, options?: { independent?: boolean }): void {
		super.step(
			name,
			timeoutMs,
			async (t) => {
				try {
					await body(t);
				} catch (error) {
					await this.session()?.savePage(name);
					throw error;
				}
			},
			options,
		);
	}
}
