// Request lifecycle: log → latency → injected fault → OAuth endpoints or (authenticated) Graph routes.
// Admin calls (/_sim) skip latency, faults and the log so test setup never disturbs what is being measured.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaultPlan } from './faults';
import { faultBody } from './faults';
import type { GraphRouteContext } from './graphRoutes';
import { handleGraphRequest } from './graphRoutes';
import { GRAPH_JSON, graphErrorBody, parseJsonObject, readBody, requestIdOf, sendGraphError, sendJson, sleep } from './httpUtil';
import type { OAuthService } from './oauth';
import { GraphHttpError } from './odataErrors';
import type { RequestLog } from './requestLog';
import { redactQuery } from './requestLog';
import { handleSubscriptionRequest, type SubscriptionService } from './subscriptions';

export interface ServerDeps {
	graph: GraphRouteContext;
	subscriptions: SubscriptionService;
	oauth: OAuthService;
	faults: FaultPlan;
	log: RequestLog;
	timers: Set<NodeJS.Timeout>;
	latencyMs(): number;
	loginBaseUrl(): string;
	admin(req: IncomingMessage, res: ServerResponse, url: URL, body: string): void;
}

const AUTHORIZE_PATH = /^\/login\/[^/]+\/oauth2\/v2\.0\/authorize$/i;
const TOKEN_PATH = /^\/login\/([^/]+)\/oauth2\/v2\.0\/token$/i;
const UNAUTHORIZED_MESSAGES = {
	missing: 'Access token is empty.',
	malformed: 'Access token validation failure. Invalid audience.',
	expired: 'Lifetime validation failed, the token is expired.',
};

function safeDecode(text: string): string {
	try {
		return decodeURIComponent(text);
	} catch {
		return text;
	}
}

