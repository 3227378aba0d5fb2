/**
 * The transport's pure rules: where a Graph URL may go, the one retry engine, the one classifier of
 * thrown HTTP errors, the Graph error texts and the capped body reader.
 */
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';

import fc from 'fast-check';

import { resolveGraphEndpoints } from '../../nodes/Office365/shared/clouds';
import { describeGraphFailure } from '../../nodes/Office365/shared/graphErrors';
import { ForeignHostError, resolveGraphUrl } from '../../nodes/Office365/shared/graphUrl';
import { classifyHttpError, isRetryableFailure, type HttpFailure } from '../../nodes/Office365/shared/http';
import { readAtMost } from '../../nodes/Office365/shared/responseBody';
import {
	backoffDelayMs,
	GRAPH_RETRY_POLICY,
	isRetryableStatus,
	parseRetryAfterMs,
	runWithRetries,
	type AttemptContext,
	type AttemptOutcome,
	type RetryPolicy,
} from '../../nodes/Office365/shared/retryPolicy';
import { hostilePath, landsOutside } from '../support/hostilePaths';

const API = 'https://graph.microsoft.com/v1.0';
const ROOT = 'https://graph.microsoft.com';

describe('resolveGraphUrl: the bearer token stays on the Graph host and under its base path', () => {
	it('prefixes relative paths with the versioned API root', () => {
		assert.equal(resolveGraphUrl(API, ROOT, '/me/messages'), `${API}/me/messages`);
		assert.equal(resolveGraphUrl(API, ROOT, 'me/events?$top=5'), `${API}/me/events?$top=5`);
	});

	it('keeps a nextLink on the same host as sent', () => {
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

	const api = 'https://proxy.example.com/graph/v1.0';
	const root = 'https://proxy.example.com/graph';

	it('honours the base path of a custom Graph root, for absolute and relative URLs', () => {
		assert.equal(resolveGraphUrl(api, root, `${root}/v1.0/me?$skip=10`), `${root}/v1.0/me?$skip=10`);
		assert.equal(resolveGraphUrl(api, root, '/../beta/me'), `${root}/beta/me`, 'leaving v1.0 but not the base path is fine');
		for (const away of [
			'https://proxy.example.com/other/v1.0/me',
			'https://proxy.example.com/graphx/v1.0/me',
			'/../../admin',
			'/%2e%2e/%2e%2e/admin',
			'/..%2f..%2fadmin',
			'\\..\\..\\..\\admin',
			'/%252e%252e/%252e%252e/admin',
			'/..;/..;/admin',
			`${root}/v1.0/../../admin`,
		]) {
			assert.throws(() => resolveGraphUrl(api, root, away), ForeignHostError, away);
		}
	});

	it('a generated class of hostile relative URLs and nextLinks never resolves outside the base path', () => {
		let refused = 0;
		let allowed = 0;
		fc.assert(
			fc.property(hostilePath, fc.boolean(), (path, asNextLink) => {
				const input = asNextLink ? `${api}/${path}` : path;
				let resolved: string;
				try {
					resolved = resolveGraphUrl(api, root, input);
				} catch (error) {
					assert.ok(error instanceof ForeignHostError);
					refused++;
					return;
				}
				allowed++;
				const url = new URL(resolved);
				assert.equal(url.host, 'proxy.example.com');
				assert.ok(!landsOutside(url.pathname + url.search, '/graph'), `${input} → ${resolved}`);
			}),
			{ numRuns: 2000 },
		);
		assert.ok(refused > 100 && allowed > 100, `refused ${refused}, allowed ${allowed}`);
	});
});

/** A scripted attempt function plus a fake clock: sleeping and attempts advance time. */
function scripted<S>(script: Array<AttemptOutcome<S, string>>, attemptCostMs = 10) {
	let now = 1_000_000;
	const attempts: AttemptContext[] = [];
	const sleeps: number[] = [];
	return {
		attempts,
		sleeps,
		clock: { now: () => now, random: () => 0.5 },
		run: async (context: AttemptContext) => {
			attempts.push(context);
			now += attemptCostMs;
			return script[Math.min(attempts.length - 1, script.length - 1)];
		},
		sleep: async (ms: number) => {
			sleeps.push(ms);
			now += ms;
		},
	};
}

const retry = (retryAfterMs?: number): AttemptOutcome<string, string> => ({ ok: false, failure: 'busy', retryable: true, retryAfterMs });
const done: AttemptOutcome<string, string> = { ok: true, value: 'page' };
const policy: RetryPolicy = { maxAttempts: 5, attemptTimeoutMs: 5_000, initialDelayMs: 1_000, maxDelayMs: 30_000, maxTotalTimeMs: 60_000, jitterRatio: 0 };

describe('runWithRetries: the one retry engine', () => {
	it('backs off exponentially until success and reports attempts and waits', async () => {
		const s = scripted([retry(), retry(), done]);
		const result = await runWithRetries(s.run, policy, s.sleep, s.clock);
		assert.deepEqual(result.ok && result.value, 'page');
		assert.equal(result.attempts, 3);
		assert.deepEqual(s.sleeps, [1000, 2000]);
		assert.deepEqual(result.log.map((entry) => entry.waitSource), ['backoff', 'backoff', undefined]);
	});

	it("the server's Retry-After replaces the back-off, also beyond the back-off cap, and is distinguishable from it", async () => {
		const s = scripted([retry(45_000), done]);
		const result = await runWithRetries(s.run, { ...policy, maxDelayMs: 10_000 }, s.sleep, s.clock);
		assert.equal(result.ok, true);
		assert.deepEqual(s.sleeps, [45_000]);
		assert.equal(result.log[0].waitSource, 'retryAfter');
		const zero = scripted([retry(0), done]);
		await runWithRetries(zero.run, policy, zero.sleep, zero.clock);
		assert.deepEqual(zero.sleeps, [0], 'Retry-After: 0 means now, not the back-off');
	});

	it('a Retry-After beyond the time budget ends the request at once', async () => {
		const s = scripted([retry(3_600_000)]);
		const result = await runWithRetries(s.run, policy, s.sleep, s.clock);
		assert.ok(!result.ok);
		assert.equal(result.reason, 'retryAfterBeyondBudget');
		assert.equal(result.retryAfterMs, 3_600_000);
		assert.equal(result.attempts, 1);
		assert.deepEqual(s.sleeps, []);
	});

	it('final failures end at once; attempts are bounded', async () => {
		const final = scripted([{ ok: false, failure: 'nope', retryable: false }]);
		const stopped = await runWithRetries(final.run, policy, final.sleep, final.clock);
		assert.ok(!stopped.ok);
		assert.deepEqual([stopped.reason, stopped.attempts, stopped.failure], ['final', 1, 'nope']);
		const always = scripted([retry()]);
		const exhausted = await runWithRetries(always.run, { ...policy, maxAttempts: 3 }, always.sleep, always.clock);
		assert.ok(!exhausted.ok);
		assert.deepEqual([exhausted.reason, exhausted.attempts], ['attemptsExhausted', 3]);
	});

	it('never runs past the time budget: attempt deadlines are clamped to what is left, no retry starts that cannot fit', async () => {
		const s = scripted([retry()], 2_000);
		const result = await runWithRetries(s.run, { ...policy, maxAttempts: 20, maxTotalTimeMs: 15_000 }, s.sleep, s.clock);
		assert.ok(!result.ok);
		assert.equal(result.reason, 'timeBudgetExhausted');
		// attempts take 2 s each; waits 1 s, 2 s, 4 s; the 8 s wait would not fit any more
		assert.deepEqual(s.sleeps, [1000, 2000, 4000]);
		// the 4th attempt starts at 13 s, so its deadline is clamped from 5 s to the 2 s left
		assert.deepEqual(s.attempts.map((a) => a.timeoutMs), [5_000, 5_000, 5_000, 2_000]);
	});

	it('for any policy and any run of failures, attempts plus waits stay within the budget', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.record({
					maxAttempts: fc.integer({ min: 1, max: 10 }),
					attemptTimeoutMs: fc.integer({ min: 1, max: 20_000 }),
					initialDelayMs: fc.integer({ min: 0, max: 5_000 }),
					maxDelayMs: fc.integer({ min: 0, max: 30_000 }),
					maxTotalTimeMs: fc.integer({ min: 1, max: 60_000 }),
					jitterRatio: fc.double({ min: 0, max: 1, noNaN: true }),
				}),
				fc.array(fc.option(fc.integer({ min: 0, max: 90_000 }), { nil: undefined }), { minLength: 1, maxLength: 10 }),
				fc.double({ min: 0, max: 0.999, noNaN: true }),
				async (p, retryAfters, random) => {
					let now = 0;
					let elapsedInAttempts = 0;
					let index = 0;
					const result = await runWithRetries<string, string>(
						async ({ timeoutMs }) => {
							// An attempt never outlives its deadline (the transport's abort signal sees to that).
							now += timeoutMs;
							elapsedInAttempts += timeoutMs;
							return retry(retryAfters[index++ % retryAfters.length]);
						},
						p,
						async (ms) => {
							now += ms;
						},
						{ now: () => now, random: () => random },
					);
					assert.ok(!result.ok);
					assert.ok(result.attempts <= p.maxAttempts);
					// Only the first attempt may overrun a budget shorter than 1 ms; otherwise the budget holds.
					assert.ok(now <= Math.max(p.maxTotalTimeMs, 1), `${now} ms > ${p.maxTotalTimeMs} ms`);
					assert.ok(elapsedInAttempts <= now);
				},
			),
			{ numRuns: 500 },
		);
	});

	it('back-off doubles, is capped, and jitter only shortens it', () => {
		const p = { ...policy, initialDelayMs: 100, maxDelayMs: 1_000, jitterRatio: 0.5 };
		assert.deepEqual([1, 2, 3, 4, 5, 6].map((n) => backoffDelayMs(n, p, () => 0)), [100, 200, 400, 800, 1000, 1000]);
		assert.deepEqual([1, 2, 3].map((n) => backoffDelayMs(n, p, () => 0.999999)), [50, 100, 200]);
	});

	it('reads Retry-After as seconds or as an HTTP date', () => {
		const now = Date.UTC(2026, 10, 28, 10, 0, 0);
		assert.equal(parseRetryAfterMs('7', now), 7000);
		assert.equal(parseRetryAfterMs('0.5', now), 500);
		assert.equal(parseRetryAfterMs(new Date(now + 30_000).toUTCString(), now), 30_000);
		assert.equal(parseRetryAfterMs(new Date(now - 30_000).toUTCString(), now), 0);
		assert.equal(parseRetryAfterMs('soon', now), undefined);
		assert.equal(parseRetryAfterMs(undefined, now), undefined);
	});

	it('retries 408, 429 and every 5xx; every other status is an answer', () => {
		for (let status = 100; status <= 599; status++) {
			const expected = status === 408 || status === 429 || status >= 500;
			assert.equal(isRetryableStatus(status), expected, String(status));
		}
		assert.ok(GRAPH_RETRY_POLICY.attemptTimeoutMs <= GRAPH_RETRY_POLICY.maxTotalTimeMs);
	});
});

