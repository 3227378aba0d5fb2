/**
 * Pure modules of the Office 365 Event Forward node: event shape, envelope and batching,
 * signature, URL and header checks, and the retry loop (with a fake clock, send and sleep).
 */
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { describe, it } from 'node:test';

import fc from 'fast-check';

import {
	DEFAULT_DELIVERY_POLICY,
	deliverNotification,
	describeDeliveryFailure,
	lastStatus,
	notificationRequest,
	resolveDeliveryPolicy,
} from '../../nodes/Office365/forward/delivery';
import {
	buildNotifications,
	deriveWebhookId,
	normalizeInstanceId,
	normalizeInstanceName,
	type ForwardInput,
} from '../../nodes/Office365/forward/envelope';
import { Office365ConfigError } from '../../nodes/Office365/shared/configError';
import { checkStandardEvent } from '../../nodes/Office365/forward/eventShape';
import { checkSigningKey, SIGNING_CREDENTIAL_TYPE, signBody, verifySignature } from '../../nodes/Office365/forward/signature';
import type { HttpFailure, PostResponse } from '../../nodes/Office365/shared/http';
import type { AttemptContext, RetryPolicy } from '../../nodes/Office365/shared/retryPolicy';
import { describeUrl, validateCallbackUrl, validateExtraHeaders } from '../../nodes/Office365/forward/url';

const URL_A = 'https://receiver.example.com/hook';
const URL_B = 'https://other.example.com/hook';

function event(objectId: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
	return {
		eventType: 'CREATED',
		objectType: 'messages',
		objectId,
		elementKey: 'office365',
		date: '2024-05-01T10:00:00Z',
		raw: { id: objectId, subject: `Subject ${objectId}` },
		...overrides,
	};
}

function inputs(jsons: unknown[], url = URL_A): ForwardInput[] {
	return jsons.map((json, index) => ({ index, json, url }));
}

