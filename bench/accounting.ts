/**
 * Events against the simulator's truth. A message created after activation must be announced
 * once as CREATED; one that existed before and whose lastModifiedDateTime moved, once as
 * UPDATED. The peer announces received mail (no type): it matches CREATED only.
 */
import type { SimMessage } from './simulatorProcess';
import type { EmittedEvent } from './triggers';

export type ExpectedChange = 'CREATED' | 'UPDATED';

export interface Accounting {
	events: number;
	/** Expected changes never announced. */
	lost: number;
	/** Announcements beyond the first of a change, plus announcements of nothing that changed. */
	duplicated: number;
	/** Announced once, but as the wrong kind of change. */
	wrongType: number;
}

export function expectedChanges(before: SimMessage[], after: SimMessage[]): Map<string, ExpectedChange> {
	const previous = new Map(before.map((message) => [message.id, message.lastModifiedDateTime]));
	const expected = new Map<string, ExpectedChange>();
	for (const message of after) {
		const stamp = previous.get(message.id);
		if (stamp === undefined) expected.set(message.id, 'CREATED');
		else if (stamp !== message.lastModifiedDateTime) expected.set(message.id, 'UPDATED');
	}
	return expected;
}

export function account(expected: Map<string, ExpectedChange>, emitted: EmittedEvent[]): Accounting {
	const seen = new Map<string, number>();
	let duplicated = 0;
	let wrongType = 0;
	for (const event of emitted) {
		const count = (seen.get(event.id) ?? 0) + 1;
		seen.set(event.id, count);
		const change = expected.get(event.id);
		if (change === undefined || count > 1) {
			duplicated++;
			continue;
		}
		const matches = event.type === change || (event.type === 'RECEIVED' && change === 'CREATED');
		if (!matches) wrongType++;
	}
	let lost = 0;
	for (const id of expected.keys()) if (!seen.has(id)) lost++;
	return { events: emitted.length, lost, duplicated, wrongType };
}
