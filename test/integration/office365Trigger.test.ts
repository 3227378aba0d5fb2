/**
 * The Office 365 Trigger end to end below n8n's scheduler: real PollContext, real OAuth2 signing
 * and refresh, real HTTP on loopback against the Graph simulator.
 */
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';

import type { IDataObject } from 'n8n-workflow';

import { GraphSimulator } from '../graph-simulator';
import { TriggerHarness } from '../support/pollHarness';
import { simulatorCredential } from '../support/simulatorCredentials';
import { useSimulator } from '../support/simulatorSuite';
import { startLoopbackServer } from '../support/loopbackServer';

const SECOND = 1000;
// Starts at the real time and only moves forward: Graph's clock may run ahead of n8n's, never far behind.
let clock = Date.now();
const sim = new GraphSimulator({ now: () => clock });

useSimulator(sim, () => clock);

function harness(parameters: IDataObject = {}): TriggerHarness {
	return new TriggerHarness(
		{ resource: 'messages', eventTypes: ['created', 'updated'], options: { pollDelay: 60 }, ...parameters },
		simulatorCredential(sim, sim.issueTokens()),
	);
}

const ids = (items: IDataObject[]) => items.map((item) => item.objectId as string);

describe('Office 365 Trigger against the Graph simulator', () => {
	beforeEach(() => {
		clock += 3600 * SECOND;
	});

	it('activation seeds the watermark without events; new and changed mail arrive once, standardized', async () => {
		const existing = sim.createMessage({ subject: 'before activation' });
		const trigger = harness();
		assert.deepEqual(await trigger.pollJson(), []);
		const state = trigger.persistedState() as { version: number; trackers: Record<string, { since: string }> };
		assert.equal(state.version, 3);
		assert.equal(Object.keys(state.trackers).length, 1);

		clock += 10 * SECOND;
		const created = sim.createMessage({ subject: 'hello' });
		clock += 50 * SECOND;
		const first = await trigger.pollJson();
		assert.deepEqual(ids(first), [created.id]);
		assert.deepEqual(Object.keys(first[0]).sort(), ['date', 'elementKey', 'eventType', 'objectId', 'objectType', 'raw']);
		assert.equal(first[0].eventType, 'CREATED');
		assert.equal(first[0].objectType, 'messages');
		assert.equal(first[0].elementKey, 'office365');
		assert.equal(first[0].date, new Date(Date.parse(created.lastModifiedDateTime)).toISOString());
		assert.equal((first[0].raw as IDataObject).subject, 'hello');

		clock += 60 * SECOND;
		assert.deepEqual(await trigger.pollJson(), [], 'the look-back window re-reads but does not re-emit');

		sim.updateMessage(created.id, { isRead: true });
		sim.updateMessage(existing.id, { subject: 'edited' });
		clock += 60 * SECOND;
		const updates = await trigger.pollJson();
		assert.deepEqual(new Set(ids(updates)), new Set([created.id, existing.id]));
		assert.ok(updates.every((item) => item.eventType === 'UPDATED'));
	});

	it('a same-second burst across page boundaries arrives complete and once', async () => {
		const trigger = harness({ options: { pollDelay: 60, pageSize: 7 } });
		await trigger.pollJson();
		clock += 5 * SECOND;
		const burst = Array.from({ length: 50 }, (_, i) => sim.createMessage({ subject: `burst ${i}` }).id);
		clock += 30 * SECOND;
		const first = await trigger.pollJson();
		assert.deepEqual(new Set(ids(first)), new Set(burst));
		assert.equal(first.length, 50);
		clock += 60 * SECOND;
		assert.deepEqual(await trigger.pollJson(), []);
	});

	it('mail that becomes visible late (within pollDelay) is still emitted, exactly once', async () => {
		const trigger = harness({ options: { pollDelay: 120 } });
		await trigger.pollJson();
		clock += 60 * SECOND;
		const late = sim.createMessage({ subject: 'indexed late' }, { visibleAt: clock + 90 * SECOND });
		clock += 60 * SECOND;
		assert.deepEqual(await trigger.pollJson(), [], 'not visible yet');
		clock += 60 * SECOND;
		assert.deepEqual(ids(await trigger.pollJson()), [late.id]);
		clock += 60 * SECOND;
		assert.deepEqual(await trigger.pollJson(), []);
	});

	it('throttling (429 + Retry-After) and 503 are retried; Retry-After is honoured', async () => {
		const trigger = harness();
		await trigger.pollJson();
		const message = sim.createMessage({ subject: 'throttled' });
		clock += 60 * SECOND;
		// 2 s: longer than any first back-off (at most 1 s), so ignoring Retry-After fails the test.
		sim.injectFault({ path: '/me/messages', kind: 'status', status: 429, retryAfterSeconds: 2, times: 1 });
		sim.injectFault({ path: '/me/messages', kind: 'status', status: 503, retryAfterSeconds: 0, times: 1 });
		const startedAt = performance.now();
		const seq = sim.requests.at(-1)?.seq ?? 0;
		assert.deepEqual(ids(await trigger.pollJson()), [message.id]);
		const log = sim.requestsSince(seq).filter((entry) => entry.path.startsWith('/v1.0/me/messages'));
		assert.deepEqual(log.map((entry) => entry.status), [429, 503, 200]);
		assert.ok(log[1].at - log[0].at >= 1_950, `waited ${log[1].at - log[0].at} ms for Retry-After: 2`);
		assert.ok(performance.now() - startedAt < 10_000);
	});

	for (const resource of ['events', 'contacts'] as const) {
		it(`the ${resource} preset: 7-digit Graph stamps, CREATED then UPDATED`, async () => {
			const trigger = harness({ resource, options: { pollDelay: 60 } });
			await trigger.pollJson();
			clock += 5 * SECOND;
			const created = resource === 'events' ? sim.createEvent({ subject: 'standup' }) : sim.createContact({ displayName: 'Ada' });
			clock += 30 * SECOND;
			const first = await trigger.pollJson();
			assert.deepEqual(first.map((item) => [item.eventType, item.objectType, item.objectId]), [['CREATED', resource, created.id]]);
			clock += 60 * SECOND;
			if (resource === 'events') sim.updateEvent(created.id, { subject: 'standup (moved)' });
			else sim.updateContact(created.id, { displayName: 'Ada L.' });
			clock += 30 * SECOND;
			const second = await trigger.pollJson();
			assert.deepEqual(second.map((item) => [item.eventType, item.objectId]), [['UPDATED', created.id]]);
		});
	}

	it('a message moved into the polled folder shows as UPDATED under its new id', async () => {
		const trigger = harness({ options: { pollDelay: 60, folder: 'inbox' } });
		const archived = sim.createMessage({ subject: 'from the archive' }, { folder: 'archive' });
		clock += 3600 * SECOND;
		await trigger.pollJson();
		clock += 10 * SECOND;
		const moved = sim.moveMessage(archived.id, 'inbox');
		clock += 30 * SECOND;
		const items = await trigger.pollJson();
		assert.deepEqual(items.map((item) => [item.eventType, item.objectId]), [['UPDATED', moved.id]]);
		assert.notEqual(moved.id, archived.id);
	});

	it('a dropped connection is retried', async () => {
		const trigger = harness();
		await trigger.pollJson();
		const message = sim.createMessage({ subject: 'after a reset' });
		clock += 60 * SECOND;
		sim.injectFault({ path: '/me/messages', kind: 'drop', times: 1 });
		assert.deepEqual(ids(await trigger.pollJson()), [message.id]);
	});

	it('a failure mid-paging emits nothing and moves nothing; the next poll delivers everything once', async () => {
		const trigger = harness({ options: { pollDelay: 60, pageSize: 5 } });
		await trigger.pollJson();
		const created = Array.from({ length: 12 }, (_, i) => {
			clock += SECOND;
			return sim.createMessage({ subject: `page ${i}` }).id;
		});
		clock += 60 * SECOND;
		const before = JSON.stringify(trigger.persistedState());
		sim.injectFault({ path: '/me/messages', kind: 'status', status: 503, retryAfterSeconds: 0, times: 10, afterRequests: 1 });
		try {
			await assert.rejects(trigger.poll(), (error: Error) => {
				assert.match(error.message, /Microsoft Graph answered 503 .* after 5 attempts/);
				return true;
			});
		} finally {
			sim.clearFaults();
		}
		assert.equal(JSON.stringify(trigger.persistedState()), before, 'static data untouched');
		const items = await trigger.pollJson();
		assert.deepEqual(ids(items), created);
	});

	it('an expired access token is refreshed through the token endpoint and the poll succeeds', async () => {
		const trigger = harness();
		await trigger.pollJson();
		const message = sim.createMessage({ subject: 'after refresh' });
		clock += 60 * SECOND;
		const before = sim.tokenRequests;
		sim.expireAccessTokens();
		assert.deepEqual(ids(await trigger.pollJson()), [message.id]);
		assert.equal(sim.tokenRequests, before + 1);
		assert.equal(trigger.tokenUpdates, 1, 'the new tokens are handed back to n8n to store');
	});

	it('manual "Fetch Test Event" returns the newest record and leaves static data untouched', async () => {
		const trigger = harness();
		await trigger.pollJson();
		const stored = JSON.stringify(trigger.persistedState());
		clock += SECOND;
		sim.createMessage({ subject: 'older' });
		clock += SECOND;
		const newest = sim.createMessage({ subject: 'newest' });
		const items = await trigger.pollJson('manual');
		assert.deepEqual(ids(items), [newest.id]);
		assert.equal(JSON.stringify(trigger.persistedState()), stored);
	});

	it('a restart (static data reloaded from JSON) emits nothing twice and picks up changes made meanwhile', async () => {
		const trigger = harness();
		await trigger.pollJson();
		const a = sim.createMessage({ subject: 'a' });
		clock += 30 * SECOND;
		assert.deepEqual(ids(await trigger.pollJson()), [a.id]);
		trigger.restart();
		const b = sim.createMessage({ subject: 'while down' });
		clock += 30 * SECOND;
		assert.deepEqual(ids(await trigger.pollJson()), [b.id]);
	});

	it('polls one folder picked from the mailbox list, sub-folders listed by path', async () => {
		const projects = sim.createFolder('Projects', 'inbox');
		sim.createFolder('Alpha', projects.id);
		const trigger = harness({ options: { pollDelay: 60, folder: projects.id } });
		const loadOptions = new (await import('../support/loadOptionsHarness')).LoadOptionsHarness(trigger.credential);
		const folders = await loadOptions.getMailFolders();
		const names = folders.map((f) => f.name);
		assert.ok(names.includes('Inbox / Projects'), names.join(', '));
		assert.ok(names.includes('Inbox / Projects / Alpha'), names.join(', '));

		await trigger.pollJson();
		sim.createMessage({ subject: 'inbox mail' });
		const inProjects = sim.createMessage({ subject: 'project mail' }, { folder: projects.id });
		clock += 60 * SECOND;
		assert.deepEqual(ids(await trigger.pollJson()), [inProjects.id]);
	});

	it('a custom resource with an Open Connectors URL placeholder and dates configuration', async () => {
		const trigger = harness({
			resource: 'custom',
			url: "/me/mailFolders/inbox/messages?$filter=lastModifiedDateTime ge ${gmtDate:yyyy-MM-dd'T'HH:mm:ss'Z'}",
			idField: 'id',
			datesConfiguration: {
				updatedAtField: 'lastModifiedDateTime',
				updatedAtFormat: "yyyy-MM-dd'T'HH:mm:ss'Z'",
				updatedAtTimezone: 'GMT',
				createdAtField: 'receivedDateTime',
				createdAtFormat: "yyyy-MM-dd'T'HH:mm:ss'Z'",
				createdAtTimezone: 'GMT',
			},
		});
		await trigger.pollJson();
		const message = sim.createMessage({ subject: 'placeholder' });
		clock += 30 * SECOND;
		const items = await trigger.pollJson();
		assert.deepEqual(ids(items), [message.id]);
		assert.equal(items[0].objectType, 'messages');
		const query = decodeURIComponent(sim.requests.at(-1)!.path);
		assert.match(query, /lastModifiedDateTime ge \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/);
	});

	it('bad input is a clear error naming the parameter and value, and nothing is stored', async () => {
		const cases: Array<[IDataObject, RegExp]> = [
			[{ resource: 'custom', url: '' }, /Invalid URL: enter the path/],
			[{ resource: 'custom', url: '/me/messages', datesConfiguration: { updatedAtField: 'lastModifiedDateTime', updatedAtFormat: 'yyyy-MM-dd kk:mm' } }, /kk/],
			[{ resource: 'custom', url: '/me/messages', datesConfiguration: { updatedAtField: 'lastModifiedDateTime', updatedAtTimezone: 'Mars/Olympus' } }, /Mars\/Olympus/],
			[{ options: { filter: "subject eq 'x" } }, /Options → Filter/],
			[{ options: { pageSize: 5000 } }, /Page Size "5000"/],
		];
		for (const [parameters, message] of cases) await harness(parameters).pollFailsWithoutState(message);
	});

	it('invalid OData surfaces Graph\'s own message; the watermark stays', async () => {
		const trigger = harness({ options: { filter: 'subject wat 3' } });
		await assert.rejects(trigger.poll(), (error: Error & { description?: string }) => {
			assert.match(error.message, /400/);
			assert.match(`${error.message} ${error.description}`, /filter/i);
			return true;
		});
		assert.deepEqual(trigger.persistedState(), {});
	});

	it('the token never leaves the Graph host: absolute URLs and nextLinks elsewhere are refused', async () => {
		const foreign = await startLoopbackServer((_req, res) => res.end('{}'));
		const foreignUrl = foreign.url;
		// A "Graph" whose nextLink points elsewhere.
		const hostile = await startLoopbackServer((_req, res) => {
			res.setHeader('content-type', 'application/json');
			res.end(JSON.stringify({ value: [], '@odata.nextLink': `${foreignUrl}/v1.0/me/messages?$skip=10` }));
		});
		const hostileUrl = hostile.url;
		try {
			const absolute = harness({ resource: 'custom', url: `${foreignUrl}/v1.0/me/messages` });
			await assert.rejects(absolute.poll(), /Refusing to send the Office 365 access token/);
			const trigger = new TriggerHarness(
				{ resource: 'messages', options: {} },
				simulatorCredential({ baseUrl: hostileUrl, loginBaseUrl: `${hostileUrl}/login` }, sim.issueTokens()),
			);
			await assert.rejects(trigger.poll(), /Refusing to send the Office 365 access token/);
			assert.deepEqual(foreign.requests, [], 'nothing reached the foreign host');
		} finally {
			await foreign.close();
			await hostile.close();
		}
	});
});
