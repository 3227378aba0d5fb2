/**
 * Reads a response body that n8n's HTTP helpers hand over as a stream (`encoding: 'stream'`), up
 * to a byte limit: axios itself would buffer any size. No imports: n8n Cloud allows no node:stream,
 * so a stream is anything async-iterable that can be destroyed.
 */

interface BodyBytes {
	bytes: Buffer;
	/** True when the body had more than `limitBytes`; the rest was not read. */
	truncated: boolean;
}

interface BodyStream extends AsyncIterable<unknown> {
	destroy(error?: Error): void;
}

function isStream(body: unknown): body is BodyStream {
	return (
		typeof body === 'object' &&
		body !== null &&
		typeof (body as Partial<BodyStream>)[Symbol.asyncIterator] === 'function' &&
		typeof (body as Partial<BodyStream>).destroy === 'function'
	);
}

/** Frees the connection behind a body nobody will read. */
export function discardBody(body: unknown): void {
	if (isStream(body)) body.destroy();
}

function toBuffer(chunk: unknown): Buffer {
	if (Buffer.isBuffer(chunk)) return chunk;
	if (chunk instanceof Uint8Array) return Buffer.from(chunk);
	return Buffer.from(typeof chunk === 'string' ? chunk : JSON.stringify(chunk) ?? '', 'utf8');
}

/**
 * At most `limitBytes` of `body` (a stream, Buffer or string). The stream is destroyed once the
 * limit is passed or `signal` aborts (then this rejects with the abort reason).
 */
export async function readAtMost(body: unknown, limitBytes: number, signal?: AbortSignal): Promise<BodyBytes> {
	if (body === undefined || body === null) return { bytes: Buffer.alloc(0), truncated: false };
	if (!isStream(body)) {
		const all = toBuffer(body);
		return { bytes: all.subarray(0, limitBytes), truncated: all.length > limitBytes };
	}
	const onAbort = (): void => body.destroy(signal?.reason as Error);
	if (signal?.aborted) onAbort();
	else signal?.addEventListener('abort', onAbort, { once: true });
	const chunks: Buffer[] = [];
	let size = 0;
	try {
		for await (const chunk of body) {
			const buffer = toBuffer(chunk);
			if (size + buffer.length > limitBytes) {
				chunks.push(buffer.subarray(0, limitBytes - size));
				return { bytes: Buffer.concat(chunks), truncated: true };
			}
			chunks.push(buffer);
			size += buffer.length;
		}
		// A stream destroyed by the abort may just end: what was read is not the whole body.
		if (signal?.aborted) throw signal.reason;
		return { bytes: Buffer.concat(chunks), truncated: false };
	} finally {
		signal?.removeEventListener('abort', onAbort);
		body.destroy();
	}
}

/** The JSON value of a body, or undefined when it is not JSON. */
export function parseJson(bytes: Buffer): unknown {
	try {
		return JSON.parse(bytes.toString('utf8')) as unknown;
	} catch {
		return undefined;
	}
}
