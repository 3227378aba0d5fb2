import { Office365ConfigError } from '../shared/configError';
import { headerValue, isRetryableFailure, type HttpFailure, type PostRequest, type PostResponse } from '../shared/http';
import {
	parseRetryAfterMs,
	runWithRetries,
	SYSTEM_CLOCK,
	type AttemptContext,
	type RetryClock,
	type RetryPolicy,
	type RetryResult,
	type Sleep,
} from '../shared/retryPolicy';
import { preview } from '../shared/text';
import type { Notification } from './envelope';
import { SIGNING_CREDENTIAL_TYPE, WEBHOOK_ID_HEADER } from './signature';

/**
 * Delivery of one notification with the package's retry engine (shared/retryPolicy.ts). Pure: the
 * HTTP call (`send`), the wait (`sleep`, n8n-workflow's in the node) and the clock are injected.
 */

export const DEFAULT_DELIVERY_POLICY: Readonly<RetryPolicy> = {
	maxAttempts: 5,
	attemptTimeoutMs: 10_000,
	initialDelayMs: 1_000,
	maxDelayMs: 30_000,
	maxTotalTimeMs: 60_000,
	jitterRatio: 0.2,
};

const POLICY_LIMITS: Record<keyof RetryPolicy, { label: string; min: number; max: number }> = {
	maxAttempts: { label: 'Max Attempts', min: 1, max: 20 },
	attemptTimeoutMs: { label: 'Timeout', min: 1, max: 600_000 },
	initialDelayMs: { label: 'Initial Retry Delay', min: 0, max: 600_000 },
	maxDelayMs: { label: 'Max Retry Delay', min: 0, max: 3_600_000 },
	maxTotalTimeMs: { label: 'Max Total Time', min: 1, max: 3_600_000 },
	jitterRatio: { label: 'Jitter', min: 0, max: 1 },
};

/** Fills defaults and checks ranges; throws Office365ConfigError naming the parameter. */
export function resolveDeliveryPolicy(partial: Partial<Record<keyof RetryPolicy, unknown>>): RetryPolicy {
	const policy = { ...DEFAULT_DELIVERY_POLICY };
	for (const key of Object.keys(POLICY_LIMITS) as Array<keyof RetryPolicy>) {
		const value = partial[key];
		if (value === undefined || value === null || value === '') continue;
		const { label, min, max } = POLICY_LIMITS[key];
		const number = typeof value === 'number' ? value : Number(value);
		const wholeNumber = key !== 'jitterRatio';
		if (!Number.isFinite(number) || number < min || number > max || (wholeNumber && !Number.isInteger(number))) {
			throw new Office365ConfigError(
				label,
				preview(value, 30),
				`expected ${wholeNumber ? 'a whole number' : 'a number'} from ${min} to ${max}`,
			);
		}
		policy[key] = number;
	}
	return policy;
}

/**
 * The POST for one notification. Every attempt sends the same pre-serialized body and
 * Elements-Webhook-Id; with signing on, the credential's `authenticate` adds
 * Elements-Webhook-Signature over exactly these body bytes.
 */
export function notificationRequest(
	notification: Notification,
	settings: { sign: boolean; extraHeaders: Record<string, string> },
): PostRequest {
	return {
		url: notification.url,
		body: notification.body,
		headers: {
			...settings.extraHeaders,
			'Content-Type': 'application/json',
			[WEBHOOK_ID_HEADER]: notification.webhookId,
		},
		credentialType: settings.sign ? SIGNING_CREDENTIAL_TYPE : undefined,
	};
}

type Send = (attempt: AttemptContext) => Promise<PostResponse | HttpFailure>;

/** A delivered notification's answer, or why it was not delivered. */
type DeliveryResult = RetryResult<PostResponse, HttpFailure>;

function isSuccessStatus(status: number): boolean {
	return status >= 200 && status < 300;
}

/** Status of the last answer, if one came. */
export function lastStatus(result: DeliveryResult): number | undefined {
	if (result.ok) return result.value.statusCode;
	return result.failure.kind === 'status' ? result.failure.status : undefined;
}

/**
 * Sends until a 2xx, a final failure, `maxAttempts` or the time budget. The same `send` is called
 * each time, so the caller keeps the body and Elements-Webhook-Id identical across retries.
 * A rejection of `sleep` (execution cancelled) propagates.
 */
export async function deliverNotification(
	send: Send,
	sleep: Sleep,
	policy: RetryPolicy,
	clock: RetryClock = SYSTEM_CLOCK,
): Promise<DeliveryResult> {
	return await runWithRetries<PostResponse, HttpFailure>(
		async (attempt) => {
			const outcome = await send(attempt);
			if (outcome.kind === 'response' && isSuccessStatus(outcome.statusCode)) return { ok: true, value: outcome };
			const failure: HttpFailure =
				outcome.kind === 'response'
					? {
							kind: 'status',
							status: outcome.statusCode,
							retryAfter: headerValue(outcome.headers, 'retry-after'),
							body: outcome.bodyPreview,
						}
					: outcome;
			const retryAfterMs = failure.kind === 'status' ? parseRetryAfterMs(failure.retryAfter, clock.now()) : undefined;
			return { ok: false, failure, retryable: isRetryableFailure(failure), retryAfterMs };
		},
		policy,
		sleep,
		clock,
	);
}

function describeFailure(failure: HttpFailure): string {
	switch (failure.kind) {
		case 'status':
			return `HTTP ${failure.status}${failure.body ? `: ${preview(failure.body, 120)}` : ''}`;
		case 'timeout':
			return `no response within the ${failure.timeoutMs ?? '?'} ms timeout`;
		case 'network':
		case 'tls':
			return `${failure.code} (${failure.message})`;
		case 'cancelled':
			return 'request cancelled';
		case 'identity':
			return `${failure.error}${failure.description ? ` (${failure.description})` : ''}`;
		case 'reconnect':
			return failure.message;
		case 'tooLarge':
			return `answer larger than ${failure.limitBytes} bytes`;
		case 'other':
			return failure.code ? `${failure.code} (${failure.message})` : failure.message;
	}
}

function finalReason(failure: HttpFailure): string {
	if (failure.kind === 'status') {
		return failure.status >= 300 && failure.status < 400
			? 'The receiver answered with a redirect. Redirects are not followed (a POST could turn into a GET); put the final URL in Callback URL.'
			: 'The receiver rejected the notification (4xx other than 408/429), so it was not retried. Check the receiver logs, the URL and the signing key.';
	}
	if (failure.kind === 'cancelled') return 'The execution was cancelled.';
	if (failure.kind === 'tls') return 'TLS failures are not retried: check the receiver\'s certificate and that the URL\'s scheme matches the server.';
	return 'The request could not be sent and the error is not one that a retry can fix.';
}

/**
 * A one-line explanation of a failed delivery naming the URL, the last status or network error and
 * the attempts, plus a hint. `url` must already be the display form (see describeUrl).
 */
export function describeDeliveryFailure(
	result: Extract<DeliveryResult, { ok: false }>,
	url: string,
	policy: RetryPolicy,
): { message: string; description: string } {
	const attempts = `${result.attempts} attempt${result.attempts === 1 ? '' : 's'}`;
	const message = `Delivery to ${url} failed after ${attempts}: ${describeFailure(result.failure)}`;
	let description: string;
	switch (result.reason) {
		case 'final':
			description = finalReason(result.failure);
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
	}
	return {
		message,
		description: `${description} n8n's Retry On Fail or an error workflow can deliver it again with the same Elements-Webhook-Id.`,
	};
}
