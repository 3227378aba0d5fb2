/**
 * Whose mailbox the Office 365 Instant Trigger watches, through n8n-core's real contexts with the Graph simulator
 * posting real notifications: a shared mailbox (delegated access with the .Shared scopes) and one reached with
 * app-only access, each subscribed and read under /users/{mailbox}; a folder of it; what cannot work refused at
 * activation with a clear error; and the description's Mailbox and Folder locators with their searchable lists.
 */
import assert from 'node:assert/strict';
import { afterEach, before, beforeEach, describe, it } from 'node:test';

import { NodeHelpers, type ICredentialDataDecryptedObject, type IDataObject, type INodeParameters } from 'n8n-workflow';

import { Office365InstantTrigger } from '../../nodes/Office365/Office365InstantTrigger.node.js';
import { GraphSimulator, type SimMailbox, type Subscription } from '../graph-simulator';
import { InstantHarness } from '../support/instantHarness';
import { simulatorAppCredential, simulatorCredential } from '../support/simulatorCredentials';
import { useSimulator } from '../support/simulatorSuite';

const realNow = Date.now;
const sim = new GraphSimulator({ now: realNow });
useSimulator(sim, realNow);
const SHARED = 'support@contoso.example';
const LOCKED = 'finance@contoso.example';
let shared: SimMailbox;

before(() => {
	shared = sim.addMailbox({ displayName: 'Support', mail: SHARED });
	sim.addMailbox({ displayName: 'Finance', mail: LOCKED, signedInUserHasAccess: false });
});

const sharedCredential = (): ICredentialDataDecryptedObject =>
	simulatorCredential(sim, sim.issueTokens('offline_access User.ReadBasic.All Mail.Read Mail.Read.Shared Calendars.Read.Shared Contacts.Read.Shared'));
const mailbox = (value: string, mode = 'address') => ({ __rl: true, mode, value });
const changes = (items: IDataObject[]): string[] => items.map((item) => `${item.eventType as string} ${item.objectId as string}`);
/** A later second: Graph stamps mail to the second, so a change within the same one may look like none. */
const nextSecond = async () => await new Promise((resolve) => setTimeout(resolve, 1000 - (realNow() % 1000) + 5));

/** The triggers a test started: each one disposed after the test, which fails if the trigger reported a failure. */
const harnesses: InstantHarness[] = [];

async function started(parameters: INodeParameters, credential = sharedCredential()): Promise<InstantHarness> {
	const trigger = new InstantHarness(sim, credential, { eventTypes: ['created', 'updated', 'deleted'], reconcileMinutes: 5, ...parameters });
	harnesses.push(trigger);
	await trigger.start();
	return trigger;
}

beforeEach(() => {
	sim.reset();
	sim.notifier.retryDelaysMs = [50];
});
afterEach(async () => {
	for (const trigger of harnesses.splice(0)) {
		await trigger.dispose();
		assert.deepEqual(trigger.failures.map((error) => error.message), [], 'the trigger reported failures');
	}
	await sim.notificationsSettled();
});

