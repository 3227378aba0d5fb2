/**
 * Reads one poll's window so that no record present for the whole read is missed, whatever the server does
 * between two page requests. Pure: the caller passes the page fetcher, the clock and the record reader.
 *
 * Graph pages mail, events and contacts by offset (`$skip` in `@odata.nextLink`). When a record on a page
 * already read changes, moves or disappears before the next page is fetched, every later record shifts one
 * place and the one at the page boundary is never returned. And Graph promises no order among records with
 * the same date, so two requests may split a same-second group differently. So offset pages are not trusted
 * blindly:
 *
 * - Each next page is requested with one record of overlap (`$skip` = records read − 1). Its first record must
 *   be the last record of the page before (same id, same date), or the read restarts from the second of that
 *   record (sorted windows: every older second was read completely) or from the beginning (unsorted ones).
 * - An overlap proves the boundary for every record except those sharing the boundary record's second (their
 *   order may differ between the two answers). Such a second is settled when the page before holds an older
 *   second and the page after a newer one, when the whole read is proven by counts (`$count`: as many distinct
 *   records as the server counts, no count change, no record seen in two versions), or by reading that second
 *   on its own with the largest page the API allows: one answer is one snapshot. A second larger than that
 *   page is read page by page and must be proven the same way; if it cannot be, its start is reported as
 *   unproven and the caller keeps its window open there (nothing lost, read again next time).
 * - A nextLink that is not offset-based (a server cursor such as `$skiptoken`) is followed verbatim; a link
 *   seen twice in one read is an error, and the number of requests per read is bounded.
 */
import type { ListRequest } from './odataQuery';

export interface FetchedPage {
	records: unknown[];
	/** `@odata.nextLink`. */
	nextLink?: string;
	/** `@odata.count`: records matching the request's filter, when asked for (`$count=true`). */
	count?: number;
	/** The server's clock (HTTP Date header), when it sent one. */
	serverTimeMs?: number;
}

export type FetchPage = (request: ListRequest) => Promise<FetchedPage>;

/** Where a record sits in the window: its identity and its tracked date. */
export interface RecordPosition {
	key: string;
	trackedMs: number;
}

export interface WindowSource {
	/** A request for the records dated at or after `sinceMs` (and before `beforeMs`), `top` per page. */
	request(sinceMs: number, options?: { beforeMs?: number; top?: number; count?: boolean }): ListRequest;
	/** True when the server filters on `date ge since` and sorts by that date, so a read can restart mid-window. */
	sorted: boolean;
	/** True when the server answers `$count=true` with `@odata.count`. */
	countable: boolean;
	/** The largest page the API accepts: one snapshot for a group of records sharing one second. */
	maxPageSize: number;
}

export interface WindowReader {
	/** Reads a record's position (throws for a record without id or date). */
	position(record: unknown): RecordPosition;
	/** Takes the records of a page (they may come again after a restart; keep the newest); returns their positions. */
	accept(records: unknown[]): RecordPosition[];
	/** True once enough was read for this poll (sorted windows only: later pages are all newer). */
	enough(): boolean;
}

export interface ReadLimits {
	/** Requests allowed for one read. */
	maxRequests: number;
	/** No new page is requested at or after this instant (`clock()`), so a poll ends within n8n's budget. */
	deadlineMs: number;
	clock: () => number;
}

export interface ReadResult {
	requests: number;
	/** The Date header of the first answer. */
	serverTimeMs?: number;
	/** `complete`: everything was read; `quota`: stopped because `enough()`; `deadline`: stopped for time. */
	end: 'complete' | 'quota' | 'deadline';
	/** Start of a region that could not be proven complete: the next window must begin at or before it. */
	unprovenFromMs?: number;
}

/** Paging that cannot end: a repeated nextLink, or more requests than one read may make. */
export class PagingError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'PagingError';
	}
}

/** Restarts of an unsorted read, and attempts at one oversized second, before giving up proving. */
const MAX_ATTEMPTS = 3;
const SECOND = 1000;

const secondOf = (ms: number) => Math.floor(ms / SECOND) * SECOND;

