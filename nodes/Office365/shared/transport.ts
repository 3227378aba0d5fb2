/**
 * The one place that sends HTTP requests through n8n: Graph GETs (credential-derived base URL, host
 * and base-path guard, OAuth2 with n8n's refresh on 401) and Event Forward's POSTs. Every attempt
 * has a wall-clock deadline and follows the execution's cancellation; bodies are read up to a limit;
 * redirects are never followed; retries come from retryPolicy.ts.
 */
import type {
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
	ILoadOptionsFunctions,
	IPollFunctions,
	ITriggerFunctions,
	IWebhookFunctions,
} from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';

import { resolveGraphEndpoints, type GraphEndpoints } from './clouds';
import { Office365ConfigError } from './configError';
import { describeGraphFailure } from './graphErrors';
import { ForeignHostError, resolveGraphUrl } from './graphUrl';
import { apiError } from './nodeErrors';
import { isRetryableFailure, type HttpFailure, type PostRequest, type PostResponse } from './http';
import { attemptSignal, beforeAbort, cancelSignalsOf, failureOf, linkSignals, withAttemptSignal, type AttemptSignal } from './requestAttempt';
import { parseJson, readAtMost } from './responseBody';
import {
	GRAPH_RETRY_POLICY,
	parseRetryAfterMs,
	runWithRetries,
	type AttemptContext,
	type AttemptOutcome,
	type RetryPolicy,
	type RetryResult,
} from './retryPolicy';
import { preview } from './text';

const CREDENTIAL_TYPE = 'office365OAuth2Api';

/** Largest Graph answer read: a page of 1000 full messages is a few MB; beyond this it is refused. */
const GRAPH_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;
/** Of a receiver's answer, only a 120-character preview is used. */
const RESPONSE_PREVIEW_BYTES = 1024;

export type GraphContext =
	| IPollFunctions
	| ILoadOptionsFunctions
	| IExecuteFunctions
	| IHookFunctions
	| ITriggerFunctions
	| IWebhookFunctions;

export interface GraphResponse {
	body: IDataObject;
	/** Lower-cased response headers. */
	headers: Record<string, string>;
	statusCode: number;
	/** Attempts used, 1 when the first one succeeded. */
	attempts: number;
}

export interface GraphRequest {
	/** Default GET. */
	method?: 'GET' | 'POST' | 'PATCH' | 'DELETE';
	/** Path relative to {graph}/v1.0, or an absolute URL under the credential's Graph root. */
	url: string;
	/** Sent as JSON (POST, PATCH). */
	body?: IDataObject;
	qs?: Record<string, string>;
	headers?: Record<string, string>;
	retryPolicy?: RetryPolicy;
	/** Ends the request and its retry waits early (an execution's cancel signal is followed anyway). */
	abortSignal?: AbortSignal;
}

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

function lowerCaseHeaders(headers: unknown): Record<string, string> {
	const result: Record<string, string> = {};
	if (headers && typeof headers === 'object') {
		for (const [name, value] of Object.entries(headers as Record<string, unknown>)) {
			if (value !== undefined) result[name.toLowerCase()] = String(value);
		}
	}
	return result;
}


async function sendWithSignal(
	context: GraphContext,
	options: IHttpRequestOptions,
	signal: AbortSignal,
	credentialType: string | undefined,
): Promise<IN8nHttpFullResponse> {
	const call =
		credentialType === undefined
			? context.helpers.httpRequest(options)
			: context.helpers.httpRequestWithAuthentication.call(withAttemptSignal(context, signal), credentialType, options);
	return await beforeAbort(call as Promise<IN8nHttpFullResponse>, signal);
}

type GraphAnswer = Omit<GraphResponse, 'attempts'>;

/** Turns one answer's body into the value a caller wants, or a failure (never retried). */
type BodyReader<T> = (response: IN8nHttpFullResponse, signal: AbortSignal) => Promise<AttemptOutcome<T, HttpFailure>>;

async function graphAttempt<T>(
	context: GraphContext,
	url: string,
	request: GraphRequest,
	{ timeoutMs }: AttemptContext,
	cancels: readonly AbortSignal[],
	read: BodyReader<T>,
): Promise<AttemptOutcome<T, HttpFailure>> {
	if (cancels.some((cancel) => cancel.aborted)) return { ok: false, failure: { kind: 'cancelled' }, retryable: false };
	const attempt = attemptSignal(timeoutMs, cancels);
	try {
		return await graphExchange(context, url, request, timeoutMs, attempt, read);
	} finally {
		attempt.release();
	}
}

/** The JSON object of a Graph answer, read up to GRAPH_MAX_RESPONSE_BYTES. */
async function readJsonAnswer(response: IN8nHttpFullResponse, signal: AbortSignal): Promise<AttemptOutcome<GraphAnswer, HttpFailure>> {
	const { bytes, truncated } = await readAtMost(response.body, GRAPH_MAX_RESPONSE_BYTES, signal);
	if (truncated) return { ok: false, failure: { kind: 'tooLarge', limitBytes: GRAPH_MAX_RESPONSE_BYTES }, retryable: false };
	const body = bytes.length === 0 ? {} : parseJson(bytes);
	if (!body || typeof body !== 'object' || Array.isArray(body)) {
		const text = `the answer (HTTP ${response.statusCode}) is not a JSON object: ${preview(bytes.toString('utf8'), 80)}`;
		return { ok: false, failure: { kind: 'other', message: text }, retryable: false };
	}
	return {
		ok: true,
		value: { body: body as IDataObject, headers: lowerCaseHeaders(response.headers), statusCode: response.statusCode },
	};
}

