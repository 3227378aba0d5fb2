/**
 * The Graph transport under n8n-core's real PollContext (OAuth2 signing and refresh, axios) against
 * the Graph simulator and plain loopback servers: refused token refreshes, wall-clock deadlines,
 * cancellation, oversized answers, redirects, TLS failures and URLs that try to leave the base path.
 */
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { after, before, beforeEach, describe, it } from 'node:test';

import fc from 'fast-check';
import { PollContext } from 'n8n-core';
import { NodeApiError, NodeOperationError, type ICredentialDataDecryptedObject } from 'n8n-workflow';

import { GRAPH_RETRY_POLICY, type RetryPolicy } from '../../nodes/Office365/shared/retryPolicy';
import { graphGet, type GraphRequest, type GraphResponse } from '../../nodes/Office365/shared/transport';
import { GraphSimulator, TOKEN_REFUSALS, type TokenRefusal } from '../graph-simulator';
import { hostilePath, landsOutside } from '../support/hostilePaths';
import { TriggerHarness } from '../support/pollHarness';
import { simulatorCredential } from '../support/simulatorCredentials';
import { startLoopbackServer, type LoopbackServer } from '../support/loopbackServer';

const sim = new GraphSimulator();
before(async () => await sim.start());
after(async () => await sim.stop());
beforeEach(() => sim.reset());

/** A short policy so deadline tests take seconds: 1 s per attempt, 2.5 s in total. */
/** A regression that lets a slow server hold a request fails the test instead of hanging the suite. */
const HANG_LIMIT = { timeout: 20_000 };
const FAST: RetryPolicy = { maxAttempts: 5, attemptTimeoutMs: 1_000, initialDelayMs: 100, maxDelayMs: 1_000, maxTotalTimeMs: 2_500, jitterRatio: 0 };

interface Call {
	response?: GraphResponse;
	error?: Error;
	elapsedMs: number;
	harness: TriggerHarness;
}

async function get(request: GraphRequest, credential: ICredentialDataDecryptedObject = simulatorCredential(sim, sim.issueTokens())): Promise<Call> {
	const harness = new TriggerHarness({ resource: 'messages' }, credential);
	const context = new PollContext(harness.workflow, harness.node, harness.additionalData(), 'trigger', 'activate', undefined, undefined, undefined, undefined, () => harness.staticData);
	const started = Date.now();
	try {
		const response = await graphGet.call(context, request);
		return { response, elapsedMs: Date.now() - started, harness };
	} catch (error) {
		return { error: error as Error, elapsedMs: Date.now() - started, harness };
	}
}

const graphRequests = (since: number) => sim.requestsSince(since).filter((entry) => entry.path.startsWith('/v1.0/'));
const lastSeq = () => sim.requests.at(-1)?.seq ?? 0;

/** Everything a user or a log could see of an error. */
function visible(error: Error | undefined): string {
	return [error?.message, (error as { description?: string } | undefined)?.description, error?.stack, JSON.stringify(error), inspect(error, { depth: 8 })].join('\n');
}

describe('Graph transport: a refused token refresh is final and says what to do', () => {
	for (const reason of Object.keys(TOKEN_REFUSALS) as TokenRefusal[]) {
		const refusal = TOKEN_REFUSALS[reason];
		it(`${reason} (${refusal.error} AADSTS${refusal.code}): one Graph call, one token call, a clear error`, async () => {
			const tokens = sim.issueTokens();
			const credential = simulatorCredential(sim, tokens);
			sim.expireAccessTokens();
			sim.refuseTokens(reason);
			const seq = lastSeq();
			const tokenRequestsBefore = sim.tokenRequests;
			const call = await get({ url: '/me/messages' }, credential);

			assert.ok(call.error instanceof NodeApiError, String(call.error));
			assert.equal(graphRequests(seq).length, 1, 'the 401 is not retried after the refused refresh');
			assert.equal(sim.tokenRequests - tokenRequestsBefore, 1);
			assert.ok(call.elapsedMs < 2_000, `${call.elapsedMs} ms`);
			const description = String((call.error as NodeApiError).description);
			if (refusal.error === 'invalid_grant') {
				// n8n itself turns invalid_grant into a request to reconnect (it keeps no AADSTS code).
				assert.match(call.error.message, /^Could not renew the access token for GET .*\/v1\.0\/me\/messages: The credential "Office 365 account" needs to be reconnected/);
				assert.match(description, /reconnect/i);
			} else {
				assert.match(call.error.message, new RegExp(`the Microsoft identity platform refused: ${refusal.error} AADSTS${refusal.code}$`));
				assert.match(description, new RegExp(`^AADSTS${refusal.code}: `));
				assert.match(description, refusal.error === 'invalid_client' ? /create a new client secret/ : /check Client ID, Tenant ID and Cloud/);
			}
			const seen = visible(call.error);
			for (const secret of [String(credential.clientSecret), tokens.access_token, tokens.refresh_token]) {
				assert.ok(!seen.includes(secret), 'a secret leaked into the error');
			}
		});
	}
});

