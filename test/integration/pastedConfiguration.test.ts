/**
 * A pasted Open Connectors configuration against the Graph simulator, through n8n-core's real PollContext: it
 * delivers what the same resources entered in fields deliver, each resource with its own watermark, and the
 * outlookemail configuration pasted unchanged delivers what the messages preset does.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, it } from 'node:test';

import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { GraphSimulator } from '../graph-simulator';
import { CONFIG_DIR } from '../support/openConnectorsCorpus';
import { TriggerHarness } from '../support/pollHarness';
import { simulatorCredential } from '../support/simulatorCredentials';
import { useSimulator } from '../support/simulatorSuite';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
let clock = Date.now();
const sim = new GraphSimulator({ now: () => clock });
useSimulator(sim, () => clock);

beforeEach(() => {
	clock += 3600 * SECOND;
	sim.reset();
});

/** The outlookemail element's published configuration, as collected. */
const OUTLOOK_EMAIL = (JSON.parse(readFileSync(path.join(CONFIG_DIR, 'outlookemail.json'), 'utf8')) as { configuration: { messages: Record<string, unknown> & { datesConfiguration: Record<string, string> } } })
	.configuration;

const trigger = (parameters: IDataObject) => new TriggerHarness(parameters as INodeParameters, simulatorCredential(sim, sim.issueTokens()));
const events = (items: IDataObject[]) => items.map((item) => `${item.objectType as string} ${item.eventType as string} ${item.objectId as string}`).sort();

/** Polls every trigger after a minute; the events of each. */
async function pollAll(triggers: TriggerHarness[]): Promise<IDataObject[][]> {
	clock += MINUTE;
	const results: IDataObject[][] = [];
	for (const each of triggers) results.push(await each.pollJson());
	return results;
}

