// The instant trigger's pure modules alone: clientState signing, notification parsing, the reconciler's
// one-read-at-a-time rule, parameter validation, which webhook URLs Graph can reach, and the stored state.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';

import { issueClientState, newClientStateKey, verifyClientState } from '../../nodes/Office365/instant/clientState';
import { buildInstantConfig } from '../../nodes/Office365/instant/instantConfig';
import { readSubscriptionState, writeSubscriptionState, type SubscriptionState } from '../../nodes/Office365/instant/instantState';
import { readNotifications, validationTokenOf } from '../../nodes/Office365/instant/notifications';
import { Reconciler } from '../../nodes/Office365/instant/reconciler';
import { SubscriptionKeeper } from '../../nodes/Office365/instant/subscriptionKeeper';
import { adoptLiveSubscription, notificationUrlProblem, type GraphCall } from '../../nodes/Office365/instant/subscriptions';
import { Office365ConfigError } from '../../nodes/Office365/shared/configError';

describe('clientState', () => {
	const key = newClientStateKey();

	it('each subscription gets its own value, all verifiable with the key, none with another key', () => {
		const values = Array.from({ length: 50 }, () => issueClientState(key));
		assert.equal(new Set(values).size, values.length);
		for (const value of values) {
			assert.ok(value.length <= 128, 'Graph allows 128 characters');
			assert.ok(verifyClientState(key, value));
			assert.ok(!verifyClientState(newClientStateKey(), value));
		}
	});

	it('rejects every altered, truncated or foreign value without throwing', () => {
		const value = issueClientState(key);
		// Every position and every base64url character, the last one's spare bits included.
		const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.';
		for (let index = 0; index < value.length; index++) {
			for (const char of alphabet) {
				const altered = value.slice(0, index) + char + value.slice(index + 1);
				if (altered !== value) assert.equal(verifyClientState(key, altered), false, `position ${index}: ${char}`);
			}
		}
		fc.assert(fc.property(fc.string(), (text) => text === value || !verifyClientState(key, text)));
		for (const other of [undefined, null, 42, '', value.slice(0, -1), `${value}.x`, value.replace('.', ''), { value }]) {
			assert.equal(verifyClientState(key, other), false, JSON.stringify(other));
		}
	});
});

describe('notifications', () => {
	const ours = (clientState: unknown): boolean => clientState === 'ok';

	it('keeps verified change and lifecycle entries, counts the rest', () => {
		const received = readNotifications(
			{
				value: [
					{ subscriptionId: 's1', changeType: 'created', clientState: 'ok', resource: 'Users/u/Messages/m1', resourceData: { id: 'm1' } },
					{ subscriptionId: 's1', lifecycleEvent: 'missed', clientState: 'ok' },
					{ subscriptionId: 's1', changeType: 'created', clientState: 'nope' },
					{ subscriptionId: 's1', changeType: 'moved', clientState: 'ok' },
					{ subscriptionId: 's1', lifecycleEvent: 'somethingNew', clientState: 'ok' },
					{ changeType: 'created', clientState: 'ok' },
					'garbage',
				],
			},
			ours,
		);
		assert.deepEqual(received.accepted, [
			{ kind: 'change', subscriptionId: 's1', changeType: 'created', resource: 'Users/u/Messages/m1', itemId: 'm1' },
			{ kind: 'lifecycle', subscriptionId: 's1', lifecycleEvent: 'missed' },
		]);
		assert.equal(received.rejected, 5);
		for (const body of [undefined, {}, { value: 'x' }, 'text']) assert.deepEqual(readNotifications(body, ours), { accepted: [], rejected: 1 });
	});

	it('takes a validation token only when it is one', () => {
		const token = 'Validation: Testing client application reachability for subscription Request-Id: 1';
		assert.equal(validationTokenOf({ validationToken: token }), token);
		for (const query of [undefined, {}, { validationToken: '' }, { validationToken: ['a', 'b'] }, { validationToken: 'x'.repeat(1025) }]) {
			assert.equal(validationTokenOf(query), undefined);
		}
	});
});

