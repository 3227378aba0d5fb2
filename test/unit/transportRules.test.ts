import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ForeignHostError, resolveGraphUrl } from '../../nodes/Office365/shared/graphUrl';
import {
	GRAPH_RETRY_POLICY,
	isRetryableFailure,
	nextRetryDelayMs,
	parseRetryAfterMs,
	type RetryPolicy,
} from '../../nodes/Office365/shared/retryPolicy';
import { describeFailure } from '../../nodes/Office365/shared/transport';

const API = 'https://graph.microsoft.com/v1.0';
const ROOT = 'https://graph.microsoft.com';

describe('resolveGraphUrl: the bearer token stays on the Graph host', () => {
	it('prefixes relative paths with the versioned API root', () => {
		assert.equal(resolveGraphUrl(API, ROOT, '/me/messages'), `${API}/me/messages`);
		assert.equal(resolveGraphUrl(API, ROOT, 'me/events?$top=5'), `${API}/me/events?$top=5`);
	});

	it('keeps a nextLink on the same host verbatim', () => {
		const next = `${API}/me/messages?%24filter=lastModifiedDateTime+ge+2026-11-28T10%3a00%3a00Z&%24skip=1000`;
		assert.equal(resolveGraphUrl(API, ROOT, next), next);
	});

	const hostile = [
		'https://evil.example.com/v1.0/me/messages',
		'https://graph.microsoft.com.evil.example.com/v1.0/me',
		'http://graph.microsoft.com/v1.0/me/messages',
		'https://user:pw@graph.microsoft.com/v1.0/me',
		'//evil.example.com/v1.0/me',
		'https://graph.microsoft.com:8443/v1.0/me',
		'javascript:alert(1)',
	];
	for (const url of hostile) {
		it(`refuses ${url}`, () => {
			assert.throws(() => resolveGraphUrl(API, ROOT, url), (error: unknown) => {
				assert.ok(error instanceof ForeignHostError);
				assert.match(error.message, /Refusing to send the Office 365 access token/);
				assert.match(error.message, /graph\.microsoft\.com/);
				return true;
			});
		});
	}

	it('honours a path prefix of a custom Graph root', () => {
		const api = 'https://proxy.example.com/graph/v1.0';
		const root = 'https://proxy.example.com/graph';
		assert.equal(resolveGraphUrl(api, root, `${root}/v1.0/me?$skip=10`), `${root}/v1.0/me?$skip=10`);
		assert.throws(() => resolveGraphUrl(api, root, 'https://proxy.example.com/other/v1.0/me'), ForeignHostError);
		assert.throws(() => resolveGraphUrl(api, root, 'https://proxy.example.com/graphx/v1.0/me'), ForeignHostError);
	});
});

describe('retry policy', () => {
	const now = Date.UTC(2026, 10, 28, 10, 0, 0);
	it('retries throttling, timeouts, transient 5xx and network failures only', () => {
		for (const status of [408, 429, 500, 502, 503, 504]) assert.equal(isRetryableFailure({ status }), true, String(status));
		for (const status of [400, 401, 403, 404, 409, 501, 505]) assert.equal(isRetryableFailure({ status }), false, String(status));
		assert.equal(isRetryableFailure({ networkCode: 'ECONNRESET' }), true);
		assert.equal(isRetryableFailure({}), false);
	});

	it('reads Retry-After as seconds or as an HTTP date', () => {
		assert.equal(parseRetryAfterMs('7', now), 7000);
		assert.equal(parseRetryAfterMs('0.5', now), 500);
		assert.equal(parseRetryAfterMs(new Date(now + 30_000).toUTCString(), now), 30_000);
		assert.equal(parseRetryAfterMs('soon', now), undefined);
		assert.equal(parseRetryAfterMs(undefined, now), undefined);
	});

	it('waits what the server asks, else backs off exponentially, within bounds', () => {
		const policy: RetryPolicy = { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1000, maxTotalWaitMs: 1500 };
		assert.equal(nextRetryDelayMs({ status: 429, retryAfter: '1' }, 1, 0, policy, now), 1000);
		assert.equal(nextRetryDelayMs({ status: 503 }, 1, 0, policy, now), 100);
		assert.equal(nextRetryDelayMs({ status: 503 }, 2, 100, policy, now), 200);
		assert.equal(nextRetryDelayMs({ status: 503 }, 3, 300, policy, now), 400);
		assert.equal(nextRetryDelayMs({ status: 503 }, 4, 700, policy, now), undefined, 'attempts exhausted');
		assert.equal(nextRetryDelayMs({ status: 429, retryAfter: '1' }, 2, 1000, policy, now), undefined, 'total wait exceeded');
		assert.equal(nextRetryDelayMs({ status: 429, retryAfter: '3600' }, 1, 0, policy, now), undefined, 'Retry-After beyond the bound: give up now, next poll retries');
		assert.equal(nextRetryDelayMs({ status: 400 }, 1, 0, policy, now), undefined);
		assert.ok(GRAPH_RETRY_POLICY.maxAttempts >= 3);
	});
});

describe('describeFailure', () => {
	it('reads status and Retry-After from axios-style errors, also when wrapped', () => {
		const axiosError = { response: { status: 429, headers: { 'retry-after': '3' }, data: { error: { code: 'TooManyRequests' } } } };
		assert.deepEqual(describeFailure(axiosError), { status: 429, retryAfter: '3', body: axiosError.response.data });
		assert.equal(describeFailure({ message: 'wrapped', cause: axiosError }).status, 429);
		assert.deepEqual(describeFailure({ code: 'ECONNRESET' }), { networkCode: 'ECONNRESET' });
		assert.deepEqual(describeFailure({ httpCode: '503' }), { status: 503 });
		assert.deepEqual(describeFailure(new Error('x')), {});
	});
});
