/**
 * The one retry engine, used by the Graph transport and by Event Forward's delivery. Pure: the
 * caller passes the policy, the clock and the wait (n8n-workflow's `sleep`), so every rule here is
 * unit-tested without timers.
 *
 * Rules: an attempt gets a wall-clock deadline of `attemptTimeoutMs`, never past the end of the
 * budget; a retry starts only if its wait plus min(attemptTimeoutMs, 1 s) still fits in
 * `maxTotalTimeMs`; the server's Retry-After replaces the back-off (also beyond `maxDelayMs`) and,
 * if it does not fit in the budget, ends the request at once.
 */

export interface RetryPolicy {
	/** Attempts in total, the first one included. */
	maxAttempts: number;
	/** Wall-clock deadline of one attempt: connect, headers and body together. */
	attemptTimeoutMs: number;
	/** First back-off wait; doubles on each further retry. */
	initialDelayMs: number;
	/** Cap of one computed back-off wait (not of a server's Retry-After). */
	maxDelayMs: number;
	/** Budget of the whole request, attempts and waits together. */
	maxTotalTimeMs: number;
	/** Back-off waits are shortened by up to this fraction at random (0 = no jitter). */
	jitterRatio: number;
}

export const GRAPH_RETRY_POLICY: Readonly<RetryPolicy> = {
	maxAttempts: 5,
	attemptTimeoutMs: 60_000,
	initialDelayMs: 1_000,
	maxDelayMs: 60_000,
	maxTotalTimeMs: 180_000,
	jitterRatio: 0.2,
};

export interface RetryClock {
	now: () => number;
	/** In [0, 1); used for jitter only. */
	random: () => number;
}

export const SYSTEM_CLOCK: RetryClock = { now: () => Date.now(), random: () => Math.random() };

export type Sleep = (ms: number) => Promise<void>;

export interface AttemptContext {
	/** 1 for the first attempt. */
	attempt: number;
	/** This attempt's wall-clock deadline, already clamped to what is left of the budget. */
	timeoutMs: number;
}

export type AttemptOutcome<S, F> =
	| { ok: true; value: S }
	| { ok: false; failure: F; retryable: boolean; retryAfterMs?: number };

export type StopReason = 'final' | 'attemptsExhausted' | 'timeBudgetExhausted' | 'retryAfterBeyondBudget';

interface AttemptRecord {
	attempt: number;
	timeoutMs: number;
	/** Wait before the next attempt, when there is one. */
	waitMs?: number;
	waitSource?: 'retryAfter' | 'backoff';
}

interface RetryTotals {
	attempts: number;
	durationMs: number;
	log: AttemptRecord[];
}

export type RetryResult<S, F> =
	| ({ ok: true; value: S } & RetryTotals)
	| ({ ok: false; failure: F; reason: StopReason; retryAfterMs?: number } & RetryTotals);

/** 408, 429 and every 5xx are worth another try; every other status is an answer. */
export function isRetryableStatus(status: number): boolean {
	return status === 408 || status === 429 || (status >= 500 && status <= 599);
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

/** Exponential back-off: initial × 2^(retry − 1), capped, shortened by up to jitterRatio. */
export function backoffDelayMs(retry: number, policy: RetryPolicy, random: () => number): number {
	const exponential = policy.initialDelayMs * 2 ** Math.max(0, retry - 1);
	const capped = Math.min(policy.maxDelayMs, exponential);
	return Math.max(0, Math.round(capped * (1 - policy.jitterRatio * random())));
}

/**
 * Runs `attempt` until it succeeds, fails for good, or the policy's attempts or time budget run
 * out. A rejection of `attempt` or `sleep` (execution cancelled) propagates.
 */
export async function runWithRetries<S, F>(
	attempt: (context: AttemptContext) => Promise<AttemptOutcome<S, F>>,
	policy: RetryPolicy,
	sleep: Sleep,
	clock: RetryClock = SYSTEM_CLOCK,
): Promise<RetryResult<S, F>> {
	const start = clock.now();
	const deadline = start + policy.maxTotalTimeMs;
	const minAttemptWindow = Math.min(policy.attemptTimeoutMs, 1_000);
	const log: AttemptRecord[] = [];

	for (let number = 1; ; number++) {
		const timeoutMs = Math.max(1, Math.min(policy.attemptTimeoutMs, deadline - clock.now()));
		const record: AttemptRecord = { attempt: number, timeoutMs };
		log.push(record);
		const outcome = await attempt({ attempt: number, timeoutMs });
		const totals = (): RetryTotals => ({ attempts: number, durationMs: clock.now() - start, log });
		if (outcome.ok) return { ok: true, value: outcome.value, ...totals() };

		const stop = (reason: StopReason, retryAfterMs?: number): RetryResult<S, F> => ({
			ok: false,
			failure: outcome.failure,
			reason,
			...(retryAfterMs === undefined ? {} : { retryAfterMs }),
			...totals(),
		});
		if (!outcome.retryable) return stop('final');
		if (number >= policy.maxAttempts) return stop('attemptsExhausted');
		const fromServer = outcome.retryAfterMs;
		const delay = fromServer ?? backoffDelayMs(number, policy, clock.random);
		if (clock.now() + delay + minAttemptWindow > deadline) {
			return fromServer === undefined ? stop('timeBudgetExhausted') : stop('retryAfterBeyondBudget', fromServer);
		}
		record.waitMs = delay;
		record.waitSource = fromServer === undefined ? 'backoff' : 'retryAfter';
		await sleep(delay);
	}
}
