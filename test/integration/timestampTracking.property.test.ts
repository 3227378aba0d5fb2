/**
 * Property: whatever the mailbox and the server do (bursts in one second across page boundaries, updates,
 * deletions and moves, also between two pages of one read; records sharing a second listed in a new order on
 * every request; mail indexed late within pollDelay; a Date header ahead, behind or absurd; throttling and server
 * errors mid-paging; restarts; two polls at once), every change is emitted once, with the right event type.
 * Real PollContext, real HTTP. Only the faults the test injects may fail a poll.
 */
import assert from 'node:assert/strict';

import fc from 'fast-check';
import type { IDataObject } from 'n8n-workflow';

import { GraphSimulator } from '../graph-simulator';
import { TriggerHarness } from '../support/pollHarness';
import { simulatorCredential } from '../support/simulatorCredentials';
import { faultArbitrary, pollUnlessInjectedFault, propertySuite, type FaultOp } from '../support/propertySuite';
import { useSimulator } from '../support/simulatorSuite';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const POLL_DELAY_S = 90;

type Change =
	| { kind: 'create'; count: number }
	| { kind: 'update'; pick: number }
	| { kind: 'delete'; pick: number }
	| { kind: 'move'; pick: number };

type Op =
	| Change
	| { kind: 'late'; delaySeconds: number }
	| { kind: 'tick'; seconds: number }
	| { kind: 'poll'; midRead?: { change: Change; laterPage: number } }
	| { kind: 'concurrentPolls' }
	| { kind: 'restart' }
	| FaultOp;

const changeArbitrary: fc.Arbitrary<Change> = fc.oneof(
	{ weight: 4, arbitrary: fc.record({ kind: fc.constant('create' as const), count: fc.integer({ min: 1, max: 12 }) }) },
	{ weight: 3, arbitrary: fc.record({ kind: fc.constant('update' as const), pick: fc.nat() }) },
	{ weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }) },
	{ weight: 1, arbitrary: fc.record({ kind: fc.constant('move' as const), pick: fc.nat() }) },
);

const opArbitrary: fc.Arbitrary<Op> = fc.oneof(
	{ weight: 8, arbitrary: changeArbitrary },
	{ weight: 1, arbitrary: fc.record({ kind: fc.constant('late' as const), delaySeconds: fc.integer({ min: 1, max: POLL_DELAY_S - 30 }) }) },
	{ weight: 3, arbitrary: fc.record({ kind: fc.constant('tick' as const), seconds: fc.integer({ min: 1, max: 150 }) }) },
	{
		weight: 5,
		arbitrary: fc.record(
			{ kind: fc.constant('poll' as const), midRead: fc.record({ change: changeArbitrary, laterPage: fc.integer({ min: 1, max: 4 }) }) },
			{ requiredKeys: ['kind'] },
		),
	},
	{ weight: 1, arbitrary: fc.constant({ kind: 'concurrentPolls' as const }) },
	{ weight: 1, arbitrary: fc.constant({ kind: 'restart' as const }) },
	{ weight: 1, arbitrary: faultArbitrary },
);

/** Clocks that disagree; one witness (n8n's clock or the Date header) always agrees with the clock stamping mail. */
const CLOCKS = {
	agree: { dateHeaderOffsetMs: 0, stampsBehindN8nMs: 0 },
	dateAhead5min: { dateHeaderOffsetMs: 5 * MINUTE, stampsBehindN8nMs: 0 },
	dateBehind5min: { dateHeaderOffsetMs: -5 * MINUTE, stampsBehindN8nMs: 0 },
	dateIn2100: { dateHeaderOffsetMs: Date.UTC(2100, 0, 1) - Date.now(), stampsBehindN8nMs: 0 },
	dateIn1970: { dateHeaderOffsetMs: -Date.now(), stampsBehindN8nMs: 0 },
	n8nAhead5min: { dateHeaderOffsetMs: 0, stampsBehindN8nMs: 5 * MINUTE },
} as const;

