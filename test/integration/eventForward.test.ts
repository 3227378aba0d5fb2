/**
 * Office 365 Event Forward end to end: the node's execute() runs in n8n-core's real ExecuteContext
 * (parameter defaults and expressions, getCredentials, httpRequest / httpRequestWithAuthentication,
 * axios) and POSTs to a node:http receiver on loopback.
 * Stubbed: only the credential store (n8n keeps it in its database): test/support/additionalData.ts.
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';

import { CredentialTestContext, ExecuteContext } from 'n8n-core';
import {
	NodeApiError,
	NodeOperationError,
	Workflow,
	createRunExecutionData,
	type IDataObject,
	type INode,
	type INodeExecutionData,
	type INodeTypes,
} from 'n8n-workflow';

import { Office365EventSigningApi } from '../../credentials/Office365EventSigningApi.credentials';
// `.js`: with a codex `Office365EventForward.node.json` beside it, an extensionless specifier would load the JSON.
import { Office365EventForward } from '../../nodes/Office365/Office365EventForward.node.js';
import { verifySignature } from '../../nodes/Office365/forward/signature';
import { testAdditionalData, testCredentialsHelper } from '../support/additionalData';

const SECRET = 'k3y-Δ-not-for-logs-7f2c';
const CREDENTIAL_TYPE = 'office365EventSigningApi';

// ---------------------------------------------------------------------------------------------
// Loopback receiver

interface ReceivedRequest {
	at: number;
	method: string;
	path: string;
	headers: http.IncomingHttpHeaders;
	/** The exact bytes received. */
	body: Buffer;
	/** Bytes of the answer written before the connection closed. */
	bytesSent: number;
	/** When the connection closed, and whether the whole answer had been sent by then. */
	closedAt?: number;
	complete?: boolean;
}

type Reply =
	| { status: number; headers?: Record<string, string>; body?: string }
	/** Never answer; the client's deadline must end it. */
	| 'hang'
	/** 200, then one byte every `trickleMs`, never finishing (an idle timeout never fires). */
	| { trickleMs: number }
	/** `status` with a body of `bytes` bytes, written with back-pressure. */
	| { status: number; bytes: number };

class Receiver {
	readonly requests: ReceivedRequest[] = [];
	reply: (request: ReceivedRequest, count: number) => Reply = () => ({ status: 200, body: 'ok' });
	private readonly timers = new Set<NodeJS.Timeout>();
	private readonly server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const request: ReceivedRequest = {
				at: Date.now(),
				method: req.method ?? '',
				path: req.url ?? '',
				headers: req.headers,
				body: Buffer.concat(chunks),
				bytesSent: 0,
			};
			this.requests.push(request);
			res.on('close', () => {
				request.closedAt = Date.now();
				request.complete = res.writableFinished;
			});
			const reply = this.reply(request, this.requests.length);
			if (reply === 'hang') return;
			if ('trickleMs' in reply) {
				res.writeHead(200, { 'Content-Type': 'text/plain' });
				const timer = setInterval(() => {
					res.write('.');
					request.bytesSent += 1;
				}, reply.trickleMs);
				this.timers.add(timer);
				res.on('close', () => clearInterval(timer));
				return;
			}
			if ('bytes' in reply) {
				res.writeHead(reply.status, { 'Content-Type': 'text/plain', 'Content-Length': reply.bytes });
				const chunk = Buffer.alloc(64 * 1024, 'x');
				const pump = (): void => {
					while (request.bytesSent < reply.bytes && !res.destroyed) {
						const part = chunk.subarray(0, Math.min(chunk.length, reply.bytes - request.bytesSent));
						request.bytesSent += part.length;
						if (!res.write(part)) {
							res.once('drain', pump);
							return;
						}
					}
					if (!res.destroyed) res.end();
				};
				pump();
				return;
			}
			res.writeHead(reply.status, { 'Content-Type': 'text/plain', ...reply.headers });
			res.end(reply.body ?? '');
		});
	});

	async start(): Promise<void> {
		await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
	}

	async stop(): Promise<void> {
		this.reset();
		await new Promise<void>((resolve) => this.server.close(() => resolve()));
	}

	reset(): void {
		this.requests.length = 0;
		this.reply = () => ({ status: 200, body: 'ok' });
		for (const timer of this.timers) clearInterval(timer);
		this.timers.clear();
		this.server.closeAllConnections();
	}

	get port(): number {
		return (this.server.address() as AddressInfo).port;
	}

	url(path = '/office365/events?route=abc'): string {
		return `http://127.0.0.1:${this.port}${path}`;
	}

	bodies(): Array<{ message: Record<string, unknown> & { events: Array<Record<string, string>>; raw: Record<string, unknown> } }> {
		return this.requests.map((r) => JSON.parse(r.body.toString('utf8')) as never);
	}
}

