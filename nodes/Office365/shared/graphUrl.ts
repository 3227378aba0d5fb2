import { parseUrl } from './clouds';

/**
 * Turns a configured resource path or an `@odata.nextLink` into the absolute URL to call, and
 * refuses anything outside the credential's Graph API root: the bearer token must never leave it.
 */

export class ForeignHostError extends Error {
	constructor(
		readonly url: string,
		readonly allowedRoot: string,
	) {
		super(
			`Refusing to send the Office 365 access token to "${url}": only URLs under ${allowedRoot} are allowed (the credential's Graph API base URL)`,
		);
		this.name = 'ForeignHostError';
	}
}

const ABSOLUTE_URL = /^[a-z][a-z0-9+.-]*:/i;
/** Servers decode a path at most this many times in practice; a path still encoded beyond is refused. */
const MAX_DECODINGS = 3;

/**
 * RFC 3986 §5.2.4 dot-segment removal, also on what lenient servers treat as separators or dot
 * segments: backslashes, and `..;params` (servlet containers).
 */
function withoutDotSegments(path: string): string[] {
	const out: string[] = [];
	for (const segment of path.replace(/\\/g, '/').split('/')) {
		const bare = segment.split(';')[0];
		if (bare === '..') out.pop();
		else if (bare !== '.' && segment !== '') out.push(segment);
	}
	return out;
}

/** One round of percent-decoding, byte by byte, as a lenient server would (never fails). */
function decodeOnce(text: string): string {
	return text.replace(/%([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/**
 * Whether `pathname` stays under `rootPath` however a server reads it: as sent, and after each
 * round of percent-decoding (`%2e%2e`, `%2f`, `%5c`, double encodings) with dot segments resolved.
 */
function staysUnder(rootPath: string, pathname: string): boolean {
	let root = rootPath;
	let current = pathname;
	for (let round = 0; ; round++) {
		const rootSegments = withoutDotSegments(root);
		const segments = withoutDotSegments(current);
		if (!rootSegments.every((segment, index) => segments[index] === segment)) return false;
		const decoded = decodeOnce(current);
		if (decoded === current) return true;
		if (round === MAX_DECODINGS) return false;
		root = decodeOnce(root);
		current = decoded;
	}
}

/**
 * `pathOrUrl` is either a path relative to the versioned API root (`/me/messages?$top=5`) or an
 * absolute URL (a nextLink, or a user's absolute url); either way the request must land under
 * `graphBaseUrl`. Returns the URL as a WHATWG parser (and so axios) will send it.
 */
export function resolveGraphUrl(apiBaseUrl: string, graphBaseUrl: string, pathOrUrl: string): string {
	const text = pathOrUrl.trim();
	const absolute = ABSOLUTE_URL.test(text) || text.startsWith('//');
	const target = parseUrl(absolute ? text : `${apiBaseUrl}${text.startsWith('/') ? '' : '/'}${text}`);
	const root = parseUrl(graphBaseUrl);
	if (!target || !root) throw new ForeignHostError(text, graphBaseUrl);
	const samePlace =
		target.protocol === root.protocol &&
		target.host === root.host &&
		!target.username &&
		!target.password &&
		staysUnder(root.pathname, target.pathname);
	if (!samePlace) throw new ForeignHostError(text, graphBaseUrl);
	target.hash = '';
	return target.href;
}
