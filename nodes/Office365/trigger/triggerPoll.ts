/**
 * One poll of everything a trigger tracks: each resource of the plan with its own tracker (one per mail folder for
 * a whole mailbox in delta mode), in the plan's order. Pure: the stored state is read, never written; the caller
 * stores the returned state only after the events are handed on. A resource that fails fails the whole poll, so
 * nothing of that poll is emitted or stored and the next poll reads every resource from where it was.
 */
import { mailFolderCollection, singleCollection, type DeltaCollection, type DeltaConfig } from './deltaConfig';
import { runDeltaCycle } from './deltaCycle';
import { fetchDeltaSample } from './deltaSample';
import { DeltaCollectionGoneError, type FetchDelta } from './deltaRound';
import { settle } from './errors';
import type { StandardEvent } from '../shared/standardEvent';
import { FOLDER_LIST_REFRESH_MS, listMailFolders } from './mailboxFolders';
import { resolveFolderKeys } from './mailFolders';
import { fetchNewestEvents } from './newestEvents';
import { runPollCycle } from './pollCycle';
import { readFolderListing, readTracker, trackerKey, type FolderListing, type TrackerState } from './pollState';
import { CLOCK_SKEW_MARGIN_MS } from './serverClock';
import type { PollConfig } from './triggerConfig';
import type { ResourcePlan } from './triggerPlan';
import type { FetchPage } from './windowReader';

interface TriggerPollInput {
	plans: ResourcePlan[];
	/** n8n's static data as stored: read only. */
	staticData: Record<string, unknown>;
	fetchPage: FetchPage;
	fetchDelta: FetchDelta;
	/** n8n's clock; `nowMs` is its reading at the start of the poll. */
	clock: () => number;
	nowMs: number;
	/** No new page is requested at or after this instant. */
	deadlineMs: number;
	/** False for a stored delta link outside the credential's Graph root. */
	linkUsable: (link: string) => boolean;
	/** Needed by timestamp plans that decide mail by folder (version 2's folder scope); delta plans need none. */
	fetchFolderId?: FetchFolderId;
}

/** The id of a well-known mail folder of a mailbox (`/me`, `/users/{id}`), null when it has none. */
export type FetchFolderId = (mailboxPath: string, name: string) => Promise<string | null>;

/** How a timestamp plan's well-known folder names get their ids. */
function folderIdLookup(config: PollConfig, fetchFolderId: FetchFolderId | undefined): (name: string) => Promise<string | null> {
	return async (name) => {
		if (!fetchFolderId) throw new Error(`The mail folder "${name}" needs a folder id lookup, and the trigger gave none`);
		return await fetchFolderId(config.mailboxPath ?? '/me', name);
	};
}

interface TriggerPollResult {
	events: StandardEvent[];
	trackers: Record<string, TrackerState>;
	folderListings: Record<string, FolderListing>;
	/** Lines for n8n's log. */
	warnings: string[];
	requests: number;
}

class TriggerPoll {
	readonly result: TriggerPollResult = { events: [], trackers: {}, folderListings: {}, warnings: [], requests: 0 };
	private readonly reported = new Set<string>();

	constructor(private readonly input: TriggerPollInput) {}

	/** The stored tracker of `key` in `mode`, reporting damaged state once. */
	stored<M extends TrackerState['mode']>(key: string, objectType: string, mode: M): Extract<TrackerState, { mode: M }> | undefined {
		const { tracker, problem } = readTracker(this.input.staticData, key, objectType, this.input.nowMs + CLOCK_SKEW_MARGIN_MS);
		if (problem && !this.reported.has(problem)) {
			this.reported.add(problem);
			this.result.warnings.push(`${problem}. It was replaced: the trigger starts afresh from now, as on activation.`);
		}
		return tracker?.mode === mode ? (tracker as Extract<TrackerState, { mode: M }>) : undefined;
	}

	async timestamp(plan: Extract<ResourcePlan, { mode: 'timestamp' }>): Promise<void> {
		const { config } = plan;
		const key = trackerKey(config.objectType, config.collection);
		const previous = this.stored(key, config.objectType, 'timestamp');
		// Kept in the tracker: an idle poll after the first asks Graph for nothing but the window.
		const folderKeys = await resolveFolderKeys(config.folderNames, previous?.folderKeys, folderIdLookup(config, this.input.fetchFolderId));
		const result = await runPollCycle({
			config,
			previous,
			fetchPage: this.input.fetchPage,
			clock: this.input.clock,
			nowMs: this.input.nowMs,
			deadlineMs: this.input.deadlineMs,
			folderKeys,
		});
		this.result.trackers[key] = result.tracker;
		this.result.events.push(...result.events);
		this.result.warnings.push(...result.warnings);
		this.result.requests += result.requests;
	}