/** n8n's wrappers: NodeApiError / NodeOperationError keep the original as `cause`. */
const wrapped = (inner: unknown) => Object.assign(new Error('wrapped by n8n'), { cause: inner });
const coded = (code: string, message = code) => Object.assign(new Error(message), { code });

describe('classifyHttpError: one classifier for everything n8n throws', () => {
	it('an HTTP answer: status, Retry-After and body, also when wrapped', () => {
		const axiosError = Object.assign(new Error('Request failed with status code 429'), {
			code: 'ERR_BAD_REQUEST',
			config: { url: 'https://graph.microsoft.com/v1.0/me/messages', headers: { Authorization: 'Bearer secret' } },
			response: { status: 429, headers: { 'Retry-After': '3' }, data: { error: { code: 'TooManyRequests' } } },
		});
		const failure = classifyHttpError(wrapped(wrapped(axiosError)));
		assert.deepEqual(failure, {
			kind: 'status',
			status: 429,
			retryAfter: '3',
			body: { error: { code: 'TooManyRequests' } },
			url: 'https://graph.microsoft.com/v1.0/me/messages',
		});
		assert.ok(!JSON.stringify(failure).includes('secret'), 'the request (its headers) is not kept');
	});

	it("n8n 1.x's NodeApiError, which keeps only the status it found and a JSON body, is still an HTTP answer", () => {
		// The shape n8n-workflow 1.x leaves after wrapping an axios error: no cause, no response.
		const oneX = (fields: Record<string, unknown>) => Object.assign(new Error('Bad request - please check your parameters'), { cause: undefined, errorResponse: undefined, ...fields });
		assert.deepEqual(classifyHttpError(oneX({ httpCode: '404', context: {} })), { kind: 'status', status: 404, body: undefined });
		const throttled = classifyHttpError(oneX({ httpCode: '429', context: { data: { error: { code: 'TooManyRequests' } } } }));
		assert.deepEqual(throttled, { kind: 'status', status: 429, body: { error: { code: 'TooManyRequests' } } });
		assert.equal(isRetryableFailure(throttled), true);
		assert.equal(classifyHttpError(oneX({ httpCode: 'ECONNREFUSED' })).kind, 'other', 'only a three-digit status counts');
	});

	it('the identity platform refusing a token is final and keeps its error and description', () => {
		// @n8n/client-oauth2's AuthError: code EAUTH, the token endpoint's JSON as `body`.
		const authError = Object.assign(new Error('Client authentication failed'), {
			code: 'EAUTH',
			body: { error: 'invalid_client', error_description: 'AADSTS7000222: The provided client secret keys for app … are expired.' },
		});
		const failure = classifyHttpError(wrapped(authError));
		assert.deepEqual(failure, {
			kind: 'identity',
			error: 'invalid_client',
			description: 'AADSTS7000222: The provided client secret keys for app … are expired.',
			status: undefined,
		});
		assert.equal(isRetryableFailure(failure), false);
		const nonOAuth = classifyHttpError(Object.assign(new Error('HTTP status 302'), { code: 'ESTATUS', status: 302, body: '<html>moved</html>' }));
		assert.equal(nonOAuth.kind, 'identity');
		assert.equal(isRetryableFailure(nonOAuth), false);
	});

	it("n8n's request to reconnect (refresh token revoked or expired) is final", () => {
		const reconnect = Object.assign(new Error('The credential "Office 365 account" needs to be reconnected.'), {
			description: 'Open the credential and reconnect it to continue.',
			failure: { cause: 'credential-invalid' },
		});
		const failure = classifyHttpError(wrapped(reconnect));
		assert.equal(failure.kind, 'reconnect');
		assert.equal(isRetryableFailure(failure), false);
	});

	it('connection failures and timeouts are retried; only the listed codes', () => {
		for (const code of ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ENOTFOUND', 'UND_ERR_SOCKET', 'ECONNABORTED']) {
			const failure = classifyHttpError(wrapped(coded(code)));
			assert.deepEqual([failure.kind, isRetryableFailure(failure)], ['network', true], code);
		}
		for (const error of [
			coded('ETIMEDOUT'),
			coded('ESOCKETTIMEDOUT'),
			coded('UND_ERR_HEADERS_TIMEOUT'),
			coded('ECONNABORTED', 'timeout of 300ms exceeded'),
			Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' }),
		]) {
			const failure = classifyHttpError(wrapped(error));
			assert.deepEqual([failure.kind, isRetryableFailure(failure)], ['timeout', true], error.message);
		}
	});

	it('TLS failures, cancellation, authentication codes and unknown codes are final', () => {
		for (const code of [
			'CERT_HAS_EXPIRED',
			'CERT_NOT_YET_VALID',
			'DEPTH_ZERO_SELF_SIGNED_CERT',
			'SELF_SIGNED_CERT_IN_CHAIN',
			'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
			'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
			'ERR_TLS_CERT_ALTNAME_INVALID',
			'ERR_SSL_WRONG_VERSION_NUMBER',
			'EPROTO',
		]) {
			const failure = classifyHttpError(wrapped(coded(code)));
			assert.deepEqual([failure.kind, isRetryableFailure(failure)], ['tls', false], code);
		}
		const finals: Array<[unknown, HttpFailure['kind']]> = [
			[Object.assign(new Error('canceled'), { code: 'ERR_CANCELED', name: 'CanceledError' }), 'cancelled'],
			[Object.assign(new Error('This operation was aborted'), { name: 'AbortError' }), 'cancelled'],
			[coded('EAUTH', 'bad credentials'), 'other'],
			[coded('EACCES'), 'other'],
			[coded('EPERM'), 'other'],
			[coded('ERR_INVALID_URL'), 'other'],
			[new Error('no code at all'), 'other'],
			['a string', 'other'],
			[undefined, 'other'],
		];
		for (const [error, kind] of finals) {
			const failure = classifyHttpError(wrapped(error));
			assert.deepEqual([failure.kind, isRetryableFailure(failure)], [kind, false], String((error as Error | undefined)?.message ?? error));
		}
	});

	it('survives cyclic and deep cause chains', () => {
		const a: Record<string, unknown> = { message: 'a' };
		const b: Record<string, unknown> = { message: 'b', cause: a };
		a.cause = b;
		assert.equal(classifyHttpError(a).kind, 'other');
		let deep: unknown = coded('ECONNRESET');
		for (let i = 0; i < 20; i++) deep = wrapped(deep);
		assert.equal(classifyHttpError(deep).kind, 'other', 'beyond 8 levels nothing is trusted');
	});
});