/** What one chain of pages saw. */
interface Chain {
	end: 'complete' | 'quota' | 'deadline' | 'shifted';
	/** For `shifted`: the date of the last record whose position was verified. */
	lastMs?: number;
	/** Seconds whose records may be split differently by two answers (the chain cannot vouch for them). */
	suspects: Set<number>;
	/** Every answer counted the same number of records, and no record came in two versions. */
	steady: boolean;
	/** The count of the last answer, when asked for. */
	count?: number;
	/** Distinct records received, with the date each was received at. */
	received: Map<string, number>;
}

/** The `$skip` of an offset nextLink, or undefined for any other kind of link. */
function offsetOf(nextLink: string): number | undefined {
	const match = /[?&](?:\$|%24)skip=(\d+)(?:&|$)/i.exec(nextLink);
	return match ? Number(match[1]) : undefined;
}

function withSkip(request: ListRequest, skip: number): ListRequest {
	return { url: request.url, qs: { ...request.qs, $skip: String(skip) } };
}

class Read {
	requests = 0;
	serverTimeMs?: number;
	unprovenFromMs?: number;

	constructor(
		private readonly fetchPage: FetchPage,
		private readonly source: WindowSource,
		private readonly reader: WindowReader,
		private readonly limits: ReadLimits,
	) {}

	timeIsUp(): boolean {
		return this.limits.clock() >= this.limits.deadlineMs;
	}

	markUnproven(ms: number): void {
		this.unprovenFromMs = Math.min(this.unprovenFromMs ?? Infinity, ms);
	}

	async fetch(request: ListRequest): Promise<FetchedPage> {
		if (this.requests >= this.limits.maxRequests) {
			throw new PagingError(
				`Reading the window took more than ${this.limits.maxRequests} requests without reaching its end; the server's paging does not converge`,
			);
		}
		this.requests++;
		const page = await this.fetchPage(request);
		if (this.requests === 1) this.serverTimeMs = page.serverTimeMs;
		return page;
	}

	/** One chain of pages from `first`, each next page overlapping the one before by a record. */
	async chain(first: ListRequest, stopEarly: boolean): Promise<Chain> {
		const chain: Chain = { end: 'complete', suspects: new Set(), steady: true, received: new Map() };
		let positions: RecordPosition[] = [];
		const take = (page: FetchedPage): void => {
			if (page.count !== undefined) {
				if (chain.count !== undefined && chain.count !== page.count) chain.steady = false;
				chain.count = page.count;
			}
			positions = this.reader.accept(page.records);
			for (const { key, trackedMs } of positions) {
				const before = chain.received.get(key);
				if (before !== undefined && before !== trackedMs) chain.steady = false;
				chain.received.set(key, trackedMs);
			}
		};
		let page = await this.fetch(first);
		take(page);
		let skip = 0;
		const linksFollowed = new Set<string>();
		for (;;) {
			if (!page.nextLink) return chain;
			if (stopEarly && this.reader.enough()) return { ...chain, end: 'quota' };
			if (this.timeIsUp()) return { ...chain, end: 'deadline' };
			if (offsetOf(page.nextLink) === undefined || page.records.length < 2) {
				// A server cursor: nothing to verify, but it must move.
				if (linksFollowed.has(page.nextLink)) {
					throw new PagingError('The server answered with the same @odata.nextLink twice; its paging would never end');
				}
				linksFollowed.add(page.nextLink);
				page = await this.fetch({ url: page.nextLink });
				take(page);
				continue;
			}
			const last = positions[positions.length - 1];
			const olderOnPage = positions[0].trackedMs < secondOf(last.trackedMs);
			skip += page.records.length - 1;
			const next = await this.fetch(withSkip(first, skip));
			const head = next.records[0] === undefined ? undefined : this.reader.position(next.records[0]);
			if (head?.key !== last.key || head.trackedMs !== last.trackedMs) return { ...chain, end: 'shifted', lastMs: last.trackedMs };
			const after = next.records[1] === undefined ? undefined : this.reader.position(next.records[1]);
			const newerAfter = after === undefined || secondOf(after.trackedMs) > secondOf(last.trackedMs);
			if (this.source.sorted && !(olderOnPage && newerAfter)) chain.suspects.add(secondOf(last.trackedMs));
			take(next);
			page = next;
		}
	}

