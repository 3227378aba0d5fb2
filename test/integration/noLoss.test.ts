/**
 * "Never lose, never hang", pinned: what a hostile or merely unlucky server does (changes between two pages,
 * records sharing a second listed in a new order every time, a Date header in 2100 or 1970, links that never end,
 * answers that never come) and what users do (edit the trigger, damaged state) — through n8n-core's real
 * PollContext against the Graph simulator or a loopback server.
 */
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { afterEach, beforeEach, describe, it } from 'node:test';

import { Container } from '@n8n/di';
import { InstanceSettings } from 'n8n-core';
import type { IDataObject } from 'n8n-workflow';

import { GraphSimulator, type ListRequestInfo } from '../graph-simulator';
import { LoadOptionsHarness } from '../support/loadOptionsHarness';
import { startLoopbackServer } from '../support/loopbackServer';
import { TriggerHarness } from '../support/pollHarness';
import { simulatorCredential } from '../support/simulatorCredentials';
import { useSimulator } from '../support/simulatorSuite';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
let clock = Date.now();
const sim = new GraphSimulator({ now: () => clock });
const suite = useSimulator(sim, () => clock);

beforeEach(() => {
	clock += 3600 * SECOND;
	suite.log.warnings.length = 0;
});
afterEach(() => {
	sim.beforeList = undefined;
	sim.unstableTieOrder = false;
	sim.dateHeaderOffsetMs = 0;
	sim.clockOffsetMs = 0;
	sim.clearFaults();
});

function harness(parameters: IDataObject = {}): TriggerHarness {
	return new TriggerHarness(
		{ resource: 'messages', eventTypes: ['created', 'updated'], ...parameters, options: { pollDelay: 60, ...(parameters.options as IDataObject) } },
		simulatorCredential(sim, sim.issueTokens()),
	);
}

interface Tracker {
	since: string;
	watermark: string;
	configKey: string;
	seen: Record<string, number>;
}
const trackerOf = (trigger: TriggerHarness): Tracker => {
	const state = trigger.persistedState() as { trackers: Record<string, Tracker> };
	return Object.values(state.trackers)[0];
};
const ids = (items: IDataObject[]) => items.map((item) => item.objectId as string);
const sorted = (values: string[]) => [...values].sort();

/** Runs `change` once, before the `n`-th later page (a request with `$skip`) of the next read. */
function beforeLaterPage(n: number, change: () => void): void {
	let later = 0;
	sim.beforeList = (info: ListRequestInfo) => {
		if (info.skip > 0 && ++later === n) change();
	};
}

