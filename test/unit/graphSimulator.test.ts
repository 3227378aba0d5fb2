// Tests for the Microsoft Graph simulator (test/graph-simulator): real HTTP against a started instance.

import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { GraphSimulator, instantKey } from '../graph-simulator/index';
import { schemaFromSample } from '../graph-simulator/entitySchema';
import { compileFilter } from '../graph-simulator/odataFilter';
import { sampleRecords } from '../graph-simulator/records';

const T0 = Date.UTC(2026, 10, 28, 10, 0, 0); // 2026-11-28T10:00:00Z

interface Page {
	'@odata.context'?: string;
	'@odata.nextLink'?: string;
	'@odata.count'?: number;
	value: Array<Record<string, unknown>>;
}
interface GraphErrorBody {
	error: { code: string; message: string; innerError?: Record<string, string> };
}

/** A simulator with a controllable clock and a ready access token. */
class Harness {
	nowMs = T0;
	readonly sim = new GraphSimulator({ now: () => this.nowMs });
	token = '';

	async start(): Promise<void> {
		await this.sim.start();
		this.token = this.sim.issueTokens().access_token;
	}

	/** GET a Graph path; `params` are encoded properly ('+' in offsets survives). */
	async get(pathname: string, params: Record<string, string> = {}, headers: Record<string, string> = {}): Promise<Response> {
		const url = new URL(`${this.sim.graphUrl}${pathname}`);
		for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
		return fetch(url, { headers: { Authorization: `Bearer ${this.token}`, ...headers } });
	}

	async page(pathname: string, params: Record<string, string> = {}): Promise<Page> {
		const res = await this.get(pathname, params);
		const body = (await res.json()) as Page;
		assert.equal(res.status, 200, JSON.stringify(body));
		return body;
	}

	async error(pathname: string, params: Record<string, string>, status = 400): Promise<GraphErrorBody['error']> {
		const res = await this.get(pathname, params);
		const body = (await res.json()) as GraphErrorBody;
		assert.equal(res.status, status, JSON.stringify(body));
		return body.error;
	}

	/** Follows @odata.nextLink verbatim until absent. */
	async all(pathname: string, params: Record<string, string> = {}): Promise<{ items: Array<Record<string, unknown>>; pages: Page[] }> {
		const pages: Page[] = [];
		let next: string | undefined = undefined;
		let first = true;
		while (first || next !== undefined) {
			let res: Response;
			if (first) res = await this.get(pathname, params);
			else res = await fetch(next as string, { headers: { Authorization: `Bearer ${this.token}` } });
			first = false;
			const body = (await res.json()) as Page;
			assert.equal(res.status, 200, JSON.stringify(body));
			pages.push(body);
			next = body['@odata.nextLink'];
		}
		return { items: pages.flatMap((p) => p.value), pages };
	}