describe('Office 365 Instant Trigger: Mailbox', () => {

	function only(): Subscription {
		const all = sim.subscriptions();
		assert.equal(all.length, 1, `one subscription, found ${all.length}`);
		return all[0];
	}

	/** Graph paths requested by `work` (decoded, without the query). */
	async function pathsOf(work: () => Promise<unknown>): Promise<string[]> {
		const seq = sim.requests.at(-1)?.seq ?? 0;
		await work();
		return sim.requestsSince(seq).map((entry) => decodeURIComponent(entry.path).split('?')[0]);
	}


	for (const resource of ['messages', 'events', 'contacts'] as const) {
		it(`${resource} of a shared mailbox: subscribed and read under /users/{address}; new, changed and deleted arrive once by notification`, async () => {
			const trigger = await started({ resource, mailbox: mailbox(SHARED) });
			const activation = await pathsOf(() => trigger.activate());
			assert.equal(only().resource, `users/${SHARED}/${resource}`);
			const reads = activation.filter((path) => path.startsWith('/v1.0/') && path !== '/v1.0/subscriptions');
			assert.ok(reads.length > 0 && reads.every((path) => path.startsWith(`/v1.0/users/${SHARED}/`)), reads.join('\n'));

			const create = {
				messages: () => shared.createMessage({ subject: 'ticket' }).id,
				events: () => shared.createEvent({ subject: 'on call' }).id,
				contacts: () => shared.createContact({ displayName: 'Customer' }).id,
			}[resource];
			const id = create();
			if (resource === 'messages') sim.createMessage({ subject: 'mine, not watched' });
			if (resource === 'events') sim.createEvent({ subject: 'mine, not watched' });
			if (resource === 'contacts') sim.createContact({ displayName: 'Mine, not watched' });
			await trigger.quiet();
			assert.deepEqual(changes(trigger.events()), [`CREATED ${id}`]);

			await nextSecond();
			shared.updateItem(resource, id, resource === 'contacts' ? { displayName: 'Customer (VIP)' } : { subject: 'changed' });
			await trigger.quiet();
			shared.deleteItem(resource, id);
			await trigger.quiet();
			assert.deepEqual(changes(trigger.events()), [`CREATED ${id}`, `UPDATED ${id}`, `DELETED ${id}`]);
			const delivered = sim.deliveries.filter((d) => d.kind === 'change' && d.outcome === 'delivered');
			assert.deepEqual(delivered.map((d) => d.itemId), [id, id, id], 'every change was notified, only the shared mailbox\'s');
		});
	}

	it('what Graph never announced in a shared mailbox arrives once by the scheduled read', async () => {
		const trigger = await started({ resource: 'messages', mailbox: mailbox(SHARED) });
		await trigger.activate();
		const kept = shared.createMessage({ subject: 'kept' });
		const doomed = shared.createMessage({ subject: 'doomed' });
		await trigger.quiet();
		assert.deepEqual(changes(trigger.events()), [`CREATED ${kept.id}`, `CREATED ${doomed.id}`]);

		sim.notifier.dropRate = 1;
		await nextSecond();
		const late = shared.createMessage({ subject: 'never announced' });
		shared.updateMessage(kept.id, { isRead: true });
		shared.deleteMessage(doomed.id);
		await trigger.quiet();
		assert.equal(trigger.events().length, 2, 'nothing arrives without a notification or a read');
		assert.equal(sim.deliveries.filter((d) => d.kind === 'change' && d.outcome === 'dropped').length, 3);

		const reads = await pathsOf(async () => {
			trigger.tick();
			await trigger.quiet();
		});
		assert.deepEqual(changes(trigger.events()).slice(2).sort(), [`CREATED ${late.id}`, `DELETED ${doomed.id}`, `UPDATED ${kept.id}`].sort());
		assert.ok(reads.some((path) => path.startsWith(`/v1.0/users/${SHARED}/mailFolders/`)), reads.join('\n'));
		trigger.tick();
		await trigger.quiet();
		assert.equal(trigger.events().length, 5, 'a second read finds nothing new');
	});

	it('a folder of the shared mailbox: its mail only, subscribed as users/{address}/mailFolders(\'{id}\')/messages', async () => {
		const projects = shared.createFolder('Projects', 'inbox');
		const sameName = sim.createFolder('Projects', 'inbox');
		const trigger = await started({ resource: 'messages', mailbox: mailbox(SHARED), folder: { __rl: true, mode: 'list', value: projects.id, cachedResultName: 'Inbox / Projects' } });
		await trigger.activate();
		assert.equal(only().resource, `users/${SHARED}/mailFolders('${projects.id}')/messages`);
		const inFolder = shared.createMessage({ subject: 'project mail' }, { folder: projects.id });
		shared.createMessage({ subject: 'elsewhere in the shared mailbox' }, { folder: 'inbox' });
		sim.createMessage({ subject: 'my own folder of that name' }, { folder: sameName.id });
		await trigger.quiet();
		trigger.tick();
		await trigger.quiet();
		assert.deepEqual(changes(trigger.events()), [`CREATED ${inFolder.id}`]);
	});

	it('"Listen for test event" on a shared mailbox shows its newest mail, read under /users/{address}', async () => {
		const trigger = await started({ resource: 'messages', mailbox: mailbox(SHARED) });
		const listening = await trigger.listenForTestEvent();
		assert.match(only().notificationUrl, /\/webhook-test\//);
		assert.equal(only().resource, `users/${SHARED}/messages`);
		const ticket = shared.createMessage({ subject: 'test me' });
		sim.createMessage({ subject: 'mine, newer' });
		const reads = await pathsOf(async () => await trigger.quiet());
		const execution = trigger.executions.find((e) => e.mode === 'manual');
		assert.deepEqual(execution?.items.map((item) => item.objectId), [ticket.id]);
		assert.ok(reads.some((path) => path.startsWith(`/v1.0/users/${SHARED}/mailFolders/`)), reads.join('\n'));
		await listening.stop();
		assert.deepEqual(sim.subscriptions(), []);
	});

	it('a folder saved as a plain string (before it was a locator) still works, in My Mailbox', async () => {
		const trigger = await started({ resource: 'messages', folder: 'inbox' }, simulatorCredential(sim, sim.issueTokens()));
		await trigger.activate();
		assert.equal(only().resource, "me/mailFolders('inbox')/messages");
		sim.createMessage({}, { folder: 'archive' });
		const arrived = sim.createMessage({}, { folder: 'inbox' });
		await trigger.quiet();
		assert.deepEqual(changes(trigger.events()), [`CREATED ${arrived.id}`]);
	});

	it('a mailbox the user may not read: Graph\'s 403 at publishing, named and explained; nothing subscribed or stored', async () => {
		const trigger = await started({ resource: 'messages', mailbox: mailbox(LOCKED) });
		await assert.rejects(trigger.activate(), (error: Error & { description?: string }) => {
			assert.equal(error.message, `Microsoft Graph refused to watch "users/${LOCKED}/messages" (403): the credential may not read it`);
			assert.match(error.description ?? '', /^Operation: Create; Exception: \[Status Code: Forbidden; Reason: Access is denied/);
			assert.match(error.description ?? '', /needs Mail\.Read\.Shared and full access to that mailbox/);
			return true;
		});
		assert.deepEqual(sim.subscriptions(), []);
		assert.equal(trigger.storedNodeState.changes, undefined, 'no read state was stored');
		// The same with app-only access outside the tenant's application access policy.
		sim.appAccessPolicy = [SHARED];
		const app = await started({ resource: 'events', mailbox: mailbox(LOCKED) }, simulatorAppCredential(sim));
		await assert.rejects(app.activate(), (error: Error & { description?: string }) => {
			assert.match(error.message, /refused to watch "users\/finance@contoso\.example\/events" \(403\)/);
			assert.match(error.description ?? '', /AppOnly AccessPolicy.*application permission Calendars\.Read .*application access policy/);
			return true;
		});
		assert.deepEqual(sim.subscriptions(), []);
	});
});

describe('Office 365 Instant Trigger: app-only access', () => {
	const appOnly = (parameters: INodeParameters) => started(parameters, simulatorAppCredential(sim));

	it('watches a mailbox by address with an app token: subscribed, notified and read under /users/{address}', async () => {
		const trigger = await appOnly({ resource: 'messages', mailbox: mailbox(SHARED) });
		await trigger.activate();
		const [subscription] = sim.subscriptions();
		assert.equal(subscription?.resource, `users/${SHARED}/messages`);
		const ticket = shared.createMessage({ subject: 'for the service' });
		sim.createMessage({ subject: 'the signed-in user is nobody here' });
		await trigger.quiet();
		assert.deepEqual(changes(trigger.events()), [`CREATED ${ticket.id}`]);
		assert.equal(trigger.tokenUpdates > 0, true, 'the app token came from the token endpoint');
	});

	it('watches a drive by ID with an app token', async () => {
		const { driveId } = sim.drive('me');
		const trigger = await appOnly({ resource: 'driveItems', drive: driveId });
		await trigger.activate();
		assert.equal(sim.subscriptions()[0]?.resource, `drives/${driveId}/root`);
		const file = sim.createDriveItem({ name: 'report.docx' });
		await trigger.quiet();
		assert.deepEqual(changes(trigger.events()), [`CREATED ${file.id}`]);
	});

	it('refuses My Mailbox and "your OneDrive" at publishing, asking for a mailbox or a drive; nothing reaches Graph', async () => {
		const refused: Array<[INodeParameters, RegExp]> = [
			[{ resource: 'messages' }, /^Invalid Mailbox "My Mailbox": the credential uses app-only access .* choose the mailbox by address/],
			[{ resource: 'events', mailbox: mailbox('me', 'list') }, /^Invalid Mailbox "My Mailbox"/],
			[{ resource: 'contacts', mailbox: mailbox('me', 'list') }, /^Invalid Mailbox "My Mailbox"/],
			[{ resource: 'driveItems' }, /^Invalid Drive: the credential uses app-only access .* enter a drive id \(b!…\) or a SharePoint site id/],
			[{ resource: 'driveItems', drive: 'me' }, /^Invalid Drive "me": the credential uses app-only access/],
		];
		for (const [parameters, message] of refused) {
			const trigger = await appOnly(parameters);
			const seq = sim.requests.at(-1)?.seq ?? 0;
			await assert.rejects(trigger.activate(), (error: Error) => {
				assert.match(error.message, message, JSON.stringify(parameters));
				return true;
			});
			assert.deepEqual(
				sim.requestsSince(seq).filter((entry) => entry.path.startsWith('/v1.0/')),
				[],
				`nothing was asked of Graph: ${JSON.stringify(parameters)}`,
			);
			assert.deepEqual(sim.subscriptions(), []);
		}
	});
});

describe('Office 365 Instant Trigger: description', () => {
	const { description } = new Office365InstantTrigger();
	const defaults = (parameters: INodeParameters) =>
		NodeHelpers.getNodeParameters(description.properties, parameters, true, false, { typeVersion: 1 } as never, description) as IDataObject;

	it('Mailbox for mail, events and contacts (My Mailbox by default); Folder for mail (the whole mailbox by default); neither for files', () => {
		for (const resource of ['messages', 'events', 'contacts']) {
			assert.deepEqual(defaults({ resource }).mailbox, { __rl: true, mode: 'list', value: 'me', cachedResultName: 'My Mailbox' }, resource);
		}
		assert.deepEqual(defaults({ resource: 'messages' }).folder, { __rl: true, mode: 'list', value: '' });
		for (const resource of ['events', 'contacts']) assert.equal('folder' in defaults({ resource }), false, resource);
		const files = defaults({ resource: 'driveItems' });
		assert.equal('mailbox' in files, false);
		assert.equal('folder' in files, false);
		assert.equal(files.drive, '');
	});

	it('every searchable list the locators name is one of the node\'s methods, and the old folder dropdown is gone', () => {
		const lists = description.properties.flatMap((property) =>
			(property.modes ?? []).flatMap((mode) => (mode.typeOptions?.searchListMethod ? [`${property.name}: ${mode.typeOptions.searchListMethod}`] : [])),
		);
		assert.deepEqual(lists, ['mailbox: searchMailboxes', 'folder: searchMailFolders']);
		const { methods } = new Office365InstantTrigger();
		assert.deepEqual(Object.keys(methods), ['listSearch']);
		assert.deepEqual(Object.keys(methods.listSearch).sort(), ['searchMailFolders', 'searchMailboxes']);
	});

	it('the lists through the node: mailboxes from the directory, and folders of the chosen mailbox at every depth', async () => {
		sim.reset();
		const deep = shared.createFolder('Level 2', shared.createFolder('Level 1', 'inbox').id);
		const trigger = new InstantHarness(sim, sharedCredential(), { resource: 'messages', mailbox: mailbox(SHARED) });
		await trigger.start();
		try {
			const boxes = await trigger.listSearch('searchMailboxes');
			assert.deepEqual(
				boxes.results.map((item) => item.value),
				['me', ...sim.users().map((user) => user.mail)],
			);
			const folders = [];
			let token: string | undefined;
			do {
				const page = await trigger.listSearch('searchMailFolders', undefined, token);
				folders.push(...page.results);
				token = page.paginationToken as string | undefined;
			} while (token);
			assert.ok(folders.some((item) => item.name === 'Inbox / Level 1 / Level 2' && item.value === deep.id), JSON.stringify(folders));
			const paths = sim.requests.filter((entry) => entry.path.includes('/mailFolders')).map((entry) => decodeURIComponent(entry.path));
			assert.ok(paths.length > 0 && paths.every((path) => path.startsWith(`/v1.0/users/${SHARED}/`)), paths.join('\n'));
		} finally {
			await trigger.dispose();
		}
	});
});
