/**
 * The one place that talks to Microsoft Graph: credential-derived base URL, host guard,
 * OAuth2 (n8n refreshes the token on 401 inside httpRequestWithAuthentication), bounded retries
 * on throttling and transient failures honouring Retry-After, waits through n8n-workflow's sleep.
 */
import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
	ILoadOptionsFunctions,
	IPollFunctions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import { classifyTransportError, type HeaderBag, type Send } from '../forward/delivery';
import type { Notification } from '../forward/envelope';
import { preview } from '../forward/errors';
import { WEBHOOK_ID_HEADER } from '../forward/signature';
import { Office365ConfigError, resolveGraphEndpoints, type GraphEndpoints } from './clouds';
import { ForeignHostError, resolveGraphUrl } from './graphUrl';
import { GRAPH_RETRY_POLICY, nextRetryDelayMs, type AttemptFailure, type RetryPolicy } from './retryPolicy';

export const CREDENTIAL_TYPE = 'office365OAuth2Api';
/** Event Forward's credential: its `authenticate` signs each notification body. */
export const SIGNING_CREDENTIAL_TYPE = 'office365EventSigningApi';

export type GraphContext = IPollFunctions | ILoadOptionsFunctions | IExecuteFunctions;

export interface GraphResponse {
	body: IDataObject;
	/** Lower-cased response headers. */
	headers: Record<string, string>;
	statusCode: number;
	/** Attempts used, 1 when the first one succeeded. */
	attempts: number;
}

export interface GraphRequest {
	/** Path relative to {graph}/v1.0, or an absolute URL under the credential's Graph root. */
	url: string;
	qs?: Record<string, string>;
	headers?: Record<string, string>;
	timeoutMs?: number;
	retryPolicy?: RetryPolicy;
}

const DEFAULT_TIMEOUT_MS = 60_000;

/** Graph base URLs of the node's credential; bad credential settings become a NodeOperationError. */
export async function getGraphEndpoints(this: GraphContext): Promise<GraphEndpoints> {
	const credential = await this.getCredentials(CREDENTIAL_TYPE);
	try {
		return resolveGraphEndpoints(credential);
	} catch (error) {
		if (error instanceof Office365ConfigError) {
			throw new NodeOperationError(this.getNode(), error.message, {
				description: 'Fix the Office 365 OAuth2 API credential.',
			});
		}
		throw new NodeOperationError(this.getNode(), error as Error);
	}
}

/** Reads status, Retry-After and network codes off what n8n's HTTP helpers throw (axios errors, possibly wrapped). */
export function describeFailure(error: unknown): AttemptFailure & { body?: unknown } {
	const candidates: Array<Record<string, unknown>> = [];
	let current: unknown = error;
	for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth++) {
		candidates.push(current as Record<string, unknown>);
		current = (current as { cause?: unknown }).cause;
	}
	for (const candidate of candidates) {
		const response = candidate.response as
			| { status?: number; headers?: Record<string, unknown>; data?: unknown }
			| undefined;
		if (response && typeof response.status === 'number') {
			const retryAfter = response.headers?.['retry-after'];
			return {
				status: response.status,
				retryAfter: retryAfter === undefined ? undefined : String(retryAfter),
				body: response.data,
			};
		}
	}
	for (const candidate of candidates) {
		const code = candidate.code;
		if (typeof code === 'string' && /^E[A-Z_]+$/.test(code)) return { networkCode: code };
		const status = Number(candidate.httpCode ?? candidate.statusCode);
		if (Number.isInteger(status) && status >= 100) return { status };
	}
	return {};
}

function lowerCaseHeaders(headers: unknown): Record<string, string> {
	const result: Record<string, string> = {};
	if (headers && typeof headers === 'object') {
		for (const [name, value] of Object.entries(headers as Record<string, unknown>)) {
			if (value !== undefined) result[name.toLowerCase()] = String(value);
		}
	}
	return result;
}

/** The absolute URL of a Graph path or nextLink, refusing any other host (the token goes only there). */
async function graphUrl(context: GraphContext, pathOrUrl: string): Promise<string> {
	const endpoints = await getGraphEndpoints.call(context);
	try {
		return resolveGraphUrl(endpoints.apiBaseUrl, endpoints.graphBaseUrl, pathOrUrl);
	} catch (error) {
		if (error instanceof ForeignHostError) {
			throw new NodeOperationError(context.getNode(), error.message, {
				description: 'Use a path relative to the Graph API root, such as /me/messages.',
			});
		}
		throw new NodeOperationError(context.getNode(), error as Error);
	}
}

type RawResponse = { body: unknown; headers: unknown; statusCode: number };

