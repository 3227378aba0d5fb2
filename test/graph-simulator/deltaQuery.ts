// Delta queries as Graph answers them: a round of pages linked by `@odata.nextLink` that ends with an
// `@odata.deltaLink`; the next round, from that link, lists what changed since. Mail folders, the contacts folder
// and calendarView (Outlook: `$skiptoken` / `$deltatoken`, `@removed`) and drives (`token=`, the `deleted` facet,
// ancestors of changed items, `token=latest`). Tokens are opaque to clients; they encode the round's journal range
// and position, so a round reads a steady list whatever changes between its pages (changes made meanwhile come
// again in the next round, as in Graph). Tokens of an older epoch (`sim.expireDeltaTokens()`, a reset) answer
// 410 Gone with a `Location` to start over, as Graph does when its sync state is gone.
//
// Not modelled: late visibility (`visibleAt` items are listed at once), `changeType`, `$filter`, `$expand`.

import type { EntitySchema } from './entitySchema';
import { GraphHttpError, ODataError } from './odataErrors';
import { project } from './odataQuery';
import type { DriveItem, GraphRecord } from './records';
import type { CollectionName, Drive, JournalEntry, MailboxStore, StoredEntry } from './store';
import { eventSpan } from './store';
import { secondStamp } from './timestamps';

/** What a delta request is about: resolved by the routes from the path. */
export interface DeltaTarget {
	collection: CollectionName;
	/** Mail folder id, the contacts folder id, the calendar, or the drive id. */
	scope: string;
	/** Path of the delta function as requested (`/v1.0/me/mailFolders/{id}/messages/delta`); links reuse it. */
	pathname: string;
	/** Drives page with `?token=` and mark deletions with a `deleted` facet; Outlook uses `$skiptoken`/`$deltatoken`. */
	drive?: Drive;
	/** calendarView/delta only. */
	calendarView?: boolean;
	schema: EntitySchema;
}

/** Handed to `beforeDelta` before a delta request is evaluated (a test may change the mailbox there). */
export interface DeltaRequestInfo {
	collection: CollectionName;
	/** True for the first request of a round (no `$skiptoken` / page token). */
	roundStart: boolean;
	url: string;
}

export interface DeltaContext {
	store: MailboxStore;
	url: URL;
	origin: string;
	preferHeader?: string;
	defaultPageSize: number;
	/** Every page after the first repeats the last record of the page before (Graph may replay changes). */
	replays: boolean;
	beforeDelta?(info: DeltaRequestInfo): void;
}

export interface DeltaAnswer {
	body: Record<string, unknown>;
	headers: Record<string, string>;
}

interface DeltaToken {
	/** Collection and scope the token belongs to. */
	c: CollectionName;
	s: string;
	/** Epoch it was issued in. */
	e: number;
	/** calendarView window [start, end) in ms. */
	w?: [number, number];
	/** `$select` of the first request. */
	sel?: string;
	/** Journal position the round starts from; -1 for a full enumeration. */
	since: number;
	/** Full enumeration: the journal head at its start (its deltaLink continues from there). */
	start?: number;
	/** Incremental round: the journal head at its first request (later changes wait for the next round). */
	end?: number;
	/** Full enumeration: the item seq of the last record listed; incremental: the offset of the next page. */
	at?: number;
}

const MAX_PAGE_SIZE = 1000;
const OUTLOOK_OPTIONS = new Set(['$deltatoken', '$skiptoken', '$select', 'startdatetime', 'enddatetime']);
const DRIVE_OPTIONS = new Set(['token', '$select', '$top']);

function encodeToken(token: DeltaToken): string {
	return Buffer.from(JSON.stringify(token)).toString('base64url');
}

function decodeToken(text: string, target: DeltaTarget): DeltaToken {
	let token: DeltaToken;
	try {
		token = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as DeltaToken;
	} catch {
		throw new GraphHttpError(400, 'BadRequest', 'The delta token is not valid.');
	}
	if (token === null || typeof token !== 'object' || token.c !== target.collection || token.s !== target.scope) {
		throw new GraphHttpError(400, 'BadRequest', 'The delta token does not belong to this collection.');
	}
	return token;
}

