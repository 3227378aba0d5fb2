// Small HTTP helpers shared by the Graph, OAuth and admin handlers.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { GraphHttpError } from './odataErrors';

export const GRAPH_JSON = 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';
const MAX_BODY_BYTES = 8 * 1024 * 1024;

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
	const text = body === undefined ? '' : JSON.stringify(body);
	res.writeHead(status, {
		'Content-Type': headers['Content-Type'] ?? 'application/json; charset=utf-8',
		'Content-Length': Buffer.byteLength(text),
		...headers,
	});
	res.end(text);
}

/** Graph's error body: `{ error: { code, message, innerError: { date, request-id, client-request-id } } }`. */
export function graphErrorBody(code: string, message: string, requestId: string, date = new Date()): unknown {
	return {
		error: {
			code,
			message,
			innerError: { date: date.toISOString().slice(0, 19), 'request-id': requestId, 'client-request-id': requestId },
		},
	};
}

export function sendGraphError(res: ServerResponse, error: GraphHttpError, requestId: string): void {
	sendJson(res, error.status, graphErrorBody(error.code, error.message, requestId), {
		'Content-Type': GRAPH_JSON,
		'request-id': requestId,
		'client-request-id': requestId,
		...error.headers,
	});
}

/** Echo the caller's client-request-id like Graph does, else a fresh one. */
export function requestIdOf(req: IncomingMessage): string {
	const given = req.headers['client-request-id'];
	return typeof given === 'string' && given !== '' ? given : randomUUID();
}

export async function readBody(req: IncomingMessage): Promise<string> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of req) {
		const buf = chunk as Buffer;
		size += buf.length;
		if (size > MAX_BODY_BYTES) throw new GraphHttpError(413, 'RequestEntityTooLarge', 'The request body is too large.');
		chunks.push(buf);
	}
	return Buffer.concat(chunks).toString('utf8');
}

export function parseJsonObject(text: string): Record<string, unknown> {
	if (text.trim() === '') return {};
	let parsed: unknown;
	try {
		parsed = JSON.parse(text);
	} catch {
		throw new GraphHttpError(400, 'BadRequest', 'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.');
	}
	if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
		throw new GraphHttpError(400, 'BadRequest', 'The request body must be a JSON object.');
	}
	return parsed as Record<string, unknown>;
}

export function sleep(ms: number, timers: Set<NodeJS.Timeout>): Promise<void> {
	if (ms <= 0) return Promise.resolve();
	return new Promise((resolve) => {
		const timer = setTimeout(() => {
			timers.delete(timer);
			resolve();
		}, ms);
		timers.add(timer);
	});
}
