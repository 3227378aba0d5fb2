// The Graph simulator's delta queries: real HTTP against a started instance, links followed verbatim.

import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';

import { GraphSimulator } from '../graph-simulator/index';

const T0 = Date.UTC(2026, 10, 28, 10, 0, 0);
const HOUR = 3_600_000;

interface DeltaPage {
	'@odata.nextLink'?: string;
	'@odata.deltaLink'?: string;
	value: Array<Record<string, unknown>>;
}

let now = T0;
const sim = new GraphSimulator({ now: () => now });
let token = '';
before(async () => {
	await sim.start();
});
after(async () => {
	await sim.stop();
});
beforeEach(() => {
	sim.reset();
	now += HOUR;
	token = sim.issueTokens().access_token;
});

async function get(url: string, pageSize?: number): Promise<Response> {
	const headers: Record<string, string> = { Authorization: `Bearer ${token}` };
	if (pageSize !== undefined) headers.Prefer = `odata.maxpagesize=${pageSize}`;
	return fetch(url.startsWith('http') ? url : `${sim.graphUrl}${url}`, { headers });
}

/** One round: follows nextLinks until the deltaLink; returns the records and the deltaLink. */
async function round(url: string, pageSize?: number): Promise<{ records: Array<Record<string, unknown>>; pages: number; deltaLink: string }> {
	const records: Array<Record<string, unknown>> = [];
	let next: string | undefined = url;
	for (let pages = 1; ; pages++) {
		const response = await get(next, pageSize);
		const body = (await response.json()) as DeltaPage;
		assert.equal(response.status, 200, JSON.stringify(body));
		records.push(...body.value);
		if (body['@odata.deltaLink']) return { records, pages, deltaLink: body['@odata.deltaLink'] };
		assert.ok(body['@odata.nextLink'], 'a page without a deltaLink has a nextLink');
		next = body['@odata.nextLink'];
	}
}

const ids = (records: Array<Record<string, unknown>>) => records.map((record) => record.id as string);

