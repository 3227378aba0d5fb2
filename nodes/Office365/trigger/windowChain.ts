/**
 * One chain of offset pages, each next page overlapping the one before by a record (see windowReader.ts), and
 * the settling of one second on its own: the request-counting read that readWindow drives.
 */
import type { ListRequest } from './odataQuery';
import { PagingError } from './errors';
import type { FetchedPage, FetchPage, ReadLimits, RecordPosition, WindowReader, WindowSource } from './windowReader';

/** Restarts of an unsorted read, and attempts at one oversized second, before giving up proving. */
export const MAX_ATTEMPTS = 3;
export const SECOND = 1000;

export const secondOf = (ms: number) => Math.floor(ms / SECOND) * SECOND;

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

export class Read {
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