// ---------------------------------------------------------------------------------------------
// n8n plumbing around the real ExecuteContext

const signingCredential = new Office365EventSigningApi();

interface RunOptions {
	continueOnFail?: boolean;
	signingKey?: string;
	/** Cancels the execution (its cancel signal) this long after the node started. */
	cancelAfterMs?: number;
}

interface RunResult {
	output: INodeExecutionData[];
	error?: Error;
	elapsedMs: number;
}

async function runNode(parameters: IDataObject, items: IDataObject[], options: RunOptions = {}): Promise<RunResult> {
	const nodeType = new Office365EventForward();
	const node: INode = {
		id: 'forward-node-id',
		name: 'Office 365 Event Forward',
		type: 'n8n-nodes-office365-events.office365EventForward',
		typeVersion: 1,
		position: [0, 0],
		parameters: structuredClone(parameters) as INode['parameters'],
		continueOnFail: options.continueOnFail ?? false,
		credentials: { [CREDENTIAL_TYPE]: { id: 'cred-1', name: 'Receiver signing key' } },
	};
	const nodeTypes: INodeTypes = {
		getByName: () => nodeType,
		getByNameAndVersion: () => nodeType,
		getKnownTypes: () => ({}),
	};
	// The Workflow constructor fills in parameter defaults, as n8n does.
	const workflow = new Workflow({
		id: 'wf-forward',
		name: 'Forward Outlook events',
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes,
	});
	const additionalData = testAdditionalData(
		testCredentialsHelper({ credential: { signingKey: options.signingKey ?? SECRET }, tokenUpdates: 0 }, { types: { [CREDENTIAL_TYPE]: signingCredential } }),
		'exec-1',
	);
	const inputItems: INodeExecutionData[] = items.map((json) => ({ json }));
	const execution = new AbortController();
	const cancel = options.cancelAfterMs === undefined ? undefined : setTimeout(() => execution.abort(), options.cancelAfterMs);
	const context = new ExecuteContext(
		workflow,
		workflow.getNode(node.name) ?? node,
		additionalData,
		'trigger',
		createRunExecutionData(),
		0,
		inputItems,
		{ main: [inputItems] },
		{ node, data: { main: [inputItems] }, source: null },
		[],
		execution.signal,
	);
	const started = Date.now();
	try {
		const result = await nodeType.execute.call(context);
		return { output: result[0], elapsedMs: Date.now() - started };
	} catch (error) {
		return { output: [], error: error as Error, elapsedMs: Date.now() - started };
	} finally {
		clearTimeout(cancel);
	}
}

function event(objectId: string, overrides: IDataObject = {}): IDataObject {
	return {
		eventType: 'CREATED',
		objectType: 'messages',
		objectId,
		elementKey: 'office365',
		date: '2024-05-01T10:00:00.000Z',
		raw: { id: objectId, subject: `Réunion ${objectId} ✓`, from: { emailAddress: { address: 'a@contoso.com' } } },
		...overrides,
	};
}