describe('Reconciler', () => {
	function setup(readMs = 20, results: number[] = []) {
		const reads: number[] = [];
		let running = 0;
		let maxRunning = 0;
		const sleeps: Array<() => void> = [];
		const errors: unknown[] = [];
		const reconciler = new Reconciler({
			read: async () => {
				running++;
				maxRunning = Math.max(maxRunning, running);
				reads.push(Date.now());
				await new Promise((resolve) => setTimeout(resolve, readMs));
				running--;
				const next = results.shift();
				if (next === -1) throw new Error('Graph is down');
				return next ?? 1;
			},
			onError: (error) => errors.push(error),
			sleep: () => new Promise((resolve) => sleeps.push(() => resolve(undefined))),
			followUpMs: 1,
		});
		return { reconciler, reads, errors, sleeps, maxRunning: () => maxRunning };
	}

	it('never reads twice at once; requests during a read lead to exactly one more read', async () => {
		const { reconciler, reads, maxRunning } = setup();
		const first = reconciler.request('schedule');
		const burst = Array.from({ length: 10 }, () => reconciler.request('notification'));
		await Promise.all([first, ...burst]);
		assert.equal(maxRunning(), 1);
		assert.equal(reads.length, 2);
	});

	it('a request resolves only after a read that started after it', async () => {
		const { reconciler, reads } = setup(30);
		void reconciler.request('schedule');
		await new Promise((resolve) => setTimeout(resolve, 5));
		await reconciler.request('notification');
		assert.equal(reads.length, 2, 'the running read began before the request, so another one ran');
	});

	it('errors are reported and later requests still read', async () => {
		const { reconciler, reads, errors } = setup(1, [-1, 1]);
		await reconciler.request('schedule');
		await reconciler.request('schedule');
		assert.equal(errors.length, 1);
		assert.equal(reads.length, 2);
	});

	it('a notification whose read found nothing gets one follow-up read; closing stops everything', async () => {
		const { reconciler, reads, sleeps } = setup(1, [0, 0, 0, 0]);
		await reconciler.request('notification');
		await reconciler.request('notification');
		assert.equal(sleeps.length, 1, 'one follow-up pending, not one per empty read');
		sleeps[0]();
		await new Promise((resolve) => setTimeout(resolve, 10));
		await reconciler.idle();
		assert.equal(reads.length, 3, 'the follow-up read');
		assert.equal(sleeps.length, 1, 'an empty follow-up read schedules no further one');
		await reconciler.request('schedule');
		assert.equal(sleeps.length, 1, 'empty scheduled reads schedule none');
		reconciler.close();
		await reconciler.request('schedule');
		assert.equal(reads.length, 4, 'closed: no read');
	});
});