describe('a pasted Open Connectors configuration', () => {
	it('several resources in one trigger (both key spellings, JSON text, a legacy line) deliver what the same resources in fields deliver', async () => {
		const contactsUrl = "/me/contacts?$filter=lastModifiedDateTime ge ${gmtDate:yyyy-MM-dd'T'HH:mm:ss'Z'}";
		const pasted = trigger({
			configurationMode: 'json',
			pollerConfiguration: JSON.stringify({
				'event.poller.configuration': JSON.stringify({
					...OUTLOOK_EMAIL,
					people: {
						url: contactsUrl,
						idField: 'id',
						pollDelay: 30,
						datesConfiguration: { updatedAtField: 'lastModifiedDateTime', updatedAtFormat: "yyyy-MM-dd'T'HH:mm:ss'Z'", createdAtField: 'createdDateTime', createdAtFormat: "yyyy-MM-dd'T'HH:mm:ss'Z'" },
					},
				}),
				'event.poller.urls': 'events',
			}),
			options: { pollDelay: 60 },
		});
		const separate = [
			trigger({ resource: 'messages', options: { pollDelay: 60 } }),
			trigger({
				resource: 'custom',
				url: contactsUrl,
				idField: 'id',
				datesConfiguration: { updatedAtField: 'lastModifiedDateTime', updatedAtFormat: "yyyy-MM-dd'T'HH:mm:ss'Z'", createdAtField: 'createdDateTime', createdAtFormat: "yyyy-MM-dd'T'HH:mm:ss'Z'" },
				options: { pollDelay: 30 },
			}),
			trigger({ resource: 'events', options: { pollDelay: 60 } }),
		];
		const all = [pasted, ...separate];
		await pollAll(all);
		assert.equal(Object.keys(pasted.persistedState().trackers as IDataObject).length, 3, 'a watermark per resource');

		const message = sim.createMessage({ subject: 'hello' });
		const contact = sim.createContact({ displayName: 'Ada' });
		const event = sim.createEvent({ subject: 'standup' });
		let [fromPaste, ...fromFields] = await pollAll(all);
		// The fields triggers name contacts by their URL; the pasted resource is "people".
		const renamed = (items: IDataObject[]) => events(items).map((line) => line.replace(/^contacts /, 'people ')).sort();
		assert.deepEqual(events(fromPaste), renamed(fromFields.flat()));
		assert.deepEqual(events(fromPaste), [`events CREATED ${event.id}`, `messages CREATED ${message.id}`, `people CREATED ${contact.id}`].sort());

		clock += SECOND;
		sim.updateMessage(message.id, { isRead: true });
		sim.updateContact(contact.id, { displayName: 'Ada L.' });
		[fromPaste, ...fromFields] = await pollAll(all);
		assert.deepEqual(events(fromPaste), renamed(fromFields.flat()));
		assert.equal(fromPaste.length, 2);
		[fromPaste, ...fromFields] = await pollAll(all);
		assert.deepEqual([fromPaste, fromFields.flat()], [[], []]);
	});

	it('the outlookemail configuration pasted unchanged delivers the same events as the messages preset', async () => {
		const pasted = trigger({ configurationMode: 'json', pollerConfiguration: OUTLOOK_EMAIL });
		const preset = trigger({ resource: 'messages' });
		await pollAll([pasted, preset]);
		const all: string[][] = [[], []];
		for (let round = 0; round < 4; round++) {
			const created = sim.createMessage({ subject: `round ${round}` });
			clock += SECOND;
			if (round > 0) sim.updateMessage(created.id, { flag: { flagStatus: 'flagged' } });
			sim.createMessage({ subject: 'archived' }, { folder: 'archive' });
			const [fromPaste, fromPreset] = await pollAll([pasted, preset]);
			assert.deepEqual(events(fromPaste), events(fromPreset));
			all[0].push(...events(fromPaste));
			all[1].push(...events(fromPreset));
		}
		assert.equal(all[0].length, 8);
		assert.deepEqual((await pasted.pollJson()).map((item) => Object.keys(item).sort()), []);
	});

	it('a delta resource and a timestamp resource poll side by side; a failing resource fails the poll and stores nothing', async () => {
		const both = trigger({
			configurationMode: 'json',
			trackingMode: 'timestamp',
			pollerConfiguration: { ...OUTLOOK_EMAIL, documents: { url: '/hubs/documents/changes', idField: 'id' } },
		});
		await both.pollJson();
		const message = sim.createMessage({ subject: 'mail' });
		const file = sim.createDriveItem({ name: 'report.xlsx' });
		clock += MINUTE;
		assert.deepEqual(events(await both.pollJson()), [`documents CREATED ${file.id}`, `messages CREATED ${message.id}`].sort());

		sim.deleteDriveItem(file.id);
		sim.updateMessage(message.id, { isRead: true });
		const stored = JSON.stringify(both.persistedState());
		sim.injectFault({ path: '/drive/root/delta', kind: 'status', status: 403, times: 1 });
		clock += MINUTE;
		await assert.rejects(both.poll(), /403/);
		assert.equal(JSON.stringify(both.persistedState()), stored, 'nothing of the failed poll is stored');
		clock += MINUTE;
		assert.deepEqual(events(await both.pollJson()), [`documents DELETED ${file.id}`, `messages UPDATED ${message.id}`].sort());
	});

	it('a mistake in the pasted configuration is refused before any request, naming the resource and key', async () => {
		const pasted = trigger({ configurationMode: 'json', pollerConfiguration: { ...OUTLOOK_EMAIL, contacts: { url: '/hubs/crm/contacts', idField: 'id' } } });
		const before = sim.requests.length;
		await assert.rejects(pasted.poll(), (error: Error & { description?: string }) => {
			assert.match(error.message, /Invalid Poller Configuration → contacts\.url "\/hubs\/crm\/contacts"/);
			assert.match(error.description ?? '', /no Office 365 counterpart/);
			return true;
		});
		assert.equal(sim.requests.length, before);
		assert.deepEqual(pasted.persistedState(), {});
	});
});
