/**
 * When and how long to wait before retrying a Graph request. Pure: the caller owns the clock and
 * the sleep (n8n-workflow's `sleep`), so this is unit-tested without timers.
 */

export interface RetryPolicy {
	/** Total attempts including the first one. */
	maxAttempts: number;
	/** First back-off step when the server gives no Retry-After. */
	baseDelayMs: number;
	/** Upper bound of a single wait, Retry-After included. */
	maxDelayMs: number;
	/** Upper bound of all waits of one request together. */
	maxTotalWaitMs: number;
}

export const GRAPH_RETRY_POLICY: RetryPolicy = {
	maxAttempts: 5,
	baseDelayMs: 1_000,
	maxDelayMs: 60_000,
	maxTotalWaitMs: 120_000,
};

/** What went wrong with one HTTP attempt, in transport-neutral terms. */
export interface AttemptFailure {
	status?: number;
	retryAfter?: string;
	/** Network-level failure code (ECONNRESET, ETIMEDOUT, ECONNABORTED…) when no response came. */
	networkCode?: string;
}

/** 408/429 and 5xx except 501/505 (which never heal), plus network failures and timeouts. */
export function isRetryableFailure(failure: AttemptFailure): boolean {
	if (failure.status === undefined) return failure.networkCode !== undefined;
	if (failure.status === 408 || failure.status === 429) return true;
	return failure.status >= 500 && failure.status !== 501 && failure.status !== 505;
}

/** Retry-After is either delta-seconds or an HTTP-date (RFC 9110 §10.2.3). */
export function parseRetryAfterMs(value: string | undefined, nowMs: number): number | undefined {
	if (value === undefined) return undefined;
	const text = String(value).trim();
	if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
	const at = Date.parse(text);
	if (Number.isNaN(at)) return undefined;
	return Math.max(0, at - nowMs);
}

/**
 * Milliseconds to wait before attempt number `attempt + 1`, or undefined when the policy says stop.
 * `attempt` counts attempts already made (1 after the first failure); `waitedMs` is the sum so far.
 */
export function nextRetryDelayMs(
	failure: AttemptFailure,
	attempt: number,
	waitedMs: number,
	policy: RetryPolicy,
	nowMs: number,
): number | undefined {
	if (!isRetryableFailure(failure) || attempt >= policy.maxAttempts) return undefined;
	const fromServer = parseRetryAfterMs(failure.retryAfter, nowMs);
	const backoff = policy.baseDelayMs * 2 ** (attempt - 1);
	const delay = Math.min(policy.maxDelayMs, fromServer ?? backoff);
	if (fromServer !== undefined && fromServer > policy.maxDelayMs) return undefined;
	if (waitedMs + delay > policy.maxTotalWaitMs) return undefined;
	return delay;
}
