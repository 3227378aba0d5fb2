// Admin routes of the Graph simulator used from another process (the benchmark): the movable clock
// (`clockOffsetMs` in-process, `PUT /_sim/clock` over HTTP) and the field-projected truth list.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { GraphSimulator } from '../graph-simulator/index';

const T0 = Date.UTC(2026, 10, 28, 10, 0, 0);
const MINUTE = 60_000;

describe('Graph simulator: clock offset', () => {
	const sim = new GraphSimulator({ now: () => T0 });
	let token = '';

	before(async () => {
		await sim.start();
		token = sim.issueTokens().access_token;
	});
	after(async () => {
		await sim.stop();
	});

	async function admin(method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
		const res = await fetch(`${sim.adminUrl}${path}`, {
			method,
			headers: { 'Content-Type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		return { status: res.status, json: (await res.json()) as Record<string, unknown> };
	}

	it('starts at the base clock and reports it', async () => {
		assert.equal(sim.clock(), T0);
		assert.deepEqual((await admin('GET', '/clock')).json, { offsetMs: 0, now: T0 });
	});

	it('PUT /_sim/clock moves stamps, the Date header and late visibility; setting 0 moves it back', async () => {
		const hidden = sim.createMessage({ subject: 'late' }, { at: T0, visibleAt: T0 + 5 * MINUTE });
		const moved = await admin('PUT', '/clock', { offsetMs: 10 * MINUTE });
		assert.equal(moved.status, 200);
		assert.deepEqual(moved.json, { offsetMs: 10 * MINUTE, now: T0 + 10 * MINUTE });
		assert.equal(sim.clockOffsetMs, 10 * MINUTE);

		const created = sim.createMessage({ subject: 'after the jump' });
		assert.equal(created.receivedDateTime, '2026-11-28T10:10:00Z');
		const res = await fetch(`${sim.graphUrl}/me/messages?$top=10`, { headers: { Authorization: `Bearer ${token}` } });
		assert.equal(res.status, 200);
		assert.equal(Date.parse(res.headers.get('date') ?? ''), T0 + 10 * MINUTE);
		const ids = ((await res.json()) as { value: Array<{ id: string }> }).value.map((m) => m.id);
		assert.ok(ids.includes(hidden.id), 'visibleAt passed on the moved clock');

		assert.deepEqual((await admin('PUT', '/clock', { offsetMs: 0 })).json, { offsetMs: 0, now: T0 });
		assert.equal(sim.createMessage().receivedDateTime, '2026-11-28T10:00:00Z');
	});

	it('rejects a missing or non-numeric offset with 400 and keeps the clock', async () => {
		for (const body of [{}, { offsetMs: 'soon' }]) {
			const res = await admin('PUT', '/clock', body);
			assert.equal(res.status, 400);
			assert.equal((res.json.error as { code: string }).code, 'BadRequest');
		}
		assert.equal(sim.clock(), T0);
	});

	it('takes the offset as a constructor option', () => {
		assert.equal(new GraphSimulator({ now: () => T0, clockOffsetMs: MINUTE }).clock(), T0 + MINUTE);
	});
});

describe('Graph simulator: truth list with selected fields', () => {
	const sim = new GraphSimulator({ now: () => T0 });

	before(async () => {
		await sim.start();
	});
	after(async () => {
		await sim.stop();
	});

	it('GET /_sim/items/messages?fields=… returns every item, hidden ones included, with only those fields', async () => {
		const visible = sim.createMessage({ subject: 'seen' });
		const hidden = sim.createMessage({ subject: 'late' }, { visibleAt: T0 + MINUTE });
		const res = await fetch(`${sim.adminUrl}/items/messages?fields=id,lastModifiedDateTime`);
		assert.equal(res.status, 200);
		const body = (await res.json()) as { value: Array<Record<string, unknown>>; notYetVisible: string[] };
		assert.deepEqual(body.value, [
			{ id: visible.id, lastModifiedDateTime: visible.lastModifiedDateTime },
			{ id: hidden.id, lastModifiedDateTime: hidden.lastModifiedDateTime },
		]);
		assert.deepEqual(body.notYetVisible, [hidden.id]);
		const full = (await (await fetch(`${sim.adminUrl}/items/messages`)).json()) as { value: Array<Record<string, unknown>> };
		assert.equal(full.value[0].subject, 'seen', 'without fields the whole item');
	});
});
