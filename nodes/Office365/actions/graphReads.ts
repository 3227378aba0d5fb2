/**
 * How both Office 365 triggers read Graph collections: pages of a timestamp window, pages of a delta round (Graph's
 * "sync state lost" and "collection gone" answers become the errors the delta engine handles), and which stored delta
 * links may still be used. Every page, its retries and waits included, ends by the caller's deadline.
 */
import { NodeOperationError } from 'n8n-workflow';

import { ForeignHostError, resolveGraphUrl } from '../shared/graphUrl';
import { GRAPH_RETRY_POLICY, type RetryPolicy } from '../shared/retryPolicy';
import { getGraphEndpoints, graphGet, type GraphContext } from '../shared/transport';
import { DeltaCollectionGoneError, DeltaSyncLostError, type FetchDelta } from '../trigger/deltaRound';
import { settle } from '../trigger/errors';
import type { FetchPage } from '../trigger/windowReader';

/** Graph's answers when it no longer holds a delta round's sync state. */
const SYNC_STATE_LOST = /\b(syncStateNotFound|syncStateInvalid|resyncRequired)\b/i;

/** Every request of a read, its retries and waits included, ends by the deadline (within n8n's poll budget). */
export function pageRetryPolicy(deadlineMs: number): RetryPolicy {
	const remainingMs = Math.max(1_000, deadlineMs - Date.now());
	return {
		...GRAPH_RETRY_POLICY,
		attemptTimeoutMs: Math.min(GRAPH_RETRY_POLICY.attemptTimeoutMs, remainingMs),
		maxTotalTimeMs: Math.min(GRAPH_RETRY_POLICY.maxTotalTimeMs, remainingMs),
	};
}

/** Pages of a collection read by timestamp. */
export function pageFetcher(context: GraphContext, deadlineMs: number): FetchPage {
	return async (request) => {
		const response = await graphGet.call(context, { url: request.url, qs: request.qs, retryPolicy: pageRetryPolicy(deadlineMs) });
		const value = response.body.value;
		if (!Array.isArray(value)) {
			throw new NodeOperationError(
				context.getNode(),
				`The response of ${request.url.split('?')[0]} has no "value" array`,
				{ description: 'The URL must point at a collection (a list of records), such as /me/messages.' },
			);
		}
		const nextLink = response.body['@odata.nextLink'];
		const count = response.body['@odata.count'];
		const date = Date.parse(response.headers.date ?? '');
		return {
			records: value,
			nextLink: typeof nextLink === 'string' ? nextLink : undefined,
			count: typeof count === 'number' ? count : undefined,
			serverTimeMs: Number.isNaN(date) ? undefined : date,
		};
	};
}

/** Graph's "sync state lost" and "not found" answers as the errors the delta engine handles; others as they are. */
function deltaFailure(error: unknown): unknown {
	const status = Number((error as { httpCode?: unknown }).httpCode);
	const message = (error as Error).message ?? '';
	if (status === 410 || SYNC_STATE_LOST.test(message)) return new DeltaSyncLostError(message);
	if (status === 404) return new DeltaCollectionGoneError(message);
	return error;
}

/** Pages of a delta round; Graph's "sync state lost" and "collection gone" answers become errors the engine handles. */
export function deltaFetcher(context: GraphContext, deadlineMs: number): FetchDelta {
	return async (request) => {
		const headers = request.pageSize ? { Prefer: `odata.maxpagesize=${request.pageSize}` } : undefined;
		const retryPolicy = pageRetryPolicy(deadlineMs);
		const outcome = await settle(async () => await graphGet.call(context, { url: request.url, qs: request.qs, headers, retryPolicy }));
		if ('error' in outcome) throw deltaFailure(outcome.error);
		const { body, headers: responseHeaders } = outcome.value;
		if (!Array.isArray(body.value)) {
			throw new NodeOperationError(context.getNode(), `The response of ${request.url.split('?')[0]} has no "value" array`, {
				description: 'A delta URL must point at a delta function, such as /me/contactFolders/{id}/contacts/delta.',
			});
		}
		const link = (name: string) => (typeof body[name] === 'string' ? (body[name] as string) : undefined);
		const date = Date.parse(responseHeaders.date ?? '');
		return {
			records: body.value,
			nextLink: link('@odata.nextLink'),
			deltaLink: link('@odata.deltaLink'),
			serverTimeMs: Number.isNaN(date) ? undefined : date,
		};
	};
}

/** Stored delta links the transport would refuse (another Graph host: the credential changed cloud) are not used. */
export async function linkChecker(context: GraphContext): Promise<(link: string) => boolean> {
	const endpoints = await getGraphEndpoints.call(context);
	return (link) => {
		try {
			resolveGraphUrl(endpoints.apiBaseUrl, endpoints.graphBaseUrl, link);
		} catch (error) {
			if (error instanceof ForeignHostError) return false;
		}
		return true;
	};
}