	async admin(method: string, route: string, body?: unknown): Promise<{ status: number; json: unknown }> {
		const res = await fetch(`${this.sim.adminUrl}${route}`, {
			method,
			headers: { 'Content-Type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await res.text();
		return { status: res.status, json: text === '' ? undefined : (JSON.parse(text) as unknown) };
	}
}

const subjects = (items: Array<Record<string, unknown>>): unknown[] => items.map((m) => m.subject);

describe('Graph simulator: $filter compiler', () => {
	const schema = schemaFromSample('microsoft.graph.message', sampleRecords().messages as unknown as Record<string, unknown>);
	const base = { subject: "It's done", isRead: false, importance: 'normal', from: { emailAddress: { address: 'a@b.example', name: 'A' } } };
	const rec = (over: Record<string, unknown> = {}): Record<string, unknown> => ({ ...base, receivedDateTime: '2026-11-28T10:00:05Z', ...over });
	const matches = (filter: string, record: Record<string, unknown>): boolean => compileFilter(filter, schema).matches(record);

	it('compares date/times as instants across precisions and offsets', () => {
		assert.equal(matches('receivedDateTime ge 2026-11-28T10:00:05Z', rec()), true);
		assert.equal(matches('receivedDateTime gt 2026-11-28T10:00:05Z', rec()), false);
		assert.equal(matches('receivedDateTime lt 2026-11-28T10:00:05.0000001Z', rec()), true);
		assert.equal(matches('receivedDateTime eq 2026-11-28T10:00:05.000Z', rec()), true);
		assert.equal(matches('receivedDateTime eq 2026-11-28T11:00:05+01:00', rec()), true);
		assert.equal(matches('receivedDateTime le 2026-11-28T05:00:04-05:00', rec()), false);
		// String comparison would say '2026-11-28T10:00:05.5Z' < '2026-11-28T10:00:05Z'; instants say the opposite.
		assert.equal(matches('receivedDateTime lt 2026-11-28T10:00:05.5Z', rec()), true);
		assert.ok((instantKey('2026-11-28T10:00:05Z') as string) < (instantKey('2026-11-28T10:00:05.1234567Z') as string));
	});

	it('handles and/or/not precedence, parentheses, strings, booleans, null, nested paths, startswith', () => {
		assert.equal(matches("subject eq 'It''s done'", rec()), true);
		assert.equal(matches("subject eq 'it''S DONE'", rec()), true, 'Exchange string comparison is case-insensitive');
		assert.equal(matches("isRead eq true or subject eq 'x' and isRead eq false", rec()), false, 'and binds tighter than or');
		assert.equal(matches("(isRead eq true or subject eq 'It''s done') and isRead eq false", rec()), true);
		assert.equal(matches('not isRead', rec()), true);
		assert.equal(matches('not (isRead eq false)', rec()), false);
		assert.equal(matches("from/emailAddress/address eq 'A@B.example'", rec()), true);
		assert.equal(matches("startswith(subject,'it''s')", rec()), true);
		assert.equal(matches("startswith(subject,'done')", rec()), false);
		assert.equal(matches("startswith(subject,'x') eq false", rec()), true);
		assert.equal(matches('subject eq null', rec()), false);
		assert.equal(matches('subject ne null', rec()), true);
		assert.equal(matches('ReceivedDateTime ge 2026-01-01', rec()), true, 'property names are case-insensitive, Edm.Date works');
	});

	it('reports the properties in order of appearance (for InefficientFilter)', () => {
		const compiled = compileFilter("receivedDateTime ge 2026-01-01T00:00:00Z and (subject eq 'x' or receivedDateTime lt 2027-01-01T00:00:00Z)", schema);
		assert.deepEqual(compiled.properties, ['receivedDateTime', 'subject']);
	});

	it('rejects what Graph rejects with "Invalid filter clause"', () => {
		const bad = [
			["endswith(subject,'x')", /unknown function/],
			["subject eq 'x", /unterminated string/],
			['subject eq', /Syntax error/],
			['nope eq 1', /Could not find a property named 'nope'/],
			["receivedDateTime ge '2026-11-28T10:00:00Z'", /incompatible types.*Edm\.DateTimeOffset.*Edm\.String/],
			['isRead gt null', /incompatible types/],
			["toRecipients eq 'x'", /collection/],
			['receivedDateTime ge 2026-02-30T00:00:00Z', /not a valid date/],
			["subject eq 'a' xor isRead", /Syntax error/],
			['subject', /not a boolean expression/],
		] as const;
		for (const [filter, pattern] of bad) {
			assert.throws(
				() => compileFilter(filter, schema),
				(error: Error & { code?: string }) => error.code === 'BadRequest' && error.message.startsWith('Invalid filter clause: ') && pattern.test(error.message),
				filter,
			);
		}
	});
});

describe('Graph simulator: listing over HTTP', () => {
	const h = new Harness();
	before(() => h.start());
	after(() => h.sim.stop());
	beforeEach(() => {
		h.sim.reset();
		h.nowMs = T0;
	});

	it('serves realistic messages: long ids, second-precision stamps, Graph-shaped envelope', async () => {
		const created = h.sim.createMessage({ subject: 'Hello' }, { at: T0 + 5_123 });
		assert.ok(created.id.length >= 140 && created.id.length <= 160, `id length ${created.id.length}`);
		assert.match(created.id, /^[A-Za-z0-9_-]+=*$/);
		assert.equal(created.receivedDateTime, '2026-11-28T10:00:05Z');
		assert.equal(created.lastModifiedDateTime, '2026-11-28T10:00:05Z');
		assert.equal(created.parentFolderId, h.sim.folderId('inbox'));
		const page = await h.page('/me/messages');
		assert.match(page['@odata.context'] as string, /^http:\/\/127\.0\.0\.1:\d+\/v1\.0\/\$metadata#users\('.+'\)\/messages$/);
		assert.equal(page.value.length, 1);
		const [msg] = page.value;
		for (const key of ['id', 'createdDateTime', 'lastModifiedDateTime', 'receivedDateTime', 'sentDateTime', 'subject', 'bodyPreview', 'isRead', 'from', 'toRecipients', 'parentFolderId', 'hasAttachments', 'internetMessageId', 'conversationId', 'changeKey', 'categories', 'importance']) {
			assert.ok(key in msg, `missing ${key}`);
		}
		assert.equal(msg['@odata.etag'], `W/"${created.changeKey}"`);
		const one = (await (await h.get(`/me/messages/${encodeURIComponent(created.id)}`)).json()) as Record<string, unknown>;
		assert.equal(one.subject, 'Hello');
	});

	it('gives events 7-fraction-digit stamps and DateTimeTimeZone start/end', async () => {
		const event = h.sim.createEvent({ subject: 'Standup' }, { at: T0 + 5_123 });
		assert.match(event.lastModifiedDateTime, /^2026-11-28T10:00:05\.123\d{4}Z$/);
		assert.match(event.start.dateTime, /^\d{4}-\d{2}-\d{2}T\d{2}:00:00\.0000000$/);
		assert.equal(event.start.timeZone, 'UTC');
		const later = h.sim.updateEvent(event.id, { subject: 'Standup!' }, { at: T0 + 5_123 });
		assert.ok((instantKey(later.lastModifiedDateTime) as string) > (instantKey(event.lastModifiedDateTime) as string), 'same-ms update still moves forward');
		const page = await h.page('/me/events', { $filter: 'lastModifiedDateTime gt 2026-11-28T10:00:05.123Z' });
		assert.deepEqual(subjects(page.value), ['Standup!'], 'sub-millisecond ticks compare as instants');
		h.sim.createContact({ displayName: 'Ada Lovelace' });
		const contacts = await h.page('/me/contacts', { $select: 'displayName,emailAddresses' });
		assert.equal(contacts.value[0].displayName, 'Ada Lovelace');
	});

	it('filters over HTTP including offsets with an encoded +', async () => {
		for (let i = 0; i < 6; i++) h.sim.createMessage({ subject: `s${i}`, isRead: i % 2 === 0 }, { at: T0 + i * 1000 });
		const page = await h.page('/me/messages', {
			$filter: 'receivedDateTime ge 2026-11-28T11:00:02+01:00 and isRead eq false',
			$orderby: 'receivedDateTime asc',
		});
		assert.deepEqual(subjects(page.value), ['s3', 's5']);
		const err = await h.error('/me/messages', { $filter: "receivedDateTime ge '2026-11-28T10:00:00Z'" });
		assert.equal(err.code, 'BadRequest');
		assert.match(err.message, /^Invalid filter clause: /);
	});

	it('enforces InefficientFilter: $orderby properties must lead the $filter in the same order', async () => {
		h.sim.createMessage({ subject: 'a' });
		const inefficient = [
			{ $filter: "subject eq 'a'", $orderby: 'receivedDateTime desc' },
			{ $filter: "subject eq 'a' and receivedDateTime ge 2026-01-01T00:00:00Z", $orderby: 'receivedDateTime' },
			{ $filter: 'lastModifiedDateTime ge 2026-01-01T00:00:00Z and receivedDateTime ge 2026-01-01T00:00:00Z', $orderby: 'receivedDateTime,lastModifiedDateTime' },
		];
		for (const params of inefficient) {
			const err = await h.error('/me/messages', params);
			assert.deepEqual([err.code, err.message], ['InefficientFilter', 'The restriction or sort order is too complex for this operation.']);
		}
		const fine: Array<Record<string, string>> = [
			{ $filter: "receivedDateTime ge 2026-01-01T00:00:00Z and subject eq 'a'", $orderby: 'receivedDateTime desc' },
			{ $filter: 'lastModifiedDateTime ge 2026-01-01T00:00:00Z and receivedDateTime ge 2026-01-01T00:00:00Z', $orderby: 'lastModifiedDateTime,receivedDateTime' },
			{ $orderby: 'subject' },
		];
		for (const params of fine) assert.equal((await h.page('/me/messages', params)).value.length, 1);
	});

	it('pages via absolute @odata.nextLink carrying the query plus $skip (offset paging, as Graph pages mail), with $count', async () => {
		for (let i = 0; i < 25; i++) h.sim.createMessage({ subject: `m${String(i).padStart(2, '0')}` }, { at: T0 + i * 1000 });
		const { items, pages } = await h.all('/me/messages', {
			$filter: 'receivedDateTime ge 2026-11-28T10:00:03Z',
			$orderby: 'receivedDateTime asc',
			$top: '10',
			$count: 'true',
			$select: 'subject,receivedDateTime',
		});
		assert.deepEqual(pages.map((p) => p.value.length), [10, 10, 2]);
		assert.deepEqual(subjects(items), Array.from({ length: 22 }, (_, i) => `m${String(i + 3).padStart(2, '0')}`));
		assert.ok(pages.every((p) => p['@odata.count'] === 22));
		const link = new URL(pages[0]['@odata.nextLink'] as string);
		assert.equal(link.origin, h.sim.baseUrl);
		assert.equal(link.pathname, '/v1.0/me/messages');
		assert.equal(link.searchParams.get('$filter'), 'receivedDateTime ge 2026-11-28T10:00:03Z');
		assert.equal(link.searchParams.get('$top'), '10');
		assert.equal(link.searchParams.get('$skip'), '10');
		assert.equal(new URL(pages[1]['@odata.nextLink'] as string).searchParams.get('$skip'), '20');
		assert.deepEqual(Object.keys(items[0]).sort(), ['@odata.etag', 'id', 'receivedDateTime', 'subject']);
	});

	it('defaults to 10 per page newest first, honours $skip and rejects $top above 1000', async () => {
		for (let i = 0; i < 12; i++) h.sim.createMessage({ subject: `m${i}` }, { at: T0 + i * 1000 });
		const first = await h.page('/me/messages');
		assert.equal(first.value.length, 10);
		assert.equal(first.value[0].subject, 'm11');
		assert.ok(first['@odata.nextLink']);
		assert.deepEqual(subjects((await h.page('/me/messages', { $skip: '10' })).value), ['m1', 'm0']);
		const err = await h.error('/me/messages', { $top: '1001' });
		assert.match(err.message, /limit of '1000' for Top query has been exceeded/);
		assert.equal((await h.page('/me/messages', { $top: '1000' })).value.length, 12);
		assert.match((await h.error('/me/messages', { $top: 'ten' })).message, /non-negative integer/);
		assert.match((await h.error('/me/messages', { $expand: 'attachments' })).message, /not supported/);
		const preferred = await h.get('/me/messages', {}, { Prefer: 'odata.maxpagesize=5' });
		assert.equal(((await preferred.json()) as Page).value.length, 5);
		assert.equal(preferred.headers.get('preference-applied'), 'odata.maxpagesize=5');
	});

	it('offset paging reshuffles when mail arrives between pages (like Graph)', async () => {
		for (let i = 0; i < 4; i++) h.sim.createMessage({ subject: `m${i}` }, { at: T0 + i * 1000 });
		const first = await h.page('/me/messages', { $top: '2' });
		assert.deepEqual(subjects(first.value), ['m3', 'm2']);
		h.sim.createMessage({ subject: 'new' }, { at: T0 + 10_000 });
		const res = await fetch(first['@odata.nextLink'] as string, { headers: { Authorization: `Bearer ${h.token}` } });
		assert.deepEqual(subjects(((await res.json()) as Page).value), ['m2', 'm1'], 'm2 is served twice');
	});

	it('$select keeps id and rejects unknown properties', async () => {
		h.sim.createMessage({ subject: 'x' });
		const page = await h.page('/me/messages', { $select: 'Subject,isRead' });
		assert.deepEqual(Object.keys(page.value[0]), ['@odata.etag', 'id', 'subject', 'isRead']);
		const err = await h.error('/me/messages', { $select: 'subject,nope' });
		assert.match(err.message, /Could not find a property named 'nope' on type 'microsoft.graph.message'/);
	});

	it('hides late-indexed items until the clock reaches visibleAt; the truth list has them', async () => {
		h.sim.createMessage({ subject: 'on time' }, { at: T0 });
		const late = h.sim.createMessage({ subject: 'late' }, { at: T0 + 1000, visibleAt: T0 + 60_000 });
		const params = { $filter: 'receivedDateTime ge 2026-11-28T10:00:00Z', $orderby: 'receivedDateTime asc' };
		assert.deepEqual(subjects((await h.page('/me/messages', params)).value), ['on time']);
		assert.deepEqual(h.sim.notYetVisible('messages'), [late.id]);
		assert.equal(h.sim.list('messages').length, 2);
		h.nowMs = T0 + 60_000;
		assert.deepEqual(subjects((await h.page('/me/messages', params)).value), ['on time', 'late']);
		assert.equal(late.receivedDateTime, '2026-11-28T10:00:01Z', 'visible later, but stamped with its original time');
	});

	it('same-second bursts share a stamp and page without loss or duplicates', async () => {
		const ids = Array.from({ length: 7 }, (_, i) => h.sim.createMessage({ subject: `b${i}` }).id);
		const stamps = new Set(h.sim.list('messages').map((m) => m.receivedDateTime));
		assert.deepEqual([...stamps], ['2026-11-28T10:00:00Z']);
		const params = { $filter: 'receivedDateTime ge 2026-11-28T10:00:00Z', $orderby: 'receivedDateTime asc', $top: '3' };
		const { items } = await h.all('/me/messages', params);
		assert.deepEqual(items.map((m) => m.id), ids, 'ties keep insertion order');
		assert.equal((await h.page('/me/messages', { $filter: 'receivedDateTime gt 2026-11-28T10:00:00Z' })).value.length, 0);
	});

	it('mail folders: paging, childFolderCount, child folders, folder-scoped messages, well-known names', async () => {
		const projects = h.sim.createFolder('Projects');
		h.sim.createFolder('Falcon', projects.id);
		h.sim.createMessage({ subject: 'in archive' }, { folder: 'Archive' });
		h.sim.createMessage({ subject: 'in inbox' });
		const { items, pages } = await h.all('/me/mailFolders', { $top: '4' });
		assert.equal(pages.length, 2);
		const names = items.map((f) => f.displayName);
		assert.deepEqual(names, ['Inbox', 'Sent Items', 'Drafts', 'Deleted Items', 'Archive', 'Junk Email', 'Outbox', 'Projects']);
		assert.equal(items.find((f) => f.displayName === 'Projects')?.childFolderCount, 1);
		assert.equal(items.find((f) => f.displayName === 'Inbox')?.totalItemCount, 1);
		const children = await h.page(`/me/mailFolders/${encodeURIComponent(projects.id)}/childFolders`);
		assert.deepEqual(subjects(children.value.map((f) => ({ subject: f.displayName }))), ['Falcon']);
		assert.deepEqual(subjects((await h.page('/me/mailFolders/archive/messages')).value), ['in archive']);
		assert.deepEqual(subjects((await h.page('/me/mailFolders/Inbox/messages')).value), ['in inbox']);
		const upn = encodeURIComponent(h.sim.user.userPrincipalName);
		assert.equal((await h.page(`/users/${upn}/mailFolders/inbox/messages`)).value.length, 1);
		assert.equal((await h.error('/users/nobody%40x.example/messages', {}, 404)).code, 'ErrorInvalidUser');
		assert.equal((await h.error('/me/mailFolders/nope/messages', {}, 404)).code, 'ErrorItemNotFound');
	});

	it('writes over HTTP: POST draft, PATCH bumps lastModified and changeKey, move changes id, DELETE', async () => {
		const auth = { Authorization: `Bearer ${h.token}`, 'Content-Type': 'application/json' };
		const post = await fetch(`${h.sim.graphUrl}/me/messages`, { method: 'POST', headers: auth, body: JSON.stringify({ subject: 'draft' }) });
		assert.equal(post.status, 201);
		const draft = (await post.json()) as Record<string, string | boolean>;
		assert.equal(draft.isDraft, true);
		assert.equal(draft.parentFolderId, h.sim.folderId('drafts'));
		h.nowMs = T0 + 7_000;
		const patch = await fetch(`${h.sim.graphUrl}/me/messages/${draft.id}`, { method: 'PATCH', headers: auth, body: JSON.stringify({ isRead: true }) });
		const patched = (await patch.json()) as Record<string, string | boolean>;
		assert.equal(patched.lastModifiedDateTime, '2026-11-28T10:00:07Z');
		assert.notEqual(patched.changeKey, draft.changeKey);
		assert.equal(patched.receivedDateTime, draft.receivedDateTime);
		const bad = await fetch(`${h.sim.graphUrl}/me/messages/${draft.id}`, { method: 'PATCH', headers: auth, body: JSON.stringify({ nope: 1 }) });
		assert.equal(bad.status, 400);
		const move = await fetch(`${h.sim.graphUrl}/me/messages/${draft.id}/move`, { method: 'POST', headers: auth, body: JSON.stringify({ destinationId: 'inbox' }) });
		const moved = (await move.json()) as Record<string, string>;
		assert.notEqual(moved.id, draft.id);
		assert.equal(moved.parentFolderId, h.sim.folderId('inbox'));
		assert.equal(h.sim.getMessage(draft.id as string), undefined);
		const del = await fetch(`${h.sim.graphUrl}/me/messages/${moved.id}`, { method: 'DELETE', headers: auth });
		assert.equal(del.status, 204);
		assert.equal(h.sim.list('messages').length, 0);
	});

	it('moveMessage and updateMessage through the API keep the truth consistent', () => {
		const m = h.sim.createMessage({ subject: 'x' });
		const moved = h.sim.moveMessage(m.id, 'archive', { at: T0 + 3000 });
		assert.notEqual(moved.id, m.id);
		assert.equal(moved.lastModifiedDateTime, '2026-11-28T10:00:03Z');
		assert.throws(() => h.sim.updateMessage(m.id, { isRead: true }), /not found/);
		const read = h.sim.updateMessage(moved.id, { isRead: true, categories: ['Blue'] }, { at: T0 + 4000 });
		assert.equal(read.lastModifiedDateTime, '2026-11-28T10:00:04Z');
		assert.deepEqual(h.sim.list('messages', { folder: 'archive' }).map((x) => x.categories), [['Blue']]);
	});
});

describe('Graph simulator: auth', () => {
	const h = new Harness();
	before(() => h.start());
	after(() => h.sim.stop());

	it('answers 401 InvalidAuthenticationToken without, with unknown and with expired tokens', async () => {
		const none = await fetch(`${h.sim.graphUrl}/me/messages`);
		assert.equal(none.status, 401);
		assert.ok(none.headers.get('www-authenticate')?.startsWith('Bearer'));
		const noneBody = (await none.json()) as GraphErrorBody;
		assert.deepEqual([noneBody.error.code, noneBody.error.message], ['InvalidAuthenticationToken', 'Access token is empty.']);
		assert.ok(noneBody.error.innerError?.['request-id']);
		const unknown = await fetch(`${h.sim.graphUrl}/me/messages`, { headers: { Authorization: 'Bearer nope' } });
		assert.equal(unknown.status, 401);
		const tokens = h.sim.issueTokens();
		const ok = await fetch(`${h.sim.graphUrl}/me`, { headers: { Authorization: `Bearer ${tokens.access_token}` } });
		assert.equal(ok.status, 200);
		assert.equal(((await ok.json()) as { id: string }).id, h.sim.user.id);
		h.sim.expireAccessTokens();
		const expired = await fetch(`${h.sim.graphUrl}/me/messages`, { headers: { Authorization: `Bearer ${tokens.access_token}` } });
		assert.equal(expired.status, 401);
		assert.match(((await expired.json()) as GraphErrorBody).error.message, /expired/);
		assert.ok(h.sim.requests.some((r) => r.authorized) && h.sim.requests.some((r) => !r.authorized));
		assert.ok(!JSON.stringify(h.sim.requests).includes(tokens.access_token), 'tokens never logged');
	});

	it('refreshes via /token: rotated refresh token, working access token, counted', async () => {
		const seeded = h.sim.issueTokens();
		h.sim.expireAccessTokens();
		const before = h.sim.tokenRequests;
		const res = await fetch(`${h.sim.loginBaseUrl}/common/oauth2/v2.0/token`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: seeded.refresh_token, client_id: 'graph-simulator-client', client_secret: 's' }),
		});
		const body = (await res.json()) as Record<string, string | number>;
		assert.equal(res.status, 200, JSON.stringify(body));
		assert.equal(body.token_type, 'Bearer');
		assert.equal(typeof body.expires_in, 'number');
		assert.notEqual(body.refresh_token, seeded.refresh_token);
		assert.match(body.scope as string, /https:\/\/graph\.microsoft\.com\/Mail\.Read/);
		assert.equal(h.sim.tokenRequests, before + 1);
		const graph = await fetch(`${h.sim.graphUrl}/me/messages`, { headers: { Authorization: `Bearer ${body.access_token}` } });
		assert.equal(graph.status, 200);
		const bound = h.sim.issueTokens(undefined, 'app-1');
		const wrongClient = await fetch(`${h.sim.loginBaseUrl}/common/oauth2/v2.0/token`, {
			method: 'POST',
			body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: bound.refresh_token, client_id: 'app-2', client_secret: 's' }),
		});
		assert.equal(wrongClient.status, 400, 'refresh tokens bound to a client stay with it');
		const bad = await fetch(`${h.sim.loginBaseUrl}/common/oauth2/v2.0/token`, {
			method: 'POST',
			body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: 'nope', client_id: 'graph-simulator-client', client_secret: 's' }),
		});
		assert.equal(bad.status, 400);
		assert.equal(((await bad.json()) as { error: string }).error, 'invalid_grant');
		const log = JSON.stringify(h.sim.requests);
		assert.ok(!log.includes(body.access_token as string) && !log.includes(seeded.refresh_token));
	});

	it('runs the authorization-code flow with state, PKCE, single-use codes and Basic client auth', async () => {
		const verifier = 'v'.repeat(50);
		const challenge = createHash('sha256').update(verifier).digest('base64url');
		const authorize = new URL(`${h.sim.loginBaseUrl}/organizations/oauth2/v2.0/authorize`);
		const redirect = 'http://127.0.0.1:5678/rest/oauth2-credential/callback';
		authorize.search = new URLSearchParams({
			client_id: 'app',
			response_type: 'code',
			redirect_uri: redirect,
			scope: 'openid offline_access Mail.Read',
			state: 'xyz',
			code_challenge: challenge,
			code_challenge_method: 'S256',
		}).toString();
		const res = await fetch(authorize, { redirect: 'manual' });
		assert.equal(res.status, 302);
		const location = new URL(res.headers.get('location') as string);
		assert.equal(`${location.origin}${location.pathname}`, redirect);
		assert.equal(location.searchParams.get('state'), 'xyz');
		const code = location.searchParams.get('code') as string;
		const exchange = (): Promise<Response> =>
			fetch(`${h.sim.loginBaseUrl}/organizations/oauth2/v2.0/token`, {
				method: 'POST',
				headers: { Authorization: `Basic ${Buffer.from('app:secret').toString('base64')}` },
				body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirect, code_verifier: verifier }),
			});
		const first = await exchange();
		const tokens = (await first.json()) as Record<string, string>;
		assert.equal(first.status, 200, JSON.stringify(tokens));
		assert.ok(tokens.access_token && tokens.refresh_token);
		assert.equal(tokens.scope, 'https://graph.microsoft.com/Mail.Read');
		assert.equal((await exchange()).status, 400, 'codes are single use');
		assert.ok(!JSON.stringify(h.sim.requests).includes(code), 'codes are redacted in the log');
	});
});

