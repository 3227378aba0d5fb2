// Fault injection: throttling and server errors with Graph's bodies, dropped connections, extra delays.
// Faults match on method and path (+query) and can be armed to hit "the Nth matching request from now", so a
// failure can land in the middle of a paging sequence.

export type FaultAction =
	| {
			kind: 'status';
			/** Usually 429, 503, 500 or 504; any status >= 400 works. */
			status: number;
			/** Sets the Retry-After header (seconds). */
			retryAfterSeconds?: number;
			/** Overrides error.code, e.g. 'ApplicationThrottled' for Outlook's mailbox concurrency limit. */
			code?: string;
			/** Replaces the whole JSON body. */
			body?: unknown;
			headers?: Record<string, string>;
	  }
	/** Destroys the socket without any response. */
	| { kind: 'drop' }
	/** Waits, then answers normally. */
	| { kind: 'delay'; ms: number }
	/** Answers a redirect (default 302) to `location` instead of the resource. */
	| { kind: 'redirect'; location: string; status?: number }
	/** Answers 200 and then sends one byte every `intervalMs`, never finishing (an idle timeout never fires). */
	| { kind: 'trickle'; intervalMs: number }
	/** Answers 200 with a valid JSON body of `bytes` bytes. */
	| { kind: 'oversized'; bytes: number };

export type FaultSpec = FaultAction & {
	/** String: substring of path+query (e.g. '/me/messages'); RegExp: tested against path+query. Default: any. */
	path?: RegExp | string;
	/** HTTP method (case-insensitive). Default: any. */
	method?: string;
	/** How many matching requests fail. Default 1; use Infinity (in-process) or a large number for "always". */
	times?: number;
	/** Let this many matching requests through first (afterRequests: 2 → the 3rd matching request fails). */
	afterRequests?: number;
};

export interface FaultState {
	id: string;
	spec: FaultSpec;
	remaining: number;
	toSkip: number;
	hits: number;
}

let nextFaultId = 1;

export class FaultPlan {
	private readonly faults: FaultState[] = [];

	add(spec: FaultSpec): string {
		if (spec.kind === 'status' && !(Number.isInteger(spec.status) && spec.status >= 400 && spec.status <= 599)) {
			throw new Error(`fault status must be an HTTP error status (400-599), got ${String(spec.status)}`);
		}
		if (spec.kind === 'delay' && !(spec.ms >= 0)) throw new Error('delay fault needs ms >= 0');
		if (spec.kind === 'redirect' && !(spec.status === undefined || [301, 302, 303, 307, 308].includes(spec.status))) {
			throw new Error(`redirect fault status must be 301, 302, 303, 307 or 308, got ${String(spec.status)}`);
		}
		if (spec.kind === 'trickle' && !(spec.intervalMs > 0)) throw new Error('trickle fault needs intervalMs > 0');
		if (spec.kind === 'oversized' && !(spec.bytes > 0)) throw new Error('oversized fault needs bytes > 0');
		const id = `fault-${nextFaultId++}`;
		this.faults.push({ id, spec, remaining: spec.times ?? 1, toSkip: spec.afterRequests ?? 0, hits: 0 });
		return id;
	}

	/**
	 * The fault (if any) that fires for this request; consumes one use of it. `pathForms` are the raw and the
	 * percent-decoded path+query, so '$skiptoken' matches whether or not the client encoded the '$'.
	 */
	take(method: string, pathForms: readonly string[]): FaultState | undefined {
		for (let i = 0; i < this.faults.length; i++) {
			const fault = this.faults[i];
			if (!pathForms.some((form) => matches(fault.spec, method, form))) continue;
			if (fault.toSkip > 0) {
				fault.toSkip -= 1;
				continue;
			}
			fault.remaining -= 1;
			fault.hits += 1;
			if (fault.remaining <= 0) this.faults.splice(i, 1);
			return fault;
		}
		return undefined;
	}

	remove(id: string): boolean {
		const i = this.faults.findIndex((f) => f.id === id);
		if (i >= 0) this.faults.splice(i, 1);
		return i >= 0;
	}

	clear(): void {
		this.faults.length = 0;
	}

	activeList(): Array<{ id: string; kind: string; path?: string; method?: string; remaining: number; toSkip: number; hits: number }> {
		return this.faults.map((f) => ({
			id: f.id,
			kind: f.spec.kind,
			path: f.spec.path === undefined ? undefined : String(f.spec.path),
			method: f.spec.method,
			remaining: f.remaining,
			toSkip: f.toSkip,
			hits: f.hits,
		}));
	}
}

function matches(spec: FaultSpec, method: string, pathAndQuery: string): boolean {
	if (spec.method !== undefined && spec.method.toUpperCase() !== method.toUpperCase()) return false;
	if (spec.path === undefined) return true;
	if (typeof spec.path === 'string') return pathAndQuery.includes(spec.path);
	spec.path.lastIndex = 0; // global/sticky regexes keep state between tests
	return spec.path.test(pathAndQuery);
}

/** Graph-shaped error body for an injected status. */
export function faultBody(status: number, code: string | undefined, date: Date, requestId: string): unknown {
	const defaults: Record<number, [string, string]> = {
		429: ['TooManyRequests', 'Too many requests. Please retry after the time specified in the Retry-After header.'],
		500: ['generalException', 'An unspecified error has occurred.'],
		502: ['BadGateway', 'Bad gateway.'],
		503: ['serviceNotAvailable', 'The service is temporarily unavailable. Please retry after some time.'],
		504: ['UnknownError', ''],
	};
	const [defaultCode, defaultMessage] = defaults[status] ?? ['BadRequest', `Injected error ${status}.`];
	const finalCode = code ?? defaultCode;
	const message = finalCode === 'ApplicationThrottled' ? 'Application is over its MailboxConcurrency limit.' : defaultMessage;
	const innerError: Record<string, string> = {
		date: date.toISOString().slice(0, 19),
		'request-id': requestId,
		'client-request-id': requestId,
	};
	if (status === 429) Object.assign(innerError, { code: finalCode === 'TooManyRequests' ? 'ApplicationThrottled' : finalCode, status: '429' });
	return { error: { code: finalCode, message, innerError } };
}