	/** A chain that completed with as many distinct records as the server counted, steadily: nothing missed. */
	static provenByCount(chain: Chain): boolean {
		return chain.end === 'complete' && chain.steady && chain.count !== undefined && chain.received.size === chain.count;
	}

	/** Settles one second: one snapshot when it fits a page, else a counted chain of its own. */
	async readSecond(secondMs: number): Promise<'proven' | 'unproven' | 'deadline'> {
		for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
			if (this.timeIsUp()) return 'deadline';
			const request = this.source.request(secondMs, {
				beforeMs: secondMs + SECOND,
				top: this.source.maxPageSize,
				count: this.source.countable,
			});
			const chain = await this.chain(request, false);
			if (chain.end === 'deadline') return 'deadline';
			if (chain.end === 'complete' && (chain.suspects.size === 0 || Read.provenByCount(chain) || !this.source.countable)) {
				// Without counts, a chain whose every overlap held is taken as proof (the server keeps its order).
				return 'proven';
			}
		}
		return 'unproven';
	}

	/** After a chain that stopped early: are its suspect seconds proven by counting them at once? */
	async provenByPrefixCount(chain: Chain, seekMs: number): Promise<boolean> {
		if (!this.source.countable || !chain.steady || chain.suspects.size === 0) return false;
		const untilMs = Math.max(...chain.suspects) + SECOND;
		const page = await this.fetch(this.source.request(seekMs, { beforeMs: untilMs, top: 1, count: true }));
		let received = 0;
		for (const trackedMs of chain.received.values()) if (trackedMs >= secondOf(seekMs) && trackedMs < untilMs) received++;
		return page.count === received;
	}
}

export async function readWindow(
	fetchPage: FetchPage,
	source: WindowSource,
	sinceMs: number,
	reader: WindowReader,
	limits: ReadLimits,
): Promise<ReadResult> {
	const read = new Read(fetchPage, source, reader, limits);
	const result = (end: ReadResult['end']): ReadResult => ({
		requests: read.requests,
		serverTimeMs: read.serverTimeMs,
		end,
		unprovenFromMs: read.unprovenFromMs,
	});

	if (!source.sorted) {
		for (let attempt = 1; ; attempt++) {
			const chain = await read.chain(source.request(sinceMs), false);
			if (chain.end === 'complete') return result('complete');
			// Unsorted: an early stop or an unverifiable read proves nothing about the rest of the window.
			if (chain.end !== 'shifted' || attempt >= MAX_ATTEMPTS) {
				read.markUnproven(sinceMs);
				return result('complete');
			}
		}
	}

	const suspects = new Set<number>();
	let seekMs = sinceMs;
	let end: ReadResult['end'];
	for (;;) {
		const chain = await read.chain(source.request(seekMs, { count: source.countable }), true);
		if (chain.end === 'shifted') {
			const restartMs = secondOf(chain.lastMs!);
			for (const second of chain.suspects) if (second < restartMs) suspects.add(second);
			if (read.timeIsUp()) {
				read.markUnproven(restartMs);
				end = 'deadline';
				break;
			}
			if (restartMs > secondOf(seekMs)) {
				// Everything before that second was read; the new chain reads that second again.
				seekMs = restartMs;
				continue;
			}
			// One second holds at least a page: settle it on its own, then go on after it.
			const second = await read.readSecond(restartMs);
			if (second !== 'proven') read.markUnproven(restartMs);
			if (second === 'deadline') {
				end = 'deadline';
				break;
			}
			seekMs = restartMs + SECOND;
			continue;
		}
		const vouched = Read.provenByCount(chain) || (chain.end === 'quota' && (await read.provenByPrefixCount(chain, seekMs)));
		if (!vouched) for (const second of chain.suspects) suspects.add(second);
		end = chain.end;
		break;
	}
	for (const second of [...suspects].sort((a, b) => a - b)) {
		if (read.unprovenFromMs !== undefined && second >= read.unprovenFromMs) break;
		if ((await read.readSecond(second)) !== 'proven') read.markUnproven(second);
	}
	return result(end);
}
