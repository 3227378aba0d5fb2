/**
 * Version 2 of the Office 365 Trigger through n8n-core's real PollContext against the Graph simulator: whose
 * mailbox (shared, app-only), which folders, the Filters, Simplify, Fetch Test Event, and the defaults of both
 * versions. Every emitted or skipped decision is checked against the simulator's truth.
 */
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';

import { NodeHelpers, type IDataObject, type INodeParameters } from 'n8n-workflow';

import { Office365Trigger } from '../../nodes/Office365/Office365Trigger.node.js';
import { buildPollConfig } from '../../nodes/Office365/trigger/triggerConfig';
import { configKey } from '../../nodes/Office365/trigger/pollState';
import { GraphSimulator, type SimMailbox } from '../graph-simulator';
import { TriggerHarness } from '../support/pollHarness';
import { simulatorAppCredential, simulatorCredential } from '../support/simulatorCredentials';
import { useSimulator } from '../support/simulatorSuite';

const SECOND = 1000;
let clock = Date.now();
const sim = new GraphSimulator({ now: () => clock });
const suite = useSimulator(sim, () => clock);
const SHARED = 'support@contoso.example';
let shared: SimMailbox;

const ids = (items: IDataObject[]) => items.map((item) => item.objectId as string);
const sharedToken = () => sim.issueTokens('offline_access Mail.Read Mail.Read.Shared Calendars.Read.Shared Contacts.Read.Shared');

/** A version 2 trigger as a newly placed node has it, plus `parameters`. */
function v2(parameters: INodeParameters = {}, credential = simulatorCredential(sim, sharedToken())): TriggerHarness {
	const options = { pollDelay: 60, ...((parameters.options as IDataObject | undefined) ?? {}) };
	return new TriggerHarness({ ...parameters, options }, credential, new Office365Trigger(), 2);
}

const mailbox = (value: string, mode = 'address') => ({ __rl: true, mode, value });
const folders = (...values: string[]) => ({ folders: values.map((value) => ({ folder: { __rl: true, mode: 'id', value } })) });

/** Graph requests made by `work`. */
async function requestsOf<T>(work: () => Promise<T>): Promise<{ result: T; paths: string[] }> {
	const seq = sim.requests.at(-1)?.seq ?? 0;
	const result = await work();
	return { result, paths: sim.requestsSince(seq).map((entry) => decodeURIComponent(entry.path)) };
}

/** Activation, then `change`, then a poll a minute later: what it emitted and requested. */
async function afterActivation(trigger: TriggerHarness, change: () => void): Promise<{ items: IDataObject[]; paths: string[] }> {
	assert.deepEqual(await trigger.pollJson(), [], 'activation emits nothing');
	clock += 5 * SECOND;
	change();
	clock += 55 * SECOND;
	const { result, paths } = await requestsOf(() => trigger.pollJson());
	return { items: result, paths };
}

beforeEach(() => {
	clock += 3600 * SECOND;
	sim.reset();
	shared ??= sim.addMailbox({ displayName: 'Support', mail: SHARED });
});

