import { parseRetryAfterMs } from '../shared/retryPolicy';
import { ForwardConfigError, preview } from './errors';

/**
 * Delivery of one notification with retries. Pure: the HTTP call (`send`), the wait (`sleep`,
 * n8n-workflow's in the node) and the clock are injected, so the loop is tested without timers.
 */

export interface DeliveryPolicy {
	/** Attempts in total, the first one included. */
	maxAttempts: number;
	/** Per-request timeout. */
	timeoutMs: number;
	/** First back-off wait; doubles on each retry. */
	initialDelayMs: number;
	/** Cap of one computed back-off wait (a receiver's Retry-After is not capped by it). */
	maxDelayMs: number;
	/**
	 * Budget for the whole delivery: attempts and waits together. No retry starts unless the wait
	 * plus min(timeout, 1 s) fits in what is left, and each request's timeout is clamped to it.
	 */
	maxTotalTimeMs: number;
	/** Back-off waits are shortened by up to this fraction at random (0 = no jitter). */
	jitterRatio: number;
}

export const DEFAULT_DELIVERY_POLICY: Readonly<DeliveryPolicy> = {
	maxAttempts: 5,
	timeoutMs: 10_000,
	initialDelayMs: 1_000,
	maxDelayMs: 30_000,
	maxTotalTimeMs: 60_000,
	jitterRatio: 0.2,
};

const POLICY_LIMITS: Record<keyof DeliveryPolicy, { label: string; min: number; max: number }> = {
	maxAttempts: { label: 'Max Attempts', min: 1, max: 20 },
	timeoutMs: { label: 'Timeout', min: 1, max: 600_000 },
	initialDelayMs: { label: 'Initial Retry Delay', min: 0, max: 600_000 },
	maxDelayMs: { label: 'Max Retry Delay', min: 0, max: 3_600_000 },
	maxTotalTimeMs: { label: 'Max Total Time', min: 1, max: 3_600_000 },
	jitterRatio: { label: 'Jitter', min: 0, max: 1 },
};

/** Fills defaults and checks ranges; throws ForwardConfigError naming the parameter. */
export function resolveDeliveryPolicy(partial: Partial<Record<keyof DeliveryPolicy, unknown>>): DeliveryPolicy {
	const policy = { ...DEFAULT_DELIVERY_POLICY };
	for (const key of Object.keys(POLICY_LIMITS) as Array<keyof DeliveryPolicy>) {
		const value = partial[key];
		if (value === undefined || value === null || value === '') continue;
		const { label, min, max } = POLICY_LIMITS[key];
		const number = typeof value === 'number' ? value : Number(value);
		const wholeNumber = key !== 'jitterRatio';
		if (!Number.isFinite(number) || number < min || number > max || (wholeNumber && !Number.isInteger(number))) {
			throw new ForwardConfigError(
				label,
				preview(value, 30),
				`expected ${wholeNumber ? 'a whole number' : 'a number'} from ${min} to ${max}`,
			);
		}
		policy[key] = number;
	}
	return policy;
}

export interface SendRequest {
	/** 1 for the first attempt. */
	attempt: number;
	timeoutMs: number;
}

export type HeaderBag = Record<string, unknown>;

export type SendOutcome =
	| { kind: 'response'; statusCode: number; headers: HeaderBag; bodyPreview?: string }
	| {
			kind: 'networkError';
			code: string | undefined;
			message: string;
			timedOut: boolean;
			cancelled: boolean;
			retryable: boolean;
	  };

export type Send = (request: SendRequest) => Promise<SendOutcome>;
export type Sleep = (ms: number) => Promise<void>;

export interface DeliveryClock {
	now: () => number;
	/** In [0, 1); used for jitter only. */
	random: () => number;
}

export type FailureReason =
	| 'notRetryable'
	| 'attemptsExhausted'
	| 'timeBudgetExhausted'
	| 'retryAfterBeyondBudget';

export interface AttemptRecord {
	attempt: number;
	timeoutMs: number;
	statusCode?: number;
	error?: string;
	/** Wait before the next attempt, when there is one. */
	waitMs?: number;
	/** Where the wait came from. */
	waitSource?: 'retryAfter' | 'backoff';
}

export interface DeliveryResult {
	delivered: boolean;
	attempts: number;
	/** Status of the last response, if any came. */
	statusCode?: number;
	durationMs: number;
	last: SendOutcome;
	reason?: FailureReason;
	/** For retryAfterBeyondBudget: what the receiver asked for. */
	retryAfterMs?: number;
	log: AttemptRecord[];
}

export function isSuccessStatus(status: number): boolean {
	return status >= 200 && status < 300;
}

