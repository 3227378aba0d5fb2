import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { classifyChange } from '../../nodes/Office365/trigger/eventShape';
import { RecordError } from '../../nodes/Office365/trigger/errors';
import { fetchNewestEvents } from '../../nodes/Office365/trigger/newestEvents';
import { fingerprint, type TimestampTrackerState } from '../../nodes/Office365/trigger/pollState';
import { buildPollConfig } from '../../nodes/Office365/trigger/triggerConfig';
import type { TriggerParameters } from '../../nodes/Office365/trigger/triggerParameters';
import type { FetchPage } from '../../nodes/Office365/trigger/windowReader';
import { pollAt } from '../support/pollCycleRunner';

/** A minimal Graph-like list: ge filter on lastModifiedDateTime, ascending order, offset pages. */
class FakeMailbox {
	records: Array<Record<string, unknown>> = [];
	requests: Array<{ url: string; qs?: Record<string, string> }> = [];
	nowMs = Date.UTC(2026, 10, 28, 10, 0, 0);

	put(id: string, modifiedMs: number, receivedMs = modifiedMs): void {
		this.records = this.records.filter((r) => r.id !== id);
		this.records.push({
			id,
			subject: `subject ${id}`,
			lastModifiedDateTime: new Date(modifiedMs).toISOString().replace('.000Z', 'Z'),
			receivedDateTime: new Date(receivedMs).toISOString().replace('.000Z', 'Z'),
		});
	}

	fetch: FetchPage = async (request) => {
		this.requests.push(request);
		const url = new URL(request.url, 'http://fake');
		const qs = request.qs ?? Object.fromEntries(url.searchParams);
		const since = /ge (\S+)/.exec(qs.$filter ?? '')?.[1];
		const sinceMs = since ? Date.parse(since) : -Infinity;
		const top = Number(qs.$top ?? 10);
		const skip = Number(qs.$skip ?? 0);
		const matching = this.records
			// Unparsable stamps stay in (a non-Graph API would not filter them out either).
			.filter((r) => !(Date.parse(r.lastModifiedDateTime as string) < sinceMs))
			.sort((a, b) => Date.parse(a.lastModifiedDateTime as string) - Date.parse(b.lastModifiedDateTime as string));
		const page = matching.slice(skip, skip + top);
		const nextQs = new URLSearchParams({ ...qs, $skip: String(skip + top) });
		return {
			records: page,
			nextLink: skip + top < matching.length ? `/me/messages?${nextQs}` : undefined,
			serverTimeMs: this.nowMs,
		};
	};
}

const params = (options: TriggerParameters['options'] = {}, eventTypes?: string[]): TriggerParameters => ({
	resource: 'messages',
	eventTypes,
	options: { pollDelay: 60, ...options },
});

async function poll(mailbox: FakeMailbox, state: TimestampTrackerState | undefined, options?: TriggerParameters['options'], eventTypes?: string[]) {
	return await pollAt(buildPollConfig(params(options, eventTypes)), state, mailbox.fetch, mailbox.nowMs);
}