function parseWindow(params: URLSearchParams): [number, number] {
	const read = (name: string) => {
		const entry = [...params].find(([key]) => key.toLowerCase() === name);
		return entry === undefined ? Number.NaN : Date.parse(/[zZ]|[+-]\d\d:\d\d$/.test(entry[1]) ? entry[1] : `${entry[1]}Z`);
	};
	const window: [number, number] = [read('startdatetime'), read('enddatetime')];
	if (!window.every(Number.isFinite) || window[1] <= window[0]) {
		throw new ODataError(
			'ErrorInvalidParameter',
			'This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.',
		);
	}
	return window;
}

const overlaps = (span: [number, number] | undefined, window: [number, number]) =>
	span !== undefined && span[0] < window[1] && span[1] > window[0];

class DeltaRound {
	private readonly params: URLSearchParams;

	constructor(
		private readonly ctx: DeltaContext,
		private readonly target: DeltaTarget,
	) {
		this.params = ctx.url.searchParams;
	}

	answer(): DeltaAnswer {
		const allowed = this.target.drive ? DRIVE_OPTIONS : OUTLOOK_OPTIONS;
		for (const [key] of this.params) {
			if (!allowed.has(key.toLowerCase())) {
				throw new ODataError('BadRequest', `Query option '${key}' is not supported by the Graph simulator for delta queries.`);
			}
		}
		const tokenText = this.param(this.target.drive ? 'token' : '$skiptoken') ?? this.param('$deltatoken');
		this.ctx.beforeDelta?.({
			collection: this.target.collection,
			roundStart: this.target.drive ? tokenText === undefined || !this.isPageToken(tokenText) : this.param('$skiptoken') === undefined,
			url: this.ctx.url.pathname + this.ctx.url.search,
		});
		const pageSize = this.pageSize();
		if (this.target.drive && tokenText === 'latest') {
			return this.respond([], { since: this.ctx.store.journalHead }, true, pageSize);
		}
		const token: DeltaToken =
			tokenText === undefined
				? { c: this.target.collection, s: this.target.scope, e: this.ctx.store.deltaEpoch, since: -1, ...this.initialOptions() }
				: decodeToken(tokenText, this.target);
		if (token.e !== this.ctx.store.deltaEpoch) throw this.gone(token);
		return token.since < 0 ? this.fullRound(token, pageSize) : this.changes(token, pageSize);
	}

	private param(name: string): string | undefined {
		for (const [key, value] of this.params) if (key.toLowerCase() === name) return value;
		return undefined;
	}

	/** A drive page token (not a deltaLink's) carries a position. */
	private isPageToken(text: string): boolean {
		try {
			const token = decodeToken(text, this.target);
			return token.since < 0 ? token.at !== undefined : token.end !== undefined;
		} catch {
			return false;
		}
	}

	private initialOptions(): Pick<DeltaToken, 'w' | 'sel'> {
		const options: Pick<DeltaToken, 'w' | 'sel'> = {};
		if (this.target.calendarView) options.w = parseWindow(this.params);
		const select = this.param('$select');
		if (select !== undefined) {
			if (this.target.calendarView) throw new ODataError('BadRequest', 'calendarView/delta does not support $select.');
			for (const name of select.split(',')) this.target.schema.resolve(name.trim(), 'select');
			options.sel = select;
		}
		return options;
	}

	private pageSize(): number {
		const top = this.param('$top');
		if (top !== undefined && /^\d+$/.test(top)) return Math.max(1, Math.min(MAX_PAGE_SIZE, Number(top)));
		const prefer = /odata\.maxpagesize\s*=\s*(\d+)/i.exec(this.ctx.preferHeader ?? '');
		return prefer === null ? this.ctx.defaultPageSize : Math.max(1, Math.min(MAX_PAGE_SIZE, Number(prefer[1])));
	}