describe('Graph simulator: faults and latency', () => {
	const h = new Harness();
	before(() => h.start());
	after(() => h.sim.stop());
	beforeEach(() => {
		h.sim.reset();
		for (let i = 0; i < 5; i++) h.sim.createMessage({ subject: `m${i}` }, { at: T0 + i * 1000 });
	});

	it('429 with Retry-After and a Graph throttling body, once', async () => {
		h.sim.injectFault({ kind: 'status', status: 429, retryAfterSeconds: 3, path: '/me/messages' });
		const res = await h.get('/me/messages');
		assert.equal(res.status, 429);
		assert.equal(res.headers.get('retry-after'), '3');
		const body = (await res.json()) as GraphErrorBody;
		assert.equal(body.error.code, 'TooManyRequests');
		assert.equal(body.error.innerError?.code, 'ApplicationThrottled');
		assert.equal((await h.get('/me/messages')).status, 200);
		h.sim.injectFault({ kind: 'status', status: 429, code: 'ApplicationThrottled' });
		const outlook = (await (await h.get('/me/messages')).json()) as GraphErrorBody;
		assert.deepEqual([outlook.error.code, outlook.error.message], ['ApplicationThrottled', 'Application is over its MailboxConcurrency limit.']);
		assert.equal(h.sim.requests.filter((r) => r.fault !== undefined).length, 2);
	});

	it('503 and 504 for `times` requests matching method and path', async () => {
		h.sim.injectFault({ kind: 'status', status: 503, times: 2, method: 'GET', path: /\/mailFolders\/inbox\/messages/ });
		assert.equal((await h.get('/me/messages')).status, 200, 'other path unaffected');
		assert.equal((await h.get('/me/mailFolders/inbox/messages')).status, 503);
		assert.equal((await h.get('/me/mailFolders/inbox/messages')).status, 503);
		assert.equal((await h.get('/me/mailFolders/inbox/messages')).status, 200);
		h.sim.injectFault({ kind: 'status', status: 504 });
		assert.equal(((await (await h.get('/me/messages')).json()) as GraphErrorBody).error.code, 'UnknownError');
	});

	it('afterRequests lands a failure mid-paging; drop destroys the socket', async () => {
		h.sim.injectFault({ kind: 'status', status: 500, afterRequests: 2, path: '/me/messages' });
		const first = await h.page('/me/messages', { $top: '2' });
		const second = await fetch(first['@odata.nextLink'] as string, { headers: { Authorization: `Bearer ${h.token}` } });
		assert.equal(second.status, 200);
		const third = await fetch(((await second.json()) as Page)['@odata.nextLink'] as string, { headers: { Authorization: `Bearer ${h.token}` } });
		assert.equal(third.status, 500);
		h.sim.injectFault({ kind: 'drop', path: '$skip=' });
		await assert.rejects(fetch(first['@odata.nextLink'] as string, { headers: { Authorization: `Bearer ${h.token}` } }));
		assert.equal((await h.get('/me/messages')).status, 200, 'next request works again');
	});

	it('delay faults and the latency option slow answers down', async () => {
		h.sim.injectFault({ kind: 'delay', ms: 120 });
		let t = Date.now();
		assert.equal((await h.get('/me/messages')).status, 200);
		assert.ok(Date.now() - t >= 110);
		h.sim.latencyMs = 50;
		t = Date.now();
		await h.get('/me/messages');
		assert.ok(Date.now() - t >= 45);
		h.sim.latencyMs = 0;
	});
});

