/**
 * Reads a Graph delta round: pages linked by `@odata.nextLink` (opaque `$skiptoken` / `token` links, followed
 * verbatim) until one carries the `@odata.deltaLink` that the next round starts from. Pure: the caller passes the
 * page fetcher and takes each page as it comes. The rules of the window reader hold: a link seen twice
 * in one read, a page with neither link, or more requests than the read may make are errors (paging that would
 * never end); no new page is requested at or after the deadline, and a read may stop once the caller has enough.
 * A round cut short hands back the nextLink it stopped at, so a later poll can go on from there.
 */
import type { DeltaRequest } from './deltaConfig';
import { PagingError } from './errors';

export interface DeltaPage {
	records: unknown[];
	nextLink?: string;
	deltaLink?: string;
	/** The server's clock (HTTP Date header), when it sent one. */
	serverTimeMs?: number;
}

export type FetchDelta = (request: DeltaRequest) => Promise<DeltaPage>;

/** Graph no longer has the sync state behind a link (410 Gone, syncStateNotFound…): the round must start over. */
export class DeltaSyncLostError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'DeltaSyncLostError';
	}
}

/** The collection behind a delta link no longer exists (404: a mail folder that was deleted). */
export class DeltaCollectionGoneError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'DeltaCollectionGoneError';
	}
}

interface RoundLimits {
	maxRequests: number;
	deadlineMs: number;
	clock: () => number;
	/** True once the caller has taken enough for this poll. */
	enough: () => boolean;
}

export interface RoundRead {
	/** `delta`: the round ended (link is its deltaLink); `quota` / `deadline`: cut short (link is the next page). */
	end: 'delta' | 'quota' | 'deadline';
	link: string;
	requests: number;
	/** The Date header of the first answer. */
	serverTimeMs?: number;
}

export async function readRound(
	fetchDelta: FetchDelta,
	first: DeltaRequest,
	takePage: (page: DeltaPage) => void,
	limits: RoundLimits,
): Promise<RoundRead> {
	const followed = new Set<string>();
	let request = first;
	let requests = 0;
	let serverTimeMs: number | undefined;
	for (;;) {
		if (requests >= limits.maxRequests) {
			throw new PagingError(`Reading the delta round took more than ${limits.maxRequests} requests without reaching its deltaLink; the server's paging does not converge`);
		}
		requests++;
		const page = await fetchDelta(request);
		if (requests === 1) serverTimeMs = page.serverTimeMs;
		takePage(page);
		if (page.deltaLink) return { end: 'delta', link: page.deltaLink, requests, serverTimeMs };
		if (!page.nextLink) throw new PagingError('A delta answer carried neither @odata.nextLink nor @odata.deltaLink; the round cannot go on');
		if (followed.has(page.nextLink)) throw new PagingError('The server answered with the same @odata.nextLink twice; its paging would never end');
		followed.add(page.nextLink);
		if (limits.enough()) return { end: 'quota', link: page.nextLink, requests, serverTimeMs };
		if (limits.clock() >= limits.deadlineMs) return { end: 'deadline', link: page.nextLink, requests, serverTimeMs };
		request = { url: page.nextLink, pageSize: first.pageSize };
	}
}