	private gone(token: DeltaToken): GraphHttpError {
		const restart = new URLSearchParams();
		if (token.w) {
			restart.set('startDateTime', new Date(token.w[0]).toISOString());
			restart.set('endDateTime', new Date(token.w[1]).toISOString());
		}
		if (token.sel) restart.set('$select', token.sel);
		const query = restart.toString();
		const location = `${this.ctx.origin}${this.target.pathname}${query ? `?${query}` : ''}`;
		return this.target.drive
			? new GraphHttpError(
					410,
					'resyncRequired',
					"Resync required. Replace any local items with the server's version (including deletes) if you're sure that the service was up to date with your local changes when you last sync'd. Upload any local changes that the server doesn't know about.",
					{ Location: location },
				)
			: new GraphHttpError(410, 'syncStateNotFound', 'The sync state for this request is not found or has expired. Start a new sync.', { Location: location });
	}

	private inScope(data: GraphRecord | undefined, window: [number, number] | undefined): boolean {
		if (data === undefined || this.ctx.store.scopeOf(this.target.collection, data) !== this.target.scope) return false;
		return window === undefined || overlaps(eventSpan(data), window);
	}

	/** Every item of the scope, in creation order, from just after `at`. */
	private fullRound(token: DeltaToken, pageSize: number): DeltaAnswer {
		const start = token.start ?? this.ctx.store.journalHead;
		const after = token.at ?? 0;
		const listed: StoredEntry[] = [];
		let replay: StoredEntry | undefined;
		let more = false;
		for (const entry of this.ctx.store.entries(this.target.collection)) {
			if (!this.inScope(entry.data, token.w)) continue;
			if (entry.seq <= after) {
				replay = entry;
				continue;
			}
			if (listed.length === pageSize) {
				more = true;
				break;
			}
			listed.push(entry);
		}
		const records = listed.map((entry) => this.render(entry.data, token.sel));
		if (after === 0 && this.target.drive) records.unshift(this.driveRoot(this.target.drive));
		if (this.ctx.replays && after > 0 && replay !== undefined && replay.seq === after) records.unshift(this.render(replay.data, token.sel));
		const base = { c: token.c, s: token.s, e: token.e, w: token.w, sel: token.sel };
		if (more) return this.respond(records, { ...base, since: -1, start, at: listed[listed.length - 1].seq }, false, pageSize);
		return this.respond(records, { ...base, since: start }, true, pageSize);
	}

	/** What changed in (since, end]: each item once, in the order of its last change, as it is now. */
	private changes(token: DeltaToken, pageSize: number): DeltaAnswer {
		const end = token.end ?? this.ctx.store.journalHead;
		const list = this.changedRecords(token, end);
		const offset = token.at ?? 0;
		const first = this.ctx.replays && offset > 0 ? offset - 1 : offset;
		const page = list.slice(first, offset + pageSize).map((render) => render());
		const base = { c: token.c, s: token.s, e: token.e, w: token.w, sel: token.sel };
		if (offset + pageSize < list.length) return this.respond(page, { ...base, since: token.since, end, at: offset + pageSize }, false, pageSize);
		return this.respond(page, { ...base, since: end }, true, pageSize);
	}

	/** The round's records in order, each rendered only when its page is answered. */
	private changedRecords(token: DeltaToken, end: number): Array<() => Record<string, unknown>> {
		const store = this.ctx.store;
		const journal = store.journal;
		const last = new Map<string, JournalEntry>();
		// Journal seqs increase: find the first entry after `since` by bisection.
		let low = 0;
		let high = journal.length;
		while (low < high) {
			const mid = (low + high) >> 1;
			if (journal[mid].seq <= token.since) low = mid + 1;
			else high = mid;
		}
		for (let i = low; i < journal.length && journal[i].seq <= end; i++) {
			const entry = journal[i];
			if (entry.collection !== this.target.collection || entry.scope !== this.target.scope) continue;
			last.delete(entry.id);
			last.set(entry.id, entry);
		}
		const records: Array<() => Record<string, unknown>> = [];
		const listedAncestors = new Set<string>();
		for (const entry of last.values()) {
			const data = store.get(this.target.collection, entry.id)?.data;
			if (this.inScope(data, token.w)) {
				if (this.target.drive) {
					records.push(...this.ancestors(data as unknown as DriveItem, this.target.drive, listedAncestors));
					listedAncestors.add(entry.id);
				}
				records.push(() => this.render(data!, token.sel));
			} else if (token.w === undefined || this.wasInWindow(entry.id, token.w, end)) {
				records.push(() => this.removed(entry));
			}
		}
		return records;
	}

