/**
 * The n8n editor with the packed package installed, driven by playwright-core in Debian's headless
 * chromium (/usr/bin/chromium; scripts/n8n/install-chromium.sh installs it with apt-get when missing).
 *
 *   node --import tsx --test test/browser/editor.test.ts
 *
 * 1. Signs in through the login form, opens a new workflow, searches the node panel for
 *    "Office 365 Trigger", adds it to the canvas and checks that it is there and that no error
 *    toast appeared.
 * 2. Opens a saved Office 365 Trigger → Office 365 Event Forward workflow and writes a
 *    screenshot of the canvas to docs/workflow.png (used by the README).
 *
 * On failure n8n's log, a screenshot and the HTML of the page and the browser console are kept under .e2e-logs/.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe } from 'node:test';

import type { Page } from 'playwright-core';

import { CREDENTIAL_TYPE, TRIGGER_NODE_TYPE, FORWARD_NODE_TYPE, startN8n, type N8nInstance } from '../../scripts/n8n/harness';
import { REPO_ROOT } from '../../scripts/n8n/install';
import { buildAndPack } from '../../scripts/n8n/pack';
import { FORWARD_NAME, SIGNING_CREDENTIAL_TYPE, TRIGGER_NAME, eventForwardWorkflow, oauthCredentialData } from '../../scripts/n8n/workflows';
import { addNodeToNewWorkflow, EditorSteps, ensureChromium, signIn, startEditorSession, type EditorSession } from '../support/editorSession';

// Tests must not dirty the checkout: the README's picture is only rewritten on request.
const SCREENSHOT =
	process.env.UPDATE_DOCS_SCREENSHOT === '1'
		? path.join(REPO_ROOT, 'docs', 'workflow.png')
		: path.join(REPO_ROOT, '.e2e-logs', 'workflow.png');

interface Toast {
	type: string;
	text: string;
}

let n8n: N8nInstance | undefined;
let session: EditorSession | undefined;
let screenshotWorkflowId = '';
const steps = new EditorSteps(() => session);
const step = steps.step.bind(steps);

/**
 * Page script (a string: this file is compiled without DOM types) recording every notification
 * toast n8n shows; toasts disappear after a few seconds, so they are caught as they appear.
 */
const RECORD_TOASTS = `(() => {
	const seen = new WeakSet();
	const toasts = [];
	window.__toasts = toasts;
	const scan = () => {
		for (const element of document.querySelectorAll('.el-notification')) {
			if (seen.has(element)) continue;
			seen.add(element);
			const is = (kind) => element.querySelector('.el-notification--' + kind) !== null || element.classList.contains(kind);
			toasts.push({ type: is('error') ? 'error' : is('warning') ? 'warning' : 'other', text: (element.textContent || '').trim() });
		}
	};
	new MutationObserver(scan).observe(document, { childList: true, subtree: true });
})();`;

async function toasts(page: Page): Promise<Toast[]> {
	return (await page.evaluate('window.__toasts || []')) as Toast[];
}

