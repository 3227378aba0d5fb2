/**
 * A parameter value that can never work, found by a pure module before any request. It names the
 * parameter, the offending value (already safe to show: never a secret) and what would work; the
 * node files turn it into a NodeOperationError, so nothing is half-applied.
 */
export class Office365ConfigError extends Error {
	constructor(
		readonly parameter: string,
		readonly value: string,
		readonly hint: string,
	) {
		super(value === '' ? `Invalid ${parameter}: ${hint}` : `Invalid ${parameter} "${value}": ${hint}`);
		this.name = 'Office365ConfigError';
	}
}
