/**
 * Tracking mode delta end to end below n8n's scheduler: real PollContext, real OAuth2, real HTTP against the
 * Graph simulator's delta functions (mail folders, contacts, calendarView, drives). Each change is one event:
 * CREATED, UPDATED or DELETED, once, whatever Graph replays, expires or changes during a round.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';

import type { IDataObject } from 'n8n-workflow';

import { GraphSimulator } from '../graph-simulator';
import { TriggerHarness } from '../support/pollHarness';
import { simulatorCredential } from '../support/simulatorCredentials';
import { useSimulator } from '../support/simulatorSuite';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const DAY = 24 * 60 * MINUTE;
let clock = Date.now();
const sim = new GraphSimulator({ now: () => clock });
const suite = useSimulator(sim, () => clock);

beforeEach(() => {
	clock += 3600 * SECOND;
	sim.reset();
	suite.log.warnings.length = 0;
});
afterEach(() => {
	sim.beforeDelta = undefined;
	sim.deltaReplays = false;
	sim.clearFaults();
});

function harness(parameters: IDataObject = {}): TriggerHarness {
	return new TriggerHarness(
		{ resource: 'messages', trackingMode: 'delta', ...parameters, options: { pollDelay: 60, ...(parameters.options as IDataObject) } },
		simulatorCredential(sim, sim.issueTokens()),
	);
}

/** Polls after a minute (n8n polls at most once a minute), events as [type, id]. */
async function pollAfterAMinute(trigger: TriggerHarness): Promise<Array<[string, string]>> {
	clock += MINUTE;
	return (await trigger.pollJson()).map((item) => [item.eventType as string, item.objectId as string]);
}

interface DeltaTracker {
	mode: string;
	link: string;
	round?: string;
	since: string;
	seen: Record<string, number>;
	tags: Record<string, string>;
	removed: Record<string, number>;
}
const trackers = (trigger: TriggerHarness) => Object.values((trigger.persistedState() as { trackers: Record<string, DeltaTracker> }).trackers);

