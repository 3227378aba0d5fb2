/**
 * Reads one poll's window so that no record present for the whole read is missed, whatever the server does
 * between two page requests. Pure: the caller passes the page fetcher, the clock and the record reader.
 *
 * Graph pages mail, events and contacts by offset (`$skip` in `@odata.nextLink`). When a record on a page
 * already read changes, moves or disappears before the next page is fetched, every later record shifts one
 * place and the one at the page boundary is never returned. So offset pages are not trusted blindly:
 *
 * - Each next page is requested with one record of overlap (`$skip` = records read − 1). Its first record must
 *   be the last record of the page before (same id, same date); then no record shifted across that boundary.
 * - When it is not, the read restarts from the second of the last verified record (sorted windows: everything
 *   older was read completely) or from the beginning (unsorted collections).
 * - Records sharing one second come back in no promised order. When a restart makes no progress because one
 *   second holds a full page, that second is read on its own with the largest page the API allows: one answer is
 *   one snapshot, so a group that fits is read completely; a larger group is read page by page with the same
 *   overlap check, and if it cannot be verified its second is reported as unproven (the caller keeps its
 *   window open there, so nothing is lost, and reads it again next time).
 * - A nextLink that is not offset-based (a server cursor such as `$skiptoken`) is followed verbatim; a link
 *   seen twice in one read is an error, and the number of requests per read is bounded.
 */
import type { ListRequest } from './odataQuery';

export interface FetchedPage {
	records: unknown[];
	/** `@odata.nextLink`. */
	nextLink?: string;
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
	/** The first request of a read from `sinceMs` (optionally only dates before `beforeMs`, with another page size). */
	request(sinceMs: number, options?: { beforeMs?: number; top?: number }): ListRequest;
	/** True when the server filters on `date ge since` and sorts by that date, so a read can restart mid-window. */
	sorted: boolean;
	/** The largest page the API accepts: one snapshot for a group of records sharing one second. */
	maxPageSize: number;
}

export interface WindowReader {
	/** Reads a record's position (throws for a record without id or date). */
	position(record: unknown): RecordPosition;
	/** Takes the records of a verified page (records may come again after a restart; keep the newest). */
	accept(records: unknown[]): void;
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

/** Restarts of an unsorted read, and attempts at one group of records sharing a second, before giving up proving. */
const MAX_ATTEMPTS = 3;
const SECOND = 1000;

type ChainEnd = { kind: 'complete' | 'quota' | 'deadline' } | { kind: 'shifted'; lastMs: number };

const floorSecond = (ms: number) => Math.floor(ms / SECOND) * SECOND;

/** The `$skip` of an offset nextLink, or undefined for any other kind of link. */
function offsetOf(nextLink: string): number | undefined {
	const match = /[?&](?:\$|%24)skip=(\d+)(?:&|$)/i.exec(nextLink);
	return match ? Number(match[1]) : undefined;
}

function withSkip(request: ListRequest, skip: number): ListRequest {
	return { url: request.url, qs: { ...request.qs, $skip: String(skip) } };
}

export async function readWindow(
	fetchPage: FetchPage,
	source: WindowSource,
	sinceMs: number,
	reader: WindowReader,
	limits: ReadLimits,
): Promise<ReadResult> {
	let requests = 0;
	let serverTimeMs: number | undefined;
	const fetchCounted = async (request: ListRequest): Promise<FetchedPage> => {
		if (requests >= limits.maxRequests) {
			throw new PagingError(
				`Reading the window took more than ${limits.maxRequests} requests without reaching its end; the server's paging does not converge`,
			);
		}
		requests++;
		const page = await fetchPage(request);
		if (requests === 1) serverTimeMs = page.serverTimeMs;
		return page;
	};
	const result = (end: ReadResult['end'], unprovenFromMs?: number): ReadResult => ({
		requests,
		serverTimeMs,
		end,
		unprovenFromMs,
	});

	/** One chain of pages from `first`; pages are handed over only once their first record proves no shift. */
	const readChain = async (first: ListRequest): Promise<ChainEnd> => {
		let page = await fetchCounted(first);
		reader.accept(page.records);
		let skip = 0;
		const linksFollowed = new Set<string>();
		for (;;) {
			if (!page.nextLink) return { kind: 'complete' };
			if (source.sorted && reader.enough()) return { kind: 'quota' };
			if (limits.clock() >= limits.deadlineMs) return { kind: 'deadline' };
			const offset = offsetOf(page.nextLink);
			if (offset === undefined || page.records.length < 2) {
				// A server cursor: nothing to verify, but it must move.
				if (linksFollowed.has(page.nextLink)) {
					throw new PagingError('The server answered with the same @odata.nextLink twice; its paging would never end');
				}
				linksFollowed.add(page.nextLink);
				page = await fetchCounted({ url: page.nextLink });
				reader.accept(page.records);
				continue;
			}
			const last = reader.position(page.records[page.records.length - 1]);
			skip += page.records.length - 1;
			const next = await fetchCounted(withSkip(first, skip));
			const head = next.records[0];
			const headPosition = head === undefined ? undefined : reader.position(head);
			if (headPosition?.key !== last.key || headPosition.trackedMs !== last.trackedMs) {
				return { kind: 'shifted', lastMs: last.trackedMs };
			}
			reader.accept(next.records);
			page = next;
		}
	};

	if (!source.sorted) {
		for (let attempt = 1; ; attempt++) {
			const end = await readChain(source.request(sinceMs));
			if (end.kind === 'complete') return result('complete');
			// Unsorted: an early stop or an unverifiable read proves nothing about the rest of the window.
			if (end.kind !== 'shifted' || attempt >= MAX_ATTEMPTS) return result('complete', sinceMs);
		}
	}

	let unprovenFromMs: number | undefined;
	let seekMs = sinceMs;
	for (;;) {
		const end = await readChain(source.request(seekMs));
		if (end.kind !== 'shifted') return result(end.kind, unprovenFromMs);
		const restartMs = floorSecond(end.lastMs);
		if (limits.clock() >= limits.deadlineMs) return result('deadline', unprovenFromMs);
		if (restartMs > floorSecond(seekMs)) {
			// Everything before that second was read completely.
			seekMs = restartMs;
			continue;
		}
		// One second holds at least a page: read it as a group of its own.
		const groupEnd = await readGroup(readChain, source, restartMs);
		if (groupEnd === 'unproven') unprovenFromMs ??= restartMs;
		else if (groupEnd !== 'complete') return result(groupEnd, unprovenFromMs);
		seekMs = restartMs + SECOND;
	}
}

async function readGroup(
	readChain: (first: ListRequest) => Promise<ChainEnd>,
	source: WindowSource,
	secondMs: number,
): Promise<'complete' | 'quota' | 'deadline' | 'unproven'> {
	for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
		const end = await readChain(source.request(secondMs, { beforeMs: secondMs + SECOND, top: source.maxPageSize }));
		if (end.kind !== 'shifted') return end.kind;
	}
	return 'unproven';
}