describe('offset paging cannot lose a record, whatever changes between two pages', () => {
	it('6 new messages, Page Size 2, the 1st marked read between page 1 and page 2: all 6 arrive, once', async () => {
		const trigger = harness({ options: { pageSize: 2 } });
		await trigger.pollJson();
		clock += 5 * SECOND;
		const mails = Array.from({ length: 6 }, (_, i) => sim.createMessage({ subject: `m${i}` }, { at: clock + i * SECOND }));
		clock += 5 * MINUTE;
		beforeLaterPage(1, () => {
			sim.updateMessage(mails[0].id, { isRead: true });
		});
		const first = await trigger.pollJson();
		assert.deepEqual(sorted(ids(first)), sorted(mails.map((m) => m.id)));
		assert.ok(first.every((item) => item.eventType === 'CREATED'));
		const readOne = first.find((item) => item.objectId === mails[0].id)!;
		assert.equal((readOne.raw as IDataObject).isRead, true, 'the newest version of the changed record is the one emitted');
		clock += MINUTE;
		assert.deepEqual(await trigger.pollJson(), [], 'nothing twice');
	});

	for (const eventTypes of [['created', 'updated'], ['created']]) {
		for (const kind of ['read', 'delete', 'move out', 'move in', 'create'] as const) {
			for (const pageSize of [2, 3]) {
				it(`${eventTypes.join('+')}: a "${kind}" between any two pages (page size ${pageSize}) loses nothing`, async () => {
					for (const boundary of [1, 2, 3]) {
						const trigger = harness({ eventTypes, options: { pageSize, folder: 'inbox' } });
						await trigger.pollJson();
						clock += 5 * SECOND;
						const mails = Array.from({ length: 8 }, (_, i) => sim.createMessage({ subject: `b${boundary} m${i}` }, { at: clock + i * SECOND }));
						const outsider = sim.createMessage({ subject: 'in the archive' }, { folder: 'archive', at: clock });
						// Older than Poll Delay by the time of the poll: a record skipped now would never be read again.
						clock += 5 * MINUTE;
						let added: string | undefined;
						beforeLaterPage(boundary, () => {
							clock += SECOND;
							if (kind === 'read') sim.updateMessage(mails[0].id, { isRead: true });
							if (kind === 'delete') sim.deleteMessage(mails[0].id);
							if (kind === 'move out') sim.moveMessage(mails[0].id, 'archive');
							if (kind === 'move in') added = sim.moveMessage(outsider.id, 'inbox').id;
							if (kind === 'create') added = sim.createMessage({ subject: 'arrived mid-read' }).id;
						});
						const emitted = [...(await trigger.pollJson())];
						sim.beforeList = undefined;
						clock += MINUTE;
						emitted.push(...(await trigger.pollJson()));
						const got = ids(emitted);
						// The first mail was read before it changed: emitted whatever happened to it afterwards.
						for (const mail of mails) assert.ok(got.includes(mail.id), `lost ${mail.subject} (change before later page ${boundary})`);
						// Created-only windows follow receivedDateTime: mail moved in keeps its old arrival time and is
						// no new mail (and Poll Delay has passed since it arrived); everything else added mid-read is new.
						const expectAdded = added !== undefined && !(kind === 'move in' && eventTypes.length === 1);
						if (expectAdded) assert.ok(got.includes(added!), `lost the record added mid-read (${kind}, boundary ${boundary})`);
						assert.equal(new Set(got).size, got.length, `duplicated: ${got.join(',')}`);
						sim.reset();
					}
				});
			}
		}
	}

	it('records sharing one second, listed in a new order on every request, arrive complete in the first poll', async () => {
		sim.unstableTieOrder = true;
		const trigger = harness({ options: { pageSize: 7 } });
		await trigger.pollJson();
		clock += 5 * SECOND;
		const burst = Array.from({ length: 50 }, (_, i) => sim.createMessage({ subject: `burst ${i}` }, { at: clock }));
		clock += 30 * SECOND;
		const first = await trigger.pollJson();
		assert.deepEqual(sorted(ids(first)), sorted(burst.map((m) => m.id)));
		clock += MINUTE;
		assert.deepEqual(await trigger.pollJson(), []);
	});

	it('a same-second group larger than Graph\'s largest page in a new order every time: nothing lost, the window stays open there', async () => {
		sim.unstableTieOrder = true;
		const trigger = harness({ options: { pageSize: 1000 } });
		await trigger.pollJson();
		clock += 5 * SECOND;
		const second = clock;
		const burst = sim.seed('messages', 1500, { startAt: second, stepMs: 0 });
		assert.equal(burst, 1500);
		clock += 30 * SECOND;
		const emitted = new Set<string>();
		const duplicates: string[] = [];
		for (let poll = 0; poll < 12 && emitted.size < 1500; poll++) {
			for (const id of ids(await trigger.pollJson())) {
				if (emitted.has(id)) duplicates.push(id);
				emitted.add(id);
			}
			assert.ok(Date.parse(trackerOf(trigger).since) <= second, 'since never passes the unproven second');
			clock += MINUTE;
		}
		assert.equal(emitted.size, 1500);
		assert.deepEqual(duplicates, []);
		assert.ok(suite.log.warnings.some((line) => /could not be proven/.test(line)), suite.log.warnings.join('\n'));
	});
});

