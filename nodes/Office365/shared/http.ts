/**
 * HTTP terms shared by the Graph transport and Event Forward, and the one classifier of what n8n's
 * HTTP helpers throw (axios errors, the OAuth2 client's errors, either wrapped by n8n in
 * NodeApiError / NodeOperationError). Pure: it reads shapes, so it works with any n8n version's
 * error classes. Only codes, statuses and server-provided texts are kept, never the request (its
 * headers carry the access token or the signature).
 */
import { isRetryableStatus } from './retryPolicy';
import { preview } from './text';

/** A failure without an HTTP answer from the server that was called. */
export type TransportFailure =
	/** The connection could not be made or broke (refused, reset, DNS): worth another try. */
	| { kind: 'network'; code: string; message: string }
	/** No complete answer within the attempt's deadline: worth another try. */
	| { kind: 'timeout'; timeoutMs?: number }
	/** The execution was cancelled. */
	| { kind: 'cancelled' }
	/** Certificate or TLS protocol failure: retrying cannot fix it. */
	| { kind: 'tls'; code: string; message: string }
	/** The identity platform refused to issue a token (OAuth2 `error`, e.g. invalid_client): final. */
	| { kind: 'identity'; error: string; description?: string; status?: number }
	/** n8n found the refresh token revoked or expired (invalid_grant) and asks for a reconnect: final. */
	| { kind: 'reconnect'; message: string; description?: string }
	/** The answer was larger than the caller reads. */
	| { kind: 'tooLarge'; limitBytes: number }
	| { kind: 'other'; code?: string; message: string };

export type HttpFailure =
	| { kind: 'status'; status: number; retryAfter?: string; body?: unknown; url?: string }
	| TransportFailure;

type HeaderBag = Record<string, unknown>;

/** A POST whose body is serialized once, so every attempt sends the same bytes. */
export interface PostRequest {
	url: string;
	body: string;
	headers: Record<string, string>;
	/** Credential whose `authenticate` completes the request (e.g. signs it); none = sent as is. */
	credentialType?: string;
}

/** Any HTTP answer to a POST; whether it counts as success is the caller's rule. */
export interface PostResponse {
	kind: 'response';
	statusCode: number;
	headers: HeaderBag;
	/** The start of the answer's body, for messages. */
	bodyPreview: string;
}

/** Case-insensitive header lookup; the first value of a repeated header. */
export function headerValue(headers: unknown, name: string): string | undefined {
	if (!headers || typeof headers !== 'object') return undefined;
	const wanted = name.toLowerCase();
	for (const [key, value] of Object.entries(headers as HeaderBag)) {
		if (key.toLowerCase() !== wanted) continue;
		if (Array.isArray(value)) return value.length > 0 ? String(value[0]) : undefined;
		if (value === undefined || value === null) return undefined;
		return String(value as string);
	}
	return undefined;
}

export function isRetryableFailure(failure: HttpFailure): boolean {
	if (failure.kind === 'status') return isRetryableStatus(failure.status);
	return failure.kind === 'network' || failure.kind === 'timeout';
}

/** Connection-level codes that a later attempt can get past. */
const NETWORK_CODES = new Set([
	'ECONNREFUSED',
	'ECONNRESET',
	'EPIPE',
	'EHOSTUNREACH',
	'EHOSTDOWN',
	'ENETUNREACH',
	'ENETDOWN',
	'EAI_AGAIN',
	'ENOTFOUND',
	'UND_ERR_SOCKET',
]);
const TIMEOUT_CODES = new Set([
	'ETIMEDOUT',
	'ESOCKETTIMEDOUT',
	'ERR_SOCKET_CONNECTION_TIMEOUT',
	'UND_ERR_CONNECT_TIMEOUT',
	'UND_ERR_HEADERS_TIMEOUT',
	'UND_ERR_BODY_TIMEOUT',
]);
const TLS_CODE = /^(ERR_TLS_|ERR_SSL_|ERR_OSSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT$|SELF_SIGNED_CERT_IN_CHAIN$|EPROTO$|HOSTNAME_MISMATCH$)/;