function counterIds(prefix = 'id'): () => string {
	let n = 0;
	return () => `${prefix}-${++n}`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('checkStandardEvent', () => {
	it('accepts a trigger event and keeps its values', () => {
		const check = checkStandardEvent(event('A1'));
		assert.equal(check.ok, true);
		if (check.ok) assert.deepEqual(check.event, event('A1'));
	});

	it('names every missing field at once', () => {
		const check = checkStandardEvent({ eventType: 'CREATED', objectType: 'messages', raw: {} });
		assert.equal(check.ok, false);
		if (!check.ok) {
			assert.deepEqual(check.missing, ['objectId', 'elementKey', 'date']);
			assert.match(check.message, /missing objectId, elementKey, date/);
		}
	});

	it('reports invalid values with what is expected', () => {
		const check = checkStandardEvent(
			event('A1', { eventType: 'created', date: 'yesterday', raw: [1, 2], objectId: { id: 1 } }),
		);
		assert.equal(check.ok, false);
		if (!check.ok) {
			assert.deepEqual(check.invalid.sort(), ['date', 'eventType', 'objectId', 'raw']);
			assert.match(check.message, /eventType "created" is not one of CREATED, UPDATED, DELETED, UNKNOWN/);
			assert.match(check.message, /date must be an ISO 8601 timestamp/);
		}
	});

	it('rejects non-objects, naming all fields', () => {
		for (const value of [null, 'text', 42, [event('A1')]]) {
			const check = checkStandardEvent(value);
			assert.equal(check.ok, false);
			if (!check.ok) assert.equal(check.missing.length, 6);
		}
	});

	it('accepts Graph 7-digit fractions and offsets, turns a numeric objectId into a string', () => {
		const check = checkStandardEvent(
			event('x', { objectId: 7952451365, date: '2017-10-07T04:59:13.8136423+02:00' }),
		);
		assert.equal(check.ok, true);
		if (check.ok) assert.equal(check.event.objectId, '7952451365');
	});

	it('refuses objectType "objectType", which would collide with raw.objectType', () => {
		const check = checkStandardEvent(event('A1', { objectType: 'objectType' }));
		assert.equal(check.ok, false);
	});
});

describe('buildNotifications', () => {
	it('builds the Open Connectors envelope exactly', () => {
		const { notifications, rejected } = buildNotifications(inputs([event('A1'), event('A2', { eventType: 'UPDATED' })]), {
			batchSize: 10,
			instanceId: 123,
			instanceName: 'Outlook (alice)',
			newId: counterIds('ev'),
		});
		assert.deepEqual(rejected, []);
		assert.equal(notifications.length, 1);
		const [n] = notifications;
		assert.deepEqual(JSON.parse(n.body), {
			message: {
				eventId: 'ev-1',
				instanceId: 123,
				instanceName: 'Outlook (alice)',
				elementKey: 'office365',
				events: [
					{ elementKey: 'office365', eventType: 'CREATED', objectType: 'messages', objectId: 'A1', date: '2024-05-01T10:00:00Z' },
					{ elementKey: 'office365', eventType: 'UPDATED', objectType: 'messages', objectId: 'A2', date: '2024-05-01T10:00:00Z' },
				],
				raw: {
					objectType: 'messages',
					messages: [
						{ id: 'A1', subject: 'Subject A1' },
						{ id: 'A2', subject: 'Subject A2' },
					],
				},
			},
		});
		assert.equal(n.body, JSON.stringify(n.envelope));
		assert.deepEqual(Object.keys(JSON.parse(n.body).message.events[0]), ['elementKey', 'eventType', 'objectType', 'objectId', 'date']);
		assert.deepEqual(n.itemIndexes, [0, 1]);
		assert.equal(n.eventId, 'ev-1');
		assert.match(n.webhookId, UUID);
	});

	it('cuts 25 events into 10 + 10 + 5, in input order', () => {
		const events = Array.from({ length: 25 }, (_, i) => event(`M${i}`));
		const { notifications } = buildNotifications(inputs(events), { batchSize: 10, instanceId: null, instanceName: null });
		assert.deepEqual(notifications.map((n) => n.itemIndexes.length), [10, 10, 5]);
		assert.deepEqual(
			notifications.flatMap((n) => n.envelope.message.events.map((e) => e.objectId)),
			events.map((e) => e.objectId),
		);
		assert.equal(new Set(notifications.map((n) => n.eventId)).size, 3);
		assert.equal(new Set(notifications.map((n) => n.webhookId)).size, 3);
	});

	it('groups by objectType (first-appearance order) and never mixes callback URLs', () => {
		const list: ForwardInput[] = [
			{ index: 0, url: URL_A, json: event('m1') },
			{ index: 1, url: URL_A, json: event('e1', { objectType: 'events' }) },
			{ index: 2, url: URL_A, json: event('m2') },
			{ index: 3, url: URL_B, json: event('m3') },
			{ index: 4, url: URL_A, json: event('e2', { objectType: 'events' }) },
		];
		const { notifications } = buildNotifications(list, { batchSize: 10, instanceId: null, instanceName: null });
		assert.deepEqual(
			notifications.map((n) => [n.url, n.objectType, n.itemIndexes]),
			[
				[URL_A, 'messages', [0, 2]],
				[URL_A, 'events', [1, 4]],
				[URL_B, 'messages', [3]],
			],
		);
		const raw = notifications[1].envelope.message.raw;
		assert.equal(raw.objectType, 'events');
		assert.deepEqual(raw.events, [{ id: 'e1', subject: 'Subject e1' }, { id: 'e2', subject: 'Subject e2' }]);
	});

	it('batch size 1 gives one notification per event', () => {
		const { notifications } = buildNotifications(inputs([event('a'), event('b'), event('c')]), {
			batchSize: 1,
			instanceId: null,
			instanceName: null,
		});
		assert.deepEqual(notifications.map((n) => n.itemIndexes), [[0], [1], [2]]);
	});

	it('rejects invalid items with the missing fields named and sends the rest', () => {
		const { notifications, rejected } = buildNotifications(
			inputs([event('a'), { subject: 'not an event' }, event('b', { raw: { big: BigInt(1) } }), event('c')]),
			{ batchSize: 10, instanceId: null, instanceName: null },
		);
		assert.deepEqual(notifications.map((n) => n.itemIndexes), [[0, 3]]);
		assert.deepEqual(rejected.map((r) => r.index), [1, 2]);
		assert.match(rejected[0].message, /^Item 1 is not a standardized event: missing eventType, objectType, objectId, elementKey, date, raw$/);
		assert.match(rejected[1].message, /Item 2 .*raw cannot be sent as JSON/);
	});

	it('treats an objectType such as "__proto__" as a plain key', () => {
		const { notifications } = buildNotifications(inputs([event('p', { objectType: '__proto__' })]), {
			batchSize: 10,
			instanceId: null,
			instanceName: null,
		});
		const parsed = JSON.parse(notifications[0].body) as { message: { raw: Record<string, unknown> } };
		assert.ok(Object.prototype.hasOwnProperty.call(parsed.message.raw, '__proto__'));
		assert.equal(Object.getPrototypeOf(notifications[0].envelope.message.raw), Object.prototype);
	});

	it('refuses a batch size outside 1..1000', () => {
		for (const batchSize of [0, 1.5, 1001, Number.NaN]) {
			assert.throws(
				() => buildNotifications([], { batchSize, instanceId: null, instanceName: null }),
				(error: unknown) => error instanceof Office365ConfigError && error.parameter === 'Batch Size',
			);
		}
	});

	it('derived webhook ids are stable for the same events and differ otherwise; random mode is fresh', () => {
		const options = { batchSize: 10, instanceId: 7, instanceName: 'x' };
		const first = buildNotifications(inputs([event('a'), event('b')]), options).notifications[0];
		const again = buildNotifications(inputs([event('a'), event('b')]), options).notifications[0];
		assert.equal(first.webhookId, again.webhookId);
		assert.notEqual(first.eventId, again.eventId);
		const changed = buildNotifications(inputs([event('a'), event('b', { date: '2024-05-01T10:00:01Z' })]), options)
			.notifications[0];
		assert.notEqual(first.webhookId, changed.webhookId);
		const otherInstance = buildNotifications(inputs([event('a'), event('b')]), { ...options, instanceId: 8 }).notifications[0];
		assert.notEqual(first.webhookId, otherInstance.webhookId);
		const random1 = buildNotifications(inputs([event('a')]), { ...options, webhookIdMode: 'random' }).notifications[0];
		const random2 = buildNotifications(inputs([event('a')]), { ...options, webhookIdMode: 'random' }).notifications[0];
		assert.notEqual(random1.webhookId, random2.webhookId);
		assert.match(random1.webhookId, UUID);
		assert.match(deriveWebhookId(null, 'office365', []), /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
	});

	it('property: every valid item is sent exactly once, in order per objectType, within the batch size', () => {
		const eventArb = fc.record({
			objectType: fc.constantFrom('messages', 'events', 'contacts'),
			eventType: fc.constantFrom('CREATED', 'UPDATED', 'DELETED'),
			objectId: fc.string({ minLength: 1, maxLength: 8 }),
			valid: fc.boolean(),
		});
		fc.assert(
			fc.property(fc.array(eventArb, { maxLength: 60 }), fc.integer({ min: 1, max: 12 }), (specs, batchSize) => {
				const jsons = specs.map((s, i) =>
					s.valid || i % 3 !== 0
						? event(s.objectId, { objectType: s.objectType, eventType: s.eventType, raw: { i } })
						: { objectType: s.objectType },
				);
				const { notifications, rejected } = buildNotifications(inputs(jsons), {
					batchSize,
					instanceId: null,
					instanceName: null,
				});
				const sent = notifications.flatMap((n) => n.itemIndexes);
				const validIndexes = jsons.flatMap((j, i) => (checkStandardEvent(j).ok ? [i] : []));
				assert.deepEqual([...sent].sort((a, b) => a - b), validIndexes);
				assert.equal(sent.length + rejected.length, jsons.length);
				const lastSeen = new Map<string, number>();
				for (const n of notifications) {
					assert.ok(n.itemIndexes.length >= 1 && n.itemIndexes.length <= batchSize);
					const parsed = JSON.parse(n.body) as { message: { events: Array<{ objectType: string }>; raw: Record<string, unknown[]> } };
					assert.ok(parsed.message.events.every((e) => e.objectType === n.objectType));
					assert.deepEqual(
						parsed.message.raw[n.objectType],
						n.itemIndexes.map((i) => ({ i })),
					);
					for (const index of n.itemIndexes) {
						assert.ok(index > (lastSeen.get(n.objectType) ?? -1));
						lastSeen.set(n.objectType, index);
					}
				}
			}),
			{ numRuns: 200 },
		);
	});
});

describe('instance id and name', () => {
	it('sends digits as a number, other text as a string, empty as null', () => {
		assert.equal(normalizeInstanceId('123'), 123);
		assert.equal(normalizeInstanceId(' 42 '), 42);
		assert.equal(normalizeInstanceId('wf-AbC'), 'wf-AbC');
		assert.equal(normalizeInstanceId('99999999999999999999'), '99999999999999999999');
		assert.equal(normalizeInstanceId(''), null);
		assert.equal(normalizeInstanceId(undefined), null);
		assert.equal(normalizeInstanceId(5), 5);
		assert.equal(normalizeInstanceName('  '), null);
		assert.equal(normalizeInstanceName('My workflow'), 'My workflow');
	});
});

describe('signature', () => {
	// RFC 4231 test case 2 (HMAC-SHA256, key "Jefe"); expected value taken from the RFC, not computed here.
	const RFC4231_KEY = 'Jefe';
	const RFC4231_DATA = 'what do ya want for nothing?';
	const RFC4231_HEX = '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843';

	it('matches the RFC 4231 known answer, base64-encoded with the sha256= prefix', () => {
		const expected = `sha256=${Buffer.from(RFC4231_HEX, 'hex').toString('base64')}`;
		assert.equal(expected, 'sha256=W9zBRr9gdU5qBCQmCJV1x1oAPwidJzmDnexYuWTsOEM=');
		assert.equal(signBody(RFC4231_DATA, RFC4231_KEY), expected);
		assert.equal(signBody(Buffer.from(RFC4231_DATA, 'utf8'), RFC4231_KEY), expected);
	});

	it('signs the UTF-8 bytes of a string body', () => {
		const body = '{"subject":"héllo ✓"}';
		assert.equal(signBody(body, 'k'), signBody(new Uint8Array(Buffer.from(body, 'utf8')), 'k'));
		assert.notEqual(signBody(body, 'k'), signBody(Buffer.from(body, 'latin1'), 'k'));
	});

	it('verifies the right signature and rejects everything else', () => {
		const body = Buffer.from('{"message":{"eventId":"1"}}');
		const header = signBody(body, 'secret');
		assert.equal(verifySignature(body, header, 'secret'), true);
		assert.equal(verifySignature(body, ` ${header} `, 'secret'), true);
		assert.equal(verifySignature(body, [header], 'secret'), true);
		assert.equal(verifySignature(body, header, 'Secret'), false);
		const tampered = Buffer.from(body);
		tampered[5] ^= 1;
		assert.equal(verifySignature(tampered, header, 'secret'), false);
		assert.equal(verifySignature(body, header.replace('sha256=', 'sha512='), 'secret'), false);
		assert.equal(verifySignature(body, header.slice(0, -4), 'secret'), false);
		assert.equal(verifySignature(body, 'sha256=***', 'secret'), false);
		assert.equal(verifySignature(body, undefined, 'secret'), false);
		assert.equal(verifySignature(body, [header, header], 'secret'), false);
		const sha1 = signBody(body, 'secret', 'sha1');
		assert.equal(verifySignature(body, sha1, 'secret'), false);
		assert.equal(verifySignature(body, sha1, 'secret', { allowSha1: true }), true);
	});

	it('compares with crypto.timingSafeEqual, also for a wrong signature of the right length', () => {
		const original = crypto.timingSafeEqual;
		const calls: number[] = [];
		(crypto as { timingSafeEqual: typeof crypto.timingSafeEqual }).timingSafeEqual = (a, b) => {
			calls.push(a.byteLength);
			return original(a, b);
		};
		try {
			const body = 'payload';
			const good = signBody(body, 'k');
			const wrong = signBody(body, 'other key');
			assert.equal(verifySignature(body, good, 'k'), true);
			assert.equal(verifySignature(body, wrong, 'k'), false);
			assert.equal(verifySignature(body, 'sha256=AAAA', 'k'), false);
		} finally {
			(crypto as { timingSafeEqual: typeof crypto.timingSafeEqual }).timingSafeEqual = original;
		}
		assert.deepEqual(calls, [32, 32, 32]);
	});

	it('the credential test reports an empty key and never echoes the key', () => {
		assert.deepEqual(checkSigningKey(''), { ok: false, message: 'The signing key is empty' });
		assert.equal(checkSigningKey(undefined).ok, false);
		const ok = checkSigningKey('top-secret-value');
		assert.equal(ok.ok, true);
		assert.ok(!ok.message.includes('top-secret-value'));
		assert.match(checkSigningKey(' padded ').message, /whitespace/);
	});
});

describe('callback URL and extra headers', () => {
	it('accepts http and https, keeps the query, drops the fragment', () => {
		assert.equal(validateCallbackUrl(' https://a.example/x?k=1#frag ').toString(), 'https://a.example/x?k=1');
		assert.equal(validateCallbackUrl('http://127.0.0.1:8080/hook').toString(), 'http://127.0.0.1:8080/hook');
	});

	it('refuses other schemes, relative or empty URLs and user info, with the parameter named', () => {
		const cases: Array<[unknown, RegExp]> = [
			['', /URL is empty/],
			[undefined, /URL is empty/],
			['example.com/hook', /not an absolute URL/],
			['ftp://example.com/hook', /only http:\/\/ and https:\/\//],
			['javascript:alert(1)', /only http:\/\/ and https:\/\//],
			['file:///etc/passwd', /only http:\/\/ and https:\/\//],
			['https://user:hunter2@example.com/hook', /user info/],
			[42, /expected a URL string/],
		];
		for (const [value, pattern] of cases) {
			assert.throws(
				() => validateCallbackUrl(value),
				(error: unknown) => {
					assert.ok(error instanceof Office365ConfigError);
					assert.equal(error.parameter, 'Callback URL');
					assert.match(error.message, pattern);
					assert.ok(!error.message.includes('hunter2'));
					return true;
				},
			);
		}
	});

	it('shows URLs without their query string', () => {
		assert.equal(describeUrl(new URL('https://a.example:8443/p/q?token=abc')), 'https://a.example:8443/p/q?…');
		assert.equal(describeUrl(new URL('http://a.example/p')), 'http://a.example/p');
	});

	it('validates extra headers', () => {
		assert.deepEqual(validateExtraHeaders([{ name: 'X-Tenant', value: 'contoso' }, { name: 'X-N', value: 3 }]), {
			'X-Tenant': 'contoso',
			'X-N': '3',
		});
		for (const headers of [
			[{ name: 'Content-Type', value: 'text/plain' }],
			[{ name: 'elements-webhook-signature', value: 'sha256=forged' }],
			[{ name: 'Elements-Webhook-Id', value: 'x' }],
			[{ name: 'Bad Name', value: 'x' }],
			[{ name: 'X-A', value: 'line\r\nInjected: 1' }],
			[{ name: '', value: 'x' }],
			[{ name: 'X-A', value: '1' }, { name: 'x-a', value: '2' }],
		]) {
			assert.throws(() => validateExtraHeaders(headers), Office365ConfigError);
		}
	});
});

describe('delivery loop', () => {
	const policy: RetryPolicy = { ...DEFAULT_DELIVERY_POLICY, jitterRatio: 0 };

	/** A scripted receiver plus a fake clock: sleeping advances time, each request takes `cost` ms. */
	function harness(script: Array<PostResponse | HttpFailure>, cost = 10) {
		let now = 1_000_000;
		const requests: AttemptContext[] = [];
		const sleeps: number[] = [];
		const send = async (request: AttemptContext): Promise<PostResponse | HttpFailure> => {
			requests.push(request);
			now += cost;
			return script[Math.min(requests.length - 1, script.length - 1)];
		};
		const sleep = async (ms: number) => {
			sleeps.push(ms);
			now += ms;
		};
		return { send, sleep, requests, sleeps, clock: { now: () => now, random: () => 0.5 } };
	}
	const answer = (statusCode: number, headers: Record<string, unknown> = {}, bodyPreview = ''): PostResponse => ({
		kind: 'response',
		statusCode,
		headers,
		bodyPreview,
	});

	it('any 2xx delivers; the answer is kept', async () => {
		for (const code of [200, 201, 202, 204, 299]) {
			const h = harness([answer(code)]);
			const result = await deliverNotification(h.send, h.sleep, policy, h.clock);
			assert.equal(result.ok, true, String(code));
			assert.equal(lastStatus(result), code);
			assert.equal(result.attempts, 1);
		}
	});

	it('503 twice, then 200: the retries follow the shared engine, attempts are counted', async () => {
		const h = harness([answer(503), answer(503), answer(200)]);
		const result = await deliverNotification(h.send, h.sleep, policy, h.clock);
		assert.equal(result.ok, true);
		assert.equal(result.attempts, 3);
		assert.deepEqual(h.sleeps, [1000, 2000]);
		assert.deepEqual(h.requests.map((r) => r.attempt), [1, 2, 3]);
	});

	it("reads the receiver's Retry-After in any header case, also as an array (repeated header)", async () => {
		for (const headers of [{ 'Retry-After': '45' }, { 'retry-after': ['45', '7'] }, { 'RETRY-AFTER': '45' }]) {
			const h = harness([answer(429, headers), answer(200)]);
			const result = await deliverNotification(h.send, h.sleep, policy, h.clock);
			assert.equal(result.ok, true);
			assert.deepEqual(h.sleeps, [45_000], JSON.stringify(headers));
			assert.equal(result.log[0].waitSource, 'retryAfter');
		}
	});

	it('final answers are not retried: 4xx other than 408/429, and redirects', async () => {
		for (const code of [400, 401, 403, 404, 410, 422, 301, 302, 303, 307, 308]) {
			const h = harness([answer(code), answer(200)]);
			const result = await deliverNotification(h.send, h.sleep, policy, h.clock);
			assert.equal(result.ok, false);
			assert.equal(!result.ok && result.reason, 'final', String(code));
			assert.equal(result.attempts, 1, String(code));
			assert.equal(lastStatus(result), code);
		}
	});

	it('network failures and timeouts are retried; cancellation, TLS and unknown failures are not', async () => {
		const retried: HttpFailure[] = [
			{ kind: 'network', code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' },
			{ kind: 'timeout', timeoutMs: 300 },
		];
		for (const failure of retried) {
			const h = harness([failure, answer(200)]);
			assert.equal((await deliverNotification(h.send, h.sleep, policy, h.clock)).attempts, 2, failure.kind);
		}
		const final: HttpFailure[] = [
			{ kind: 'cancelled' },
			{ kind: 'tls', code: 'CERT_HAS_EXPIRED', message: 'certificate has expired' },
			{ kind: 'other', message: 'The Office 365 Event Signing API credential has no signing key' },
		];
		for (const failure of final) {
			const h = harness([failure, answer(200)]);
			const result = await deliverNotification(h.send, h.sleep, policy, h.clock);
			assert.equal(!result.ok && result.reason, 'final', failure.kind);
			assert.equal(result.attempts, 1);
		}
	});

	it('propagates a rejected sleep (execution cancelled)', async () => {
		const h = harness([answer(503)]);
		await assert.rejects(
			deliverNotification(h.send, async () => await Promise.reject(new Error('aborted')), policy, h.clock),
			/aborted/,
		);
	});

	it('describes failures with URL, status or error, and attempts', async () => {
		const fail = async (script: Array<PostResponse | HttpFailure>, p = policy) => {
			const h = harness(script);
			const result = await deliverNotification(h.send, h.sleep, p, h.clock);
			assert.ok(!result.ok);
			return result;
		};
		const rejected = describeDeliveryFailure(await fail([answer(400, {}, 'bad event')]), 'https://r.example/hook?…', policy);
		assert.equal(rejected.message, 'Delivery to https://r.example/hook?… failed after 1 attempt: HTTP 400: bad event');
		assert.match(rejected.description, /not retried/);
		const redirected = describeDeliveryFailure(await fail([answer(302, { location: 'https://elsewhere.example/' })]), 'https://r.example/hook', policy);
		assert.match(redirected.description, /Redirects are not followed/);
		const timedOut = describeDeliveryFailure(
			await fail([{ kind: 'timeout', timeoutMs: 300 }], { ...policy, maxAttempts: 2 }),
			'http://127.0.0.1:1/x',
			{ ...policy, maxAttempts: 2 },
		);
		assert.equal(timedOut.message, 'Delivery to http://127.0.0.1:1/x failed after 2 attempts: no response within the 300 ms timeout');
		assert.match(timedOut.description, /maximum of 2 attempts/);
		const throttled = describeDeliveryFailure(await fail([answer(429, { 'retry-after': '3600' })]), 'https://r.example/hook', policy);
		assert.match(throttled.description, /retry after 3600 s, which does not fit/);
		const tls = describeDeliveryFailure(await fail([{ kind: 'tls', code: 'EPROTO', message: 'wrong version number' }]), 'https://r.example/hook', policy);
		assert.equal(tls.message, 'Delivery to https://r.example/hook failed after 1 attempt: EPROTO (wrong version number)');
		assert.match(tls.description, /TLS failures are not retried/);
		for (const text of [rejected, redirected, timedOut, throttled, tls]) {
			assert.match(text.description, /same Elements-Webhook-Id/);
		}
	});

	it('resolves the policy from node options and names a bad one', () => {
		assert.deepEqual(resolveDeliveryPolicy({}), DEFAULT_DELIVERY_POLICY);
		assert.equal(resolveDeliveryPolicy({ maxAttempts: 2, attemptTimeoutMs: 300 }).attemptTimeoutMs, 300);
		assert.throws(() => resolveDeliveryPolicy({ maxAttempts: 0 }), /Invalid Max Attempts "0": expected a whole number from 1 to 20/);
		assert.throws(() => resolveDeliveryPolicy({ attemptTimeoutMs: 1.5 }), /Invalid Timeout "1.5"/);
		assert.throws(() => resolveDeliveryPolicy({ maxTotalTimeMs: -1 }), /Invalid Max Total Time "-1"/);
		assert.throws(() => resolveDeliveryPolicy({ initialDelayMs: 'soon' }), /Invalid Initial Retry Delay "soon"/);
	});

	it('the request of a notification: same bytes and id on every attempt, signed only through the credential', () => {
		const [notification] = buildNotifications([{ index: 0, json: event('N1'), url: URL_A }], {
			batchSize: 10,
			instanceId: 1,
			instanceName: 'x',
		}).notifications;
		const unsigned = notificationRequest(notification, { sign: false, extraHeaders: { 'X-Tenant': 'contoso' } });
		assert.deepEqual(unsigned, {
			url: URL_A,
			body: notification.body,
			headers: { 'X-Tenant': 'contoso', 'Content-Type': 'application/json', 'Elements-Webhook-Id': notification.webhookId },
			credentialType: undefined,
		});
		const signed = notificationRequest(notification, { sign: true, extraHeaders: {} });
		assert.equal(signed.credentialType, SIGNING_CREDENTIAL_TYPE);
		assert.equal(signed.body, notification.body);
	});
});