describe('instant parameters', () => {
	it('maps resource, folder, drive, event types and interval to the subscription, the delta reads and the schedule', () => {
		const inbox = buildInstantConfig({ resource: 'messages', folder: 'inbox', eventTypes: ['deleted', 'created'], reconcileMinutes: 15 });
		assert.equal(inbox.subscriptionResource, "me/mailFolders('inbox')/messages");
		assert.equal(inbox.changeType, 'created,deleted');
		assert.equal(inbox.reconcileCron, '0 */15 * * * *');
		assert.deepEqual([inbox.delta.resource, inbox.delta.folder, inbox.delta.emitCreated, inbox.delta.emitUpdated, inbox.delta.emitDeleted], ['messages', 'inbox', true, false, true]);
		assert.equal(buildInstantConfig({ resource: 'messages' }).subscriptionResource, 'me/messages', 'the whole mailbox');
		const events = buildInstantConfig({ resource: 'events', folder: 'ignored for events', reconcileMinutes: 60 });
		assert.deepEqual([events.subscriptionResource, events.changeType, events.reconcileCron], ['me/events', 'created,updated,deleted', '0 0 * * * *']);
		assert.equal(buildInstantConfig({ resource: 'contacts' }).subscriptionResource, 'me/contacts');
		const files = buildInstantConfig({ resource: 'driveItems', eventTypes: ['created'] });
		assert.deepEqual([files.subscriptionResource, files.changeType], ['me/drive/root', 'updated'], 'Graph notifies drives only as updated');
		assert.equal(buildInstantConfig({ resource: 'driveItems', drive: 'b!abcdefgh12345678' }).subscriptionResource, 'drives/b!abcdefgh12345678/root');
	});

	it('follows the Mailbox (address or id, locator or plain string) in the subscription and the delta reads; the Folder may be a locator', () => {
		const guid = '6e5b7f3c-1a2b-4c3d-8e9f-0a1b2c3d4e5f';
		const cases: Array<[Parameters<typeof buildInstantConfig>[0], string, string]> = [
			[{ resource: 'messages', mailbox: { mode: 'address', value: 'Support@Contoso.com' } }, 'users/support@contoso.com/messages', '/users/support%40contoso.com'],
			[{ resource: 'messages', mailbox: guid, folder: { mode: 'list', value: 'AAMkAD=' } }, `users/${guid}/mailFolders('AAMkAD=')/messages`, `/users/${guid}`],
			[{ resource: 'events', mailbox: { mode: 'id', value: guid } }, `users/${guid}/events`, `/users/${guid}`],
			[{ resource: 'contacts', mailbox: { mode: 'list', value: 'me' } }, 'me/contacts', '/me'],
			[{ resource: 'messages', folder: { mode: 'list', value: '' } }, 'me/messages', '/me'],
			[{ resource: 'driveItems', mailbox: { mode: 'address', value: 'support@contoso.com' } }, 'me/drive/root', '/me'],
		];
		for (const [parameters, subscription, mailbox] of cases) {
			const config = buildInstantConfig(parameters);
			assert.equal(config.subscriptionResource, subscription, JSON.stringify(parameters));
			assert.equal(config.delta.mailbox, mailbox, JSON.stringify(parameters));
		}
		const appOnly = { appOnly: true };
		assert.equal(buildInstantConfig({ resource: 'contacts', mailbox: 'support@contoso.com' }, appOnly).subscriptionResource, 'users/support@contoso.com/contacts');
		const site = 'contoso.sharepoint.com,6e5b7f3c-1a2b-4c3d-8e9f-0a1b2c3d4e5f,0a1b2c3d-4e5f-6e5b-7f3c-1a2b4c3d8e9f';
		assert.equal(buildInstantConfig({ resource: 'driveItems', drive: site }, appOnly).subscriptionResource, `sites/${site}/drive/root`);
	});

	it('refuses what can never work, naming the parameter and the value', () => {
		const cases: Array<[Parameters<typeof buildInstantConfig>[0], string, RegExp]> = [
			[{ resource: 'custom' }, 'Resource', /"custom"/],
			[{ resource: 'messages', folder: '../x' }, 'Folder', /"\.\.\/x".*well-known name/],
			[{ resource: 'driveItems', drive: 'my stuff' }, 'Drive', /"my stuff".*drive id/],
			[{ resource: 'messages', eventTypes: ['moved'] }, 'Event Types', /"moved"/],
			[{ resource: 'messages', eventTypes: [] }, 'Event Types', /at least one/],
			[{ resource: 'messages', reconcileMinutes: 7 }, 'Reconcile Every', /"7".*1, 2, 5, 10, 15, 30, 60/],
			[{ resource: 'messages', mailbox: { mode: 'address', value: '../me' } }, 'Mailbox', /"\.\.\/me".*email address/],
			[{ resource: 'messages', folder: { mode: 'id', value: 'in box' } }, 'Folder', /"in box".*well-known name/],
		];
		const appOnly: Array<[Parameters<typeof buildInstantConfig>[0], string, RegExp]> = [
			[{ resource: 'messages' }, 'Mailbox', /"My Mailbox".*app-only access/],
			[{ resource: 'events', mailbox: { mode: 'list', value: 'me' } }, 'Mailbox', /"My Mailbox".*choose the mailbox by address/],
			[{ resource: 'driveItems' }, 'Drive', /^Invalid Drive: .*app-only access.*drive id.*site id/],
		];
		for (const [parameters, parameter, message] of appOnly) {
			assert.throws(
				() => buildInstantConfig(parameters, { appOnly: true }),
				(error: unknown) => error instanceof Office365ConfigError && error.parameter === parameter && message.test(error.message),
				`app-only ${JSON.stringify(parameters)}`,
			);
		}
		for (const [parameters, parameter, message] of cases) {
			assert.throws(
				() => buildInstantConfig(parameters),
				(error: unknown) => error instanceof Office365ConfigError && error.parameter === parameter && message.test(error.message),
				JSON.stringify(parameters),
			);
		}
	});
});

