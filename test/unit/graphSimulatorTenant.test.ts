// The Graph simulator beyond one mailbox: shared mailboxes and their permissions, app-only tokens, the directory,
// attachments, and Graph's $filter rules for the filters the trigger offers. Real HTTP against a started instance.

import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';

import { GraphSimulator, type SimMailbox } from '../graph-simulator/index';

const T0 = Date.UTC(2026, 10, 28, 10, 0, 0);

interface GraphError {
	error: { code: string; message: string; innerError?: Record<string, string> };
}

let now = T0;
const sim = new GraphSimulator({ now: () => now });
let shared: SimMailbox;

before(async () => {
	await sim.start();
	shared = sim.addMailbox({ displayName: 'Support', mail: 'support@contoso.example' });
	sim.addMailbox({ displayName: 'Finance', mail: 'finance@contoso.example', signedInUserHasAccess: false });
});
after(async () => {
	await sim.stop();
});
beforeEach(() => {
	sim.reset();
	now += 3_600_000;
});

async function get(token: string, path: string, params: Record<string, string> = {}): Promise<Response> {
	const url = new URL(`${sim.graphUrl}${path}`);
	for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
	return await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
}

async function json<T>(response: Response, status = 200): Promise<T> {
	const body = (await response.json()) as T;
	assert.equal(response.status, status, JSON.stringify(body));
	return body;
}

async function appToken(scope = `${sim.baseUrl}/.default`): Promise<Response> {
	return await fetch(`${sim.loginBaseUrl}/contoso.example/oauth2/v2.0/token`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'app-1', client_secret: 'secret', scope }).toString(),
	});
}

const delegated = (scope: string) => sim.issueTokens(scope).access_token;