describe('Graph simulator delta queries', () => {
	it('mail folder: a full round in pages, then only what changed, deletions as @removed', async () => {
		const inbox = Array.from({ length: 5 }, (_, i) => sim.createMessage({ subject: `m${i}` }).id);
		sim.createMessage({ subject: 'elsewhere' }, { folder: 'archive' });
		const first = await round('/me/mailFolders/inbox/messages/delta', 2);
		assert.equal(first.pages, 3);
		assert.deepEqual(ids(first.records), inbox);
		assert.match(first.deltaLink, /\/v1\.0\/me\/mailFolders\/inbox\/messages\/delta\?\$deltatoken=/);

		const idle = await round(first.deltaLink, 2);
		assert.deepEqual(idle.records, [], 'nothing changed');
		assert.equal(idle.pages, 1);

		now += 1000;
		sim.updateMessage(inbox[1], { isRead: true });
		sim.deleteMessage(inbox[2]);
		const moved = sim.moveMessage(inbox[3], 'archive');
		const created = sim.createMessage({ subject: 'new' });
		const changes = await round(idle.deltaLink, 2);
		assert.deepEqual(
			changes.records.map((record) => [record.id, (record['@removed'] as { reason: string } | undefined)?.reason ?? record.isRead]),
			[
				[inbox[1], true],
				[inbox[2], 'deleted'],
				[inbox[3], 'changed'],
				[created.id, false],
			],
		);
		const archive = await round(`/me/mailFolders/${sim.folderId('archive')}/messages/delta`);
		assert.ok(ids(archive.records).includes(moved.id), 'the moved message lives on in the other folder under its new id');
	});

	it('the mailbox-wide /me/messages/delta is refused, as Graph does', async () => {
		const response = await get('/me/messages/delta');
		assert.equal(response.status, 400);
		assert.match(((await response.json()) as { error: { message: string } }).error.message, /Change tracking is not supported/);
	});

	it('a change during a round comes in that round or the next, never lost; a round lists each item once', async () => {
		const existing = Array.from({ length: 6 }, (_, i) => sim.createMessage({ subject: `m${i}` }).id);
		let changedDuring: string | undefined;
		sim.beforeDelta = (info) => {
			if (!info.roundStart && changedDuring === undefined) {
				sim.deleteMessage(existing[0]);
				changedDuring = sim.createMessage({ subject: 'during' }).id;
			}
		};
		const first = await round('/me/mailFolders/inbox/messages/delta', 2);
		sim.beforeDelta = undefined;
		assert.deepEqual(new Set(ids(first.records)).size, first.records.length);
		const second = await round(first.deltaLink, 2);
		assert.ok(ids(second.records).includes(changedDuring!), 'created during the round: reported by the next');
		assert.ok(second.records.some((record) => record.id === existing[0] && record['@removed']), 'deleted during the round: reported by the next');
	});

	it('replays: every later page repeats the last record of the page before', async () => {
		Array.from({ length: 5 }, (_, i) => sim.createMessage({ subject: `m${i}` }));
		sim.deltaReplays = true;
		const replayed = await round('/me/mailFolders/inbox/messages/delta', 2);
		assert.equal(replayed.records.length, 5 + 2);
		assert.equal(new Set(ids(replayed.records)).size, 5);
	});

	it('expired tokens answer 410 Gone with a Location that starts over (Outlook and drive codes)', async () => {
		sim.createMessage();
		const first = await round('/me/mailFolders/inbox/messages/delta');
		const driveFirst = await round('/me/drive/root/delta?token=latest');
		sim.expireDeltaTokens();
		for (const [link, code] of [
			[first.deltaLink, 'syncStateNotFound'],
			[driveFirst.deltaLink, 'resyncRequired'],
		]) {
			const response = await get(link);
			assert.equal(response.status, 410);
			assert.equal(((await response.json()) as { error: { code: string } }).error.code, code);
			const location = response.headers.get('location')!;
			assert.ok(!/token=/.test(location), location);
			assert.equal((await get(location)).status, 200);
		}
	});

	it('contacts: /me/contacts/delta and the contacts folder\'s delta track the default folder', async () => {
		const contact = sim.createContact({ displayName: 'Ada' });
		const first = await round('/me/contacts/delta');
		assert.deepEqual(ids(first.records), [contact.id]);
		const viaFolder = await round(`/me/contactFolders/${sim.contactFolderId}/contacts/delta`);
		assert.deepEqual(ids(viaFolder.records), [contact.id]);
		sim.deleteContact(contact.id);
		assert.deepEqual((await round(first.deltaLink)).records, [{ '@odata.type': '#microsoft.graph.contact', id: contact.id, '@removed': { reason: 'deleted' } }]);
	});

	it('calendarView: only events in the window; one that leaves it is @removed', async () => {
		const inside = sim.createEvent({ subject: 'in', start: { dateTime: '2026-12-01T10:00:00.0000000', timeZone: 'UTC' }, end: { dateTime: '2026-12-01T11:00:00.0000000', timeZone: 'UTC' } });
		sim.createEvent({ subject: 'out', start: { dateTime: '2027-06-01T10:00:00.0000000', timeZone: 'UTC' }, end: { dateTime: '2027-06-01T11:00:00.0000000', timeZone: 'UTC' } });
		const window = 'startDateTime=2026-11-01T00:00:00Z&endDateTime=2027-01-01T00:00:00Z';
		assert.equal((await get('/me/calendarView/delta')).status, 400, 'the window is required');
		const first = await round(`/me/calendarView/delta?${window}`);
		assert.deepEqual(ids(first.records), [inside.id]);
		sim.updateEvent(inside.id, { start: { dateTime: '2027-03-01T10:00:00.0000000', timeZone: 'UTC' }, end: { dateTime: '2027-03-01T11:00:00.0000000', timeZone: 'UTC' } });
		const second = await round(first.deltaLink);
		assert.deepEqual(second.records, [{ '@odata.type': '#microsoft.graph.event', id: inside.id, '@removed': { reason: 'deleted' } }]);
	});

	it('drive: token=latest starts from now; changes come with their folders; deletions carry the deleted facet', async () => {
		const before = sim.createDriveItem({ name: 'old.txt' });
		const latest = await round('/me/drive/root/delta?token=latest');
		assert.deepEqual(latest.records, []);
		const folder = sim.createDriveItem({ name: 'Projects', folder: { childCount: 0 } });
		const file = sim.createDriveItem({ name: 'plan.docx' }, { parent: folder.id });
		sim.deleteDriveItem(before.id);
		const changes = await round(latest.deltaLink);
		const root = sim.drive('me').rootId;
		assert.deepEqual(ids(changes.records), [root, folder.id, file.id, before.id]);
		assert.deepEqual(changes.records.at(-1)!.deleted, { state: 'deleted' });
		assert.match(changes.deltaLink, /\/me\/drive\/root\/delta\?token=/);

		const site = sim.drive('site');
		const libraryFile = sim.createDriveItem({ name: 'site.xlsx' }, { drive: 'site' });
		const viaSite = await round(`/sites/${site.siteId}/drive/root/delta`);
		assert.deepEqual(ids(viaSite.records), [site.rootId, libraryFile.id], 'a full round lists the root first');
		assert.deepEqual(ids((await round(`/drives/${site.driveId}/root/delta`)).records), [site.rootId, libraryFile.id]);
	});
});