describe('Graph simulator: admin API', () => {
	const h = new Harness();
	before(() => h.start());
	after(() => h.sim.stop());

	it('creates, updates, moves, deletes and lists items; seeds; folders; faults; log; tokens; latency; reset', async () => {
		h.sim.reset();
		const created = await h.admin('POST', '/items/messages', { fields: { subject: 'via admin' }, folder: 'inbox', at: T0 + 2000 });
		assert.equal(created.status, 201);
		const msg = created.json as Record<string, string>;
		assert.equal(msg.receivedDateTime, '2026-11-28T10:00:02Z');
		const patched = await h.admin('PATCH', `/items/messages/${encodeURIComponent(msg.id)}`, { patch: { isRead: true }, at: T0 + 3000 });
		assert.equal((patched.json as Record<string, string>).lastModifiedDateTime, '2026-11-28T10:00:03Z');
		const moved = await h.admin('POST', `/items/messages/${encodeURIComponent(msg.id)}/move`, { folder: 'archive' });
		const movedId = (moved.json as Record<string, string>).id;
		assert.notEqual(movedId, msg.id);
		assert.equal((await h.admin('POST', '/items/events', { fields: { subject: 'e' }, visibleAfterMs: 60_000 })).status, 201);
		const events = (await h.admin('GET', '/items/events')).json as { value: unknown[]; notYetVisible: string[] };
		assert.equal(events.value.length, 1);
		assert.equal(events.notYetVisible.length, 1);
		assert.deepEqual((await h.admin('POST', '/seed', { collection: 'contacts', count: 3 })).json, { created: 3 });
		assert.equal((await h.admin('POST', '/folders', { displayName: 'Receipts', parent: 'inbox' })).status, 201);
		const folders = (await h.admin('GET', '/folders')).json as { value: Array<{ displayName: string; childFolderCount: number }> };
		assert.equal(folders.value.find((f) => f.displayName === 'Inbox')?.childFolderCount, 1);

		const fault = await h.admin('POST', '/faults', { kind: 'status', status: 429, retryAfterSeconds: 1, pathRegex: 'contacts$' });
		assert.equal(fault.status, 201);
		assert.equal((await h.get('/me/contacts')).status, 429);
		assert.equal((await h.admin('POST', '/faults', { kind: 'status', status: 503, times: 99 })).status, 201);
		assert.equal(((await h.admin('GET', '/faults')).json as { value: unknown[] }).value.length, 1);
		assert.equal((await h.admin('DELETE', '/faults')).status, 204);
		assert.equal((await h.get('/me/contacts')).status, 200);
		const log = (await h.admin('GET', '/requests?since=0')).json as { value: Array<{ path: string; status: number }> };
		assert.deepEqual(log.value.slice(-2).map((r) => r.status), [429, 200]);
		assert.equal((await h.admin('POST', '/faults', { kind: 'bogus' })).status, 400);

		const tokens = (await h.admin('POST', '/tokens')).json as { access_token: string };
		assert.equal((await fetch(`${h.sim.graphUrl}/me/events`, { headers: { Authorization: `Bearer ${tokens.access_token}` } })).status, 200);
		assert.equal((await h.admin('POST', '/tokens/expire')).status, 204);
		assert.equal((await fetch(`${h.sim.graphUrl}/me/events`, { headers: { Authorization: `Bearer ${tokens.access_token}` } })).status, 401);
		h.token = h.sim.issueTokens().access_token;

		assert.deepEqual((await h.admin('PUT', '/latency', { ms: 5 })).json, { latencyMs: 5 });
		assert.equal(h.sim.latencyMs, 5);
		await h.admin('PUT', '/latency', { ms: 0 });
		assert.equal((await h.admin('DELETE', `/items/messages/${encodeURIComponent(movedId)}`)).status, 204);
		assert.equal((await h.admin('DELETE', `/items/messages/${encodeURIComponent(movedId)}`)).status, 404);
		const state = (await h.admin('GET', '/state')).json as { counts: Record<string, number> };
		assert.deepEqual(state.counts, { messages: 0, events: 1, contacts: 3, driveItems: 0 });
		assert.equal((await h.admin('POST', '/reset')).status, 204);
		assert.deepEqual(h.sim.state().counts, { messages: 0, events: 0, contacts: 0, driveItems: 0 });
		assert.equal(h.sim.requests.length, 0);
		assert.equal((await h.get('/me/events')).status, 200, 'reset keeps tokens unless asked');
		assert.equal((await h.admin('GET', '/nope')).status, 404);
	});
});