describe('Graph simulator: mailboxes of the tenant', () => {
	it('addresses a shared mailbox by address or id; its mail is its own', async () => {
		const mine = sim.createMessage({ subject: 'mine' });
		const theirs = shared.createMessage({ subject: 'support ticket' });
		const token = delegated('Mail.Read Mail.Read.Shared');
		for (const ref of ['support@contoso.example', 'SUPPORT@contoso.example', shared.user.id]) {
			const page = await json<{ value: Array<{ id: string }>; '@odata.context': string }>(await get(token, `/users/${encodeURIComponent(ref)}/messages`));
			assert.deepEqual(page.value.map((m) => m.id), [theirs.id]);
			assert.match(page['@odata.context'], /users\('/);
		}
		const own = await json<{ value: Array<{ id: string }> }>(await get(token, '/me/messages'));
		assert.deepEqual(own.value.map((m) => m.id), [mine.id]);
		assert.deepEqual(sim.users().map((u) => u.mail), ['adele.vance@contoso.example', 'support@contoso.example', 'finance@contoso.example']);
	});

	it('refuses another mailbox with 403 ErrorAccessDenied without the .Shared scope or without a mailbox permission', async () => {
		const cases: Array<[string, string, string]> = [
			['Mail.Read', '/users/support@contoso.example/messages', 'Mail.Read.Shared missing'],
			['Mail.Read Mail.Read.Shared', '/users/finance@contoso.example/messages', 'no FullAccess on the mailbox'],
			['Mail.Read.Shared Calendars.Read', '/users/support@contoso.example/events', 'Calendars.Read.Shared missing'],
			['Mail.Read.Shared Contacts.Read', '/users/support@contoso.example/contacts', 'Contacts.Read.Shared missing'],
			['Mail.Read Mail.Read.Shared', '/users/support@contoso.example/mailFolders', 'folders are mail'],
			['Calendars.Read', '/me/messages', 'own mail needs Mail.Read'],
		];
		for (const [scope, path, why] of cases) {
			const status = path.includes('/mailFolders') ? 200 : 403;
			const response = await get(delegated(scope), path);
			if (status === 200) {
				await json(response);
				continue;
			}
			const body = await json<GraphError>(response, 403);
			assert.equal(body.error.code, 'ErrorAccessDenied', why);
			assert.equal(body.error.message, 'Access is denied. Check credentials and try again.', why);
			assert.ok(body.error.innerError?.['request-id'], why);
		}
		await json(await get(delegated('Calendars.Read.Shared'), '/users/support@contoso.example/events'));
		await json(await get(delegated('Contacts.Read.Shared'), '/users/support@contoso.example/contacts'));
	});

	it('answers 404 ErrorInvalidUser for a mailbox that does not exist', async () => {
		const body = await json<GraphError>(await get(delegated('Mail.Read.Shared'), '/users/nobody@contoso.example/messages'), 404);
		assert.equal(body.error.code, 'ErrorInvalidUser');
	});
});

describe('Graph simulator: app-only access (client credentials)', () => {
	it('issues a roles token for {resource}/.default, no refresh token, no scope', async () => {
		const response = await appToken();
		const body = await json<Record<string, unknown>>(response);
		assert.equal(typeof body.access_token, 'string');
		assert.equal(body.refresh_token, undefined);
		assert.equal(body.scope, undefined);
		const claims = JSON.parse(Buffer.from(String(body.access_token).split('.')[1], 'base64url').toString()) as { roles: string[]; appid: string };
		assert.deepEqual(claims.roles, ['Mail.Read', 'Calendars.Read', 'Contacts.Read', 'User.Read.All']);
		assert.equal(claims.appid, 'app-1');
	});

	it('refuses a client-credentials scope without /.default (AADSTS1002012)', async () => {
		const body = await json<{ error: string; error_description: string; error_codes: number[] }>(await appToken('Mail.Read'), 400);
		assert.equal(body.error, 'invalid_scope');
		assert.deepEqual(body.error_codes, [1002012]);
		assert.match(body.error_description, /^AADSTS1002012: .*\/\.default/);
	});

	it('reads any mailbox by /users/{id}, never /me; roles and the access policy decide', async () => {
		const ticket = shared.createMessage({ subject: 'ticket' });
		const token = String((await json<Record<string, unknown>>(await appToken())).access_token);
		const me = await json<GraphError>(await get(token, '/me/messages'), 400);
		assert.equal(me.error.code, 'BadRequest');
		assert.equal(me.error.message, '/me request is only valid with delegated authentication flow.');
		const page = await json<{ value: Array<{ id: string }> }>(await get(token, '/users/support@contoso.example/messages'));
		assert.deepEqual(page.value.map((m) => m.id), [ticket.id]);
		await json(await get(token, '/users/finance@contoso.example/messages'), 200);

		sim.appAccessPolicy = ['support@contoso.example'];
		await json(await get(token, '/users/support@contoso.example/messages'));
		const blocked = await json<GraphError>(await get(token, '/users/finance@contoso.example/messages'), 403);
		assert.equal(blocked.error.code, 'ErrorAccessDenied');
		assert.match(blocked.error.message, /AppOnly AccessPolicy/);

		sim.appRoles = ['Calendars.Read'];
		const withoutMail = String((await json<Record<string, unknown>>(await appToken())).access_token);
		assert.equal((await json<GraphError>(await get(withoutMail, '/users/support@contoso.example/messages'), 403)).error.code, 'ErrorAccessDenied');
	});
});

describe('Graph simulator: the directory (/users)', () => {
	it('lists users with startswith on displayName or mail, paged; needs User.ReadBasic.All', async () => {
		const token = delegated('Mail.Read User.ReadBasic.All');
		const all = await json<{ value: Array<{ mail: string }> }>(await get(token, '/users'));
		assert.equal(all.value.length, 3);
		const found = await json<{ value: Array<{ mail: string; displayName: string }> }>(
			await get(token, '/users', { $filter: "startswith(displayName,'sup') or startswith(mail,'sup')", $select: 'id,displayName,mail' }),
		);
		assert.deepEqual(found.value.map((u) => u.mail), ['support@contoso.example']);
		const paged = await json<{ value: unknown[]; '@odata.nextLink'?: string }>(await get(token, '/users', { $top: '2' }));
		assert.equal(paged.value.length, 2);
		assert.ok(paged['@odata.nextLink']);
		const denied = await json<GraphError>(await get(delegated('Mail.Read'), '/users'), 403);
		assert.equal(denied.error.code, 'Authorization_RequestDenied');
	});
});

describe('Graph simulator: attachments', () => {
	it('lists file, item and reference attachments with Graph types; file bytes as base64 and as $value', async () => {
		const content = Buffer.from('%PDF-1.7 quarterly numbers');
		const message = sim.createMessage(
			{ subject: 'with attachments' },
			{
				attachments: [
					{ kind: 'file', name: 'report.pdf', contentType: 'application/pdf', content },
					{ kind: 'item', name: 'Forwarded mail' },
					{ kind: 'reference', name: 'Budget.xlsx' },
				],
			},
		);
		assert.equal(message.hasAttachments, true);
		const token = delegated('Mail.Read');
		const base = `/me/messages/${encodeURIComponent(message.id)}/attachments`;
		const list = await json<{ value: Array<Record<string, unknown>> }>(await get(token, base));
		assert.deepEqual(
			list.value.map((a) => [a['@odata.type'], a.name]),
			[
				['#microsoft.graph.fileAttachment', 'report.pdf'],
				['#microsoft.graph.itemAttachment', 'Forwarded mail'],
				['#microsoft.graph.referenceAttachment', 'Budget.xlsx'],
			],
		);
		assert.equal(Buffer.from(String(list.value[0].contentBytes), 'base64').toString(), content.toString());
		assert.equal(list.value[0].size, content.length);
		assert.equal(list.value[1].contentBytes, undefined);

		const selected = await json<{ value: Array<Record<string, unknown>> }>(await get(token, base, { $select: 'id,name,size' }));
		assert.deepEqual(Object.keys(selected.value[0]).sort(), ['@odata.type', 'id', 'name', 'size']);

		const raw = await get(token, `${base}/${encodeURIComponent(String(list.value[0].id))}/$value`);
		assert.equal(raw.status, 200);
		assert.equal(raw.headers.get('content-type'), 'application/pdf');
		assert.deepEqual(Buffer.from(await raw.arrayBuffer()), content);
		const reference = await get(token, `${base}/${encodeURIComponent(String(list.value[2].id))}/$value`);
		assert.equal(reference.status, 400);
	});

	it('serves large generated files byte for byte; inline-only mail has no attachments; adding one is a change; moves keep them', async () => {
		const big = sim.createMessage({}, { attachments: [{ kind: 'file', name: 'scan.tif', contentType: 'image/tiff', size: 3 * 1024 * 1024 }] });
		const token = delegated('Mail.Read');
		const [attachment] = sim.attachments(big.id);
		const raw = await get(token, `/me/messages/${encodeURIComponent(big.id)}/attachments/${encodeURIComponent(attachment.id)}/$value`);
		const bytes = Buffer.from(await raw.arrayBuffer());
		assert.equal(bytes.length, 3 * 1024 * 1024);
		assert.ok(bytes.equals(attachment.content!));
		assert.equal(sim.requests.at(-1)?.bytes, 3 * 1024 * 1024, 'the request log counts the bytes answered');

		const inline = sim.createMessage({}, { attachments: [{ kind: 'file', name: 'logo.png', contentType: 'image/png', size: 100, isInline: true }] });
		assert.equal(inline.hasAttachments, false);
		now += 5_000;
		sim.addAttachment(inline.id, { kind: 'file', name: 'notes.txt', content: 'hi' });
		const changed = sim.getMessage(inline.id)!;
		assert.equal(changed.hasAttachments, true);
		assert.notEqual(changed.lastModifiedDateTime, inline.lastModifiedDateTime);
		const moved = sim.moveMessage(inline.id, 'archive');
		assert.deepEqual(sim.attachments(moved.id).map((a) => a.name), ['logo.png', 'notes.txt']);
	});
});

describe('Graph simulator: $filter rules for the trigger\'s filters', () => {
	const window = 'receivedDateTime ge 2020-01-01T00:00:00Z';
	const orderby = { $orderby: 'receivedDateTime asc' };

	it('accepts read status, senders, attachments and importance after the date with $orderby', async () => {
		const a = sim.createMessage({ isRead: false, importance: 'high', from: { emailAddress: { name: 'A', address: 'a@fabrikam.example' } } });
		sim.createMessage({ isRead: true, from: { emailAddress: { name: 'B', address: 'b@fabrikam.example' } } });
		const token = delegated('Mail.Read');
		const filters = [
			'isRead eq false',
			"(from/emailAddress/address eq 'A@fabrikam.example' or from/emailAddress/address eq 'c@x.example')",
			"importance eq 'high'",
			`hasAttachments eq ${String(a.hasAttachments)}`,
		];
		const page = await json<{ value: Array<{ id: string }> }>(await get(token, '/me/messages', { $filter: `${window} and ${filters.join(' and ')}`, ...orderby }));
		assert.deepEqual(page.value.map((m) => m.id), [a.id]);
	});

	it('answers InefficientFilter for contains(), category lambdas and folders combined with $orderby; accepts them alone', async () => {
		const red = sim.createMessage({ subject: 'Invoice 42 overdue', categories: ['Red'] });
		sim.createMessage({ subject: 'Lunch', categories: [] });
		const token = delegated('Mail.Read');
		const inbox = sim.folderId('inbox');
		const clauses = ["contains(subject,'invoice')", "categories/any(c:c eq 'red')", `parentFolderId eq '${inbox}'`, `parentFolderId ne '${inbox}'`];
		for (const clause of clauses) {
			const refused = await json<GraphError>(await get(token, '/me/messages', { $filter: `${window} and ${clause}`, ...orderby }), 400);
			assert.equal(refused.error.code, 'InefficientFilter', clause);
		}
		for (const clause of clauses.slice(0, 2)) {
			const page = await json<{ value: Array<{ id: string }> }>(await get(token, '/me/messages', { $filter: `${window} and ${clause}` }));
			assert.deepEqual(page.value.map((m) => m.id), [red.id], clause);
		}
		const inFolder = await json<{ value: unknown[] }>(await get(token, '/me/messages', { $filter: clauses[2] }));
		assert.equal(inFolder.value.length, 2);
		const none = await json<{ value: unknown[] }>(await get(token, '/me/messages', { $filter: 'categories/any()' }));
		assert.equal(none.value.length, 1);
	});
});

describe('Graph simulator: admin routes for mailboxes, attachments and the app', () => {
	it('creates mailboxes and items in them, attaches files, sets app roles', async () => {
		const admin = async (method: string, path: string, body?: unknown) => {
			const response = await fetch(`${sim.adminUrl}${path}`, { method, headers: { 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
			return { status: response.status, body: (response.status === 204 ? undefined : await response.json()) as Record<string, unknown> };
		};
		const created = await admin('POST', '/mailboxes', { displayName: 'Sales', mail: 'sales@contoso.example' });
		assert.equal(created.status, 201);
		const message = await admin('POST', '/items/messages?mailbox=sales@contoso.example', {
			fields: { subject: 'lead' },
			attachments: [{ kind: 'file', name: 'a.bin', contentBase64: Buffer.from('abc').toString('base64') }, { kind: 'file', name: 'b.bin', size: 2048 }],
		});
		assert.equal(message.status, 201);
		assert.equal(message.body.hasAttachments, true);
		const sales = sim.mailbox('sales@contoso.example');
		assert.deepEqual(sales.attachments(String(message.body.id)).map((a) => a.content?.length), [3, 2048]);
		const added = await admin('POST', `/items/messages/${encodeURIComponent(String(message.body.id))}/attachments?mailbox=sales@contoso.example`, { kind: 'reference', name: 'link' });
		assert.equal(added.status, 201);
		assert.equal((await admin('GET', '/items/messages?mailbox=sales@contoso.example')).body.value instanceof Array, true);
		const app = await admin('PUT', '/app', { roles: ['Mail.Read'], accessPolicy: ['sales@contoso.example'] });
		assert.deepEqual(app.body, { roles: ['Mail.Read'], accessPolicy: ['sales@contoso.example'] });
		assert.equal((await admin('GET', '/items/messages?mailbox=nobody@x.example')).status, 404);
	});
});
