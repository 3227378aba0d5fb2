/**
 * Property, tracking mode delta: whatever the mailbox or drive and the server do (creates, updates within one
 * second, deletions, moves between folders, changes during a round, replayed pages, lost sync state (410),
 * throttling and server errors, restarts, two polls at once, a quota smaller than the backlog), every change is
 * emitted once with the right event type and every deletion once as DELETED. The one documented exception:
 * deletions made while Graph had lost the sync state, which no enumeration can show. Real PollContext, real HTTP.
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

type Change =
	| { kind: 'create'; count: number }
	| { kind: 'update'; pick: number; sameSecond: boolean }
	| { kind: 'delete'; pick: number }
	| { kind: 'move'; pick: number };

type Op =
	| Change
	| { kind: 'tick'; seconds: number }
	| { kind: 'poll'; duringRound?: { change: Change; page: number } }
	| { kind: 'concurrentPolls' }
	| { kind: 'restart' }
	| { kind: 'expire' }
	| FaultOp;

const changeArbitrary: fc.Arbitrary<Change> = fc.oneof(
	{ weight: 4, arbitrary: fc.record({ kind: fc.constant('create' as const), count: fc.integer({ min: 1, max: 8 }) }) },
	{ weight: 3, arbitrary: fc.record({ kind: fc.constant('update' as const), pick: fc.nat(), sameSecond: fc.boolean() }) },
	{ weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }) },
	{ weight: 1, arbitrary: fc.record({ kind: fc.constant('move' as const), pick: fc.nat() }) },
);

const opArbitrary: fc.Arbitrary<Op> = fc.oneof(
	{ weight: 8, arbitrary: changeArbitrary },
	{ weight: 2, arbitrary: fc.record({ kind: fc.constant('tick' as const), seconds: fc.integer({ min: 1, max: 150 }) }) },
	{
		weight: 5,
		arbitrary: fc.record(
			{ kind: fc.constant('poll' as const), duringRound: fc.record({ change: changeArbitrary, page: fc.integer({ min: 1, max: 3 }) }) },
			{ requiredKeys: ['kind'] },
		),
	},
	{ weight: 1, arbitrary: fc.constant({ kind: 'concurrentPolls' as const }) },
	{ weight: 1, arbitrary: fc.constant({ kind: 'restart' as const }) },
	{ weight: 1, arbitrary: fc.constant({ kind: 'expire' as const }) },
	{ weight: 1, arbitrary: faultArbitrary },
);

type Target = 'inbox' | 'mailbox' | 'drive';

interface Scenario {
	target: Target;
	ops: Op[];
	pageSize: number;
	maxEventsPerPoll: number;
	replays: boolean;
}

const scenarioArbitrary: fc.Arbitrary<Scenario> = fc.record({
	target: fc.constantFrom<Target>('inbox', 'mailbox', 'drive'),
	ops: fc.array(opArbitrary, { minLength: 5, maxLength: 35 }),
	pageSize: fc.integer({ min: 2, max: 6 }),
	maxEventsPerPoll: fc.integer({ min: 2, max: 30 }),
	replays: fc.boolean(),
});

let clock = Date.now();
const sim = new GraphSimulator({ now: () => clock });
useSimulator(sim, () => clock);

/** One item as the test made it: its id, whether it is in the watched scope, and the version it ends at. */
interface Truth {
	/** Made after activation (its first event is CREATED). */
	created: boolean;
	/** Arrived by a move (its first event may be CREATED or UPDATED). */
	movedIn: boolean;
	/** Changed after activation: its last version must arrive. */
	changed: boolean;
	/** Deleted or moved out of the scope after activation: DELETED must arrive once (unless exempt). */
	gone: boolean;
	/** Gone while Graph had lost the sync state and before that was reported: it may never be seen. */
	mayBeMissed: boolean;
	/** Was in the watched scope at some point after activation (or was there at activation). */
	everInScope: boolean;
}

/** Delta links of a trigger's trackers as stored. */
function storedLinks(trigger: TriggerHarness): string[] {
	const trackers = (trigger.persistedState().trackers ?? {}) as Record<string, { link?: string }>;
	return Object.values(trackers).map((tracker) => tracker.link ?? '');
}

