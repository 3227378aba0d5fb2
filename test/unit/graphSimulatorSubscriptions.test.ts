// The simulator's change notifications behave like Graph's: the validation handshake (exact token, text/plain,
// within 10 s), lifetimes and silent expiry, renewal, deletion, lifecycle events, notifications per resource scope
// and change type, and the switches that drop, duplicate, delay and reorder them.

import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { after, before, beforeEach, describe, it } from 'node:test';

import { GraphSimulator, OUTLOOK_MAX_LIFETIME_MINUTES, type SimMailbox } from '../graph-simulator/index';
import { startLoopbackServer, type LoopbackServer } from '../support/loopbackServer';

const MINUTE = 60_000;

interface Received {
	query: URLSearchParams;
	contentType: string;
	body: string;
	at: number;
}

type Behaviour = (req: IncomingMessage, res: ServerResponse, body: string) => void;

/** Echoes the validation token as Graph requires and answers notifications with 202. */
const wellBehaved: Behaviour = (req, res) => {
	const token = new URL(req.url ?? '/', 'http://x').searchParams.get('validationToken');
	if (token !== null) {
		res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' }).end(token);
		return;
	}
	res.writeHead(202).end();
};

describe('Graph simulator: subscriptions and change notifications', () => {
	let clock = Date.UTC(2026, 10, 28, 10, 0, 0);
	const sim = new GraphSimulator({ now: () => clock });
	let receiver: LoopbackServer;
	let received: Received[] = [];
	let behaviour: Behaviour = wellBehaved;
	let token = '';

	before(async () => {
		await sim.start();
		token = sim.issueTokens().access_token;
		receiver = await startLoopbackServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (c: Buffer) => chunks.push(c));
			req.on('end', () => {
				const body = Buffer.concat(chunks).toString('utf8');
				received.push({ query: new URL(req.url ?? '/', 'http://x').searchParams, contentType: String(req.headers['content-type']), body, at: Date.now() });
				behaviour(req, res, body);
			});
		});
	});
	after(async () => {
		await receiver.close();
		await sim.stop();
	});
	beforeEach(() => {
		sim.reset();
		received = [];
		behaviour = wellBehaved;
	});

	async function graph(method: string, path: string, body?: unknown, as = token): Promise<{ status: number; json: Record<string, unknown> }> {
		const res = await fetch(`${sim.graphUrl}${path}`, {
			method,
			headers: { Authorization: `Bearer ${as}`, 'Content-Type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await res.text();
		return { status: res.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
	}

	function subscriptionBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
		return {
			changeType: 'created,updated,deleted',
			notificationUrl: `${receiver.url}/hook`,
			resource: 'me/messages',
			expirationDateTime: new Date(clock + 60 * MINUTE).toISOString(),
			clientState: 'a-secret',
			...overrides,
		};
	}

	async function subscribe(overrides: Record<string, unknown> = {}, as = token): Promise<string> {
		const created = await graph('POST', '/subscriptions', subscriptionBody(overrides), as);
		assert.equal(created.status, 201, JSON.stringify(created.json));
		received = [];
		return created.json.id as string;
	}

	function notifications(): Array<Record<string, unknown>> {
		return received
			.filter((r) => !r.query.has('validationToken'))
			.flatMap((r) => (JSON.parse(r.body) as { value: Array<Record<string, unknown>> }).value);
	}

	it('validates the URL with a token that needs URL-decoding, and creates the subscription', async () => {
		const created = await graph('POST', '/subscriptions', subscriptionBody());
		assert.equal(created.status, 201, JSON.stringify(created.json));
		const validation = received.find((r) => r.query.has('validationToken'));
		assert.ok(validation, 'a validation request was sent');
		assert.match(validation.query.get('validationToken')!, /^Validation: Testing client application reachability .* Request-Id: /);
		assert.match(validation.contentType, /^text\/plain/);
		assert.equal(created.json.clientState, 'a-secret');
		assert.equal(created.json.changeType, 'created,updated,deleted');
		assert.deepEqual(
			sim.subscriptions().map((s) => s.id),
			[created.json.id],
		);
	});

	it('refuses URLs that do not echo the token exactly, as text/plain, with 200', async () => {
		const wrong: Array<[string, Behaviour]> = [
			['a 202', (_q, res) => res.writeHead(202).end()],
			['JSON', (req, res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(new URL(req.url!, 'http://x').searchParams.get('validationToken')))],
			['the raw query', (req, res) => res.writeHead(200, { 'Content-Type': 'text/plain' }).end(new URL(req.url!, 'http://x').search.slice('?validationToken='.length))],
		];
		for (const [what, answer] of wrong) {
			behaviour = answer;
			const res = await graph('POST', '/subscriptions', subscriptionBody());
			assert.equal(res.status, 400, what);
			assert.equal((res.json.error as { code: string }).code, 'ValidationError', what);
		}
		const unreachable = await graph('POST', '/subscriptions', subscriptionBody({ notificationUrl: 'http://127.0.0.1:9/hook' }));
		assert.equal(unreachable.status, 400);
		assert.match((unreachable.json.error as { message: string }).message, /validation request failed/);
		assert.deepEqual(sim.subscriptions(), []);
	});

	it('refuses plain HTTP off loopback, bad change types, unknown resources and lifetimes beyond Outlook\'s', async () => {
		const cases: Array<[Record<string, unknown>, number, RegExp]> = [
			[{ notificationUrl: 'http://n8n.example.com/webhook/x' }, 400, /must use https/],
			[{ changeType: 'created,moved' }, 400, /changeType/],
			[{ resource: 'me/onenote/pages' }, 400, /not supported/],
			[{ resource: 'me/drive/root' }, 400, /driveItem subscription can only be 'updated'/],
			[{ resource: "me/mailFolders('nope')/messages" }, 404, /no mail folder/],
			[{ resource: 'users/someone-else@contoso.example/messages' }, 404, /unknown user/],
			[{ expirationDateTime: new Date(clock + (OUTLOOK_MAX_LIFETIME_MINUTES + 1) * MINUTE).toISOString() }, 400, /4230 minutes/],
			[{ expirationDateTime: new Date(clock - MINUTE).toISOString() }, 400, /in the future/],
			[{ clientState: 'x'.repeat(129) }, 400, /128/],
		];
		for (const [overrides, status, message] of cases) {
			const res = await graph('POST', '/subscriptions', subscriptionBody(overrides));
			assert.equal(res.status, status, JSON.stringify(overrides));
			assert.match((res.json.error as { message: string }).message, message);
		}
	});

	it('notifies created, updated and deleted with clientState and resourceData; a move is a deletion and a creation', async () => {
		const id = await subscribe();
		const message = sim.createMessage({ subject: 'hello' });
		sim.updateMessage(message.id, { isRead: true });
		const moved = sim.moveMessage(message.id, 'archive');
		sim.deleteMessage(moved.id);
		await sim.notificationsSettled();
		const got = notifications();
		assert.deepEqual(
			got.map((n) => [n.changeType, (n.resourceData as { id: string }).id]),
			[
				['created', message.id],
				['updated', message.id],
				['deleted', message.id],
				['created', moved.id],
				['deleted', moved.id],
			],
		);
		for (const n of got) {
			assert.equal(n.subscriptionId, id);
			assert.equal(n.clientState, 'a-secret');
			assert.match(String(n.resource), /^Users\/[^/]+\/Messages\//);
		}
	});

	it('scopes notifications to the subscribed resource, folder and change types', async () => {
		await subscribe({ resource: "me/mailFolders('inbox')/messages", changeType: 'created' });
		const inArchive = sim.createMessage({}, { folder: 'archive' });
		const inInbox = sim.createMessage({}, { folder: 'inbox' });
		sim.updateMessage(inInbox.id, { isRead: true });
		sim.createEvent();
		await sim.notificationsSettled();
		assert.deepEqual(
			notifications().map((n) => (n.resourceData as { id: string }).id),
			[inInbox.id],
		);
		assert.ok(!notifications().some((n) => (n.resourceData as { id: string }).id === inArchive.id));
	});

	it('a drive notifies any change under its root as updated of the root, without resourceData', async () => {
		const id = await subscribe({ resource: 'me/drive/root', changeType: 'updated' });
		const siteDrive = sim.drive('site');
		await subscribe({ resource: `sites/${siteDrive.siteId}/drive/root`, changeType: 'updated' });
		const file = sim.createDriveItem({ name: 'plan.docx' });
		sim.deleteDriveItem(file.id);
		await sim.notificationsSettled();
		const mine = notifications().filter((n) => n.subscriptionId === id);
		assert.deepEqual(
			mine.map((n) => [n.changeType, n.resource, n.resourceData]),
			[
				['updated', 'me/drive/root', undefined],
				['updated', 'me/drive/root', undefined],
			],
		);
		assert.equal(notifications().length, 2, "the site's drive did not change");
	});

	it('renews with PATCH, deletes, and lets a subscription expire silently', async () => {
		const id = await subscribe();
		const later = new Date(clock + 4000 * MINUTE).toISOString();
		const renewed = await graph('PATCH', `/subscriptions/${id}`, { expirationDateTime: later });
		assert.equal(renewed.status, 200);
		assert.equal(renewed.json.expirationDateTime, later);

		clock += 4000 * MINUTE + 1;
		token = sim.issueTokens().access_token;
		assert.equal((await graph('GET', `/subscriptions/${id}`)).status, 404);
		assert.deepEqual((await graph('GET', '/subscriptions')).json.value, []);
		sim.createMessage();
		await sim.notificationsSettled();
		assert.deepEqual(notifications(), [], 'an expired subscription sends nothing');

		const second = await subscribe();
		assert.equal((await graph('DELETE', `/subscriptions/${second}`)).status, 204);
		assert.equal((await graph('DELETE', `/subscriptions/${second}`)).status, 404);
	});

	it('sends lifecycle events; withholds changes until the app reauthorizes', async () => {
		const id = await subscribe({ lifecycleNotificationUrl: `${receiver.url}/lifecycle` });
		sim.requireReauthorization(id);
		sim.createMessage();
		await sim.notificationsSettled();
		assert.deepEqual(
			notifications().map((n) => n.lifecycleEvent),
			['reauthorizationRequired'],
		);
		assert.equal(sim.deliveries.at(-1)?.outcome, 'withheld');

		assert.equal((await graph('POST', `/subscriptions/${id}/reauthorize`)).status, 204);
		received = [];
		sim.createMessage();
		sim.announceMissed(id);
		sim.removeSubscription(id);
		await sim.notificationsSettled();
		assert.deepEqual(
			notifications().map((n) => n.lifecycleEvent ?? n.changeType),
			['created', 'missed', 'subscriptionRemoved'],
		);
		assert.ok(received.filter((r) => r.body.includes('lifecycleEvent')).every((r) => r.query.size === 0));
		assert.equal((await graph('GET', `/subscriptions/${id}`)).status, 404);
	});

	it('drops, duplicates, delays and reorders on request, reproducibly', async () => {
		await subscribe();
		sim.notifier.dropNext = 1;
		sim.notifier.duplicateNext = 1;
		const [a, b, c] = [sim.createMessage(), sim.createMessage(), sim.createMessage()];
		await sim.notificationsSettled();
		assert.deepEqual(
			notifications().map((n) => (n.resourceData as { id: string }).id),
			[b.id, b.id, c.id],
		);
		assert.ok(sim.deliveries.some((d) => d.itemId === a.id && d.outcome === 'dropped'));

		received = [];
		sim.notifier.delayMs = 150;
		sim.notifier.reorderWindowMs = 50;
		const started = Date.now();
		const [d, e] = [sim.createMessage(), sim.createMessage()];
		await sim.notificationsSettled();
		assert.deepEqual(
			notifications().map((n) => (n.resourceData as { id: string }).id),
			[e.id, d.id],
			'newest first',
		);
		assert.ok(received[0].at - started >= 150, 'delayed');

		const runs: string[][] = [];
		for (let run = 0; run < 2; run++) {
			sim.reset();
			await subscribe();
			Object.assign(sim.notifier, { dropRate: 0.5, duplicateRate: 0.3, seed: 42 });
			for (let i = 0; i < 20; i++) sim.createMessage({ subject: `m${i}` });
			await sim.notificationsSettled();
			runs.push(sim.deliveries.filter((x) => x.kind === 'change').map((x) => `${x.outcome}/${x.copy}`));
		}
		assert.deepEqual(runs[0], runs[1], 'the same seed makes the same choices');
		assert.ok(runs[0].some((x) => x.startsWith('dropped')) && runs[0].some((x) => x.endsWith('/2')));
	});

	it('retries a delivery that failed or took longer than 3 s, then gives up', async () => {
		await subscribe();
		sim.notifier.retryDelaysMs = [20, 20];
		let calls = 0;
		behaviour = (_req, res) => {
			calls += 1;
			if (calls === 1) res.writeHead(500).end();
			else if (calls === 2) setTimeout(() => res.writeHead(202).end(), 3_100);
			else res.writeHead(202).end();
		};
		sim.createMessage();
		await sim.notificationsSettled();
		assert.deepEqual(
			sim.deliveries.filter((d) => d.kind === 'change').map((d) => d.outcome),
			['failed', 'late', 'delivered'],
		);
		assert.equal(notifications().length, 3, 'a late answer means the endpoint sees the notification again');

		behaviour = (_req, res) => res.writeHead(503).end();
		sim.deliveries.length = 0;
		sim.createMessage();
		await sim.notificationsSettled();
		assert.deepEqual(
			sim.deliveries.map((d) => d.outcome),
			['failed', 'failed', 'failed'],
			'lost after the last retry',
		);
	});

	it('drives subscriptions and switches through the admin API', async () => {
		const id = await subscribe();
		const admin = async (method: string, path: string, body?: unknown): Promise<Response> =>
			await fetch(`${sim.adminUrl}${path}`, { method, headers: { 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
		assert.deepEqual(((await (await admin('GET', '/subscriptions')).json()) as { value: Array<{ id: string }> }).value.map((s) => s.id), [id]);
		const switches = (await (await admin('PUT', '/notifications', { dropNext: 1, retryDelaysMs: [5] })).json()) as Record<string, unknown>;
		assert.equal(switches.dropNext, 1);
		sim.createMessage();
		await sim.notificationsSettled();
		const log = (await (await admin('GET', '/notifications?since=0')).json()) as { value: Array<{ kind: string; outcome: string }> };
		assert.deepEqual(
			log.value.filter((d) => d.kind === 'change').map((d) => d.outcome),
			['dropped'],
		);
		assert.equal((await admin('POST', `/subscriptions/${id}/expire`)).status, 204);
		assert.deepEqual(sim.subscriptions(), []);
		assert.equal((await admin('POST', `/subscriptions/${id}/remove`)).status, 404);
		assert.equal((await admin('PUT', '/notifications', { retryDelaysMs: [-1] })).status, 400);
	});

	describe('other mailboxes of the tenant', () => {
		let support: SimMailbox;
		let finance: SimMailbox;
		before(() => {
			support = sim.addMailbox({ displayName: 'Support', mail: 'support@contoso.example' });
			finance = sim.addMailbox({ displayName: 'Finance', mail: 'finance@contoso.example', signedInUserHasAccess: false });
		});
		const sharedToken = () => sim.issueTokens('offline_access Mail.Read Mail.Read.Shared Calendars.Read.Shared').access_token;
		async function appToken(): Promise<string> {
			const res = await fetch(`${sim.loginBaseUrl}/contoso.example/oauth2/v2.0/token`, {
				method: 'POST',
				headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
				body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'app-1', client_secret: 'secret', scope: `${sim.baseUrl}/.default` }).toString(),
			});
			return String(((await res.json()) as Record<string, unknown>).access_token);
		}
		const byItem = (subscriptionId: string) =>
			notifications()
				.filter((n) => n.subscriptionId === subscriptionId)
				.map((n) => `${n.changeType as string} ${n.resource as string}`);

		it('users/{address|id}/…: that mailbox\'s changes only, named by its owner\'s id; me/… unchanged', async () => {
			const as = sharedToken();
			const mail = await subscribe({ resource: 'users/SUPPORT@contoso.example/messages' }, as);
			const calendar = await subscribe({ resource: `users/${support.user.id}/events`, changeType: 'created' }, as);
			const inbox = await subscribe({ resource: "users/support@contoso.example/mailFolders('inbox')/messages", changeType: 'created' }, as);
			const mine = await subscribe({ resource: 'me/messages', changeType: 'created' });
			const theirs = support.createMessage({ subject: 'ticket' }, { folder: 'inbox' });
			const archived = support.createMessage({ subject: 'old' }, { folder: 'archive' });
			support.updateMessage(theirs.id, { isRead: true });
			const meeting = support.createEvent({ subject: 'on call' });
			const own = sim.createMessage({ subject: 'mine' }, { folder: 'inbox' });
			finance.createMessage({ subject: 'not watched' });
			await sim.notificationsSettled();
			const path = (id: string, segment = 'Messages') => `Users/${support.user.id}/${segment}/${id}`;
			assert.deepEqual(byItem(mail), [`created ${path(theirs.id)}`, `created ${path(archived.id)}`, `updated ${path(theirs.id)}`]);
			assert.deepEqual(byItem(calendar), [`created ${path(meeting.id, 'Events')}`]);
			assert.deepEqual(byItem(inbox), [`created ${path(theirs.id)}`], "the folder is the shared mailbox's inbox");
			assert.deepEqual(byItem(mine), [`created Users/${sim.user.id}/Messages/${own.id}`]);
			assert.equal(notifications().length, 6, 'nothing else was notified');
			assert.equal(sim.subscriptions().find((s) => s.id === mail)?.resource, 'users/SUPPORT@contoso.example/messages', 'the resource as given');
		});

		it('refuses what the caller may not read with Graph\'s 403 (as reads do), and me/… without a user; app-only reads any mailbox', async () => {
			const refused: Array<[string, string, string]> = [
				['no Mail.Read.Shared', token, 'users/support@contoso.example/messages'],
				['no full access to the mailbox', sharedToken(), 'users/finance@contoso.example/messages'],
				['no Contacts.Read.Shared', sharedToken(), 'users/support@contoso.example/contacts'],
			];
			for (const [why, as, resource] of refused) {
				const res = await graph('POST', '/subscriptions', subscriptionBody({ resource }), as);
				assert.equal(res.status, 403, why);
				assert.equal((res.json.error as { code: string }).code, 'ExtensionError', why);
				assert.match((res.json.error as { message: string }).message, /^Operation: Create; Exception: \[Status Code: Forbidden; Reason: Access is denied/, why);
			}
			const app = await appToken();
			const noUser = await graph('POST', '/subscriptions', subscriptionBody(), app);
			assert.equal(noUser.status, 400);
			assert.match((noUser.json.error as { message: string }).message, /only valid with delegated authentication/);
			const allowed = await subscribe({ resource: 'users/finance@contoso.example/messages' }, app);
			sim.appAccessPolicy = ['support@contoso.example'];
			const blocked = await graph('POST', '/subscriptions', subscriptionBody({ resource: 'users/finance@contoso.example/messages' }), app);
			assert.equal(blocked.status, 403);
			assert.match((blocked.json.error as { message: string }).message, /AppOnly AccessPolicy/);
			assert.deepEqual(sim.subscriptions().map((s) => s.id), [allowed], 'refused subscriptions were not created');
			const memo = finance.createMessage({ subject: 'budget' });
			await sim.notificationsSettled();
			assert.deepEqual(byItem(allowed), [`created Users/${finance.user.id}/Messages/${memo.id}`]);
		});
	});
});