describe('Graph transport: every request has a wall-clock deadline and follows cancellation', () => {
	it('an answer trickling one byte every 300 ms is cut at the attempt deadline; the request ends within its budget', HANG_LIMIT, async () => {
		sim.injectFault({ kind: 'trickle', intervalMs: 300, path: '/me/messages', times: 10 });
		const seq = lastSeq();
		const call = await get({ url: '/me/messages', retryPolicy: FAST });
		assert.ok(call.error instanceof NodeApiError);
		assert.match(call.error.message, /^Microsoft Graph did not answer GET .*\/me\/messages within 1 s after 2 attempts$/);
		assert.ok(call.elapsedMs >= 1_000 && call.elapsedMs < FAST.maxTotalTimeMs + 1_000, `${call.elapsedMs} ms`);
		await new Promise((resolve) => setTimeout(resolve, 100));
		const requests = graphRequests(seq);
		assert.equal(requests.length, 2);
		assert.ok(requests.every((entry) => entry.abandoned === true), 'the client closed every trickling connection');
	});

	it('the default Graph policy bounds a request too (5 attempts of at most 60 s, 180 s in total)', () => {
		assert.ok(GRAPH_RETRY_POLICY.attemptTimeoutMs * GRAPH_RETRY_POLICY.maxAttempts >= GRAPH_RETRY_POLICY.maxTotalTimeMs);
		assert.equal(GRAPH_RETRY_POLICY.maxTotalTimeMs, 180_000);
	});

	it('an abort signal stops a trickling request and a Retry-After wait at once', HANG_LIMIT, async () => {
		sim.injectFault({ kind: 'trickle', intervalMs: 300, path: '/me/messages' });
		const trickling = await get({ url: '/me/messages', abortSignal: AbortSignal.timeout(300) });
		assert.ok(trickling.error instanceof NodeApiError);
		assert.match(trickling.error.message, /^The request GET .*\/me\/messages was cancelled$/);
		assert.ok(trickling.elapsedMs < 1_000, `${trickling.elapsedMs} ms`);

		sim.injectFault({ kind: 'status', status: 429, retryAfterSeconds: 30, path: '/me/messages' });
		const seq = lastSeq();
		const waiting = await get({ url: '/me/messages', abortSignal: AbortSignal.timeout(300) });
		assert.ok(waiting.error instanceof NodeApiError);
		assert.match(waiting.error.message, /^The request GET .*\/me\/messages was cancelled$/);
		assert.ok(waiting.elapsedMs < 1_000, `${waiting.elapsedMs} ms`);
		assert.equal(graphRequests(seq).length, 1);
	});

	it('Retry-After is honoured and is told apart from the back-off (2 s asked, back-off would be at most 1 s)', async () => {
		sim.injectFault({ kind: 'status', status: 429, retryAfterSeconds: 2, path: '/me/messages' });
		const seq = lastSeq();
		const call = await get({ url: '/me/messages' });
		assert.equal(call.error, undefined);
		assert.equal(call.response?.attempts, 2);
		const [throttled, answered] = graphRequests(seq);
		assert.ok(answered.at - throttled.at >= 1_950, `waited ${answered.at - throttled.at} ms`);
	});

	it('transient statuses are retried, answers are not', async () => {
		sim.injectFault({ kind: 'status', status: 503, path: '/me/messages', times: 2 });
		let seq = lastSeq();
		const recovered = await get({ url: '/me/messages', retryPolicy: { ...FAST, maxTotalTimeMs: 10_000 } });
		assert.equal(recovered.response?.attempts, 3);
		assert.deepEqual(graphRequests(seq).map((entry) => entry.status), [503, 503, 200]);
		for (const status of [400, 403, 404, 409]) {
			sim.injectFault({ kind: 'status', status, path: '/me/messages', code: 'Nope' });
			seq = lastSeq();
			const call = await get({ url: '/me/messages', retryPolicy: FAST });
			assert.ok(call.error instanceof NodeApiError);
			assert.match(call.error.message, new RegExp(`^Microsoft Graph answered ${status} Nope for GET .* after 1 attempt$`));
			assert.equal(graphRequests(seq).length, 1, String(status));
		}
	});
});