/** 408, 429 and every 5xx are retried; other statuses (3xx, 4xx) are final. */
export function isRetryableStatus(status: number): boolean {
	return status === 408 || status === 429 || status >= 500;
}

export function headerValue(headers: HeaderBag, name: string): string | undefined {
	const wanted = name.toLowerCase();
	for (const [key, value] of Object.entries(headers)) {
		if (key.toLowerCase() !== wanted) continue;
		if (Array.isArray(value)) return value.length > 0 ? String(value[0]) : undefined;
		if (value === undefined || value === null) return undefined;
		return String(value as string);
	}
	return undefined;
}

/** Exponential back-off: initial × 2^(retry − 1), capped, shortened by up to jitterRatio. */
export function backoffDelayMs(retry: number, policy: DeliveryPolicy, random: () => number): number {
	const exponential = policy.initialDelayMs * 2 ** Math.max(0, retry - 1);
	const capped = Math.min(policy.maxDelayMs, exponential);
	return Math.max(0, Math.round(capped * (1 - policy.jitterRatio * random())));
}

const DEFAULT_CLOCK: DeliveryClock = { now: () => Date.now(), random: () => Math.random() };

/**
 * Sends until a 2xx, a final failure, `maxAttempts` or the time budget. The same `send` is called
 * each time, so the caller keeps the body and Elements-Webhook-Id identical across retries.
 * A rejection of `sleep` (execution cancelled) propagates.
 */
export async function deliverNotification(
	send: Send,
	sleep: Sleep,
	policy: DeliveryPolicy,
	clock: DeliveryClock = DEFAULT_CLOCK,
): Promise<DeliveryResult> {
	const start = clock.now();
	const deadline = start + policy.maxTotalTimeMs;
	const minAttemptWindow = Math.min(policy.timeoutMs, 1_000);
	const log: AttemptRecord[] = [];

	for (let attempt = 1; ; attempt++) {
		const timeoutMs = Math.max(1, Math.min(policy.timeoutMs, deadline - clock.now()));
		const outcome = await send({ attempt, timeoutMs });
		const record: AttemptRecord = { attempt, timeoutMs };
		log.push(record);

		const finish = (extra: Partial<DeliveryResult>): DeliveryResult => ({
			delivered: false,
			attempts: attempt,
			statusCode: outcome.kind === 'response' ? outcome.statusCode : undefined,
			durationMs: clock.now() - start,
			last: outcome,
			log,
			...extra,
		});

		let retryAfterMs: number | undefined;
		if (outcome.kind === 'response') {
			record.statusCode = outcome.statusCode;
			if (isSuccessStatus(outcome.statusCode)) return finish({ delivered: true });
			if (!isRetryableStatus(outcome.statusCode)) return finish({ reason: 'notRetryable' });
			retryAfterMs = parseRetryAfterMs(headerValue(outcome.headers, 'retry-after'), clock.now());
		} else {
			record.error = outcome.message;
			if (!outcome.retryable) return finish({ reason: 'notRetryable' });
		}
		if (attempt >= policy.maxAttempts) return finish({ reason: 'attemptsExhausted' });

		const delay = retryAfterMs ?? backoffDelayMs(attempt, policy, clock.random);
		if (clock.now() + delay + minAttemptWindow > deadline) {
			return retryAfterMs === undefined
				? finish({ reason: 'timeBudgetExhausted' })
				: finish({ reason: 'retryAfterBeyondBudget', retryAfterMs });
		}
		record.waitMs = delay;
		record.waitSource = retryAfterMs === undefined ? 'backoff' : 'retryAfter';
		await sleep(delay);
	}
}

function describeOutcome(outcome: SendOutcome, timeoutMs: number | undefined): string {
	if (outcome.kind === 'response') {
		const body = outcome.bodyPreview ? `: ${outcome.bodyPreview}` : '';
		return `HTTP ${outcome.statusCode}${body}`;
	}
	if (outcome.timedOut) {
		return `no response within the ${timeoutMs ?? '?'} ms timeout`;
	}
	return outcome.code ? `${outcome.code} (${outcome.message})` : outcome.message;
}

/**
 * A one-line explanation of a failed delivery naming the URL, the last status or network error and
 * the attempts, plus a hint. `url` must already be the display form (see describeUrl).
 */