export function createRequestHandler(deps: ServerDeps): (req: IncomingMessage, res: ServerResponse) => void {
	return (req, res) => {
		handle(deps, req, res).catch((error: unknown) => {
			// Only reached for bugs in the simulator itself; make them loud but keep serving.
			process.stderr.write(`[graph-simulator] internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
			if (!res.headersSent) sendJson(res, 500, graphErrorBody('generalException', 'Simulator internal error.', requestIdOf(req)));
			else res.destroy();
		});
	};
}

async function handle(deps: ServerDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
	const rawUrl = req.url ?? '/';
	const url = new URL(rawUrl, 'http://127.0.0.1');
	const method = (req.method ?? 'GET').toUpperCase();
	const requestId = requestIdOf(req);

	if (url.pathname === '/_sim' || url.pathname.startsWith('/_sim/')) {
		try {
			deps.admin(req, res, url, await readBody(req));
		} catch (error) {
			if (!(error instanceof GraphHttpError)) throw error;
			sendJson(res, error.status, { error: { code: error.code, message: error.message } });
		}
		return;
	}

	const entry = deps.log.start(method, url.pathname + redactQuery(url.search));
	res.on('close', () => {
		// Every answer declares its length: what crossed the wire for this request.
		if (res.headersSent) entry.bytes = Number(res.getHeader('content-length') ?? 0);
		deps.log.finish(entry, res.headersSent ? res.statusCode : undefined, res.headersSent && !res.writableFinished);
	});
	try {
		const body = await readBody(req);
		await sleep(deps.latencyMs(), deps.timers);

		const fault = deps.faults.take(method, [url.pathname + url.search, safeDecode(url.pathname + url.search)]);
		if (fault !== undefined) {
			entry.fault = fault.id;
			const action = fault.spec;
			if (action.kind === 'drop') {
				req.socket.destroy();
				return;
			}
			if (action.kind === 'redirect') {
				res.writeHead(action.status ?? 302, { Location: action.location, 'Content-Length': 0, 'request-id': requestId });
				res.end();
				return;
			}
			if (action.kind === 'trickle') {
				trickle(res, action.intervalMs, deps.timers);
				return;
			}
			if (action.kind === 'oversized') {
				sendOversized(res, action.bytes);
				return;
			}
			if (action.kind === 'delay') {
				await sleep(action.ms, deps.timers);
			} else {
				const headers: Record<string, string> = { 'request-id': requestId, 'client-request-id': requestId, ...action.headers };
				if (action.retryAfterSeconds !== undefined) headers['Retry-After'] = String(action.retryAfterSeconds);
				sendJson(res, action.status, action.body ?? faultBody(action.status, action.code, new Date(), requestId), headers);
				return;
			}
		}

		if (AUTHORIZE_PATH.test(url.pathname)) {
			if (method !== 'GET') throw new GraphHttpError(405, 'BadRequest', 'Use GET for the authorize endpoint.');
			deps.oauth.authorize(url, res);
			return;
		}
		const tokenPath = TOKEN_PATH.exec(url.pathname);
		if (tokenPath !== null) {
			if (method !== 'POST') throw new GraphHttpError(405, 'BadRequest', 'Use POST for the token endpoint.');
			deps.oauth.token(req, body, res, tokenPath[1]);
			return;
		}
		if (url.pathname === '/v1.0' || url.pathname.startsWith('/v1.0/')) {
			const check = deps.oauth.check(req.headers.authorization);
			if (check !== 'ok') {
				throw new GraphHttpError(401, 'InvalidAuthenticationToken', UNAUTHORIZED_MESSAGES[check], {
					'WWW-Authenticate': `Bearer realm="", authorization_uri="${deps.loginBaseUrl()}/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"`,
				});
			}
			entry.authorized = true;
			const origin = `http://${req.headers.host ?? '127.0.0.1'}`;
			const segments = url.pathname.split('/').filter(Boolean).slice(1);
			if ((segments[0] ?? '').toLowerCase() === 'subscriptions') {
				const grant = deps.oauth.grantOf(req.headers.authorization);
				const answer = await handleSubscriptionRequest(deps.subscriptions, method, segments.slice(1), parseJsonObject(body), origin, grant);
				if (answer.body === undefined) res.writeHead(answer.status, { 'request-id': requestId }).end();
				else sendJson(res, answer.status, answer.body, { 'Content-Type': GRAPH_JSON, 'request-id': requestId, 'client-request-id': requestId });
				return;
			}
			handleGraphRequest(deps.graph, { req, res, url, body, origin, requestId, grant: deps.oauth.grantOf(req.headers.authorization) });
			return;
		}
		throw new GraphHttpError(404, 'NotFound', `The Graph simulator serves /v1.0, /login and /_sim; '${url.pathname}' is none of them.`);
	} catch (error) {
		if (!(error instanceof GraphHttpError)) throw error;
		sendGraphError(res, error, requestId);
	}
}

/** 200 with JSON headers, then one byte of whitespace every `intervalMs` for as long as the client listens. */
function trickle(res: ServerResponse, intervalMs: number, timers: Set<NodeJS.Timeout>): void {
	res.writeHead(200, { 'Content-Type': 'application/json' });
	const timer = setInterval(() => res.write(' '), intervalMs);
	timers.add(timer);
	res.on('close', () => {
		clearInterval(timer);
		timers.delete(timer);
	});
}

/** A valid JSON page of about `bytes` bytes, streamed with back-pressure; stops when the client hangs up. */
function sendOversized(res: ServerResponse, bytes: number): void {
	const head = '{"value":[],"padding":"';
	const tail = '"}';
	const chunk = 'x'.repeat(64 * 1024);
	let left = Math.max(0, bytes - head.length - tail.length);
	res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': head.length + left + tail.length });
	res.write(head);
	const pump = (): void => {
		while (left > 0 && !res.destroyed) {
			const part = left >= chunk.length ? chunk : chunk.slice(0, left);
			left -= part.length;
			if (!res.write(part)) {
				res.once('drain', pump);
				return;
			}
		}
		if (!res.destroyed) res.end(tail);
	};
	pump();
}
