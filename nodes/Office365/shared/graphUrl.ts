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

/**
 * `pathOrUrl` is either a path relative to the versioned API root (`/me/messages?$top=5`) or an
 * absolute URL (a nextLink, or a user's absolute url) that must lie under `graphBaseUrl`.
 */
export function resolveGraphUrl(apiBaseUrl: string, graphBaseUrl: string, pathOrUrl: string): string {
	const text = pathOrUrl.trim();
	if (ABSOLUTE_URL.test(text) || text.startsWith('//')) {
		const target = parseUrl(text);
		const root = parseUrl(graphBaseUrl);
		if (!target || !root) throw new ForeignHostError(text, graphBaseUrl);
		const rootPath = root.pathname.replace(/\/+$/, '');
		const samePlace =
			target.protocol === root.protocol &&
			target.host === root.host &&
			!target.username &&
			!target.password &&
			(rootPath === '' || target.pathname === rootPath || target.pathname.startsWith(`${rootPath}/`));
		if (!samePlace) throw new ForeignHostError(text, graphBaseUrl);
		return text;
	}
	const path = text.startsWith('/') ? text : `/${text}`;
	return `${apiBaseUrl}${path}`;
}