/** Everything a user could see: output items, error message, description, stack, serialized error. */
function assertNoSecret(result: RunResult, receiver?: Receiver): void {
	const visible = [
		JSON.stringify(result.output),
		result.error?.message ?? '',
		(result.error as { description?: string } | undefined)?.description ?? '',
		result.error?.stack ?? '',
		result.error ? JSON.stringify(result.error) : '',
		...(receiver?.requests.map((r) => JSON.stringify(r.headers) + r.body.toString('utf8')) ?? []),
	].join('\n');
	assert.ok(!visible.includes(SECRET), 'the signing key leaked');
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

// ---------------------------------------------------------------------------------------------

describe('Office 365 Event Forward (real ExecuteContext, loopback receiver)', () => {
	const receiver = new Receiver();
	before(async () => await receiver.start());
	after(async () => await receiver.stop());
	beforeEach(() => receiver.reset());

	it('signs the exact body bytes: the receiver verifies them with the secret', async () => {
		const result = await runNode(
			{ url: receiver.url(), signNotifications: true },
			[event('A1'), event('A2', { eventType: 'UPDATED' }), event('A3', { eventType: 'DELETED', raw: { id: 'A3' } })],
		);
		assert.equal(result.error, undefined);
		assert.equal(receiver.requests.length, 1);
		const [request] = receiver.requests;

		assert.equal(request.method, 'POST');
		assert.equal(request.path, '/office365/events?route=abc');
		assert.equal(request.headers['content-type'], 'application/json');
		const signature = request.headers['elements-webhook-signature'];
		assert.match(String(signature), /^sha256=[A-Za-z0-9+/]{43}=$/);
		// Independently of the package: HMAC-SHA256 over the raw received bytes, base64.
		const expected = `sha256=${createHmac('sha256', Buffer.from(SECRET, 'utf8')).update(request.body).digest('base64')}`;
		assert.equal(signature, expected);
		assert.equal(verifySignature(request.body, signature, SECRET), true);
		assert.equal(verifySignature(request.body, signature, `${SECRET}x`), false);

		const webhookId = String(request.headers['elements-webhook-id']);
		assert.match(webhookId, UUID);
		const [body] = receiver.bodies();
		assert.deepEqual(Object.keys(body.message), ['eventId', 'instanceId', 'instanceName', 'elementKey', 'events', 'raw']);
		assert.match(String(body.message.eventId), UUID);
		assert.equal(body.message.instanceId, 'wf-forward'); // default: {{ $workflow.id }}
		assert.equal(body.message.instanceName, 'Forward Outlook events'); // default: {{ $workflow.name }}
		assert.equal(body.message.elementKey, 'office365');
		assert.deepEqual(body.message.events, [
			{ elementKey: 'office365', eventType: 'CREATED', objectType: 'messages', objectId: 'A1', date: '2024-05-01T10:00:00.000Z' },
			{ elementKey: 'office365', eventType: 'UPDATED', objectType: 'messages', objectId: 'A2', date: '2024-05-01T10:00:00.000Z' },
			{ elementKey: 'office365', eventType: 'DELETED', objectType: 'messages', objectId: 'A3', date: '2024-05-01T10:00:00.000Z' },
		]);
		assert.deepEqual(body.message.raw, {
			objectType: 'messages',
			messages: [event('A1').raw, event('A2').raw, { id: 'A3' }],
		});

		assert.equal(result.output.length, 1);
		const [item] = result.output;
		assert.deepEqual(item.pairedItem, [{ item: 0 }, { item: 1 }, { item: 2 }]);
		assert.equal(item.json.delivered, true);
		assert.equal(item.json.statusCode, 200);
		assert.equal(item.json.attempts, 1);
		assert.equal(item.json.webhookId, webhookId);
		assert.equal(item.json.eventId, body.message.eventId);
		assert.deepEqual(item.json.objectIds, ['A1', 'A2', 'A3']);
		assert.equal(item.json.url, `http://127.0.0.1:${receiver.port}/office365/events?…`);
		assertNoSecret(result, receiver);
	});

	it('sends no signature header when signing is off, plus the extra headers and a numeric instance id', async () => {
		const result = await runNode(
			{
				url: receiver.url('/plain'),
				instanceId: '4711',
				instanceName: 'Outlook (alice)',
				options: { headers: { header: [{ name: 'X-Tenant', value: 'contoso' }] } },
			},
			[event('B1')],
		);
		assert.equal(result.error, undefined);
		const [request] = receiver.requests;
		assert.equal(request.headers['elements-webhook-signature'], undefined);
		assert.equal(request.headers['x-tenant'], 'contoso');
		const [body] = receiver.bodies();
		assert.equal(body.message.instanceId, 4711);
		assert.equal(body.message.instanceName, 'Outlook (alice)');
	});

	it('25 events become 3 notifications of at most 10, paired with their input items', async () => {
		const events = Array.from({ length: 25 }, (_, i) => event(`M${String(i).padStart(2, '0')}`));
		const result = await runNode({ url: receiver.url(), signNotifications: true }, events);
		assert.equal(result.error, undefined);
		const bodies = receiver.bodies();
		assert.deepEqual(bodies.map((b) => b.message.events.length), [10, 10, 5]);
		assert.deepEqual(
			bodies.flatMap((b) => b.message.events.map((e) => e.objectId)),
			events.map((e) => e.objectId),
		);
		for (const [i, b] of bodies.entries()) {
			assert.equal((b.message.raw.messages as unknown[]).length, b.message.events.length);
			assert.equal(verifySignature(receiver.requests[i].body, receiver.requests[i].headers['elements-webhook-signature'], SECRET), true);
		}
		assert.equal(new Set(receiver.requests.map((r) => r.headers['elements-webhook-id'])).size, 3);
		assert.equal(new Set(bodies.map((b) => b.message.eventId)).size, 3);

		assert.equal(result.output.length, 3);
		assert.deepEqual(
			result.output.map((o) => (o.pairedItem as Array<{ item: number }>).map((p) => p.item)),
			[
				Array.from({ length: 10 }, (_, i) => i),
				Array.from({ length: 10 }, (_, i) => i + 10),
				Array.from({ length: 5 }, (_, i) => i + 20),
			],
		);
		assert.deepEqual(result.output.map((o) => o.json.eventCount), [10, 10, 5]);
		assertNoSecret(result, receiver);
	});

	it('batches per objectType, or one notification per event on request', async () => {
		const mixed = [event('m1'), event('e1', { objectType: 'events' }), event('m2'), event('c1', { objectType: 'contacts' })];
		const batched = await runNode({ url: receiver.url() }, mixed);
		assert.equal(batched.error, undefined);
		assert.deepEqual(
			receiver.bodies().map((b) => [b.message.raw.objectType, b.message.events.map((e) => e.objectId)]),
			[
				['messages', ['m1', 'm2']],
				['events', ['e1']],
				['contacts', ['c1']],
			],
		);
		receiver.reset();
		const single = await runNode({ url: receiver.url(), batching: 'perEvent' }, mixed);
		assert.equal(single.error, undefined);
		assert.deepEqual(receiver.bodies().map((b) => b.message.events.map((e) => e.objectId)), [['m1'], ['m2'], ['e1'], ['c1']]);
		assert.deepEqual(single.output.map((o) => o.pairedItem), [[{ item: 0 }], [{ item: 2 }], [{ item: 1 }], [{ item: 3 }]]);
	});

	it('503 twice then 200: delivered once, every attempt with the same webhook id, body and signature', async () => {
		receiver.reply = (_request, count) => (count <= 2 ? { status: 503, body: 'busy' } : { status: 200 });
		const result = await runNode(
			{ url: receiver.url(), signNotifications: true, options: { initialRetryDelay: 50, maxAttempts: 5 } },
			[event('R1'), event('R2')],
		);
		assert.equal(result.error, undefined);
		assert.equal(receiver.requests.length, 3);
		const ids = new Set(receiver.requests.map((r) => r.headers['elements-webhook-id']));
		assert.equal(ids.size, 1);
		assert.equal(new Set(receiver.requests.map((r) => r.body.toString('base64'))).size, 1);
		assert.equal(new Set(receiver.requests.map((r) => r.headers['elements-webhook-signature'])).size, 1);
		// back-off: 50 ms then 100 ms (jitter only shortens, by at most 20 %)
		assert.ok(receiver.requests[1].at - receiver.requests[0].at >= 35);
		assert.ok(receiver.requests[2].at - receiver.requests[1].at >= 75);

		assert.equal(result.output.length, 1);
		assert.equal(result.output[0].json.delivered, true);
		assert.equal(result.output[0].json.attempts, 3);
		assert.equal(result.output[0].json.statusCode, 200);
		assert.equal(result.output[0].json.webhookId, [...ids][0]);
		assertNoSecret(result, receiver);
	});

	it('a re-run of the node sends the same Elements-Webhook-Id again, so the receiver can deduplicate', async () => {
		const items = [event('D1'), event('D2')];
		await runNode({ url: receiver.url() }, items);
		await runNode({ url: receiver.url() }, items);
		assert.equal(receiver.requests.length, 2);
		assert.equal(receiver.requests[0].headers['elements-webhook-id'], receiver.requests[1].headers['elements-webhook-id']);
		receiver.reset();
		await runNode({ url: receiver.url(), options: { webhookIdMode: 'random' } }, items);
		await runNode({ url: receiver.url(), options: { webhookIdMode: 'random' } }, items);
		assert.notEqual(receiver.requests[0].headers['elements-webhook-id'], receiver.requests[1].headers['elements-webhook-id']);
	});

	it('429 with Retry-After: waits as long as the receiver asked, not the short back-off', async () => {
		receiver.reply = (_request, count) => (count === 1 ? { status: 429, headers: { 'Retry-After': '1' } } : { status: 202 });
		const result = await runNode(
			{ url: receiver.url(), signNotifications: true, options: { initialRetryDelay: 10 } },
			[event('T1')],
		);
		assert.equal(result.error, undefined);
		assert.equal(receiver.requests.length, 2);
		const gap = receiver.requests[1].at - receiver.requests[0].at;
		assert.ok(gap >= 950, `waited only ${gap} ms`);
		assert.equal(result.output[0].json.attempts, 2);
		assert.equal(result.output[0].json.statusCode, 202);
	});

	it('429 with a Retry-After beyond Max Total Time fails at once with an explanation', async () => {
		receiver.reply = () => ({ status: 429, headers: { 'Retry-After': '120' } });
		const result = await runNode({ url: receiver.url(), options: { maxTotalTime: 5_000 } }, [event('T2')]);
		assert.ok(result.error instanceof NodeApiError);
		assert.equal(receiver.requests.length, 1);
		assert.match(result.error.message, /failed after 1 attempt: HTTP 429/);
		assert.match(String(result.error.description), /retry after 120 s/);
	});

	it('400 is not retried: the error names URL, status and attempts', async () => {
		receiver.reply = () => ({ status: 400, body: 'unknown objectType' });
		const result = await runNode(
			{ url: receiver.url(), signNotifications: true, options: { initialRetryDelay: 10 } },
			[event('E1')],
		);
		assert.equal(receiver.requests.length, 1);
		assert.ok(result.error instanceof NodeApiError);
		const url = `http://127.0.0.1:${receiver.port}/office365/events?…`;
		assert.equal(result.error.message, `Delivery to ${url} failed after 1 attempt: HTTP 400: unknown objectType`);
		assert.equal(result.error.httpCode, '400');
		assert.equal(result.error.context.itemIndex, 0);
		assert.ok(!result.error.message.includes('route=abc'), 'the query string is not shown');
		assertNoSecret(result, receiver);
	});

	it('with Continue On Fail a failed notification becomes an error item and the others are still sent', async () => {
		receiver.reply = (request) =>
			(JSON.parse(request.body.toString()) as { message: { raw: { objectType: string } } }).message.raw.objectType === 'events'
				? { status: 404 }
				: { status: 200 };
		const result = await runNode(
			{ url: receiver.url(), signNotifications: true },
			[event('m1'), event('e1', { objectType: 'events' }), event('m2'), { subject: 'no event' }],
			{ continueOnFail: true },
		);
		assert.equal(result.error, undefined);
		assert.equal(receiver.requests.length, 2);
		const byPair = result.output.map((o) => [(o.pairedItem as Array<{ item: number }> | { item: number })]);
		assert.equal(result.output.length, 3);
		const invalid = result.output.find((o) => (o.pairedItem as { item: number }).item === 3);
		assert.ok(invalid, JSON.stringify(byPair));
		assert.match(String(invalid.json.error), /Item 3 is not a standardized event: missing eventType, objectType, objectId, elementKey, date, raw/);
		const delivered = result.output.find((o) => o.json.objectType === 'messages');
		assert.equal(delivered?.json.delivered, true);
		assert.deepEqual(delivered?.pairedItem, [{ item: 0 }, { item: 2 }]);
		const failed = result.output.find((o) => o.json.objectType === 'events');
		assert.equal(failed?.json.delivered, false);
		assert.equal(failed?.json.statusCode, 404);
		assert.equal(failed?.json.attempts, 1);
		assert.match(String(failed?.json.error), /failed after 1 attempt: HTTP 404/);
		assert.deepEqual(failed?.pairedItem, [{ item: 1 }]);
		assertNoSecret(result, receiver);
	});

	it('a hanging receiver hits the per-request timeout on every attempt', async () => {
		receiver.reply = () => 'hang';
		const result = await runNode(
			{ url: receiver.url(), signNotifications: true, options: { timeout: 300, maxAttempts: 2, initialRetryDelay: 50 } },
			[event('H1')],
		);
		assert.ok(result.error instanceof NodeApiError);
		assert.equal(receiver.requests.length, 2);
		assert.equal(
			result.error.message,
			`Delivery to http://127.0.0.1:${receiver.port}/office365/events?… failed after 2 attempts: no response within the 300 ms timeout`,
		);
		assert.ok(result.elapsedMs >= 600 && result.elapsedMs < 3_000, `${result.elapsedMs} ms`);
		assertNoSecret(result, receiver);
	});

	it('connection refused is retried and then reported', async () => {
		const closed = new Receiver();
		await closed.start();
		const deadUrl = closed.url('/gone');
		await closed.stop();
		const result = await runNode({ url: deadUrl, options: { maxAttempts: 3, initialRetryDelay: 20 } }, [event('N1')]);
		assert.ok(result.error instanceof NodeApiError);
		assert.match(result.error.message, /failed after 3 attempts: ECONNREFUSED/);
	});

	it('a bad URL is refused before any request', async () => {
		const port = receiver.port;
		for (const url of [
			`ftp://127.0.0.1:${port}/hook`,
			'127.0.0.1/hook',
			'',
			`http://user:${SECRET}@127.0.0.1:${port}/hook`,
		]) {
			const result = await runNode({ url, signNotifications: true }, [event('U1'), event('U2')]);
			assert.ok(result.error instanceof NodeOperationError, url);
			assert.match(result.error.message, /Invalid Callback URL/);
			assertNoSecret(result);
		}
		// Per-item URLs: one bad item stops the run before the good one is sent.
		const mixed = await runNode({ url: '={{ $json.target }}' }, [
			{ ...event('U3'), target: receiver.url() },
			{ ...event('U4'), target: 'gopher://127.0.0.1/' },
		]);
		assert.ok(mixed.error instanceof NodeOperationError);
		assert.equal(mixed.error.context.itemIndex, 1);
		assert.equal(receiver.requests.length, 0);
	});

	it('items that are not standardized events are refused, naming the missing fields; nothing is sent', async () => {
		const result = await runNode({ url: receiver.url() }, [
			event('V1'),
			{ eventType: 'CREATED', objectType: 'messages', objectId: 'V2', raw: {} },
			{ hello: 'world' },
		]);
		assert.ok(result.error instanceof NodeOperationError);
		assert.equal(result.error.message, 'Item 1 is not a standardized event: missing elementKey, date');
		assert.equal(result.error.context.itemIndex, 1);
		assert.match(String(result.error.description), /1 more item\(s\) are invalid: 2 \(eventType, objectType, objectId, elementKey, date, raw\)/);
		assert.equal(receiver.requests.length, 0);
	});

	it('signing on without a key fails without sending and without echoing anything secret', async () => {
		const result = await runNode({ url: receiver.url(), signNotifications: true }, [event('K1')], { signingKey: '' });
		assert.ok(result.error);
		assert.match(result.error.message, /no signing key/);
		assert.equal(receiver.requests.length, 0);
	});

	it('the credential test checks the key locally', async () => {
		const nodeType = new Office365EventForward();
		const test = nodeType.methods.credentialTest.office365EventSigningKeyTest;
		const context = new CredentialTestContext();
		const ok = await test.call(context, { id: '1', name: 'k', type: CREDENTIAL_TYPE, data: { signingKey: SECRET } });
		assert.equal(ok.status, 'OK');
		assert.ok(!ok.message.includes(SECRET));
		const empty = await test.call(context, { id: '1', name: 'k', type: CREDENTIAL_TYPE, data: { signingKey: '' } });
		assert.deepEqual(empty, { status: 'Error', message: 'The signing key is empty' });
	});

	/** A regression that lets a slow receiver hold the node fails the test instead of hanging the suite. */
	const HANG_LIMIT_MS = 20_000;
	/** Lets the receiver see the client's close before the test looks. */
	const settle = async () => await new Promise((resolve) => setTimeout(resolve, 100));

	for (const signNotifications of [false, true]) {
		const kind = signNotifications ? 'signed' : 'unsigned';

		it(`${kind}: a receiver trickling one byte every 300 ms cannot stretch Timeout 1 s / Max Total Time 2 s`, { timeout: HANG_LIMIT_MS }, async () => {
			receiver.reply = () => ({ trickleMs: 300 });
			const result = await runNode(
				{ url: receiver.url(), signNotifications, options: { timeout: 1_000, maxTotalTime: 2_000, initialRetryDelay: 100 } },
				[event('S1')],
			);
			assert.ok(result.error instanceof NodeApiError);
			assert.match(result.error.message, /failed after 1 attempt: no response within the 1000 ms timeout$/);
			assert.ok(result.elapsedMs >= 1_000 && result.elapsedMs < 2_000 + 1_000, `${result.elapsedMs} ms`);
			await settle();
			assert.ok(receiver.requests.every((request) => request.closedAt !== undefined && request.complete === false), 'every connection was closed by the node');
			assertNoSecret(result, receiver);
		});

		it(`${kind}: Max Total Time holds across retries of a trickling receiver`, { timeout: HANG_LIMIT_MS }, async () => {
			receiver.reply = () => ({ trickleMs: 300 });
			const result = await runNode(
				{ url: receiver.url(), signNotifications, options: { timeout: 1_000, maxTotalTime: 2_500, initialRetryDelay: 100 } },
				[event('S2')],
			);
			assert.ok(result.error instanceof NodeApiError);
			assert.match(result.error.message, /failed after 2 attempts: no response within the 1000 ms timeout$/);
			assert.match(String((result.error as NodeApiError).description), /would not fit in Max Total Time \(2500 ms\)/);
			assert.ok(result.elapsedMs < 2_500 + 1_000, `${result.elapsedMs} ms`);
		});

		it(`${kind}: cancelling the execution stops a delivery at once, mid-request or mid-wait`, { timeout: HANG_LIMIT_MS }, async () => {
			receiver.reply = () => ({ trickleMs: 300 });
			const midRequest = await runNode(
				{ url: receiver.url(), signNotifications, options: { timeout: 60_000, maxTotalTime: 120_000 } },
				[event('C1')],
				{ cancelAfterMs: 300 },
			);
			assert.ok(midRequest.error instanceof NodeApiError);
			assert.match(midRequest.error.message, /failed after 1 attempt: request cancelled$/);
			assert.ok(midRequest.elapsedMs < 1_000, `${midRequest.elapsedMs} ms`);
			await settle();
			assert.equal(receiver.requests.length, 1);
			assert.equal(receiver.requests[0].complete, false, 'the connection was closed');

			receiver.reset();
			receiver.reply = () => ({ status: 503, headers: { 'Retry-After': '30' } });
			const midWait = await runNode(
				{ url: receiver.url(), signNotifications, options: { maxTotalTime: 120_000 } },
				[event('C2')],
				{ cancelAfterMs: 300 },
			);
			assert.ok(midWait.error, 'the cancelled wait ends the execution');
			assert.ok(midWait.elapsedMs < 1_000, `${midWait.elapsedMs} ms`);
			assert.equal(receiver.requests.length, 1);
		});
	}

	it("a 192 MB answer is not read: the preview needs its first bytes only", { timeout: HANG_LIMIT_MS }, async () => {
		receiver.reply = (_request, count) => (count === 1 ? { status: 500, bytes: 192 * 1024 * 1024 } : { status: 200, bytes: 192 * 1024 * 1024 });
		const result = await runNode({ url: receiver.url(), options: { initialRetryDelay: 10 } }, [event('L1')], { continueOnFail: true });
		assert.equal(result.error, undefined);
		assert.equal(result.output[0].json.delivered, true);
		assert.equal(result.output[0].json.attempts, 2);
		assert.ok(result.elapsedMs < 5_000, `${result.elapsedMs} ms`);
		await settle();
		for (const request of receiver.requests) {
			assert.equal(request.complete, false, 'the node hung up');
			assert.ok(request.bytesSent < 32 * 1024 * 1024, `${request.bytesSent} bytes written before the node hung up`);
		}

		receiver.reset();
		receiver.reply = () => ({ status: 400, bytes: 192 * 1024 * 1024 });
		const rejected = await runNode({ url: receiver.url() }, [event('L2')]);
		assert.ok(rejected.error instanceof NodeApiError);
		assert.match(rejected.error.message, /failed after 1 attempt: HTTP 400: x{100,119}…$/);
	});

	for (const status of [301, 302, 303, 307, 308]) {
		it(`a ${status} redirect is final and the signature never reaches its target`, async () => {
			const target = new Receiver();
			await target.start();
			try {
				receiver.reply = () => ({ status, headers: { Location: target.url('/stolen') } });
				const result = await runNode({ url: receiver.url(), signNotifications: true }, [event('R1')]);
				assert.ok(result.error instanceof NodeApiError);
				assert.match(result.error.message, new RegExp(`failed after 1 attempt: HTTP ${status}$`));
				assert.match(String((result.error as NodeApiError).description), /Redirects are not followed/);
				assert.equal(receiver.requests.length, 1);
				assert.equal(target.requests.length, 0);
			} finally {
				await target.stop();
			}
		});
	}

	it('a TLS failure (https to a plain HTTP receiver) is final after one attempt', async () => {
		const result = await runNode({ url: receiver.url().replace('http:', 'https:'), signNotifications: true }, [event('T3')]);
		assert.ok(result.error instanceof NodeApiError);
		assert.match(result.error.message, /failed after 1 attempt: (EPROTO|ERR_SSL_[A-Z_]+) \(/);
		assert.match(String((result.error as NodeApiError).description), /TLS failures are not retried/);
		assert.equal(receiver.requests.length, 0);
		assertNoSecret(result, receiver);
	});
});
