/**
 * The searchable lists of the version 2 resource locators through n8n-core's real LoadOptionsContext: mail folders
 * of the chosen mailbox at every depth (paged, well-known folders first) and mailboxes from the directory.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';

import type { INodeListSearchItems } from 'n8n-workflow';

import { GraphSimulator } from '../graph-simulator';
import { LoadOptionsHarness } from '../support/loadOptionsHarness';
import { simulatorAppCredential, simulatorCredential } from '../support/simulatorCredentials';
import { useSimulator } from '../support/simulatorSuite';

const clock = Date.now();
const sim = new GraphSimulator({ now: () => clock });
useSimulator(sim, () => clock);
const SHARED = 'support@contoso.example';

/** Every page of a list, as the editor loads them while the user scrolls. */
async function everything(load: (token?: string) => Promise<{ results: INodeListSearchItems[]; paginationToken?: unknown }>): Promise<{ items: INodeListSearchItems[]; pages: number }> {
	const items: INodeListSearchItems[] = [];
	let token: string | undefined;
	let pages = 0;
	do {
		const page = await load(token);
		pages++;
		items.push(...page.results);
		token = page.paginationToken as string | undefined;
		assert.ok(pages < 100, 'the list ends');
	} while (token);
	return { items, pages };
}

const delegated = () => simulatorCredential(sim, sim.issueTokens('offline_access Mail.Read Mail.Read.Shared User.ReadBasic.All'));

describe('Folder list (searchMailFolders)', () => {
	const expectedDeep: string[] = [];
	before(() => {
		// 130 folders side by side (more than one Graph page) and a chain 8 levels deep under Inbox.
		for (let i = 0; i < 130; i++) sim.createFolder(`Client ${String(i).padStart(3, '0')}`);
		let parent = 'inbox';
		let label = 'Inbox';
		for (let level = 1; level <= 8; level++) {
			parent = sim.createFolder(`Level ${level}`, parent).id;
			label = `${label} / Level ${level}`;
			expectedDeep.push(label);
		}
	});

	it('lists the well-known folders first (by their well-known names), then every folder at every depth, each once', async () => {
		const lists = new LoadOptionsHarness(delegated(), { resource: 'messages' });
		const { items, pages } = await everything((token) => lists.searchMailFolders(undefined, token));
		assert.ok(pages > 1, 'paged');
		assert.deepEqual(
			items.slice(0, 7).map((item) => [item.name, item.value]),
			[
				['Inbox', 'inbox'],
				['Drafts', 'drafts'],
				['Sent Items', 'sentitems'],
				['Deleted Items', 'deleteditems'],
				['Junk Email', 'junkemail'],
				['Outbox', 'outbox'],
				['Archive', 'archive'],
			],
		);
		const names = items.map((item) => item.name);
		assert.equal(new Set(items.map((item) => item.value)).size, items.length, 'no folder twice');
		for (let i = 0; i < 130; i++) assert.ok(names.includes(`Client ${String(i).padStart(3, '0')}`), `Client ${i}`);
		for (const label of expectedDeep) assert.ok(names.includes(label), label);
		const truth = sim.folders().filter((folder) => folder.wellKnownName !== 'msgfolderroot');
		assert.equal(items.length, truth.length, 'every folder of the mailbox');
	});

	it('search narrows by path, still at every depth', async () => {
		const lists = new LoadOptionsHarness(delegated(), { resource: 'messages' });
		const { items } = await everything((token) => lists.searchMailFolders('level 8', token));
		assert.deepEqual(items.map((item) => item.name), [expectedDeep[7]]);
		const junk = await lists.searchMailFolders('junk');
		assert.deepEqual(junk.results.map((item) => item.value), ['junkemail']);
	});

	it('follows the Mailbox parameter: a shared mailbox\'s folders', async () => {
		const support = sim.addMailbox({ displayName: 'Support', mail: SHARED });
		const tickets = support.createFolder('Tickets');
		const lists = new LoadOptionsHarness(delegated(), { resource: 'messages', mailbox: { __rl: true, mode: 'address', value: SHARED } });
		const seq = sim.requests.at(-1)!.seq;
		const { items } = await everything((token) => lists.searchMailFolders(undefined, token));
		assert.ok(items.some((item) => item.value === tickets.id && item.name === 'Tickets'));
		assert.ok(!items.some((item) => String(item.name).startsWith('Client')), 'not the signed-in user\'s folders');
		assert.ok(sim.requestsSince(seq).every((entry) => entry.path.startsWith(`/v1.0/users/${encodeURIComponent(SHARED)}/`) || entry.path.startsWith(`/v1.0/users/${SHARED}/`)));
	});

	it('with app-only access the folder list asks for a mailbox first', async () => {
		const lists = new LoadOptionsHarness(simulatorAppCredential(sim), { resource: 'messages' });
		await assert.rejects(lists.searchMailFolders(), /Invalid Mailbox "My Mailbox"/);
	});
});

describe('Mailbox list (searchMailboxes)', () => {
	it('offers My Mailbox first, then the directory, searchable by name or address', async () => {
		sim.addMailbox({ displayName: 'Finance Team', mail: 'finance@contoso.example' });
		const lists = new LoadOptionsHarness(delegated());
		const all = await everything((token) => lists.searchMailboxes(undefined, token));
		assert.deepEqual(all.items[0], { name: 'My Mailbox', value: 'me' });
		assert.ok(all.items.some((item) => item.value === 'finance@contoso.example' && item.name === 'Finance Team (finance@contoso.example)'));
		const found = await lists.searchMailboxes('fin');
		assert.deepEqual(found.results.map((item) => item.value), ['finance@contoso.example']);
		const byAddress = await lists.searchMailboxes('support@');
		assert.deepEqual(byAddress.results.map((item) => item.value), [SHARED]);
	});

	it('without User.ReadBasic.All a user still gets My Mailbox (and can type an address)', async () => {
		const lists = new LoadOptionsHarness(simulatorCredential(sim, sim.issueTokens('offline_access Mail.Read')));
		assert.deepEqual((await lists.searchMailboxes()).results, [{ name: 'My Mailbox', value: 'me' }]);
	});

	it('app-only: no My Mailbox; without User.Read.All a clear message', async () => {
		const lists = new LoadOptionsHarness(simulatorAppCredential(sim));
		const { results } = await lists.searchMailboxes();
		assert.ok(results.length >= 2);
		assert.ok(!results.some((item) => item.value === 'me'));
		sim.appRoles = ['Mail.Read'];
		try {
			const withoutDirectory = new LoadOptionsHarness(simulatorAppCredential(sim));
			await assert.rejects(withoutDirectory.searchMailboxes(), /The app may not list the directory's users/);
		} finally {
			sim.reset();
		}
	});
});