describe('version 2 defaults and version 1 unchanged', () => {
	it('a newly placed trigger: My Mailbox, new mail only, real folders, Simplify on; version 1 keeps its defaults', () => {
		const { description } = new Office365Trigger();
		assert.deepEqual(description.version, [1, 2]);
		assert.equal(description.defaultVersion, 2);
		const defaults = (typeVersion: number) =>
			NodeHelpers.getNodeParameters(description.properties, {}, true, false, { typeVersion } as never, description) as IDataObject;
		const two = defaults(2);
		assert.deepEqual(two.mailbox, { __rl: true, mode: 'list', value: 'me', cachedResultName: 'My Mailbox' });
		assert.deepEqual(two.eventTypes, ['created']);
		assert.equal(two.folderFilter, 'exclude');
		assert.deepEqual(
			((two.foldersToExclude as IDataObject).folders as Array<{ folder: { value: string } }>).map((entry) => entry.folder.value),
			['drafts', 'sentitems', 'deleteditems', 'junkemail', 'outbox'],
		);
		assert.equal(two.simplify, true);
		const one = defaults(1);
		assert.deepEqual(one.eventTypes, ['created', 'updated']);
		for (const name of ['mailbox', 'folderFilter', 'foldersToExclude', 'filters', 'simplify', 'activationNotice']) {
			assert.equal(name in one, false, `version 1 has no ${name}`);
		}
	});

	it('version 1 with its saved parameters polls /me/messages for full records of both event types, with its configuration key', async () => {
		const trigger = new TriggerHarness({ resource: 'messages', eventTypes: ['created', 'updated'], options: { pollDelay: 60 } }, simulatorCredential(sim, sim.issueTokens()));
		const { items, paths } = await afterActivation(trigger, () => sim.createMessage({ subject: 'v1' }, { folder: 'sentitems' }));
		assert.equal(items.length, 1, 'version 1 reports every folder');
		assert.equal((items[0].raw as IDataObject).body !== undefined, true, 'the full Graph record');
		assert.match(paths[0], /^\/v1\.0\/me\/messages\?\$top=1000&\$filter=lastModifiedDateTime ge /);
		const config = buildPollConfig({ resource: 'messages', eventTypes: ['created', 'updated'], options: {} });
		assert.equal(
			config.configKey,
			configKey({ path: '/me/messages', query: [], tracked: 'lastModifiedDateTime', userFilter: null, dateFilter: 'server', emitCreated: true, emitUpdated: true }),
			'state saved by version 1 carries on',
		);
	});
});

