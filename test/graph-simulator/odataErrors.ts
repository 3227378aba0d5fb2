// Errors that become Graph's JSON error body `{ "error": { "code", "message", "innerError" } }`.

export class GraphHttpError extends Error {
	constructor(
		readonly status: number,
		readonly code: string,
		message: string,
		readonly headers: Record<string, string> = {},
	) {
		super(message);
		this.name = 'GraphHttpError';
	}
}

/** A 400 caused by a query option or request body; `code` mirrors what Graph sends for that mistake. */
export class ODataError extends GraphHttpError {
	constructor(code: string, message: string) {
		super(400, code, message);
		this.name = 'ODataError';
	}
}