describe('Office 365 Trigger, tracking mode delta', () => {
	it('one mail folder: history is not replayed; create, update, delete arrive once each as CREATED, UPDATED, DELETED', async () => {
		const history = sim.createMessage({ subject: 'before activation' });
		const trigger = harness({ options: { folder: 'inbox' } });
		assert.deepEqual(await trigger.pollJson(), [], 'activation only notes where to start');
		const created = sim.createMessage({ subject: 'new' });
		assert.deepEqual(await pollAfterAMinute(trigger), [['CREATED', created.id]]);
		assert.deepEqual(await pollAfterAMinute(trigger), []);
		clock += SECOND;
		sim.updateMessage(created.id, { isRead: true });
		sim.updateMessage(history.id, { subject: 'edited' });
		assert.deepEqual(await pollAfterAMinute(trigger), [
			['UPDATED', created.id],
			['UPDATED', history.id],
		]);
		sim.deleteMessage(created.id);
		const deleted = (await trigger.pollJson()).at(0)!;
		assert.deepEqual([deleted.eventType, deleted.objectId, deleted.objectType], ['DELETED', created.id, 'messages']);
		assert.deepEqual(deleted.raw, { '@odata.type': '#microsoft.graph.message', id: created.id, '@removed': { reason: 'deleted' } });
		assert.ok(!Number.isNaN(Date.parse(deleted.date as string)));
		assert.deepEqual(await pollAfterAMinute(trigger), []);

		// Once nothing changed for longer than Poll Delay, static data holds the deltaLink and no history.
		clock += 2 * MINUTE;
		await trigger.pollJson();
		const [tracker] = trackers(trigger);
		assert.match(tracker.link, /\/messages\/delta\?\$deltatoken=/);
		assert.deepEqual([tracker.seen, tracker.tags, tracker.removed, tracker.round], [{}, {}, {}, undefined]);
	});

	it('an idle poll is one request; a change within the same second as the last is still seen (version tags)', async () => {
		const trigger = harness({ options: { folder: 'inbox' } });
		await trigger.pollJson();
		const message = sim.createMessage({ subject: 'quick' });
		assert.deepEqual(await pollAfterAMinute(trigger), [['CREATED', message.id]]);
		// Same second, same lastModifiedDateTime: only the version tag tells the change apart.
		sim.updateMessage(message.id, { isRead: true }, { at: Date.parse(message.lastModifiedDateTime) });
		assert.deepEqual(await pollAfterAMinute(trigger), [['UPDATED', message.id]]);
		const before = sim.requests.length;
		assert.deepEqual(await pollAfterAMinute(trigger), []);
		assert.equal(sim.requests.length - before, 1);
	});

	it('the whole mailbox: a tracker per folder, a move is DELETED in one folder and CREATED in the other, new folders join', async () => {
		const trigger = harness();
		await trigger.pollJson();
		const folders = sim.folders().filter((folder) => folder.wellKnownName !== 'msgfolderroot').length;
		assert.equal(trackers(trigger).length, folders);

		const message = sim.createMessage({ subject: 'to be archived' });
		assert.deepEqual(await pollAfterAMinute(trigger), [['CREATED', message.id]]);
		// Graph gives the moved message a new id: it leaves the inbox and, never announced under that id and
		// received within the remembered window, arrives in the archive as new.
		const moved = sim.moveMessage(message.id, 'archive');
		const events = await pollAfterAMinute(trigger);
		assert.deepEqual(new Set(events.map((event) => event.join(' '))), new Set([`DELETED ${message.id}`, `CREATED ${moved.id}`]));

		// A folder created after activation is listed again within 15 minutes; mail filed there is not lost.
		const projects = sim.createFolder('Projects', 'inbox');
		const filed = sim.createMessage({ subject: 'filed' }, { folder: projects.id });
		assert.deepEqual(await pollAfterAMinute(trigger), [], 'the folder list is read at most every 15 minutes');
		clock += 15 * MINUTE;
		assert.deepEqual(await pollAfterAMinute(trigger), [['CREATED', filed.id]]);
		assert.equal(trackers(trigger).length, folders + 1);
	});

	it('the whole mailbox: a folder deleted between two folder lists leaves the list; the others go on', async () => {
		const projects = sim.createFolder('Projects', 'inbox');
		const trigger = harness();
		await trigger.pollJson();
		const folders = trackers(trigger).length;
		sim.deleteFolder(projects.id);
		const message = sim.createMessage({ subject: 'still tracked' });
		assert.deepEqual(await pollAfterAMinute(trigger), [['CREATED', message.id]]);
		assert.equal(trackers(trigger).length, folders - 1);
		assert.deepEqual(await pollAfterAMinute(trigger), []);
	});

	it('contacts and calendar events: CREATED, UPDATED, DELETED; an event moved out of the window is DELETED', async () => {
		const contacts = harness({ resource: 'contacts' });
		const events = harness({ resource: 'events', options: { calendarDaysBack: 1, calendarDaysAhead: 30 } });
		await contacts.pollJson();
		await events.pollJson();
		const contact = sim.createContact({ displayName: 'Ada' });
		const inWindow = new Date(clock + 2 * DAY).toISOString().slice(0, 19);
		const later = new Date(clock + 200 * DAY).toISOString().slice(0, 19);
		const meeting = sim.createEvent({ subject: 'sync', start: { dateTime: inWindow, timeZone: 'UTC' }, end: { dateTime: inWindow, timeZone: 'UTC' } });
		sim.createEvent({ subject: 'far away', start: { dateTime: later, timeZone: 'UTC' }, end: { dateTime: later, timeZone: 'UTC' } });
		assert.deepEqual(await pollAfterAMinute(contacts), [['CREATED', contact.id]]);
		assert.deepEqual(await trigger(events), [['CREATED', meeting.id]]);
		clock += SECOND;
		sim.updateContact(contact.id, { displayName: 'Ada L.' });
		sim.updateEvent(meeting.id, { start: { dateTime: later, timeZone: 'UTC' }, end: { dateTime: later, timeZone: 'UTC' } });
		assert.deepEqual(await pollAfterAMinute(contacts), [['UPDATED', contact.id]]);
		assert.deepEqual(await trigger(events), [['DELETED', meeting.id]]);
		sim.deleteContact(contact.id);
		assert.deepEqual(await pollAfterAMinute(contacts), [['DELETED', contact.id]]);

		async function trigger(harnessOf: TriggerHarness): Promise<Array<[string, string]>> {
			return (await harnessOf.pollJson()).map((item) => [item.eventType as string, item.objectId as string]);
		}
	});

	it('the calendar window moves with the days: events entering it are not replayed, a deletion during the move is seen', async () => {
		const trigger = harness({ resource: 'events', options: { calendarDaysBack: 0, calendarDaysAhead: 2 } });
		// Whole days from today's start (UTC), as the window counts them, so the test holds at any time of day: the
		// first window is [today, today + 3 days), the one two days later [today + 2, today + 5).
		const today = Math.floor(clock / DAY) * DAY;
		const at = (days: number) => ({ dateTime: new Date(today + days * DAY).toISOString().slice(0, 19), timeZone: 'UTC' });
		const soon = sim.createEvent({ subject: 'soon', start: at(1.5), end: at(1.5) });
		const both = sim.createEvent({ subject: 'in both windows', start: at(2.5), end: at(2.5) });
		const beyond = sim.createEvent({ subject: 'beyond the first window', start: at(3.5), end: at(3.5) });
		await trigger.pollJson();
		const windowStart = (trackers(trigger)[0] as DeltaTracker & { windowStart: string }).windowStart;
		clock += 2 * DAY;
		sim.deleteEvent(soon.id);
		// While the new window is enumerated, an event of both windows is deleted: neither the new round nor the
		// enumeration can list it; the old link, read once more, does.
		sim.beforeDelta = (info) => {
			if (info.roundStart && info.url.includes('startDateTime')) {
				sim.beforeDelta = undefined;
				sim.deleteEvent(both.id);
			}
		};
		const events = await pollAfterAMinute(trigger);
		assert.deepEqual(events, [
			['DELETED', soon.id],
			['DELETED', both.id],
		]);
		assert.notEqual((trackers(trigger)[0] as DeltaTracker & { windowStart: string }).windowStart, windowStart, 'the window moved');
		assert.deepEqual(await pollAfterAMinute(trigger), [], 'the event that entered the window is not news');
		sim.updateEvent(beyond.id, { subject: 'now in the window and changed' });
		assert.deepEqual(await pollAfterAMinute(trigger), [['UPDATED', beyond.id]]);
	});

	it('files in a OneDrive and a SharePoint library: folders above a change are no events; deletions carry the deleted facet', async () => {
		const old = sim.createDriveItem({ name: 'old.txt' });
		const trigger = harness({ resource: 'driveItems', trackingMode: undefined });
		await trigger.pollJson();
		assert.equal(sim.requests.filter((entry) => entry.path.includes('token=latest')).length, 1, 'activation asks for token=latest');
		const folder = sim.createDriveItem({ name: 'Projects', folder: { childCount: 0 } });
		clock += 30 * SECOND;
		const file = sim.createDriveItem({ name: 'plan.docx' }, { parent: folder.id });
		assert.deepEqual(await pollAfterAMinute(trigger), [
			['CREATED', folder.id],
			['CREATED', file.id],
		]);
		clock += 5 * MINUTE;
		sim.updateDriveItem(file.id, { name: 'plan v2.docx' });
		assert.deepEqual(await pollAfterAMinute(trigger), [['UPDATED', file.id]], 'the folder listed above it is not news');
		sim.deleteDriveItem(old.id);
		const [deleted] = await trigger.pollJson();
		assert.deepEqual([deleted.eventType, deleted.objectId, deleted.objectType], ['DELETED', old.id, 'driveItems']);
		assert.deepEqual((deleted.raw as IDataObject).deleted, { state: 'deleted' });

		const site = sim.drive('site');
		const library = harness({ resource: 'driveItems', options: { drive: site.siteId } });
		await library.pollJson();
		const report = sim.createDriveItem({ name: 'report.xlsx' }, { drive: 'site' });
		assert.deepEqual(await pollAfterAMinute(library), [['CREATED', report.id]]);
	});

	it('410 Gone: the collection is read again; nothing reported before comes again, nothing changed meanwhile is lost', async () => {
		const trigger = harness({ options: { folder: 'inbox', pageSize: 3 } });
		const old = Array.from({ length: 5 }, (_, i) => sim.createMessage({ subject: `old ${i}` }).id);
		await trigger.pollJson();
		const reported = sim.createMessage({ subject: 'reported' });
		assert.deepEqual(await pollAfterAMinute(trigger), [['CREATED', reported.id]]);
		clock += 5 * MINUTE;
		const meanwhile = sim.createMessage({ subject: 'while the sync state was lost' });
		sim.updateMessage(old[0], { isRead: true });
		sim.expireDeltaTokens();
		const events = await pollAfterAMinute(trigger);
		assert.deepEqual(new Set(events.map((event) => event.join(' '))), new Set([`UPDATED ${old[0]}`, `CREATED ${meanwhile.id}`]));
		assert.equal(suite.log.warnings.length, 1);
		assert.match(suite.log.warnings[0], /no longer knows the sync state of messages .* changes since .* are emitted once/);
		assert.deepEqual(await pollAfterAMinute(trigger), []);
	});

	it('a backlog beyond Max Events Per Poll is read across polls from the stored nextLink, each change once', async () => {
		const trigger = harness({ options: { folder: 'inbox', pageSize: 2, maxEventsPerPoll: 3 } });
		await trigger.pollJson();
		const created = Array.from({ length: 9 }, (_, i) => sim.createMessage({ subject: `backlog ${i}` }).id);
		const first = await pollAfterAMinute(trigger);
		assert.equal(first.length, 4, 'up to the page that reaches the quota');
		assert.equal(trackers(trigger)[0].round, 'changes');
		assert.match(trackers(trigger)[0].link, /\$skiptoken=/);
		const all = [...first];
		for (let poll = 0; poll < 5 && all.length < created.length; poll++) all.push(...(await pollAfterAMinute(trigger)));
		assert.deepEqual(
			all.map(([, id]) => id),
			created,
		);
		assert.equal(trackers(trigger)[0].round, undefined);
	});

	it('replays and changes during a round are emitted once', async () => {
		const trigger = harness({ options: { folder: 'inbox', pageSize: 2 } });
		await trigger.pollJson();
		const created = Array.from({ length: 5 }, (_, i) => sim.createMessage({ subject: `m${i}` }).id);
		sim.deltaReplays = true;
		let during: string | undefined;
		sim.beforeDelta = (info) => {
			if (!info.roundStart && during === undefined) {
				during = sim.createMessage({ subject: 'during the round' }).id;
				sim.updateMessage(created[0], { isRead: true });
			}
		};
		const events = [...(await pollAfterAMinute(trigger)), ...(await pollAfterAMinute(trigger)), ...(await pollAfterAMinute(trigger))];
		const byId = new Map<string, string[]>();
		for (const [type, id] of events) byId.set(id, [...(byId.get(id) ?? []), type]);
		assert.deepEqual(byId.get(during!), ['CREATED']);
		for (const id of created.slice(1)) assert.deepEqual(byId.get(id), ['CREATED'], id);
		assert.deepEqual(byId.get(created[0]), ['CREATED', 'UPDATED']);
	});

	it('a failed page emits nothing and stores nothing; Fetch Test Event samples without touching state', async () => {
		const trigger = harness({ options: { folder: 'inbox', pageSize: 2 } });
		await trigger.pollJson();
		const created = Array.from({ length: 5 }, (_, i) => sim.createMessage({ subject: `m${i}` }).id);
		const stored = JSON.stringify(trigger.persistedState());
		sim.injectFault({ path: '/messages/delta', kind: 'status', status: 503, retryAfterSeconds: 0, times: 10, afterRequests: 1 });
		await assert.rejects(trigger.poll(), /503/);
		sim.clearFaults();
		assert.equal(JSON.stringify(trigger.persistedState()), stored);
		const sample = await trigger.pollJson('manual');
		assert.equal(sample.length, 1);
		assert.equal(JSON.stringify(trigger.persistedState()), stored);
		assert.deepEqual((await pollAfterAMinute(trigger)).map(([, id]) => id), created);
	});

	it('bad input names the parameter, the value and what works', async () => {
		const cases: Array<[IDataObject, RegExp]> = [
			[{ options: { filter: 'isRead eq false' } }, /Invalid Options → Filter "isRead eq false": delta queries take no \$filter/],
			[{ resource: 'custom', url: '/me/contacts', datesConfiguration: { updatedAtField: 'lastModifiedDateTime' } }, /Invalid URL "\/me\/contacts": .*delta function/],
			[{ resource: 'events', options: { select: 'subject' } }, /Invalid Options → Select "subject"/],
			[
				{ resource: 'custom', url: "/me/contacts/delta?x=${gmtDate:yyyy-MM-dd}", datesConfiguration: { updatedAtField: 'lastModifiedDateTime' } },
				/Invalid URL .*: a delta function takes no date placeholders/,
			],
			[{ resource: 'driveItems', options: { drive: 'my drive' } }, /Invalid Options → Drive "my drive"/],
			[{ trackingMode: 'timestamp', eventTypes: ['deleted'] }, /Invalid Event Types: choose at least one of Created and Updated/],
		];
		for (const [parameters, message] of cases) await harness(parameters).pollFailsWithoutState(message);
	});

	it('switched back to timestamp with Deleted still selected, the trigger reports the other changes', async () => {
		const trigger = harness({ trackingMode: 'timestamp', eventTypes: ['created', 'updated', 'deleted'] });
		await trigger.pollJson();
		const message = sim.createMessage({ subject: 'after the switch' });
		assert.deepEqual(await pollAfterAMinute(trigger), [['CREATED', message.id]]);
		assert.equal((Object.values(trigger.persistedState().trackers as IDataObject)[0] as IDataObject).mode, 'timestamp');
	});

	it('damaged delta state is reported once and replaced; a link to another host is never followed', async () => {
		const trigger = harness({ options: { folder: 'inbox' } });
		await trigger.pollJson();
		const [key] = Object.keys((trigger.staticData.trackers as IDataObject) ?? {});
		(trigger.staticData.trackers as Record<string, IDataObject>)[key].seen = 'garbage';
		assert.deepEqual(await pollAfterAMinute(trigger), []);
		assert.match(suite.log.warnings.join('\n'), /"seen" is not a map of dates/);
		suite.log.warnings.length = 0;

		const message = sim.createMessage({ subject: 'after a foreign link' });
		(trigger.staticData.trackers as Record<string, IDataObject>)[key].link = 'https://attacker.example/v1.0/me/mailFolders/inbox/messages/delta';
		const before = sim.requests.length;
		assert.deepEqual(await pollAfterAMinute(trigger), [['CREATED', message.id]]);
		assert.match(suite.log.warnings.join('\n'), /points outside the credential's Microsoft Graph address/);
		assert.ok(sim.requests.slice(before).every((entry) => !entry.path.includes('attacker')));
	});
});