describe('Mailbox', () => {
	for (const resource of ['messages', 'events', 'contacts'] as const) {
		it(`${resource}: a shared mailbox by address is polled through /users/{address}; its own changes only`, async () => {
			const trigger = v2({ resource, mailbox: mailbox(SHARED), eventTypes: ['created', 'updated'] });
			let theirs = '';
			const { items, paths } = await afterActivation(trigger, () => {
				if (resource === 'messages') {
					sim.createMessage({ subject: 'mine' });
					theirs = shared.createMessage({ subject: 'ticket' }).id;
				} else if (resource === 'events') {
					sim.createEvent({ subject: 'mine' });
					theirs = shared.createEvent({ subject: 'on call' }).id;
				} else {
					sim.createContact({ displayName: 'Mine' });
					theirs = shared.createContact({ displayName: 'Customer' }).id;
				}
			});
			assert.deepEqual(ids(items), [theirs]);
			assert.ok(paths.every((path) => path.startsWith(`/v1.0/users/${SHARED}/`)), paths.join('\n'));
		});
	}

	it('Tracking Mode Delta follows the mailbox too: its folders\' delta functions under /users/{address}, Simplify\'s shape', async () => {
		const trigger = v2({ mailbox: mailbox(SHARED), trackingMode: 'delta', eventTypes: ['created', 'updated', 'deleted'], options: { folder: 'inbox' } });
		let mail = '';
		const { items, paths } = await afterActivation(trigger, () => {
			sim.createMessage({ subject: 'mine' });
			mail = shared.createMessage({ subject: 'delta in the shared inbox' }).id;
		});
		assert.deepEqual(items.map((item) => [item.eventType, item.objectId]), [['CREATED', mail]]);
		assert.equal((items[0].raw as IDataObject).subject, 'delta in the shared inbox');
		assert.equal((items[0].raw as IDataObject).body, undefined, 'the compact record');
		assert.ok(paths.every((path) => path.startsWith(`/v1.0/users/${SHARED}/mailFolders/inbox/messages/delta`)), paths.join('\n'));
	});

	it('a mailbox by object id is the same mailbox however it is spelled (one state, carried on)', async () => {
		const trigger = v2({ mailbox: mailbox(SHARED.toUpperCase()) });
		await trigger.pollJson();
		const key = Object.keys((trigger.persistedState() as { trackers: IDataObject }).trackers);
		trigger.edit({ mailbox: mailbox(SHARED), options: { pollDelay: 60 } });
		clock += 5 * SECOND;
		const mail = shared.createMessage({ subject: 'after the edit' });
		clock += 55 * SECOND;
		assert.deepEqual(ids(await trigger.pollJson()), [mail.id]);
		assert.deepEqual(Object.keys((trigger.persistedState() as { trackers: IDataObject }).trackers), key);
		const byId = v2({ mailbox: mailbox(shared.user.id, 'id') });
		const { paths } = await requestsOf(() => byId.pollJson());
		assert.ok(paths.some((path) => path.startsWith(`/v1.0/users/${shared.user.id}/messages`)), paths.join('\n'));
	});

	it('another mailbox starts afresh: what it held before the switch is not emitted', async () => {
		const trigger = v2();
		await trigger.pollJson();
		const before = shared.createMessage({ subject: 'before the switch' });
		clock += 60 * SECOND;
		trigger.edit({ mailbox: mailbox(SHARED), options: { pollDelay: 60 } });
		assert.deepEqual(await trigger.pollJson(), [], 'the first poll of a new mailbox only notes where to start');
		clock += 5 * SECOND;
		const after = shared.createMessage({ subject: 'after the switch' });
		clock += 55 * SECOND;
		assert.deepEqual(ids(await trigger.pollJson()), [after.id]);
		assert.notEqual(before.id, after.id);
	});

	it('without Mail.Read.Shared (or without a mailbox permission) the poll fails with Graph\'s 403 and stores nothing', async () => {
		const finance = sim.addMailbox({ displayName: 'Finance', mail: `finance-${clock}@contoso.example`, signedInUserHasAccess: false });
		const cases: Array<[string, string]> = [
			[SHARED, 'offline_access Mail.Read'],
			[finance.user.mail, 'offline_access Mail.Read Mail.Read.Shared'],
		];
		for (const [address, scope] of cases) {
			const trigger = v2({ mailbox: mailbox(address) }, simulatorCredential(sim, sim.issueTokens(scope)));
			await assert.rejects(trigger.poll(), (error: Error & { description?: string }) => {
				assert.match(error.message, /Microsoft Graph answered 403 ErrorAccessDenied for GET .*\/users\//);
				assert.equal(error.description, 'Access is denied. Check credentials and try again.');
				return true;
			});
			assert.deepEqual(trigger.persistedState(), {});
		}
	});

	it('a mailbox that is neither an address nor an object id is refused before any request, naming the parameter', async () => {
		for (const value of ['support', 'a b@c.d', '../me', '12345']) {
			const seq = sim.requests.at(-1)?.seq ?? 0;
			await assert.rejects(v2({ mailbox: mailbox(value) }).poll(), new RegExp(`Invalid Mailbox "${value.replace(/[.]/g, '\\.')}": enter an email address`));
			assert.deepEqual(sim.requestsSince(seq), []);
		}
	});
});

describe('App-only access (client credentials)', () => {
	it('polls a shared mailbox with an app token from the tenant\'s token endpoint, refetched when it expires', async () => {
		const trigger = v2({ mailbox: mailbox(SHARED) }, simulatorAppCredential(sim));
		const { paths } = await requestsOf(() => trigger.pollJson());
		assert.ok(paths.includes('/login/contoso.example/oauth2/v2.0/token'), paths.join('\n'));
		assert.equal(trigger.tokenUpdates, 1, 'n8n stores the app token');
		clock += 5 * SECOND;
		const first = shared.createMessage({ subject: 'for the service' });
		clock += 55 * SECOND;
		assert.deepEqual(ids(await trigger.pollJson()), [first.id]);

		sim.expireAccessTokens();
		const second = shared.createMessage({ subject: 'after the token expired' });
		clock += 60 * SECOND;
		const refetch = await requestsOf(() => trigger.pollJson());
		assert.deepEqual(ids(refetch.result), [second.id]);
		const token = refetch.paths.indexOf('/login/contoso.example/oauth2/v2.0/token');
		assert.ok(token > 0 && refetch.paths.slice(token + 1).some((path) => path.startsWith(`/v1.0/users/${SHARED}/messages`)), refetch.paths.join('\n'));
	});

	it('says at activation that My Mailbox cannot work without a user, and asks for a mailbox', async () => {
		for (const resource of ['messages', 'events', 'contacts']) {
			const seq = sim.requests.at(-1)?.seq ?? 0;
			await assert.rejects(v2({ resource }, simulatorAppCredential(sim)).poll(), (error: Error) => {
				assert.match(error.message, /^Invalid Mailbox "My Mailbox": the credential uses app-only access .* choose the mailbox by address/);
				return true;
			});
			assert.deepEqual(sim.requestsSince(seq), [], 'nothing was requested');
		}
		await assert.rejects(
			v2({ resource: 'custom', url: '/me/messages', datesConfiguration: { updatedAtField: 'lastModifiedDateTime' } }, simulatorAppCredential(sim)).poll(),
			/Invalid URL "\/me\/messages": the credential uses app-only access/,
		);
		await assert.rejects(v2({ mailbox: mailbox(SHARED) }, simulatorAppCredential(sim, 'common')).poll(), /Invalid Tenant ID "common": app-only access/);
	});

	it('files: a drive or site by ID is read with an app token; an empty Drive (your OneDrive) asks for one', async () => {
		const { driveId } = sim.drive('me');
		const trigger = v2({ resource: 'driveItems', options: { drive: driveId } }, simulatorAppCredential(sim));
		const { items, paths } = await afterActivation(trigger, () => sim.createDriveItem({ name: 'report.docx' }));
		assert.equal(items.length, 1);
		assert.ok(paths.some((path) => path.startsWith(`/v1.0/drives/${driveId}/root/delta`)), paths.join('\n'));
		for (const drive of ['', 'me']) {
			const seq = sim.requests.at(-1)?.seq ?? 0;
			await assert.rejects(
				v2({ resource: 'driveItems', options: { drive } }, simulatorAppCredential(sim)).poll(),
				/^NodeOperationError: Invalid Options → Drive( "me")?: the credential uses app-only access .* enter a drive id \(b!…\) or a SharePoint site id/,
			);
			assert.deepEqual(sim.requestsSince(seq).filter((entry) => entry.path.startsWith('/v1.0/')), [], 'nothing was asked of Graph');
		}
	});

	it('a mailbox outside the tenant\'s application access policy fails with Graph\'s 403', async () => {
		sim.appAccessPolicy = ['someone-else@contoso.example'];
		await assert.rejects(v2({ mailbox: mailbox(SHARED) }, simulatorAppCredential(sim)).poll(), /403 ErrorAccessDenied/);
	});
});

describe('Folders', () => {
	const excludedByDefault = ['drafts', 'sentitems', 'deleteditems', 'junkemail', 'outbox'];

	it('a newly placed trigger reports mail in the mailbox\'s real folders at every depth, and nothing in the folders people do not mean', async () => {
		const trigger = v2();
		let deep = sim.createFolder('Level 1', 'inbox');
		for (let level = 2; level <= 6; level++) deep = sim.createFolder(`Level ${level}`, deep.id);
		const wanted: string[] = [];
		const { items } = await afterActivation(trigger, () => {
			wanted.push(sim.createMessage({ subject: 'inbox' }).id);
			wanted.push(sim.createMessage({ subject: 'archive' }, { folder: 'archive' }).id);
			wanted.push(sim.createMessage({ subject: 'six levels down' }, { folder: deep.id }).id);
			for (const folder of excludedByDefault) sim.createMessage({ subject: folder }, { folder });
		});
		assert.deepEqual(new Set(ids(items)), new Set(wanted));
		const tracker = Object.values((trigger.persistedState() as { trackers: Record<string, { skipped: IDataObject; folderKeys: IDataObject }> }).trackers)[0];
		assert.equal(Object.keys(tracker.skipped).length, excludedByDefault.length, 'the other folders\' mail is remembered as skipped');
		assert.deepEqual(Object.keys(tracker.folderKeys).sort(), [...excludedByDefault].sort());
		clock += 60 * SECOND;
		const idle = await requestsOf(() => trigger.pollJson());
		assert.deepEqual(idle.result, [], 'nothing is read as new again');
		assert.equal(idle.paths.length, 1, `an idle poll is one request: ${idle.paths.join('\n')}`);
	});

	it('the excluded folders are the user\'s choice: an empty list reports every folder, including Drafts', async () => {
		const trigger = v2({ foldersToExclude: {} });
		const { items } = await afterActivation(trigger, () => {
			for (const folder of excludedByDefault) sim.createMessage({ subject: folder }, { folder });
		});
		assert.equal(items.length, excludedByDefault.length);
	});

	it('one folder to include is read through its own list; several through the mailbox window, decided per record', async () => {
		const projects = sim.createFolder('Projects');
		const one = v2({ folderFilter: 'include', foldersToInclude: folders(projects.id) });
		let inProjects = '';
		const single = await afterActivation(one, () => {
			sim.createMessage({ subject: 'inbox' });
			inProjects = sim.createMessage({ subject: 'project' }, { folder: projects.id }).id;
		});
		assert.deepEqual(ids(single.items), [inProjects]);
		assert.match(single.paths[0], new RegExp(`^/v1\\.0/me/mailFolders/${projects.id.replace(/[+=]/g, '\\$&')}/messages\\?`));

		const two = v2({ folderFilter: 'include', foldersToInclude: folders(projects.id, 'Inbox') });
		const wanted: string[] = [];
		const several = await afterActivation(two, () => {
			wanted.push(sim.createMessage({ subject: 'inbox' }).id);
			wanted.push(sim.createMessage({ subject: 'project' }, { folder: projects.id }).id);
			sim.createMessage({ subject: 'archive' }, { folder: 'archive' });
		});
		assert.deepEqual(new Set(ids(several.items)), new Set(wanted));
		assert.match(several.paths.at(-1)!, /^\/v1\.0\/me\/messages\?/);
		assert.ok(!several.paths.some((path) => /\$filter=[^&]*parentFolderId/.test(path)), 'folders are never sent to Graph with the date order');
	});

	it('editing the folders carries on: mail still inside the look-back that the new folders match is emitted once', async () => {
		const trigger = v2();
		await trigger.pollJson();
		clock += 5 * SECOND;
		const draft = sim.createMessage({ subject: 'draft' }, { folder: 'drafts' });
		clock += 25 * SECOND;
		assert.deepEqual(await trigger.pollJson(), []);
		trigger.edit({ folderFilter: 'include', foldersToInclude: folders('drafts', 'inbox'), options: { pollDelay: 60 } });
		clock += 10 * SECOND;
		assert.deepEqual(ids(await trigger.pollJson()), [draft.id], 'decided anew under the new folders');
		clock += 10 * SECOND;
		assert.deepEqual(await trigger.pollJson(), [], 'and only once');
	});

	it('refuses folder references that could leave their path, and an empty include list, before any request', async () => {
		for (const value of ['..', 'a/b', 'inbox?x=1', '%2e']) {
			await assert.rejects(v2({ folderFilter: 'include', foldersToInclude: folders(value) }).poll(), new RegExp(`Invalid Folders to Include "${value.replace(/[.?]/g, '\\$&')}"`));
		}
		await assert.rejects(v2({ folderFilter: 'include', foldersToInclude: {} }).poll(), /Invalid Folders to Include: add at least one folder/);
	});
});

describe('Filters', () => {
	const server: Array<[IDataObject, RegExp]> = [
		[{ readStatus: 'unread' }, /isRead eq false/],
		[{ senders: 'a@fabrikam.example, b@fabrikam.example' }, /\(from\/emailAddress\/address eq 'a@fabrikam\.example' or from\/emailAddress\/address eq 'b@fabrikam\.example'\)/],
		[{ hasAttachments: true }, /hasAttachments eq true/],
		[{ importance: 'high' }, /importance eq 'high'/],
	];

	it('read status, senders, attachments and importance go to Graph after the date; Graph accepts them with the date order', async () => {
		const all = Object.assign({}, ...server.map(([filter]) => filter)) as IDataObject;
		for (const filters of [...server.map(([filter]) => filter), all]) {
			const trigger = v2({ filters: filters as INodeParameters });
			const wanted: string[] = [];
			const { items, paths } = await afterActivation(trigger, () => {
				const matching = { isRead: false, importance: 'high' as const, from: { emailAddress: { name: 'A', address: 'A@fabrikam.example' } } };
				wanted.push(sim.createMessage({ subject: 'matching', ...matching }, { attachments: [{ kind: 'file', name: 'x.txt', content: 'x' }] }).id);
				sim.createMessage({ subject: 'read', ...matching, isRead: true }, { attachments: [{ kind: 'file', name: 'x.txt', content: 'x' }] });
				sim.createMessage({ subject: 'other sender', ...matching, from: { emailAddress: { name: 'C', address: 'c@x.example' } } }, { attachments: [{ kind: 'file', name: 'x.txt', content: 'x' }] });
				// Stated: a message without attachments otherwise gets the simulator's sample value.
				sim.createMessage({ subject: 'no attachments', ...matching, hasAttachments: false });
				sim.createMessage({ subject: 'normal', ...matching, importance: 'normal' }, { attachments: [{ kind: 'file', name: 'x.txt', content: 'x' }] });
			});
			const expected = filters === all ? 1 : 4;
			assert.equal(items.length, expected, JSON.stringify(filters));
			assert.ok(ids(items).includes(wanted[0]));
			for (const [filter, pattern] of server) if (Object.keys(filter).every((key) => key in filters)) assert.match(paths.at(-1)!, pattern);
			assert.match(paths.at(-1)!, /\$filter=receivedDateTime ge \S+ and \(/, 'the date comes first');
			assert.ok(sim.requests.every((entry) => entry.status !== 400), 'Graph never answered 400');
		}
	});

	it('subject and categories are decided per record (Graph cannot sort them); what they leave out is remembered, never read as new', async () => {
		const trigger = v2({ eventTypes: ['created', 'updated'], filters: { subjectContains: 'Invoice', categories: 'Red, Finance' } });
		let wanted = '';
		let unwanted = '';
		const { items, paths } = await afterActivation(trigger, () => {
			wanted = sim.createMessage({ subject: 'invoice 42 overdue', categories: ['finance'] }).id;
			unwanted = sim.createMessage({ subject: 'Lunch', categories: ['Red'] }).id;
			sim.createMessage({ subject: 'Invoice without category' });
		});
		assert.deepEqual(ids(items), [wanted]);
		assert.ok(!paths.some((path) => /contains|any\(/.test(path)), paths.join('\n'));
		clock += 30 * SECOND;
		assert.deepEqual(await trigger.pollJson(), [], 'the look-back re-reads them and emits nothing');
		sim.updateMessage(unwanted, { subject: 'Invoice for lunch' });
		clock += 30 * SECOND;
		const changed = await trigger.pollJson();
		assert.deepEqual(changed.map((item) => [item.eventType, item.objectId]), [['UPDATED', unwanted]], 'a change that now matches is emitted once');
	});

	it('bad filter values are refused naming the filter and the value', async () => {
		await assert.rejects(v2({ filters: { senders: 'boss, a@b.example' } }).poll(), /Invalid Filters → Sender "boss": enter email addresses/);
		await assert.rejects(v2({ filters: { readStatus: 'maybe' } }).poll(), /Invalid Filters → Read Status "maybe"/);
	});
});

describe('Simplify', () => {
	const shapes = {
		messages: ['id', 'subject', 'from', 'fromName', 'to', 'cc', 'receivedDateTime', 'sentDateTime', 'bodyPreview', 'isRead', 'importance', 'hasAttachments', 'categories', 'conversationId', 'webLink', 'folderId'],
		events: ['id', 'subject', 'start', 'end', 'timeZone', 'isAllDay', 'location', 'organizer', 'attendees', 'bodyPreview', 'showAs', 'isCancelled', 'importance', 'categories', 'webLink', 'type', 'createdDateTime'],
		contacts: ['id', 'displayName', 'givenName', 'surname', 'emails', 'businessPhones', 'mobilePhone', 'companyName', 'jobTitle', 'categories', 'createdDateTime'],
	};

	for (const [resource, keys] of Object.entries(shapes)) {
		it(`${resource}: the event keeps its fields, raw is the compact record, fetched with $select (fewer bytes than the full record)`, async () => {
			const bytes: Record<string, number> = {};
			const emitted: Record<string, IDataObject> = {};
			for (const simplify of [true, false]) {
				const trigger = v2({ resource, simplify });
				const { items } = await afterActivation(trigger, () => {
					if (resource === 'messages') sim.createMessage({ subject: 'simple', ccRecipients: [{ emailAddress: { name: 'Cc', address: 'cc@x.example' } }] });
					else if (resource === 'events') sim.createEvent({ subject: 'simple' });
					else sim.createContact({ displayName: 'Simple Person' });
				});
				assert.equal(items.length, 1);
				const last = sim.requests.at(-1)!;
				bytes[String(simplify)] = last.bytes!;
				emitted[String(simplify)] = items[0];
				if (simplify) assert.match(decodeURIComponent(last.path), /\$select=id,/);
			}
			const simple = emitted.true;
			assert.deepEqual(Object.keys(simple).sort(), ['date', 'elementKey', 'eventType', 'objectId', 'objectType', 'raw']);
			assert.deepEqual(Object.keys(simple.raw as IDataObject).sort(), [...keys].sort());
			assert.ok(bytes.true < bytes.false / 2, `simplified ${bytes.true} B vs full ${bytes.false} B`);
			if (resource === 'messages') {
				const raw = simple.raw as IDataObject;
				assert.equal(typeof raw.from, 'string');
				assert.deepEqual(raw.cc, ['cc@x.example']);
				assert.match(String(raw.webLink), /^https:\/\/outlook\.office365\.com\/owa\/\?ItemID=/);
			}
		});
	}

	it('Output "Raw Record" with Simplify hands on the compact record itself', async () => {
		const { items } = await afterActivation(v2({ options: { output: 'raw' } }), () => sim.createMessage({ subject: 'raw and simple' }));
		assert.equal(items[0].subject, 'raw and simple');
		assert.equal(items[0].eventType, undefined);
		assert.equal(items[0].body, undefined);
	});
});

describe('Fetch Test Event', () => {
	it('shows the newest mail by arrival in the chosen mailbox and folders, shaped like a real event, storing nothing', async () => {
		const trigger = v2({ mailbox: mailbox(SHARED) });
		const newestInbox = shared.createMessage({ subject: 'newest in inbox' }, { at: clock - 10 * SECOND });
		shared.createMessage({ subject: 'even newer, but sent' }, { folder: 'sentitems', at: clock - 5 * SECOND });
		const old = shared.createMessage({ subject: 'old, changed just now' }, { at: clock - 3600 * SECOND });
		shared.updateMessage(old.id, { isRead: true });
		sim.createMessage({ subject: 'newest of all, but mine' });
		const items = await trigger.pollJson('manual');
		assert.deepEqual(ids(items), [newestInbox.id]);
		assert.equal(items[0].eventType, 'CREATED');
		assert.equal((items[0].raw as IDataObject).subject, 'newest in inbox');
		assert.equal((items[0].raw as IDataObject).body, undefined, 'simplified like a poll\'s items');
		assert.deepEqual(trigger.persistedState(), {});
	});

	for (const resource of ['events', 'contacts'] as const) {
		it(`${resource}: the newest by creation time, not the last changed`, async () => {
			const trigger = v2({ resource, mailbox: mailbox(SHARED) });
			const first = resource === 'events' ? shared.createEvent({ subject: 'older' }, { at: clock - 60 * SECOND }) : shared.createContact({ displayName: 'Older' }, { at: clock - 60 * SECOND });
			const newest = resource === 'events' ? shared.createEvent({ subject: 'newest' }, { at: clock - 30 * SECOND }) : shared.createContact({ displayName: 'Newest' }, { at: clock - 30 * SECOND });
			if (resource === 'events') shared.updateEvent(first.id, { subject: 'older, edited' });
			else shared.updateContact(first.id, { displayName: 'Older, edited' });
			assert.deepEqual(ids(await trigger.pollJson('manual')), [newest.id]);
		});
	}
});

describe('log', () => {
	it('version 2 polls wrote no warnings', () => {
		assert.deepEqual(suite.log.warnings, []);
	});
});