describe('n8n editor (headless chromium)', { timeout: 25 * 60_000 }, () => {
	before(async () => {
		try {
			await setUp();
		} catch (error) {
			steps.failed = true;
			throw error;
		}
	}, { timeout: 20 * 60_000 });

	async function setUp(): Promise<void> {
		ensureChromium();
		const tarball = await buildAndPack();
		n8n = await startN8n({ packageTarball: tarball, label: 'browser' });
		await n8n.setupOwner();
		await n8n.createApiKey();

		// The workflow shown in docs/workflow.png; credentials attached so the canvas shows no issues.
		const oauth = await n8n.createCredential({
			name: 'Office 365 account',
			type: CREDENTIAL_TYPE,
			data: oauthCredentialData({ graphApiBaseUrl: 'https://graph.example.com', loginBaseUrl: 'https://login.example.com' }),
		});
		const signing = await n8n.createCredential({ name: 'Event signing key', type: SIGNING_CREDENTIAL_TYPE, data: { signingKey: 'docs-example-key' } }).catch(() => undefined);
		const workflow = await n8n.createWorkflow(
			eventForwardWorkflow({
				name: 'Office 365 events → Open Connectors callback',
				oauthCredential: { id: oauth.id, name: oauth.name },
				signingCredential: signing ? { id: signing.id, name: signing.name } : undefined,
				callbackUrl: 'https://example.com/office365/events',
			}),
		);
		screenshotWorkflowId = workflow.id;

		session = await startEditorSession(n8n, {
			viewport: { width: 1280, height: 720 },
			deviceScaleFactor: 2, // sharper docs/workflow.png
			initScript: RECORD_TOASTS,
		});
	}

	after(async () => {
		await session?.close({ keepLogs: steps.failed });
		await n8n?.dispose({ keepLogs: steps.failed });
	});

	step('signs in and adds the Office 365 Trigger from the node panel', 3 * 60_000, async () => {
		assert.ok(n8n && session);
		const { page } = session;
		await signIn(page, n8n);
		await addNodeToNewWorkflow(page, n8n.baseUrl, 'Office 365 Trigger');
		await page.getByTestId('ndv-close-button').click();

		const node = page.locator(`[data-test-id="canvas-node"][data-node-type="${TRIGGER_NODE_TYPE}"]`);
		await node.waitFor();
		assert.equal(await node.count(), 1);
		assert.equal(await node.getAttribute('data-node-name'), TRIGGER_NAME);
		await page.waitForTimeout(1_000); // let late toasts show up
		const errors = (await toasts(page)).filter((toast) => toast.type === 'error');
		assert.deepEqual(errors, [], 'the editor showed an error toast');
	});

	step('screenshots an Office 365 Trigger → Office 365 Event Forward workflow to docs/workflow.png', 3 * 60_000, async (t) => {
		assert.ok(n8n && session);
		const { page } = session;
		await page.goto(`${n8n.baseUrl}/workflow/${screenshotWorkflowId}`);
		const trigger = page.locator(`[data-test-id="canvas-node"][data-node-type="${TRIGGER_NODE_TYPE}"]`);
		const forward = page.locator(`[data-test-id="canvas-node"][data-node-type="${FORWARD_NODE_TYPE}"]`);
		await trigger.waitFor();
		await forward.waitFor();
		assert.equal(await forward.getAttribute('data-node-name'), FORWARD_NAME);
		await page.getByTestId('zoom-to-fit').click();
		await page.waitForTimeout(1_000); // zoom animation
		// Icons are loaded lazily; wait until every image on the canvas rendered.
		await page.waitForFunction(`Array.from(document.querySelectorAll('[data-test-id="canvas-node"] img')).every((img) => img.complete)`);
		const errors = (await toasts(page)).filter((toast) => toast.type === 'error');
		assert.deepEqual(errors, [], 'the editor showed an error toast');
		// Crop to the two nodes (their labels sit below the boxes) and keep inside the canvas.
		const canvas = await page.getByTestId('canvas-wrapper').boundingBox();
		const boxes = [await trigger.boundingBox(), await forward.boundingBox()];
		assert.ok(canvas && boxes[0] && boxes[1], 'canvas or nodes have no bounding box');
		const left = Math.max(canvas.x, Math.min(boxes[0].x, boxes[1].x) - 140);
		const top = Math.max(canvas.y, Math.min(boxes[0].y, boxes[1].y) - 90);
		const right = Math.min(canvas.x + canvas.width, Math.max(boxes[0].x + boxes[0].width, boxes[1].x + boxes[1].width) + 140);
		const bottom = Math.min(canvas.y + canvas.height, Math.max(boxes[0].y + boxes[0].height, boxes[1].y + boxes[1].height) + 130);
		await page.mouse.move(canvas.x + 5, canvas.y + canvas.height - 5); // no hover effects on the nodes
		fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
		await page.screenshot({ path: SCREENSHOT, clip: { x: left, y: top, width: right - left, height: bottom - top } });
		const size = fs.statSync(SCREENSHOT).size;
		assert.ok(size > 10_000, `screenshot is only ${size} bytes`);
		t.diagnostic(`wrote ${path.relative(REPO_ROOT, SCREENSHOT)} (${size} bytes)`);
	});
});