describe('notificationUrlProblem', () => {
	it('Microsoft Graph needs a public HTTPS address', () => {
		const refused: Array<[string | undefined, RegExp]> = [
			[undefined, /no webhook URL/],
			['not a url', /not an absolute URL/],
			['http://n8n.example.com/webhook/x/graph', /not HTTPS/],
			['https://localhost:5678/webhook/x/graph', /localhost is not a public host name/],
			['https://127.0.0.1/webhook/x/graph', /not a public host name/],
			['https://10.1.2.3/webhook/x/graph', /not a public host name/],
			['https://192.168.0.10/webhook/x/graph', /not a public host name/],
			['https://172.20.0.5/webhook/x/graph', /not a public host name/],
			['https://n8n.local/webhook/x/graph', /not a public host name/],
			['https://n8n/webhook/x/graph', /not a public host name/],
			['https://[::1]/webhook/x/graph', /not a public host name/],
		];
		for (const [url, why] of refused) assert.match(notificationUrlProblem(url, true) ?? 'accepted', why, String(url));
		for (const url of ['https://n8n.example.com/webhook/x/graph', 'https://172.32.0.1/webhook/x/graph', 'https://abc.trycloudflare.com/webhook/x/graph']) {
			assert.equal(notificationUrlProblem(url, true), undefined, url);
		}
		assert.equal(notificationUrlProblem('http://127.0.0.1:5678/webhook/x/graph', false), undefined, 'a custom Graph decides for itself');
	});
});

describe('subscription state', () => {
	it('round-trips, and reports damaged state instead of using it', () => {
		const staticData: Record<string, unknown> = {};
		const state = { version: 1 as const, clientStateKey: newClientStateKey(), notificationUrl: 'https://x/webhook', current: { id: 's', resource: 'me/messages', expiresAt: 1 } };
		writeSubscriptionState(staticData, state);
		assert.deepEqual(readSubscriptionState(staticData), { state });
		assert.deepEqual(readSubscriptionState({}), {});
		const damaged = [
			['x', /not an object/],
			[{ version: 2, clientStateKey: state.clientStateKey }, /unknown version/],
			[{ version: 1, clientStateKey: 'short' }, /no usable clientState key/],
			[{ version: 1, clientStateKey: state.clientStateKey, notificationUrl: 5 }, /notification URL/],
			[{ version: 1, clientStateKey: state.clientStateKey, current: { id: 's', resource: 'r', expiresAt: 'soon' } }, /expiresAt/],
		] as const;
		for (const [stored, problem] of damaged) {
			const read = readSubscriptionState({ subscription: stored });
			assert.equal(read.state, undefined);
			assert.match(read.problem ?? '', problem);
		}
	});
});

