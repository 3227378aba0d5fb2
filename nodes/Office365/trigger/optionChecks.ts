/**
 * Checks of what a configuration adds to the query: whole-number options in their range, Select's property
 * names, balanced $filter conditions, and a URL's own query options (each once, no paging of its own).
 */
import { Office365ConfigError } from './errors';

/** Paging is the trigger's own (verified offsets); a URL must not bring its own. */
const PAGING_OPTIONS = new Set(['$skip', '$skiptoken']);

export function integerInRange(parameter: string, value: number | undefined, fallback: number, min: number, max: number): number {
	const number = value ?? fallback;
	if (!Number.isInteger(number) || number < min || number > max) {
		throw new Office365ConfigError(parameter, String(value), `use a whole number from ${min} to ${max}`);
	}
	return number;
}

export function parseSelect(select: string | undefined): string[] | undefined {
	const fields = (select ?? '')
		.split(',')
		.map((field) => field.trim())
		.filter(Boolean);
	for (const field of fields) {
		if (!/^[A-Za-z_@][\w@.]*$/.test(field)) {
			throw new Office365ConfigError('Options → Select', select ?? '', `"${field}" is not a property name; use a comma-separated list such as subject,from,receivedDateTime`);
		}
	}
	return fields.length ? fields : undefined;
}

/** Each query option once: a second `$filter` would be the one Graph applies, unchecked. */
export function checkQueryOptions(url: string, query: Array<[string, string]>): void {
	const names = new Set<string>();
	for (const [name] of query) {
		const normalized = name.toLowerCase();
		if (PAGING_OPTIONS.has(normalized)) {
			throw new Office365ConfigError('URL', url, `remove ${name}: the trigger pages through the collection itself`);
		}
		if (names.has(normalized)) {
			throw new Office365ConfigError('URL', url, `${name} appears more than once; give each query option once`);
		}
		names.add(normalized);
	}
}

export function checkParentheses(parameter: string, filter: string): void {
	let depth = 0;
	let quoted = false;
	for (const char of filter) {
		if (char === "'") quoted = !quoted;
		else if (!quoted && char === '(') depth++;
		else if (!quoted && char === ')' && --depth < 0) break;
	}
	if (depth !== 0 || quoted) {
		throw new Office365ConfigError(parameter, filter, 'unbalanced parentheses or quotes; write an OData condition such as isRead eq false');
	}
}