async function graphExchange<T>(
	context: GraphContext,
	url: string,
	request: GraphRequest,
	timeoutMs: number,
	attempt: AttemptSignal,
	read: BodyReader<T>,
): Promise<AttemptOutcome<T, HttpFailure>> {
	const { signal } = attempt;
	const options: IHttpRequestOptions = {
		method: request.method ?? 'GET',
		url,
		qs: request.qs,
		headers: { Accept: 'application/json', ...(request.body ? { 'Content-Type': 'application/json' } : {}), ...request.headers },
		...(request.body ? { body: JSON.stringify(request.body) } : {}),
		returnFullResponse: true,
		// Read by readAtMost, so a huge answer is never buffered whole.
		encoding: 'stream',
		// An idle timeout inside axios; the signal is the wall-clock deadline.
		timeout: timeoutMs,
		abortSignal: signal,
		// A redirect could carry the bearer token to another host.
		disableFollowRedirect: true,
	};
	let failure: HttpFailure;
	try {
		const response = await sendWithSignal(context, options, signal, CREDENTIAL_TYPE);
		return await read(response, signal);
	} catch (error) {
		failure = await failureOf(error, attempt);
	}
	const retryAfterMs = failure.kind === 'status' ? parseRetryAfterMs(failure.retryAfter, Date.now()) : undefined;
	return { ok: false, failure, retryable: isRetryableFailure(failure), retryAfterMs };
}

/** GET one Graph page (or any Graph GET) with retries. Throws NodeApiError / NodeOperationError. */
export async function graphGet(this: GraphContext, request: Omit<GraphRequest, 'method' | 'body'>): Promise<GraphResponse> {
	return await graphRequest.call(this, request);
}

/** One Graph call with retries. Throws NodeApiError / NodeOperationError. */
export async function graphRequest(this: GraphContext, request: GraphRequest): Promise<GraphResponse> {
	const { value, attempts } = await graphCall(this, request, readJsonAnswer);
	return { ...value, attempts };
}

/**
 * GET raw bytes (an attachment's `$value`) with the same guards and retries. An answer longer than `maxBytes`
 * is refused: the caller knows from the metadata how large the content is.
 */
export async function graphGetBytes(this: GraphContext, request: Omit<GraphRequest, 'method' | 'body'> & { maxBytes: number }): Promise<Buffer> {
	const { value } = await graphCall(this, request, async (response, signal) => {
		const { bytes, truncated } = await readAtMost(response.body, request.maxBytes, signal);
		if (truncated) return { ok: false, failure: { kind: 'tooLarge', limitBytes: request.maxBytes }, retryable: false };
		return { ok: true, value: bytes };
	});
	return value;
}

/** One Graph call: the credential's URL guard, n8n's OAuth2, the retry engine, and one error naming URL and status. */
async function graphCall<T>(context: GraphContext, request: GraphRequest, read: BodyReader<T>): Promise<{ value: T; attempts: number }> {
	const endpoints = await getGraphEndpoints.call(context);
	let url: string;
	try {
		url = resolveGraphUrl(endpoints.apiBaseUrl, endpoints.graphBaseUrl, request.url);
	} catch (error) {
		if (error instanceof ForeignHostError) {
			throw new NodeOperationError(context.getNode(), error.message, {
				description: 'Use a path relative to the Graph API root, such as /me/messages.',
			});
		}
		throw new NodeOperationError(context.getNode(), error as Error);
	}
	const policy = request.retryPolicy ?? GRAPH_RETRY_POLICY;
	const cancels = cancelSignalsOf(context, request.abortSignal);
	const waits = linkSignals(cancels);
	let result: RetryResult<T, HttpFailure>;
	try {
		result = await runWithRetries(
			async (attempt) => await graphAttempt(context, url, request, attempt, cancels, read),
			policy,
			// A cancelled wait just ends early; the next attempt then reports the cancellation.
			async (ms) => await sleep(ms, waits.signal).catch(() => undefined),
		);
	} finally {
		waits.release();
	}
	if (result.ok) return { value: result.value, attempts: result.attempts };
	const text = describeGraphFailure({ ...result, url, method: request.method }, endpoints, policy);
	throw apiError(context.getNode(), text.message, { description: text.description, httpCode: text.httpCode });
}

/**
 * One attempt of a POST for Event Forward: any HTTP answer is returned (redirects are not
 * followed), only its first bytes are read; failures without an answer are classified.
 */
export async function sendPost(
	context: IExecuteFunctions,
	request: PostRequest,
	{ timeoutMs }: AttemptContext,
): Promise<PostResponse | HttpFailure> {
	const attempt = attemptSignal(timeoutMs, cancelSignalsOf(context));
	const { signal } = attempt;
	const options: IHttpRequestOptions = {
		method: 'POST',
		url: request.url,
		body: request.body,
		headers: request.headers,
		timeout: timeoutMs,
		abortSignal: signal,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		// A redirected POST can turn into a GET, and the signature must not go elsewhere.
		disableFollowRedirect: true,
		encoding: 'stream',
		json: false,
	};
	try {
		const response = await sendWithSignal(context, options, signal, request.credentialType);
		const { bytes, truncated } = await readAtMost(response.body, RESPONSE_PREVIEW_BYTES, signal);
		return {
			kind: 'response',
			statusCode: response.statusCode,
			headers: response.headers ?? {},
			bodyPreview: preview(`${bytes.toString('utf8')}${truncated ? '…' : ''}`, 120),
		};
	} catch (error) {
		return await failureOf(error, attempt);
	} finally {
		attempt.release();
	}
}