describe('Graph transport: answers are read only up to what is used', () => {
	it('a page larger than 64 MiB is refused with a clear error; the rest is never read', HANG_LIMIT, async () => {
		sim.injectFault({ kind: 'oversized', bytes: 80 * 1024 * 1024, path: '/me/messages' });
		const seq = lastSeq();
		const call = await get({ url: '/me/messages' });
		assert.ok(call.error instanceof NodeApiError);
		assert.match(call.error.message, /^Microsoft Graph's answer to GET .*\/me\/messages is larger than 64 MiB/);
		assert.match(String((call.error as NodeApiError).description), /Lower Page Size/);
		await new Promise((resolve) => setTimeout(resolve, 100));
		const [entry] = graphRequests(seq);
		assert.equal(entry.abandoned, true, 'the client hung up before the end');
		assert.equal(graphRequests(seq).length, 1, 'not retried');
	});

	it('a large page below the limit is read whole', async () => {
		sim.injectFault({ kind: 'oversized', bytes: 5 * 1024 * 1024, path: '/me/messages' });
		const call = await get({ url: '/me/messages' });
		assert.equal(call.error, undefined);
		assert.equal((call.response?.body.padding as string).length, 5 * 1024 * 1024 - '{"value":[],"padding":""}'.length);
	});
});

describe('Graph transport: the token never leaves the Graph host and base path', () => {
	// Records where requests land (and with what authorization) and answers an empty Graph page.
	const received: Array<{ path: string; authorization?: string }> = [];
	let recorder: LoopbackServer;
	before(async () => {
		recorder = await startLoopbackServer((req, res) => {
			received.push({ path: req.url ?? '', authorization: req.headers.authorization });
			res.writeHead(200, { 'Content-Type': 'application/json' });
			res.end('{"value":[]}');
		});
	});
	after(async () => await recorder.close());
	beforeEach(() => (received.length = 0));

	for (const status of [301, 302, 303, 307, 308]) {
		it(`a ${status} redirect is not followed: the error says so and the target sees nothing`, async () => {
			sim.injectFault({ kind: 'redirect', status, location: `${recorder.url}/steal?x=1`, path: '/me/messages' });
			const seq = lastSeq();
			const call = await get({ url: '/me/messages' });
			assert.ok(call.error instanceof NodeApiError);
			assert.match(call.error.message, new RegExp(`^Microsoft Graph answered ${status} for GET .* after 1 attempt$`));
			assert.match(String((call.error as NodeApiError).description), /Redirects are not followed/);
			assert.equal(graphRequests(seq).length, 1);
			assert.equal(received.length, 0);
		});
	}

	it('a TLS failure (https to a plain HTTP server) is final after one attempt', async () => {
		const credential = simulatorCredential({ baseUrl: sim.baseUrl.replace('http:', 'https:'), loginBaseUrl: sim.loginBaseUrl }, sim.issueTokens());
		const call = await get({ url: '/me/messages' }, credential);
		assert.ok(call.error instanceof NodeApiError);
		assert.match(call.error.message, /^Microsoft Graph could not be reached securely \((EPROTO|ERR_SSL_[A-Z_]+)\) for GET https:/);
		assert.match(String((call.error as NodeApiError).description), /TLS failures are not retried/);
		assert.ok(call.elapsedMs < 1_000, `${call.elapsedMs} ms`);
	});

	it('generated hostile relative URLs and nextLinks reach nothing outside the base path', async () => {
		const credential = simulatorCredential({ baseUrl: `${recorder.url}/graph`, loginBaseUrl: `${recorder.url}/login` }, sim.issueTokens());
		const paths = fc.sample(hostilePath, { numRuns: 150, seed: 20261128 });
		let refused = 0;
		for (const path of paths) {
			for (const url of [path, `${recorder.url}/graph/v1.0/${path}`]) {
				const call = await get({ url, retryPolicy: FAST }, credential);
				if (call.error) {
					assert.ok(call.error instanceof NodeOperationError, `${url}: ${call.error.message}`);
					assert.match(call.error.message, /^Refusing to send the Office 365 access token to /);
					refused++;
				}
			}
		}
		const outside = received.filter((request) => landsOutside(request.path, '/graph'));
		assert.deepEqual(outside.map((request) => request.path), []);
		assert.ok(received.length > 50 && refused > 50, `${received.length} sent, ${refused} refused`);
		assert.ok(received.every((request) => request.authorization?.startsWith('Bearer ')), 'these did carry the token');
	});
});
