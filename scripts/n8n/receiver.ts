// Loopback HTTP receiver standing in for an Open Connectors callback URL. Records every POST with
// its exact raw body and checks the `Elements-Webhook-Signature` (`sha256=` + base64 HMAC of the
// raw body; `sha1=` accepted too) when a signature key is configured.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

import { SIGNATURE_HEADER, verifySignature } from '../../nodes/Office365/forward/signature';


export interface Delivery {
	seq: number;
	receivedAt: Date;
	method: string;
	path: string;
	headers: http.IncomingHttpHeaders;
	rawBody: Buffer;
	/** Parsed JSON body, or undefined when the body is not JSON. */
	json: unknown;
	/** true/false when a key is configured, undefined otherwise. */
	signatureValid: boolean | undefined;
	signatureProblem?: string;
}

export interface ReceiverOptions {
	/** HMAC key the sender signs with; enables signature checks. */
	signatureKey?: string;
	/** Status to answer with (default 200). A function can fail selected deliveries. */
	respondWith?: number | ((delivery: Delivery) => number);
	port?: number;
	onDelivery?: (delivery: Delivery) => void;
}

export interface EventReceiver {
	url: string;
	port: number;
	deliveries: Delivery[];
	close(): Promise<void>;
}

export function startReceiver(options: ReceiverOptions = {}): Promise<EventReceiver> {
	const deliveries: Delivery[] = [];
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const rawBody = Buffer.concat(chunks);
			let json: unknown;
			try {
				json = rawBody.length ? JSON.parse(rawBody.toString('utf8')) : undefined;
			} catch {
				json = undefined;
			}
			const delivery: Delivery = {
				seq: deliveries.length + 1,
				receivedAt: new Date(),
				method: req.method ?? 'GET',
				path: req.url ?? '/',
				headers: req.headers,
				rawBody,
				json,
				signatureValid: undefined,
			};
			if (options.signatureKey !== undefined) {
				// The package's own receiver-side check (constant time, over the raw bytes).
				const header = req.headers[SIGNATURE_HEADER.toLowerCase()];
				delivery.signatureValid = verifySignature(rawBody, header, options.signatureKey);
				if (!delivery.signatureValid) delivery.signatureProblem = header ? `signature mismatch or malformed: ${String(header)}` : `missing ${SIGNATURE_HEADER} header`;
			}
			deliveries.push(delivery);
			const status = typeof options.respondWith === 'function' ? options.respondWith(delivery) : (options.respondWith ?? 200);
			try {
				options.onDelivery?.(delivery);
			} finally {
				res.writeHead(status, { 'content-type': 'application/json' });
				res.end(JSON.stringify({ received: delivery.seq }));
			}
		});
	});
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, '127.0.0.1', () => {
			const { port } = server.address() as AddressInfo;
			resolve({
				url: `http://127.0.0.1:${port}/events`,
				port,
				deliveries,
				close: () =>
					new Promise<void>((done) => {
						server.closeAllConnections();
						server.close(() => done());
					}),
			});
		});
	});
}

/** `message.events[]` of an Open Connectors notification body (empty when the shape differs). */
export function eventsOf(delivery: Delivery): Array<Record<string, unknown>> {
	const message = (delivery.json as { message?: { events?: unknown } } | undefined)?.message;
	return Array.isArray(message?.events) ? (message.events as Array<Record<string, unknown>>) : [];
}