describe('runPollCycle', () => {
	it('first poll seeds without events and ignores what existed before', async () => {
		const box = new FakeMailbox();
		box.put('old-1', box.nowMs - 3_600_000);
		box.put('recent-1', box.nowMs - 10_000);
		const first = await poll(box, undefined);
		assert.equal(first.seeded, true);
		assert.deepEqual(first.events, []);
		assert.equal(first.requests, 1);
		assert.ok(first.tracker.seen[fingerprint('recent-1')], 'records inside the look-back are remembered');
		box.nowMs += 60_000;
		const second = await poll(box, first.tracker);
		assert.deepEqual(second.events, [], 'records from before activation are not emitted later');
	});

	it('emits each change once, CREATED then UPDATED, across overlapping windows', async () => {
		const box = new FakeMailbox();
		let state = (await poll(box, undefined)).tracker;
		box.nowMs += 60_000;
		box.put('m1', box.nowMs - 5_000);
		let result = await poll(box, state);
		assert.deepEqual(result.events.map((e) => [e.eventType, e.objectId]), [['CREATED', 'm1']]);
		assert.equal(result.events[0].elementKey, 'office365');
		assert.equal(result.events[0].objectType, 'messages');
		assert.equal(result.events[0].date, new Date(box.nowMs - 5_000).toISOString());
		state = result.tracker;
		box.nowMs += 60_000;
		result = await poll(box, state);
		assert.deepEqual(result.events, [], 'the look-back re-reads m1 but does not emit it again');
		assert.equal(result.requests, 1, 'an idle poll is one request');
		state = result.tracker;
		box.put('m1', box.nowMs - 1_000, box.nowMs - 65_000);
		box.nowMs += 60_000;
		result = await poll(box, state);
		assert.deepEqual(result.events.map((e) => [e.eventType, e.objectId]), [['UPDATED', 'm1']]);
	});

	it('re-running a poll on the same stored state emits the same events, on the new state nothing', async () => {
		const box = new FakeMailbox();
		const seed = (await poll(box, undefined)).tracker;
		box.nowMs += 60_000;
		for (let i = 0; i < 5; i++) box.put(`b${i}`, box.nowMs - 2_000);
		const a = await poll(box, seed);
		const b = await poll(box, seed);
		assert.deepEqual(a.events.map((e) => e.objectId), b.events.map((e) => e.objectId));
		const c = await poll(box, a.tracker);
		assert.deepEqual(c.events, []);
	});

	it('drains a backlog over several polls, oldest first, without loss or repeat, same-second ties included', async () => {
		const box = new FakeMailbox();
		let state = (await poll(box, undefined, { pageSize: 7, maxEventsPerPoll: 10 })).tracker;
		box.nowMs += 60_000;
		const second = box.nowMs - 30_000;
		for (let i = 0; i < 25; i++) box.put(`same-${String(i).padStart(2, '0')}`, second); // one-second burst
		for (let i = 0; i < 8; i++) box.put(`later-${i}`, second + 1_000 + i);
		const emitted: string[] = [];
		for (let round = 0; round < 6; round++) {
			const result = await poll(box, state, { pageSize: 7, maxEventsPerPoll: 10 });
			emitted.push(...result.events.map((e) => e.objectId));
			assert.ok(result.events.length <= 10);
			state = result.tracker;
			box.nowMs += 60_000;
		}
		assert.equal(emitted.length, 33);
		assert.equal(new Set(emitted).size, 33);
	});

	it('catches a record that becomes visible late, within pollDelay', async () => {
		const box = new FakeMailbox();
		let state = (await poll(box, undefined)).tracker;
		box.nowMs += 60_000;
		box.put('visible', box.nowMs - 1_000);
		state = (await poll(box, state)).tracker;
		// Stamped 20 s before the previous poll but only now visible:
		box.put('late', box.nowMs - 20_000);
		box.nowMs += 60_000;
		const result = await poll(box, state);
		assert.deepEqual(result.events.map((e) => e.objectId), ['late']);
	});

	it('keeps the stored state small: only the look-back window is remembered', async () => {
		const box = new FakeMailbox();
		let state = (await poll(box, undefined)).tracker;
		box.nowMs += 60_000;
		for (let i = 0; i < 300; i++) box.put(`x${i}`, box.nowMs - 1_000);
		state = (await poll(box, state)).tracker;
		assert.equal(Object.keys(state.seen).length, 300);
		box.nowMs += 5 * 60_000;
		state = (await poll(box, state)).tracker;
		assert.equal(Object.keys(state.seen).length, 0);
		assert.ok(JSON.stringify(state).length < 400);
	});

	it('only CREATED: windows on receivedDateTime and never reports updates', async () => {
		const box = new FakeMailbox();
		let state = (await poll(box, undefined, {}, ['created'])).tracker;
		box.nowMs += 60_000;
		box.put('n1', box.nowMs - 3_000);
		let result = await poll(box, state, {}, ['created']);
		assert.deepEqual(result.events.map((e) => e.eventType), ['CREATED']);
		state = result.tracker;
		box.put('n1', box.nowMs + 1_000, box.nowMs - 3_000);
		box.nowMs += 60_000;
		result = await poll(box, state, {}, ['created']);
		assert.deepEqual(result.events, []);
	});

	it('a record without its id or with an unparsable date is a clear error naming it', async () => {
		const box = new FakeMailbox();
		const state = (await poll(box, undefined)).tracker;
		box.records.push({ id: 'bad-date', lastModifiedDateTime: 'yesterday', receivedDateTime: 'yesterday' });
		await assert.rejects(poll(box, state), (error: unknown) => {
			assert.ok(error instanceof RecordError);
			assert.match(error.message, /bad-date/);
			assert.match(error.message, /yesterday/);
			assert.match(error.message, /lastModifiedDateTime/);
			return true;
		});
	});

	it('manual mode asks Graph for the newest record sorted descending and picks the newest of what comes back', async () => {
		const box = new FakeMailbox();
		box.put('older', box.nowMs - 50_000);
		box.put('newest', box.nowMs - 1_000);
		box.put('middle', box.nowMs - 20_000);
		const config = buildPollConfig(params());
		const events = await fetchNewestEvents(config, async (request) => {
			assert.equal(request.qs?.$orderby, 'lastModifiedDateTime desc');
			assert.equal(request.qs?.$top, '1');
			// A server (or a custom collection) that ignores the order: the newest must still win.
			return { records: box.records };
		}, box.nowMs);
		assert.deepEqual(events.map((e) => e.objectId), ['newest']);
	});
});

describe('classifyChange', () => {
	const base = { seenBefore: false, toleranceMs: 2000, trackingCreated: false };
	it('follows Open Connectors: equal dates within the tolerance mean CREATED', () => {
		assert.equal(classifyChange({ ...base, createdMs: 1000, updatedMs: 2500 }), 'CREATED');
		assert.equal(classifyChange({ ...base, createdMs: 1000, updatedMs: 9000 }), 'UPDATED');
	});
	it('the tolerance is inclusive: exactly createdCheckTolerance apart is still CREATED, a millisecond more is not', () => {
		assert.equal(classifyChange({ ...base, createdMs: 1000, updatedMs: 3000 }), 'CREATED');
		assert.equal(classifyChange({ ...base, createdMs: 3000, updatedMs: 1000 }), 'CREATED');
		assert.equal(classifyChange({ ...base, createdMs: 1000, updatedMs: 3001 }), 'UPDATED');
	});
	it('a record created inside the remembered window but not remembered is CREATED even if already modified', () => {
		assert.equal(classifyChange({ ...base, createdMs: 10_000, updatedMs: 90_000, rememberedSinceMs: 10_000 }), 'CREATED');
		assert.equal(classifyChange({ ...base, createdMs: 9_999, updatedMs: 90_000, rememberedSinceMs: 10_000 }), 'UPDATED');
	});
	it('a record processed before is UPDATED', () => {
		assert.equal(classifyChange({ ...base, seenBefore: true, createdMs: 10_000, updatedMs: 10_000 }), 'UPDATED');
	});
	it('without a created date everything is UPDATED', () => {
		assert.equal(classifyChange({ ...base, updatedMs: 10_000 }), 'UPDATED');
	});
});

