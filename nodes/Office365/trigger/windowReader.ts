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
import { MAX_ATTEMPTS, Read, SECOND, secondOf } from './windowChain';

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

/**
 * Reads the window from `sinceMs` by the rules in the header. One function: the restarts of a sorted read and the
 * settling of the seconds it left suspect share one set of suspects and one unproven start.
 */
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