	/** Every mail folder of the mailbox, each with the instant it joined (when it is new since the last list). */
	async mailboxFolders(config: DeltaConfig): Promise<{ listing: FolderListing; folders: Array<{ collection: DeltaCollection; folder?: string; joinedSinceMs?: number }> }> {
		const { nowMs } = this.input;
		const key = trackerKey(config.objectType, { resource: 'messages', mailbox: config.mailbox, mode: 'folders' });
		const stored = readFolderListing(this.input.staticData, key, nowMs + CLOCK_SKEW_MARGIN_MS);
		const storedAtMs = stored && Date.parse(stored.listedAt);
		let listing: FolderListing;
		if (stored && storedAtMs! <= nowMs && nowMs - storedAtMs! < FOLDER_LIST_REFRESH_MS) {
			listing = stored;
		} else {
			listing = { listedAt: new Date(nowMs).toISOString(), folders: await listMailFolders(this.input.fetchPage, config.mailbox) };
		}
		this.result.folderListings[key] = listing;
		const known = new Set(stored?.folders ?? []);
		// A folder that was not there when the last list was read holds only mail changed since.
		const joinedSinceMs = stored ? storedAtMs! - config.pollDelayMs : undefined;
		return {
			listing,
			folders: listing.folders.map((folder) => ({
				collection: mailFolderCollection(config, folder),
				folder,
				joinedSinceMs: known.has(folder) ? undefined : joinedSinceMs,
			})),
		};
	}

	async delta(plan: Extract<ResourcePlan, { mode: 'delta' }>): Promise<void> {
		const { config } = plan;
		const mailbox = config.resource === 'messages' && !config.folder ? await this.mailboxFolders(config) : undefined;
		const collections = mailbox?.folders ?? [{ collection: singleCollection(config, this.input.nowMs) }];
		let quota = config.maxEventsPerPoll;
		for (const { collection, folder, joinedSinceMs } of collections) {
			const key = trackerKey(config.objectType, collection.identity);
			const previous = this.stored(key, config.objectType, 'delta');
			// A folder read before waits while the quota is spent or time is up; a new one always starts its round.
			if (previous && (quota <= 0 || this.input.clock() >= this.input.deadlineMs)) {
				this.result.trackers[key] = previous;
				continue;
			}
			const outcome = await settle(async () =>
				runDeltaCycle({
					config,
					collection,
					previous,
					joinedSinceMs,
					fetchDelta: this.input.fetchDelta,
					clock: this.input.clock,
					nowMs: this.input.nowMs,
					deadlineMs: this.input.deadlineMs,
					quota: Math.max(0, quota),
					linkUsable: this.input.linkUsable,
				}),
			);
			if ('error' in outcome) {
				if (!(outcome.error instanceof DeltaCollectionGoneError) || !mailbox) throw outcome.error;
				// The folder was deleted after the list was read: it leaves the list (its tracker with it).
				mailbox.listing.folders = mailbox.listing.folders.filter((listed) => listed !== folder);
				continue;
			}
			const result = outcome.value;
			this.result.trackers[key] = result.tracker;
			this.result.events.push(...result.events);
			this.result.warnings.push(...result.warnings);
			this.result.requests += result.requests;
			quota -= result.events.length;
		}
	}
}

export async function runTriggerPoll(input: TriggerPollInput): Promise<TriggerPollResult> {
	const poll = new TriggerPoll(input);
	for (const plan of input.plans) {
		if (plan.mode === 'timestamp') await poll.timestamp(plan);
		else await poll.delta(plan);
	}
	return poll.result;
}

/** A test run ("Fetch Test Event"): the newest record of a resource; no state is read or written. */
export async function sampleEvents(
	plan: ResourcePlan,
	fetchPage: FetchPage,
	fetchDelta: FetchDelta,
	nowMs: number,
	fetchFolderId?: FetchFolderId,
): Promise<StandardEvent[]> {
	if (plan.mode === 'timestamp') {
		const folderKeys = await resolveFolderKeys(plan.config.folderNames, undefined, folderIdLookup(plan.config, fetchFolderId));
		return await fetchNewestEvents(plan.config, fetchPage, nowMs, 1, folderKeys);
	}
	const { config } = plan;
	const collection = config.resource === 'messages' && !config.folder ? mailFolderCollection(config, 'inbox') : singleCollection(config, nowMs);
	return await fetchDeltaSample(config, collection, fetchDelta);
}