type Level = Record<string, unknown>;

/** The error and what it wraps (`cause`, n8n's `errorResponse`), outermost first, cycle-safe. */
function chainOf(error: unknown): Level[] {
	const chain: Level[] = [];
	let current: unknown = error;
	while (current !== null && typeof current === 'object' && chain.length < 8 && !chain.includes(current as Level)) {
		chain.push(current as Level);
		const level = current as Level;
		current = level.cause ?? level.errorResponse;
	}
	return chain;
}

function text(value: unknown): string | undefined {
	return typeof value === 'string' && value !== '' ? value : undefined;
}

function statusOf(level: Level): HttpFailure | undefined {
	const response = level.response as { status?: unknown; headers?: unknown; data?: unknown } | undefined;
	if (!response || typeof response !== 'object' || typeof response.status !== 'number') return undefined;
	const config = level.config as { url?: unknown } | undefined;
	return {
		kind: 'status',
		status: response.status,
		retryAfter: headerValue(response.headers, 'retry-after'),
		body: response.data,
		url: text(config?.url),
	};
}

/** An OAuth2 error body (RFC 6749 §5.2) as the identity platform sends it. */
function oauthErrorOf(level: Level): TransportFailure | undefined {
	const body = level.body as { error?: unknown; error_description?: unknown } | undefined;
	const error = text(body?.error);
	if (error === undefined) return undefined;
	const status = typeof level.status === 'number' ? level.status : undefined;
	return { kind: 'identity', error, description: text(body?.error_description), status };
}

export function classifyHttpError(error: unknown): HttpFailure {
	const chain = chainOf(error);
	for (const level of chain) {
		const failure = statusOf(level) ?? oauthErrorOf(level);
		if (failure) return failure;
		const failureTag = level.failure as { cause?: unknown } | undefined;
		if (failureTag?.cause === 'credential-invalid') {
			return { kind: 'reconnect', message: text(level.message) ?? 'The credential needs to be reconnected', description: text(level.description) };
		}
	}
	for (const level of chain) {
		const code = text(level.code);
		const name = text(level.name);
		const message = preview(text(level.message) ?? code ?? 'unknown error', 200);
		if (code === 'ERR_CANCELED' || name === 'CanceledError' || name === 'AbortError') return { kind: 'cancelled' };
		if (name === 'TimeoutError') return { kind: 'timeout' };
		if (code === undefined) continue;
		if (TIMEOUT_CODES.has(code) || (code === 'ECONNABORTED' && /timeout/i.test(message))) return { kind: 'timeout' };
		if (NETWORK_CODES.has(code) || code === 'ECONNABORTED') return { kind: 'network', code, message };
		if (TLS_CODE.test(code)) return { kind: 'tls', code, message };
		if (code === 'ESTATUS' && typeof level.status === 'number') {
			// The OAuth2 client's answer for a token endpoint reply without an OAuth2 error body.
			return { kind: 'identity', error: `HTTP ${level.status}`, description: preview(level.body ?? message, 200), status: level.status };
		}
	}
	// n8n 1.x's NodeApiError keeps neither the axios error nor its response, only the status it found (`httpCode`)
	// and, for a JSON answer, its body (`context.data`).
	for (const level of chain) {
		const status = text(level.httpCode);
		if (status === undefined || !/^[1-5]\d\d$/.test(status)) continue;
		const data = (level.context as { data?: unknown } | undefined)?.data;
		return { kind: 'status', status: Number(status), body: data !== null && typeof data === 'object' ? data : undefined };
	}
	const top = chain[0];
	const code = chain.map((level) => text(level.code)).find((value) => value !== undefined);
	const message = text(top?.message) ?? (top === undefined ? preview(error, 200) : 'unknown error');
	return { kind: 'other', code, message: preview(message, 200) };
}
