// Log of Graph and login requests (admin calls are not logged). Secrets never enter it: the Authorization header is
// not recorded and token-like query parameters are redacted.

export interface RequestLogEntry {
	/** 1-based, increases across clears so `since` polling works. */
	seq: number;
	method: string;
	/** Path + query as sent (secrets redacted). */
	path: string;
	/** True when a valid access token was presented (always false for /login). */
	authorized: boolean;
	/** Wall-clock ms when the request arrived (real time, so tests can measure backoff). */
	at: number;
	/** Response status; undefined while in flight or when the connection was dropped. */
	status?: number;
	/** True when the client hung up before the whole response was sent (it gave up, or read only part of it). */
	abandoned?: boolean;
	/** Id of the injected fault that hit this request. */
	fault?: string;
	/** Requests in flight including this one when it arrived (Outlook allows 4 per mailbox). */
	concurrent: number;
	/** Response body bytes (Content-Length), once answered. */
	bytes?: number;
}

const SECRET_PARAMS = /^(access_token|refresh_token|client_secret|client_assertion|code|code_verifier|id_token)$/i;
const MAX_ENTRIES = 100_000;

export function redactQuery(search: string): string {
	if (search === '' || search === '?') return search;
	return `?${search
		.slice(1)
		.split('&')
		.map((pair) => {
			const eq = pair.indexOf('=');
			const name = eq < 0 ? pair : pair.slice(0, eq);
			return SECRET_PARAMS.test(name) && eq >= 0 ? `${name}=REDACTED` : pair;
		})
		.join('&')}`;
}

export class RequestLog {
	readonly entries: RequestLogEntry[] = [];
	private seq = 0;
	private inFlight = 0;
	/** Highest number of concurrent requests seen since the last clear. */
	maxConcurrent = 0;

	start(method: string, path: string): RequestLogEntry {
		this.inFlight += 1;
		this.maxConcurrent = Math.max(this.maxConcurrent, this.inFlight);
		const entry: RequestLogEntry = { seq: ++this.seq, method, path, authorized: false, at: performance.timeOrigin + performance.now(), concurrent: this.inFlight };
		this.entries.push(entry);
		// Long demo runs must not grow without bound.
		if (this.entries.length > MAX_ENTRIES) this.entries.splice(0, MAX_ENTRIES / 10);
		return entry;
	}

	finish(entry: RequestLogEntry, status: number | undefined, abandoned = false): void {
		this.inFlight -= 1;
		entry.status = status;
		if (abandoned) entry.abandoned = true;
	}

	since(seq: number): RequestLogEntry[] {
		return this.entries.filter((e) => e.seq > seq);
	}

	clear(): void {
		this.entries.length = 0;
		this.maxConcurrent = this.inFlight;
	}
}