describe('subscriptions and their keeper (against a recorded Graph)', () => {
	const KEY = newClientStateKey();
	const URL = 'https://n8n.example.com/webhook/abc/graph';
	const config = buildInstantConfig({ resource: 'messages', folder: 'inbox' });

	/** A minimal stand-in for Graph's /subscriptions that records every call. */
	function fakeGraph(initial: Array<Record<string, unknown>> = []) {
		const subscriptions = new Map(initial.map((s) => [s.id as string, { ...s }]));
		const calls: string[] = [];
		let nextId = 1;
		const call: GraphCall = async ({ method, url, body }) => {
			calls.push(`${method} ${url}`);
			const id = decodeURIComponent(url.split('/')[2] ?? '');
			if (method === 'GET') {
				const all = [...subscriptions.values()];
				// Two pages, as Graph pages long lists.
				return url.includes('page=2')
					? { status: 200, body: { value: all.slice(1) } }
					: { status: 200, body: { value: all.slice(0, 1), ...(all.length > 1 ? { '@odata.nextLink': 'https://graph.microsoft.com/v1.0/subscriptions?page=2' } : {}) } };
			}
			if (method === 'POST' && url === '/subscriptions') {
				const created = { ...body, id: `new-${nextId++}` };
				subscriptions.set(created.id, created);
				return { status: 201, body: created };
			}
			if (!subscriptions.has(id)) return { status: 404, body: {} };
			if (method === 'DELETE') subscriptions.delete(id);
			if (method === 'PATCH') Object.assign(subscriptions.get(id)!, body);
			return { status: method === 'PATCH' ? 200 : 204, body: method === 'PATCH' ? subscriptions.get(id)! : {} };
		};
		return { call, calls, subscriptions };
	}

	const live = (fields: Record<string, unknown>) => ({
		id: 'live',
		resource: "me/mailFolders('inbox')/messages",
		changeType: 'deleted,updated,created',
		notificationUrl: URL,
		clientState: issueClientState(KEY),
		expirationDateTime: new Date(Date.now() + 3600_000).toISOString(),
		...fields,
	});

	it('adopts only a live subscription of this URL, resource and change types signed with the key, and renews it', async () => {
		const nope = [
			live({ id: 'other-url', notificationUrl: 'https://elsewhere.example.com/hook' }),
			live({ id: 'other-resource', resource: 'me/messages' }),
			live({ id: 'other-types', changeType: 'created' }),
			live({ id: 'foreign', clientState: issueClientState(newClientStateKey()) }),
			live({ id: 'expiring', expirationDateTime: new Date(Date.now() + 60_000).toISOString() }),
		];
		const none = fakeGraph(nope);
		assert.equal(await adoptLiveSubscription(none.call, config, URL, KEY, Date.now()), undefined);
		const graph = fakeGraph([...nope, live({})]);
		const adopted = await adoptLiveSubscription(graph.call, config, URL, KEY, Date.now());
		assert.equal(adopted?.id, 'live');
		assert.ok(graph.calls.includes('GET https://graph.microsoft.com/v1.0/subscriptions?page=2'), 'follows the list\'s next page');
		assert.deepEqual(graph.calls.filter((c) => c.startsWith('PATCH')), ['PATCH /subscriptions/live']);
	});

	it('the keeper renews hourly, resubscribes when Graph lost the subscription, and acts once on repeated lifecycle events', async () => {
		const graph = fakeGraph([live({})]);
		let clock = Date.now();
		let state: SubscriptionState | undefined = { version: 1, clientStateKey: KEY, notificationUrl: URL, current: { id: 'live', resource: config.subscriptionResource, expiresAt: clock + 3600_000 } };
		const warnings: string[] = [];
		const keeper = new SubscriptionKeeper({ call: graph.call, config, now: () => clock, load: () => state, save: (next) => (state = next), warn: (w) => warnings.push(w) });

		assert.equal(await keeper.maintain(), false);
		assert.equal(await keeper.maintain(), false);
		assert.equal(graph.calls.filter((c) => c.startsWith('PATCH')).length, 1, 'once within the hour');
		clock += 3600_000;
		graph.subscriptions.delete('live');
		assert.equal(await keeper.maintain(), true, 'gone: subscribed again, so the caller reads');
		assert.equal(state?.current?.id, 'new-1');
		assert.match(warnings.join('\n'), /subscribed again \(Graph no longer has subscription live/);

		const removed = state!.current!.id;
		const [first, second] = await Promise.all([keeper.onLifecycle('subscriptionRemoved', removed), keeper.onLifecycle('subscriptionRemoved', removed)]);
		assert.deepEqual([first, second], [true, true]);
		assert.equal(graph.calls.filter((c) => c === 'POST /subscriptions').length, 2, 'one more subscription, not two');
		assert.equal(await keeper.onLifecycle('reauthorizationRequired', state!.current!.id), true);
		assert.ok(graph.calls.includes(`POST /subscriptions/${state!.current!.id}/reauthorize`));

		state = { version: 1, clientStateKey: KEY };
		assert.equal(await keeper.maintain(), false, 'never subscribed: nothing to keep');
	});
});
