// The poll cycle's state handling as the benchmark tuned it: the stored state is read, never
// written (a replayed poll sees the same input), the next `seen` keeps exactly the look-back, and
// fingerprints stay what earlier versions stored.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';

import { fingerprint, type TimestampTrackerState } from '../../nodes/Office365/trigger/pollState';
import { buildPollConfig } from '../../nodes/Office365/trigger/triggerConfig';
import type { FetchPage } from '../../nodes/Office365/trigger/windowReader';
import { pollAt } from '../support/pollCycleRunner';

const T0 = Date.UTC(2026, 10, 28, 10, 0, 0);
const SECOND = 1000;
const config = buildPollConfig({ resource: 'messages', eventTypes: ['created', 'updated'], options: { pollDelay: 60 } });

interface Mail {
	id: string;
	modifiedMs: number;
	receivedMs: number;
}

const stamp = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`;

/** One page holding every mail changed at or after the window start, oldest first. */
function listing(mails: Mail[], serverTimeMs: number): FetchPage {
	return async (request) => {
		const since = Date.parse(/ge (\S+)/.exec(request.qs?.$filter ?? '')?.[1] ?? '');
		const records = mails
			.filter((mail) => Number.isNaN(since) || mail.modifiedMs >= since)
			.sort((a, b) => a.modifiedMs - b.modifiedMs)
			.map((mail) => ({ id: mail.id, lastModifiedDateTime: stamp(mail.modifiedMs), receivedDateTime: stamp(mail.receivedMs) }));
		return { records, serverTimeMs };
	};
}

describe('runPollCycle state handling', () => {
	it('never writes into the stored state: replaying a poll from the same state gives the same result', async () => {
		const old = { id: 'old', modifiedMs: T0 - 10 * SECOND, receivedMs: T0 - 10 * SECOND };
		const kept = { id: 'kept', modifiedMs: T0 + 50 * SECOND, receivedMs: T0 + 50 * SECOND };
		const quiet = { id: 'quiet', modifiedMs: T0 + 55 * SECOND, receivedMs: T0 + 55 * SECOND };
		const seeded = await pollAt(config, undefined, listing([old, kept, quiet], T0 + 60 * SECOND), T0 + 60 * SECOND);
		const stored = structuredClone(seeded.tracker) as TimestampTrackerState;
		const snapshot = structuredClone(stored);
		assert.deepEqual(Object.keys(stored.seen).sort(), [fingerprint('kept'), fingerprint('quiet')].sort());

		// Later: "kept" changes again, a new mail arrives, and "quiet" falls out of the look-back.
		const mails = [old, quiet, { ...kept, modifiedMs: T0 + 100 * SECOND }, { id: 'new', modifiedMs: T0 + 110 * SECOND, receivedMs: T0 + 110 * SECOND }];
		const first = await pollAt(config, stored, listing(mails, T0 + 130 * SECOND), T0 + 130 * SECOND);
		assert.deepEqual(stored, snapshot, 'the stored state is untouched');
		const replay = await pollAt(config, stored, listing(mails, T0 + 130 * SECOND), T0 + 130 * SECOND);
		assert.deepEqual(replay, first);

		assert.deepEqual(
			first.events.map((event) => [event.objectId, event.eventType]),
			[
				['kept', 'UPDATED'],
				['new', 'CREATED'],
			],
		);
		const pruneBelow = Date.parse(first.tracker.rememberedSince);
		assert.deepEqual(first.tracker.seen, {
			[fingerprint('kept')]: T0 + 100 * SECOND,
			[fingerprint('new')]: T0 + 110 * SECOND,
		});
		assert.ok(Object.values(first.tracker.seen).every((ms) => ms >= pruneBelow));
		assert.notEqual(first.tracker.seen, stored.seen, 'a new object, not the stored one');
	});

	it('keeps the fingerprint format of stored state: the first 16 base64url characters of SHA-1', () => {
		const id = 'AAMkAGI2TG93AAA=';
		assert.equal(fingerprint(id), createHash('sha1').update(id).digest('base64url').slice(0, 16));
		assert.match(fingerprint(id), /^[A-Za-z0-9_-]{16}$/);
	});
});