	/** calendarView: an event that leaves the window (or is deleted) is reported only if it was ever in it. */
	private wasInWindow(id: string, window: [number, number], end: number): boolean {
		return this.ctx.store.journal.some((entry) => entry.seq <= end && entry.id === id && overlaps(entry.span, window));
	}

	/** OneDrive lists the folders above a changed item (their cTag changed) before it, each once per round. */
	private ancestors(item: DriveItem, drive: Drive, listed: Set<string>): Array<() => Record<string, unknown>> {
		const chain: Array<() => Record<string, unknown>> = [];
		let parentId = item.parentReference.id;
		while (!listed.has(parentId)) {
			listed.add(parentId);
			if (parentId === drive.rootId) {
				chain.unshift(() => this.driveRoot(drive));
				break;
			}
			const parent = this.ctx.store.get('driveItems', parentId)?.data;
			if (parent === undefined) break;
			chain.unshift(() => this.render(parent, undefined));
			parentId = (parent as unknown as DriveItem).parentReference.id;
		}
		return chain;
	}

	private driveRoot(drive: Drive): Record<string, unknown> {
		const stamp = secondStamp(drive.createdMs);
		return {
			id: drive.rootId,
			name: 'root',
			createdDateTime: stamp,
			lastModifiedDateTime: stamp,
			webUrl: drive.webUrl,
			parentReference: { driveId: drive.driveId, driveType: drive.driveType },
			fileSystemInfo: { createdDateTime: stamp, lastModifiedDateTime: stamp },
			folder: { childCount: 0 },
			root: {},
		};
	}

	private render(data: GraphRecord, select: string | undefined): Record<string, unknown> {
		const fields = select === undefined ? undefined : ['id', ...select.split(',').map((name) => this.target.schema.resolve(name.trim(), 'select').name)];
		if (this.target.drive) {
			if (fields === undefined) return { ...data };
			const out: Record<string, unknown> = {};
			for (const name of fields) if (name in data) out[name] = data[name];
			return out;
		}
		return { '@odata.type': `#${this.target.schema.typeName}`, ...project(data, fields) };
	}

	private removed(entry: JournalEntry): Record<string, unknown> {
		if (this.target.drive) {
			return { id: entry.id, parentReference: { driveId: this.target.drive.driveId, driveType: this.target.drive.driveType }, deleted: { state: 'deleted' } };
		}
		// A message moved to another folder left this one (it lives on there under a new id).
		return { '@odata.type': `#${this.target.schema.typeName}`, id: entry.id, '@removed': { reason: entry.moved ? 'changed' : 'deleted' } };
	}

	private respond(value: Array<Record<string, unknown>>, next: Partial<DeltaToken>, complete: boolean, pageSize: number): DeltaAnswer {
		const token = encodeToken({ c: this.target.collection, s: this.target.scope, e: this.ctx.store.deltaEpoch, ...next } as DeltaToken);
		const link = this.target.drive
			? `${this.ctx.origin}${this.target.pathname}?token=${token}`
			: `${this.ctx.origin}${this.target.pathname}?${complete ? '$deltatoken' : '$skiptoken'}=${token}`;
		const body: Record<string, unknown> = {
			'@odata.context': `${this.ctx.origin}/v1.0/$metadata#Collection(${this.target.schema.typeName})`,
		};
		body[complete ? '@odata.deltaLink' : '@odata.nextLink'] = link;
		body.value = value;
		return { body, headers: { 'Preference-Applied': `odata.maxpagesize=${pageSize}` } };
	}
}

export function answerDelta(ctx: DeltaContext, target: DeltaTarget): DeltaAnswer {
	return new DeltaRound(ctx, target).answer();
}
