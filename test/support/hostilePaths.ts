/**
 * Generated relative URLs and nextLinks that try to leave a Graph base path, and an oracle that
 * says whether a path, as a server receives it, ends up outside that base path. The oracle is built
 * on node:path, not on the package's own rules, so it can catch them being wrong.
 */
import { posix } from 'node:path';

import fc from 'fast-check';

const UP = ['..', '%2e%2e', '%2E%2E', '.%2e', '%2e.', '%252e%252e', '..;', '..;x=1', '%2e%2e;', '.', '%2e'];
const SEP = ['/', '\\', '%2f', '%2F', '%5c', '%5C', '%252f', '//', '/./'];
const TARGET = ['admin', 'admin/secrets', 'v1.0/me', 'graph-admin/x', '%61dmin', ''];

/** A path of traversal steps, separators and a target, e.g. `/..%2f%2e%2e/admin`. */
export const hostilePath: fc.Arbitrary<string> = fc
	.tuple(
		fc.constantFrom('', '/', '//', './', 'me/', '/me/', '\\'),
		fc.array(fc.tuple(fc.constantFrom(...UP), fc.constantFrom(...SEP)), { minLength: 1, maxLength: 5 }),
		fc.constantFrom(...TARGET),
		fc.constantFrom('', '?$top=1', '#frag'),
	)
	.map(([prefix, steps, target, tail]) => `${prefix}${steps.map(([up, sep]) => `${up}${sep}`).join('')}${target}${tail}`);

function decodeLeniently(text: string): string {
	try {
		return decodeURIComponent(text);
	} catch {
		return text.replace(/%([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
	}
}

/**
 * True when `rawPath` (path and query as received) resolves outside `root` after any number of
 * percent-decodings, with backslashes read as slashes and `;params` dropped (as lenient servers do).
 */
export function landsOutside(rawPath: string, root: string): boolean {
	let current = rawPath.split('?')[0];
	for (let round = 0; round < 6; round++) {
		const normalized = posix.normalize(current.replace(/\\/g, '/').replace(/;[^/]*/g, ''));
		if (normalized !== root && !normalized.startsWith(`${root}/`)) return true;
		const decoded = decodeLeniently(current);
		if (decoded === current) return false;
		current = decoded;
	}
	return true;
}