export function describeDeliveryFailure(
	result: DeliveryResult,
	url: string,
	policy: DeliveryPolicy,
): { message: string; description: string } {
	const lastTimeout = result.log[result.log.length - 1]?.timeoutMs;
	const what = describeOutcome(result.last, lastTimeout);
	const attempts = `${result.attempts} attempt${result.attempts === 1 ? '' : 's'}`;
	const message = `Delivery to ${url} failed after ${attempts}: ${what}`;
	let description: string;
	switch (result.reason) {
		case 'notRetryable':
			if (result.last.kind === 'response' && result.last.statusCode >= 300 && result.last.statusCode < 400) {
				description =
					'The receiver answered with a redirect. Redirects are not followed (a POST could turn into a GET); put the final URL in Callback URL.';
			} else if (result.last.kind === 'response') {
				description =
					'The receiver rejected the notification (4xx other than 408/429), so it was not retried. Check the receiver logs, the URL and the signing key.';
			} else if (result.last.cancelled) {
				description = 'The execution was cancelled.';
			} else {
				description =
					'The request could not be sent and the error is not one that a retry can fix (TLS, DNS configuration, blocked address…).';
			}
			break;
		case 'attemptsExhausted':
			description = `Gave up after the maximum of ${policy.maxAttempts} attempts.`;
			break;
		case 'retryAfterBeyondBudget':
			description = `The receiver asked to retry after ${Math.round((result.retryAfterMs ?? 0) / 1000)} s, which does not fit in the remaining time budget (Max Total Time ${policy.maxTotalTimeMs} ms).`;
			break;
		case 'timeBudgetExhausted':
			description = `Gave up because another attempt would not fit in Max Total Time (${policy.maxTotalTimeMs} ms).`;
			break;
		default:
			description = '';
	}
	return {
		message,
		description: `${description} n8n's Retry On Fail or an error workflow can deliver it again with the same Elements-Webhook-Id.`.trim(),
	};
}

const NETWORK_RETRY_CODES = new Set([
	'ECONNREFUSED',
	'ECONNRESET',
	'ECONNABORTED',
	'ETIMEDOUT',
	'ESOCKETTIMEDOUT',
	'EPIPE',
	'EHOSTUNREACH',
	'EHOSTDOWN',
	'ENETUNREACH',
	'ENETDOWN',
	'EAI_AGAIN',
	'ENOTFOUND',
	'ERR_SOCKET_CONNECTION_TIMEOUT',
	'UND_ERR_SOCKET',
	'UND_ERR_CONNECT_TIMEOUT',
	'UND_ERR_HEADERS_TIMEOUT',
	'UND_ERR_BODY_TIMEOUT',
]);
const TIMEOUT_CODES = new Set([
	'ETIMEDOUT',
	'ESOCKETTIMEDOUT',
	'ERR_SOCKET_CONNECTION_TIMEOUT',
	'UND_ERR_CONNECT_TIMEOUT',
	'UND_ERR_HEADERS_TIMEOUT',
	'UND_ERR_BODY_TIMEOUT',
]);

function chainOf(error: unknown): Array<Record<string, unknown>> {
	const chain: Array<Record<string, unknown>> = [];
	let current: unknown = error;
	while (typeof current === 'object' && current !== null && chain.length < 8 && !chain.includes(current as Record<string, unknown>)) {
		chain.push(current as Record<string, unknown>);
		current = (current as { cause?: unknown }).cause;
	}
	return chain;
}

/**
 * Classifies an exception thrown by the HTTP client (axios, possibly wrapped by n8n in a
 * NodeApiError with the original as `cause`). Connection and timeout failures are retryable;
 * cancellation and anything unrecognized (TLS, blocked address, missing credential) are not.
 * Only codes and messages are kept, never the request (its headers carry the signature).
 */
export function classifyTransportError(error: unknown): Extract<SendOutcome, { kind: 'networkError' }> {
	const chain = chainOf(error);
	const top = chain[0];
	const topMessage =
		top !== undefined && typeof top.message === 'string' ? top.message : preview(error, 200);
	for (const level of chain) {
		const code = typeof level.code === 'string' ? level.code : undefined;
		const name = typeof level.name === 'string' ? level.name : '';
		const message = typeof level.message === 'string' ? level.message : topMessage;
		if (code === 'ERR_CANCELED' || name === 'CanceledError' || name === 'AbortError') {
			return { kind: 'networkError', code, message: 'request cancelled', timedOut: false, cancelled: true, retryable: false };
		}
		if (code !== undefined && NETWORK_RETRY_CODES.has(code)) {
			const timedOut = TIMEOUT_CODES.has(code) || (code === 'ECONNABORTED' && /timeout/i.test(message));
			return { kind: 'networkError', code, message: preview(message, 200), timedOut, cancelled: false, retryable: true };
		}
	}
	const code = chain.map((level) => level.code).find((value): value is string => typeof value === 'string');
	return {
		kind: 'networkError',
		code,
		message: preview(topMessage, 200),
		timedOut: false,
		cancelled: false,
		retryable: false,
	};
}