describe('the server clock is one witness, not the judge', () => {
	it('one answer dated 2100 does not move the window past n8n\'s clock; it is reported once', async () => {
		const trigger = harness();
		await trigger.pollJson();
		sim.dateHeaderOffsetMs = Date.UTC(2100, 0, 1) - clock;
		clock += 30 * SECOND;
		await trigger.pollJson();
		clock += 30 * SECOND;
		await trigger.pollJson();
		assert.ok(Date.parse(trackerOf(trigger).since) <= clock - 60 * SECOND, trackerOf(trigger).since);
		assert.equal(suite.log.warnings.filter((line) => /ahead of n8n's clock/.test(line)).length, 1, suite.log.warnings.join('\n'));
		sim.dateHeaderOffsetMs = 0;
		clock += 10 * SECOND;
		const later = sim.createMessage({ subject: 'after the clock glitch' });
		clock += 30 * SECOND;
		assert.deepEqual(ids(await trigger.pollJson()), [later.id]);
	});

	it('a Date 5 minutes ahead of the clock that stamps mail loses nothing that arrives between polls', async () => {
		sim.dateHeaderOffsetMs = 5 * MINUTE;
		const trigger = harness();
		await trigger.pollJson();
		const arrived: string[] = [];
		for (let round = 0; round < 4; round++) {
			clock += 20 * SECOND;
			arrived.push(sim.createMessage({ subject: `between polls ${round}` }).id);
			clock += 40 * SECOND;
			assert.deepEqual(ids(await trigger.pollJson()), [arrived[round]]);
		}
	});

	it('n8n\'s clock 5 minutes ahead of Microsoft\'s loses nothing either', async () => {
		sim.clockOffsetMs = -5 * MINUTE;
		const trigger = harness();
		await trigger.pollJson();
		for (let round = 0; round < 3; round++) {
			clock += 20 * SECOND;
			const mail = sim.createMessage({ subject: `behind ${round}` });
			clock += 40 * SECOND;
			assert.deepEqual(ids(await trigger.pollJson()), [mail.id]);
		}
	});

	it('a first poll answered with a 1970 Date does not make the next poll emit the whole mailbox', async () => {
		for (let i = 0; i < 20; i++) sim.createMessage({ subject: `history ${i}` }, { at: clock - (i + 1) * 24 * 3600 * SECOND });
		sim.createMessage({ subject: 'just before activation' }, { at: clock - 10 * SECOND });
		sim.dateHeaderOffsetMs = -clock;
		const trigger = harness();
		assert.deepEqual(await trigger.pollJson(), []);
		assert.equal(suite.log.warnings.filter((line) => /behind n8n's clock/.test(line)).length, 1);
		sim.dateHeaderOffsetMs = 0;
		clock += 30 * SECOND;
		const fresh = sim.createMessage({ subject: 'new' });
		clock += 30 * SECOND;
		assert.deepEqual(ids(await trigger.pollJson()), [fresh.id]);
	});
});

describe('every read ends', () => {
	it('a server repeating one nextLink gets a clear error, not 20,000 requests; the state does not move', async () => {
		const record = { id: 'same', lastModifiedDateTime: '2026-01-01T00:00:00Z', receivedDateTime: '2026-01-01T00:00:00Z' };
		for (const link of ['$skiptoken=abc', '$skip=2']) {
			const server = await startLoopbackServer((req, res) => {
				res.setHeader('content-type', 'application/json');
				res.setHeader('date', new Date(clock).toUTCString());
				const records = [{ ...record, lastModifiedDateTime: new Date(clock - 5 * SECOND).toISOString() }, { ...record, id: `other-${Math.random()}`, lastModifiedDateTime: new Date(clock - 4 * SECOND).toISOString() }];
				res.end(JSON.stringify({ value: records, '@odata.nextLink': `${server.url}/v1.0/me/messages?${link}` }));
			});
			try {
				const trigger = new TriggerHarness(
					{ resource: 'messages', options: { pollDelay: 60, pageSize: 2, maxEventsPerPoll: 10 } },
					simulatorCredential({ baseUrl: server.url, loginBaseUrl: `${server.url}/login` }, sim.issueTokens()),
				);
				const started = performance.now();
				await assert.rejects(trigger.poll(), (error: Error) => {
					assert.match(error.message, /nextLink twice|requests without reaching its end/);
					return true;
				});
				assert.ok(server.requests.length <= 100, `${link}: ${server.requests.length} requests`);
				assert.ok(performance.now() - started < 10_000);
				assert.deepEqual(trigger.persistedState(), {}, 'nothing stored');
			} finally {
				await server.close();
			}
		}
	});

	it('a poll that n8n gave up on does not block the next one, and stores nothing when it finally ends', async () => {
		const trigger = harness();
		trigger.pollBudgetMs = 2_000;
		await trigger.pollJson();
		clock += 30 * SECOND;
		const mail = sim.createMessage({ subject: 'after a hang' });
		clock += 30 * SECOND;
		sim.injectFault({ kind: 'delay', ms: 4_000, path: '/me/messages', times: 1 });
		const hung = trigger.poll().then(
			() => 'returned',
			() => 'failed',
		);
		await new Promise((resolve) => setImmediate(resolve));
		// A second poll while the first is young returns nothing and changes nothing.
		assert.equal(await trigger.poll(), null);
		clock += 3 * SECOND; // past the 2 s budget: n8n has given up on the hung poll
		assert.deepEqual(ids(await trigger.pollJson()), [mail.id]);
		const stateAfterTakeover = JSON.stringify(trigger.persistedState());
		assert.match(await hung, /returned|failed/);
		assert.equal(JSON.stringify(trigger.persistedState()), stateAfterTakeover, 'the abandoned poll stored nothing');
	});

	it('the folder list ends with a clear error on a server whose pages never end', async () => {
		const server = await startLoopbackServer((req, res) => {
			res.setHeader('content-type', 'application/json');
			res.end(JSON.stringify({ value: [], '@odata.nextLink': `${server.url}/v1.0/me/mailFolders?$skip=${Math.floor(Math.random() * 1e9)}` }));
		});
		try {
			const folders = new LoadOptionsHarness(simulatorCredential({ baseUrl: server.url, loginBaseUrl: `${server.url}/login` }, sim.issueTokens()));
			await assert.rejects(folders.getMailFolders(), /did not end after 50 pages/);
			assert.ok(server.requests.length <= 51);
		} finally {
			await server.close();
		}
	});
});

describe('stored state that cannot be read is replaced once, never an error on every poll', () => {
	const damaged: Array<[string, (state: { version: number; trackers: Record<string, Record<string, unknown>> }) => void]> = [
		['a watermark that is not a date', (state) => (Object.values(state.trackers)[0].watermark = 'yesterday')],
		['a since in 2099', (state) => (Object.values(state.trackers)[0].since = '2099-01-01T00:00:00.000Z')],
		['seen that is not a map of dates', (state) => (Object.values(state.trackers)[0].seen = { x: 'y' })],
		['state written by a newer version', (state) => (state.version = 99)],
		['no trackers at all', (state) => ((state as unknown as IDataObject).trackers = 'none')],
	];
	for (const [what, damage] of damaged) {
		it(what, async () => {
			const trigger = harness();
			await trigger.pollJson();
			damage(trigger.staticData as never);
			clock += 30 * SECOND;
			assert.deepEqual(await trigger.pollJson(), [], 'the first poll after the damage starts afresh, like an activation');
			assert.equal(suite.log.warnings.filter((line) => /replaced/.test(line)).length, 1, suite.log.warnings.join('\n'));
			clock += 10 * SECOND;
			const mail = sim.createMessage({ subject: 'after the repair' });
			clock += 30 * SECOND;
			assert.deepEqual(ids(await trigger.pollJson()), [mail.id]);
			assert.equal(suite.log.warnings.filter((line) => /replaced/.test(line)).length, 1, 'reported once');
		});
	}

	it('state written by the first release carries on where it stopped', async () => {
		const trigger = harness();
		const since = new Date(clock - 60 * SECOND).toISOString();
		Object.assign(trigger.staticData, {
			version: 1,
			trackers: {
				'messages#oldkey00': { mode: 'timestamp', objectType: 'messages', watermark: since, since, rememberedSince: since, draining: false, seen: {} },
			},
		});
		const whileUpgrading = sim.createMessage({ subject: 'arrived during the upgrade' }, { at: clock - 30 * SECOND });
		clock += 30 * SECOND;
		assert.deepEqual(ids(await trigger.pollJson()), [whileUpgrading.id]);
		assert.equal((trigger.persistedState() as { version: number }).version, 3);
		assert.deepEqual(suite.log.warnings, []);
	});
});

describe('editing the trigger', () => {
	it('a new filter carries on from the last poll and emits, once, what it now matches', async () => {
		const trigger = harness({ options: { filter: 'importance eq \'high\'' } });
		await trigger.pollJson();
		clock += 10 * SECOND;
		const high = sim.createMessage({ subject: 'urgent', importance: 'high' });
		const normal = sim.createMessage({ subject: 'fyi', importance: 'normal' });
		clock += 30 * SECOND;
		assert.deepEqual(ids(await trigger.pollJson()), [high.id]);
		clock += 10 * SECOND;
		const normalLater = sim.createMessage({ subject: 'fyi later', importance: 'normal' });
		clock += 10 * SECOND;
		trigger.edit({ resource: 'messages', eventTypes: ['created', 'updated'], options: { pollDelay: 60 } });
		clock += 20 * SECOND;
		assert.deepEqual(sorted(ids(await trigger.pollJson())), sorted([normal.id, normalLater.id]), 'the edit emits what the new filter matches, not what was emitted');
		clock += MINUTE;
		assert.deepEqual(await trigger.pollJson(), []);
	});

	it('a change made between the last poll and an edit of Folder or Event Types is not lost', async () => {
		const trigger = harness({ eventTypes: ['updated'], options: { folder: 'inbox' } });
		await trigger.pollJson();
		clock += 10 * SECOND;
		const created = sim.createMessage({ subject: 'created while only updates were wanted' });
		clock += 30 * SECOND;
		assert.deepEqual(await trigger.pollJson(), [], 'CREATED is not wanted yet');
		clock += 10 * SECOND;
		const archived = sim.createMessage({ subject: 'in the archive' }, { folder: 'archive' });
		trigger.edit({ resource: 'messages', eventTypes: ['created', 'updated'], options: { pollDelay: 60 } });
		clock += 30 * SECOND;
		const items = await trigger.pollJson();
		assert.deepEqual(sorted(ids(items)), sorted([created.id, archived.id]));
		assert.ok(items.every((item) => item.eventType === 'CREATED'));
	});

	it('a different collection starts afresh', async () => {
		const trigger = harness();
		await trigger.pollJson();
		const before = trackerOf(trigger);
		clock += 10 * SECOND;
		sim.createEvent({ subject: 'made before the switch' });
		trigger.edit({ resource: 'events', eventTypes: ['created', 'updated'], options: { pollDelay: 60 } });
		clock += 30 * SECOND;
		assert.deepEqual(await trigger.pollJson(), [], 'the first poll of a new collection only notes where to start');
		assert.notDeepEqual(trackerOf(trigger), before);
	});
});

describe('bad URLs and folders are refused before any request', () => {
	for (const folder of ['..', '../messages', 'a/b', '%2e%2e', 'inbox/../sentitems', 'inbox?x=1']) {
		it(`Folder ${JSON.stringify(folder)}`, async () => {
			const seq = sim.requests.at(-1)?.seq ?? 0;
			await assert.rejects(harness({ options: { folder } }).poll(), new RegExp(`Options → Folder "${folder.replace(/[.?/]/g, '\\$&')}"`));
			assert.equal(sim.requestsSince(seq).length, 0);
		});
	}

	for (const url of ["/me/messages?$filter=isRead eq false&$filter=x) or (true", '/me/messages?$FILTER=a&$filter=b', '/me/messages?$skip=5', '/me/messages?$skiptoken=x']) {
		it(`URL ${url}`, async () => {
			const trigger = harness({ resource: 'custom', url, datesConfiguration: { updatedAtField: 'lastModifiedDateTime' } });
			await assert.rejects(trigger.poll(), /Invalid URL .*(more than once|pages through the collection itself)/);
		});
	}
});

it('tests keep n8n\'s instance folder out of the home directory', async () => {
	const trigger = harness();
	await trigger.pollJson();
	assert.ok(Container.get(InstanceSettings).n8nFolder.startsWith(tmpdir()), Container.get(InstanceSettings).n8nFolder);
});