describe('Graph simulator: scale', () => {
	it('pages 30k messages 1000 at a time with a filter and order in linear time', async () => {
		const sim = new GraphSimulator();
		await sim.start();
		try {
			sim.seed('messages', 30_000, { startAt: T0, stepMs: 500 });
			const token = sim.issueTokens().access_token;
			const started = Date.now();
			const url = new URL(`${sim.graphUrl}/me/messages`);
			url.search = new URLSearchParams({
				$filter: 'lastModifiedDateTime ge 2026-11-28T10:00:00Z',
				$orderby: 'lastModifiedDateTime asc',
				$top: '1000',
				$select: 'id,lastModifiedDateTime',
			}).toString();
			let next: string | undefined = url.toString();
			const seen = new Set<string>();
			while (next !== undefined) {
				const page = (await (await fetch(next, { headers: { Authorization: `Bearer ${token}` } })).json()) as Page;
				for (const m of page.value) seen.add(m.id as string);
				next = page['@odata.nextLink'];
			}
			assert.equal(seen.size, 30_000);
			assert.ok(Date.now() - started < 15_000, `took ${Date.now() - started} ms`);
		} finally {
			await sim.stop();
		}
	});
});

describe('Graph simulator: CLI', () => {
	it('prints one JSON line when listening, serves seeded data and stops on SIGTERM', async () => {
		const cli = path.join(__dirname, '..', 'graph-simulator', 'cli.ts');
		const child = spawn(process.execPath, ['--import', 'tsx', cli, '--port', '0', '--seed-messages', '12', '--latency', '1'], {
			cwd: path.join(__dirname, '..', '..'),
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		try {
			const line = await new Promise<string>((resolve, reject) => {
				let out = '';
				const timer = setTimeout(() => reject(new Error('CLI did not print its JSON line within 20 s')), 20_000);
				child.stdout.on('data', (chunk: Buffer) => {
					out += chunk.toString();
					const nl = out.indexOf('\n');
					if (nl >= 0) {
						clearTimeout(timer);
						resolve(out.slice(0, nl));
					}
				});
				child.once('exit', (code) => reject(new Error(`CLI exited early with ${String(code)}`)));
			});
			const info = JSON.parse(line) as { baseUrl: string; loginBaseUrl: string; adminUrl: string };
			assert.match(info.baseUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
			assert.equal(info.loginBaseUrl, `${info.baseUrl}/login`);
			assert.equal(info.adminUrl, `${info.baseUrl}/_sim`);
			const tokens = (await (await fetch(`${info.adminUrl}/tokens`, { method: 'POST' })).json()) as { access_token: string };
			const page = (await (await fetch(`${info.baseUrl}/v1.0/me/messages?$top=5&$count=true`, { headers: { Authorization: `Bearer ${tokens.access_token}` } })).json()) as Page;
			assert.equal(page['@odata.count'], 12);
			const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
			child.kill('SIGTERM');
			assert.equal(await exited, 0);
		} finally {
			if (child.exitCode === null) child.kill('SIGKILL');
		}
	});
});