async function runScenario(scenario: Scenario): Promise<void> {
	clock += 24 * 3600 * SECOND;
	sim.reset();
	sim.deltaReplays = scenario.replays;
	const drive = scenario.target === 'drive';
	const inScope = (folderId: unknown) => scenario.target !== 'inbox' || folderId === sim.folderId('inbox');
	const list = (): Array<{ id: string; folder?: string; version: string }> =>
		drive
			? sim.list('driveItems').map((item) => ({ id: item.id, version: item.eTag }))
			: sim.list('messages').map((message) => ({ id: message.id, folder: message.parentFolderId, version: `W/"${message.changeKey}"` }));

	// History before activation, some of it in the archive.
	for (let i = 0; i < 4; i++) {
		if (drive) sim.createDriveItem({ name: `history ${i}.txt` });
		else sim.createMessage({ subject: `history ${i}` }, { folder: i % 2 ? 'archive' : 'inbox' });
	}
	// Older than Poll Delay: a drive starts from "now" without listing its files, so only files created before the
	// look-back are known to be old (one created within it and never announced is new to the trigger).
	clock += 2 * MINUTE;
	const truth = new Map<string, Truth>();
	for (const item of list()) truth.set(item.id, { created: false, movedIn: false, changed: false, gone: false, mayBeMissed: false, everInScope: inScope(item.folder) });

	const trigger = new TriggerHarness(
		{
			resource: drive ? 'driveItems' : 'messages',
			trackingMode: 'delta',
			options: { pollDelay: 60, pageSize: scenario.pageSize, maxEventsPerPoll: scenario.maxEventsPerPoll, folder: scenario.target === 'inbox' ? 'inbox' : undefined },
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

	const pick = (n: number) => {
		const all = list();
		return all.length ? all[n % all.length] : undefined;
	};
	const apply = (change: Change): void => {
		switch (change.kind) {
			case 'create':
				for (let i = 0; i < change.count; i++) {
					const id = drive ? sim.createDriveItem().id : sim.createMessage({ subject: 'new' }).id;
					truth.set(id, { created: true, movedIn: false, changed: true, gone: false, mayBeMissed: false, everInScope: true });
				}
				return;
			case 'update': {
				const item = pick(change.pick);
				if (!item) return;
				if (!change.sameSecond) clock += SECOND;
				if (drive) sim.updateDriveItem(item.id, { name: `v${clock}.txt` });
				else sim.updateMessage(item.id, { isRead: true, categories: [`c${clock}`] });
				truth.get(item.id)!.changed = true;
				return;
			}
			case 'delete': {
				const item = pick(change.pick);
				if (!item) return;
				if (drive) sim.deleteDriveItem(item.id);
				else sim.deleteMessage(item.id);
				gone(item.id);
				return;
			}
			case 'move': {
				const item = pick(change.pick);
				if (!item || drive) return;
				const moved = sim.moveMessage(item.id, item.folder === sim.folderId('inbox') ? 'archive' : 'inbox');
				gone(item.id);
				truth.set(moved.id, { created: false, movedIn: true, changed: true, gone: false, mayBeMissed: false, everInScope: inScope(moved.parentFolderId) });
				return;
			}
		}
	};
	const reportedGone = () => new Set(emitted.filter((event) => event.eventType === 'DELETED').map((event) => event.objectId as string));
	/** Links stored when Graph lost the sync state; until every tracker moved on from them, deletions may go unseen. */
	let lostLinks: Set<string> | undefined;
	function gone(id: string): void {
		const item = truth.get(id)!;
		item.gone = true;
		if (lostLinks) item.mayBeMissed = true;
	}
	const afterPoll = () => {
		if (lostLinks && storedLinks(trigger).every((link) => !lostLinks!.has(link))) lostLinks = undefined;
	};

	for (const op of scenario.ops) {
		switch (op.kind) {
			case 'tick':
				clock += op.seconds * SECOND;
				break;
			case 'poll':
				clock += MINUTE;
				if (op.duringRound) {
					const { change, page } = op.duringRound;
					let later = 0;
					sim.beforeDelta = (info) => {
						if (!info.roundStart && ++later === page) apply(change);
					};
				}
				await poll();
				sim.beforeDelta = undefined;
				afterPoll();
				break;
			case 'concurrentPolls':
				clock += MINUTE;
				await Promise.all([poll(), poll()]);
				afterPoll();
				break;
			case 'restart':
				trigger.restart();
				break;
			case 'expire': {
				// Deletions not yet reported when Graph loses the sync state cannot be seen by any enumeration.
				const reported = reportedGone();
				for (const [id, item] of truth) if (item.gone && !reported.has(id)) item.mayBeMissed = true;
				lostLinks = new Set([...(lostLinks ?? []), ...storedLinks(trigger)]);
				sim.expireDeltaTokens();
				break;
			}
			case 'fault':
				faultsArmed = true;
				sim.injectFault({ path: '/delta', kind: 'status', status: op.status, retryAfterSeconds: 0, times: op.times, afterRequests: op.afterRequests });
				break;
			default:
				apply(op);
		}
	}
	sim.clearFaults();
	faultsArmed = false;
	for (let round = 0, quiet = 0; round < 100 && quiet < 2; round++) {
		clock += MINUTE;
		const before = emitted.length;
		await poll();
		afterPoll();
		quiet = emitted.length === before ? quiet + 1 : 0;
	}

	const versions = new Set<string>();
	const byId = new Map<string, IDataObject[]>();
	for (const event of emitted) {
		const raw = event.raw as IDataObject;
		const version = event.eventType === 'DELETED' ? `${event.objectId as string}@deleted` : `${event.objectId as string}@${String(raw['@odata.etag'] ?? raw.eTag)}`;
		assert.ok(!versions.has(version), `duplicate ${event.eventType as string} ${version}`);
		versions.add(version);
		byId.set(event.objectId as string, [...(byId.get(event.objectId as string) ?? []), event]);
	}
	const now = new Map(list().map((item) => [item.id, item]));
	for (const [id, item] of truth) {
		const events = byId.get(id) ?? [];
		const types = events.map((event) => event.eventType);
		const current = now.get(id);
		const watched = current ? inScope(current.folder) : false;
		if (types.includes('DELETED')) assert.equal(types.at(-1), 'DELETED', `${id}: nothing after DELETED (${types.join(',')})`);
		if (item.gone) {
			if (item.everInScope && !item.mayBeMissed) assert.ok(types.includes('DELETED'), `${id}: gone but never DELETED (${types.join(',')})`);
			if (!item.everInScope) assert.deepEqual(types, [], `${id}: never in the watched folder, yet ${types.join(',')}`);
			continue;
		}
		if (!watched) {
			assert.ok(!types.some((type) => type !== 'DELETED'), `${id}: outside the watched folder, yet ${types.join(',')}`);
			continue;
		}
		if (!item.changed) {
			assert.deepEqual(types, [], `${id}: unchanged history emitted`);
			continue;
		}
		assert.ok(events.length > 0, `${id}: lost (${drive ? 'file' : 'message'} changed after activation)`);
		const last = events.at(-1)!.raw as IDataObject;
		assert.equal(String(last['@odata.etag'] ?? last.eTag), current!.version, `${id}: the latest version was not emitted`);
		const first = types[0];
		if (item.created) assert.equal(first, 'CREATED', `${id}: new, first event ${first}`);
		else if (!item.movedIn) assert.equal(first, 'UPDATED', `${id}: history, first event ${first}`);
		assert.ok(types.slice(1).every((type) => type === 'UPDATED'), `${id}: later events are updates (${types.join(',')})`);
	}
	for (const id of byId.keys()) assert.ok(truth.has(id), `an event for something the test never made: ${id}`);
}

propertySuite('Office 365 Trigger delta properties', 'every change once with its event type, every deletion once, over random histories, servers and faults', scenarioArbitrary, runScenario, {
	runs: 50,
	afterEach: () => {
		sim.beforeDelta = undefined;
	},
});