describe('describeGraphFailure: what the user reads', () => {
	const endpoints = resolveGraphEndpoints({ cloud: 'custom', graphApiBaseUrl: 'http://127.0.0.1:9/graph', loginBaseUrl: 'http://127.0.0.1:9/login' });
	const url = 'http://127.0.0.1:9/graph/v1.0/me/messages?$filter=secret-ish&$top=10';
	const text = (failure: HttpFailure, reason: 'final' | 'attemptsExhausted' | 'timeBudgetExhausted' | 'retryAfterBeyondBudget' = 'final', attempts = 1, retryAfterMs?: number) =>
		describeGraphFailure({ failure, reason, attempts, url, retryAfterMs }, endpoints, GRAPH_RETRY_POLICY);

	it('names the URL without its query, the status or error and the attempts', () => {
		const throttled = text({ kind: 'status', status: 429, body: { error: { code: 'TooManyRequests', message: 'Slow down' } } }, 'attemptsExhausted', 5);
		assert.equal(throttled.message, 'Microsoft Graph answered 429 TooManyRequests for GET http://127.0.0.1:9/graph/v1.0/me/messages after 5 attempts');
		assert.match(String(throttled.description), /next poll retries/);
		const beyond = text({ kind: 'status', status: 429 }, 'retryAfterBeyondBudget', 1, 600_000);
		assert.match(String(beyond.description), /retry after 600 s, more than this request's time budget \(180 s\)/);
		for (const t of [throttled, beyond]) assert.ok(!JSON.stringify(t).includes('secret-ish'));
	});

	it('a refused token says what the identity platform said and what to do', () => {
		const expired = text({ kind: 'identity', error: 'invalid_client', description: 'AADSTS7000222: The provided client secret keys for app x are expired.', status: 401 });
		assert.match(expired.message, /the Microsoft identity platform refused: invalid_client AADSTS7000222/);
		assert.match(String(expired.description), /AADSTS7000222: The provided client secret keys/);
		assert.match(String(expired.description), /create a new client secret/);
		const grant = text({ kind: 'identity', error: 'invalid_grant', description: 'AADSTS70008: expired' });
		assert.match(String(grant.description), /reconnect the Office 365 OAuth2 API credential/);
		const reconnect = text({ kind: 'reconnect', message: 'The credential "x" needs to be reconnected.' });
		assert.match(reconnect.message, /needs to be reconnected/);
	});

	it('redirects, timeouts, TLS and oversized pages each say what to do', () => {
		assert.match(String(text({ kind: 'status', status: 302 }).description), /Redirects are not followed/);
		assert.match(text({ kind: 'timeout', timeoutMs: 60_000 }, 'timeBudgetExhausted', 3).message, /did not answer GET .* within 60 s after 3 attempts/);
		assert.match(String(text({ kind: 'tls', code: 'EPROTO', message: 'wrong version number' }).description), /TLS failures are not retried/);
		assert.match(text({ kind: 'tooLarge', limitBytes: 64 * 1024 * 1024 }).message, /larger than 64 MiB/);
		assert.equal(text({ kind: 'status', status: 503 }).httpCode, '503');
		const login = describeGraphFailure(
			{ failure: { kind: 'status', status: 503, url: `${endpoints.tokenUrl}` }, reason: 'attemptsExhausted', attempts: 5, url },
			endpoints,
			GRAPH_RETRY_POLICY,
		);
		assert.match(login.message, /^The Microsoft identity platform answered 503/);
	});
});

describe('readAtMost: reads only what is used', () => {
	function endless(chunk = Buffer.alloc(16 * 1024, 0x20)) {
		let produced = 0;
		const stream = new Readable({
			read() {
				produced += chunk.length;
				this.push(chunk);
			},
		});
		return { stream, produced: () => produced };
	}

	it('stops at the limit of an endless stream and destroys it', async () => {
		const { stream, produced } = endless();
		const result = await readAtMost(stream, 100_000);
		assert.equal(result.truncated, true);
		assert.equal(result.bytes.length, 100_000);
		assert.ok(produced() < 300_000, `${produced()} bytes produced`);
		assert.equal(stream.destroyed, true);
	});

	it('reads a short body whole; Buffers and strings are cut to the limit', async () => {
		assert.deepEqual(await readAtMost(Readable.from([Buffer.from('{"a":'), Buffer.from('1}')]), 100), { bytes: Buffer.from('{"a":1}'), truncated: false });
		assert.deepEqual(await readAtMost('abcdef', 3), { bytes: Buffer.from('abc'), truncated: true });
		assert.deepEqual(await readAtMost(undefined, 3), { bytes: Buffer.alloc(0), truncated: false });
	});

	it('an abort ends the read with the abort reason and destroys the stream', async () => {
		const stream = new Readable({ read() {} }); // never produces anything
		const controller = new AbortController();
		const reading = readAtMost(stream, 100, controller.signal);
		controller.abort(new Error('deadline'));
		await assert.rejects(reading, /deadline/);
		assert.equal(stream.destroyed, true);
	});
});