/** One authenticated GET, retried per the policy (Retry-After honoured, waits through n8n's sleep). */
async function getWithRetries(
	context: GraphContext,
	url: string,
	request: GraphRequest,
	format: Pick<IHttpRequestOptions, 'json' | 'encoding'> & { accept: string },
): Promise<RawResponse & { attempts: number }> {
	const policy = request.retryPolicy ?? GRAPH_RETRY_POLICY;
	let waitedMs = 0;
	for (let attempt = 1; ; attempt++) {
		const options: IHttpRequestOptions = {
			method: 'GET',
			url,
			qs: request.qs,
			headers: { Accept: format.accept, ...request.headers },
			json: format.json,
			encoding: format.encoding,
			returnFullResponse: true,
			timeout: request.timeoutMs ?? DEFAULT_TIMEOUT_MS,
			// A redirect could carry the bearer token to another host.
			disableFollowRedirect: true,
		};
		try {
			const response = (await context.helpers.httpRequestWithAuthentication.call(context, CREDENTIAL_TYPE, options)) as RawResponse;
			return { ...response, attempts: attempt };
		} catch (error) {
			const failure = describeFailure(error);
			const delay = nextRetryDelayMs(failure, attempt, waitedMs, policy, Date.now());
			if (delay === undefined) throw toNodeError(context, error, failure, url, attempt);
			waitedMs += delay;
			await sleep(delay);
		}
	}
}

/** GET one Graph page (or any Graph GET) with retries. Throws NodeApiError / NodeOperationError. */
export async function graphGet(this: GraphContext, request: GraphRequest): Promise<GraphResponse> {
	const url = await graphUrl(this, request.url);
	const response = await getWithRetries(this, url, request, { json: true, accept: 'application/json' });
	const body = response.body && typeof response.body === 'object' ? (response.body as IDataObject) : ({} as IDataObject);
	return { body, headers: lowerCaseHeaders(response.headers), statusCode: response.statusCode, attempts: response.attempts };
}

/**
 * GET raw bytes (an attachment's `$value`) with the same retries. An answer longer than `maxBytes` is refused:
 * the caller knows how large the content should be.
 */
export async function graphGetBytes(this: GraphContext, request: GraphRequest & { maxBytes: number }): Promise<Buffer> {
	const url = await graphUrl(this, request.url);
	const response = await getWithRetries(this, url, request, { json: false, encoding: 'arraybuffer', accept: '*/*' });
	const body = response.body;
	const bytes = Buffer.isBuffer(body) ? body : body instanceof ArrayBuffer ? Buffer.from(body) : Buffer.from(String(body ?? ''), 'utf8');
	if (bytes.length > request.maxBytes) {
		throw new NodeOperationError(this.getNode(), `Microsoft Graph answered ${bytes.length} bytes for GET ${url.split('?')[0]}, more than the ${request.maxBytes} expected`, {
			description: 'The content is larger than its listed size; nothing was emitted and the next poll tries again.',
		});
	}
	return bytes;
}

function graphErrorMessage(body: unknown): { code?: string; message?: string } {
	const inner = (body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
	return {
		code: typeof inner?.code === 'string' ? inner.code : undefined,
		message: typeof inner?.message === 'string' ? inner.message : undefined,
	};
}

function toNodeError(
	context: GraphContext,
	error: unknown,
	failure: AttemptFailure & { body?: unknown },
	url: string,
	attempts: number,
): Error {
	// n8n's OAuth2 helper wraps HTTP failures in a generic NodeApiError; ours names URL, status and attempts.
	if (error instanceof NodeOperationError) return error;
	const safeUrl = url.split('?')[0];
	const graph = graphErrorMessage(failure.body);
	const what = failure.status
		? `Microsoft Graph answered ${failure.status}${graph.code ? ` ${graph.code}` : ''}`
		: `Microsoft Graph could not be reached (${failure.networkCode ?? (error as Error)?.message ?? 'unknown error'})`;
	const message = `${what} for GET ${safeUrl} after ${attempts} attempt${attempts === 1 ? '' : 's'}`;
	const description = graph.message ?? (failure.status === 429 ? 'Throttled by Microsoft Graph; the next poll retries.' : undefined);
	const cause = (error && typeof error === 'object' ? error : { message: String(error) }) as JsonObject;
	const nodeError = new NodeApiError(context.getNode(), cause, {
		message,
		description,
		httpCode: failure.status ? String(failure.status) : undefined,
	});
	// NodeApiError swaps messages of well-known statuses for generic text; ours names URL and attempts.
	nodeError.message = message;
	if (description) nodeError.description = description;
	return nodeError;
}

/**
 * The HTTP call for one notification. Every attempt sends the same pre-serialized body and
 * Elements-Webhook-Id; with signing on, n8n applies the credential's `authenticate`, which adds
 * Elements-Webhook-Signature over exactly these body bytes.
 */
export function notificationSender(
	context: IExecuteFunctions,
	notification: Notification,
	settings: { sign: boolean; extraHeaders: Record<string, string> },
): Send {
	return async ({ timeoutMs }) => {
		const request: IHttpRequestOptions = {
			method: 'POST',
			url: notification.url,
			body: notification.body,
			headers: {
				...settings.extraHeaders,
				'Content-Type': 'application/json',
				[WEBHOOK_ID_HEADER]: notification.webhookId,
			},
			timeout: timeoutMs,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			disableFollowRedirect: true,
			encoding: 'text',
			json: false,
		};
		try {
			const response = (
				settings.sign
					? await context.helpers.httpRequestWithAuthentication.call(context, SIGNING_CREDENTIAL_TYPE, request)
					: await context.helpers.httpRequest(request)
			) as IN8nHttpFullResponse;
			return {
				kind: 'response',
				statusCode: response.statusCode,
				headers: (response.headers ?? {}) as HeaderBag,
				bodyPreview: preview(response.body ?? '', 120),
			};
		} catch (error) {
			return classifyTransportError(error);
		}
	};
}