interface Scenario {
	ops: Op[];
	pageSize: number;
	maxEventsPerPoll: number;
	folder: 'inbox' | undefined;
	createdOnly: boolean;
	unstableTieOrder: boolean;
	clocks: keyof typeof CLOCKS;
}

const scenarioArbitrary: fc.Arbitrary<Scenario> = fc.record({
	ops: fc.array(opArbitrary, { minLength: 5, maxLength: 40 }),
	pageSize: fc.integer({ min: 2, max: 8 }),
	maxEventsPerPoll: fc.integer({ min: 3, max: 40 }),
	folder: fc.constantFrom('inbox' as const, undefined),
	createdOnly: fc.boolean(),
	unstableTieOrder: fc.boolean(),
	clocks: fc.constantFrom(...(Object.keys(CLOCKS) as Array<keyof typeof CLOCKS>)),
});

let clock = Date.now();
const sim = new GraphSimulator({ now: () => clock });
useSimulator(sim, () => clock);

async function runScenario(scenario: Scenario): Promise<void> {
	clock += 24 * 3600 * SECOND;
	sim.reset();
	sim.unstableTieOrder = scenario.unstableTieOrder;
	sim.dateHeaderOffsetMs = CLOCKS[scenario.clocks].dateHeaderOffsetMs;
	sim.clockOffsetMs = -CLOCKS[scenario.clocks].stampsBehindN8nMs;
	const inScope = (folderId: unknown) => scenario.folder === undefined || folderId === sim.folderId(scenario.folder);
	// A mailbox with history before activation, some of it in the archive.
	for (let i = 0; i < 5; i++) sim.createMessage({ subject: `history ${i}` }, { folder: i % 2 ? 'archive' : 'inbox' });
	const history = new Set(sim.list('messages').map((message) => message.id));
	const trigger = new TriggerHarness(
		{
			resource: 'messages',
			eventTypes: scenario.createdOnly ? ['created'] : ['created', 'updated'],
			options: { pollDelay: POLL_DELAY_S, pageSize: scenario.pageSize, maxEventsPerPoll: scenario.maxEventsPerPoll, folder: scenario.folder },
		},
		simulatorCredential(sim, sim.issueTokens()),
	);
	const emitted: IDataObject[] = [];
	let faultsArmed = false;
	const poll = async () =>
		await pollUnlessInjectedFault(faultsArmed, async () => {
			emitted.push(...(await trigger.pollJson()));
		});
	clock += SECOND;
	await trigger.pollJson(); // activation

	const stamps = new Map<string, number>(); // id -> latest lastModified we caused
	const created = new Set<string>();
	const movedIn = new Set<string>();
	const simNow = () => sim.clock();
	const pickExisting = (pick: number): string | undefined => {
		const all = sim.list('messages');
		return all.length ? all[pick % all.length].id : undefined;
	};
	const apply = (change: Change): void => {
		switch (change.kind) {
			case 'create':
				for (let i = 0; i < change.count; i++) {
					const id = sim.createMessage({ subject: 'new' }).id;
					stamps.set(id, simNow());
					created.add(id);
				}
				return;
			case 'update': {
				const id = pickExisting(change.pick);
				if (!id) return;
				// Second-precision stamps: a change within the same second as the last is invisible to any poller.
				const last = Date.parse(sim.getMessage(id)!.lastModifiedDateTime);
				if (simNow() < last + SECOND) clock += last + SECOND - simNow();
				sim.updateMessage(id, { isRead: true, categories: [`c${clock}`] });
				stamps.set(id, simNow());
				return;
			}
			case 'delete': {
				const id = pickExisting(change.pick);
				if (id) sim.deleteMessage(id);
				return;
			}
			case 'move': {
				const id = pickExisting(change.pick);
				if (!id) return;
				const from = sim.getMessage(id)!.parentFolderId;
				const moved = sim.moveMessage(id, from === sim.folderId('inbox') ? 'archive' : 'inbox');
				stamps.set(moved.id, simNow());
				movedIn.add(moved.id);
				return;
			}
		}
	};

	for (const op of scenario.ops) {
		switch (op.kind) {
			case 'late': {
				const id = sim.createMessage({ subject: 'late' }, { visibleAt: simNow() + op.delaySeconds * SECOND }).id;
				stamps.set(id, simNow());
				created.add(id);
				break;
			}
			case 'tick':
				clock += op.seconds * SECOND;
				break;
			case 'poll':
				if (op.midRead) {
					const { change, laterPage } = op.midRead;
					let later = 0;
					sim.beforeList = (info) => {
						if (info.skip > 0 && ++later === laterPage) apply(change);
					};
				}
				await poll();
				sim.beforeList = undefined;
				break;
			case 'concurrentPolls':
				await Promise.all([poll(), poll()]);
				break;
			case 'restart':
				trigger.restart();
				break;
			case 'fault':
				faultsArmed = true;
				sim.injectFault({ path: '/messages', kind: 'status', status: op.status, retryAfterSeconds: 0, times: op.times, afterRequests: op.afterRequests });
				break;
			default:
				apply(op);
		}
	}
	// Let everything settle: no faults, every record visible, backlog drained.
	sim.clearFaults();
	faultsArmed = false;
	for (let round = 0; round < 200; round++) {
		clock += (POLL_DELAY_S + 1) * SECOND;
		const before = emitted.length;
		await poll();
		if (emitted.length === before && round > 1) break;
	}

	if (process.env.PROPERTY_SCENARIO) console.error(JSON.stringify({ history: [...history], created: [...created], movedIn: [...movedIn], emitted: emitted.map((e) => [e.eventType, e.objectId, (e.raw as IDataObject).subject, (e.raw as IDataObject).receivedDateTime, (e.raw as IDataObject).lastModifiedDateTime]), truth: sim.list('messages').map((m) => [m.id, m.subject, m.receivedDateTime, m.lastModifiedDateTime]) }, null, 1));
	const versions = new Set<string>();
	const byId = new Map<string, IDataObject[]>();
	for (const event of emitted) {
		const id = event.objectId as string;
		const version = `${id}@${(event.raw as IDataObject).lastModifiedDateTime as string}`;
		assert.ok(!versions.has(version), `duplicate event ${version}`);
		versions.add(version);
		byId.set(id, [...(byId.get(id) ?? []), event]);
	}
	for (const [id, events] of byId) {
		if (scenario.createdOnly) {
			assert.equal(events.length, 1, `created-only emitted ${id} ${events.length} times`);
			assert.equal(events[0].eventType, 'CREATED');
			assert.ok(created.has(id) || movedIn.has(id), `created-only emitted a record that was not new: ${id}`);
			continue;
		}
		events.forEach((event, index) => {
			if (index > 0 || history.has(id)) assert.equal(event.eventType, 'UPDATED', `event ${index + 1} of ${id} is UPDATED`);
			else if (created.has(id)) assert.equal(event.eventType, 'CREATED', `first event of new mail ${id} is CREATED`);
		});
	}
	for (const message of sim.list('messages')) {
		if (!inScope(message.parentFolderId)) continue;
		const mustArrive = scenario.createdOnly ? created.has(message.id) : stamps.has(message.id);
		const events = byId.get(message.id);
		if (!mustArrive) {
			if (!scenario.createdOnly) assert.ok(!events, `unchanged history emitted: ${message.id}`);
			continue;
		}
		assert.ok(events, `lost: ${message.subject} ${message.id} modified ${message.lastModifiedDateTime}`);
		if (!scenario.createdOnly) {
			assert.equal((events.at(-1)!.raw as IDataObject).lastModifiedDateTime, message.lastModifiedDateTime, `latest version of ${message.id} not emitted`);
		}
	}
}

propertySuite('Office 365 Trigger properties', 'zero lost, zero duplicated, right event types over random mailbox histories, servers and faults', scenarioArbitrary, runScenario, {
	runs: 60,
	afterEach: () => {
		sim.beforeList = undefined;
	},
});
