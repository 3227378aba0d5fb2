import { Office365ConfigError } from '../shared/configError';
import { preview } from '../shared/text';

/**
 * Validates the callback URL before any request is made: an absolute http:// or https:// URL with
 * a host and no user info (a password in the URL would be a secret in a plain parameter, and it
 * would be shown in messages). Query strings are allowed (many receivers put a routing key there);
 * a fragment is never sent over HTTP, so it is dropped.
 */
export function validateCallbackUrl(value: unknown, parameter = 'Callback URL'): URL {
	const text = typeof value === 'string' ? value.trim() : '';
	if (text === '') {
		throw new Office365ConfigError(
			parameter,
			'',
			typeof value === 'string' || value === undefined || value === null
				? 'the URL is empty; enter the receiver address, e.g. https://example.com/office365/events'
				: `expected a URL string, got ${preview(value, 40)}`,
		);
	}
	let url: URL | undefined;
	try {
		url = new URL(text);
	} catch {
		url = undefined;
	}
	if (url === undefined) {
		throw new Office365ConfigError(
			parameter,
			preview(redactUserInfo(text), 80),
			'not an absolute URL; expected something like https://example.com/office365/events',
		);
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:') {
		throw new Office365ConfigError(
			parameter,
			preview(`${url.protocol}…`, 20),
			'only http:// and https:// URLs are supported',
		);
	}
	if (url.hostname === '') {
		throw new Office365ConfigError(parameter, preview(text, 80), 'the URL has no host name');
	}
	if (url.username !== '' || url.password !== '') {
		throw new Office365ConfigError(
			parameter,
			describeUrl(url),
			'user info (user:password@) is not allowed in the URL; secrets do not belong in plain node parameters. Sign notifications with the "Office 365 Event Signing API" credential so the receiver can authenticate them.',
		);
	}
	url.hash = '';
	return url;
}

/**
 * The URL as shown in outputs and error messages: scheme, host, port and path. A query string,
 * which often carries a receiver token, is replaced by "?…".
 */
export function describeUrl(url: URL): string {
	return `${url.protocol}//${url.host}${url.pathname}${url.search === '' ? '' : '?…'}`;
}

function redactUserInfo(text: string): string {
	return text.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1…@');
}

/** Header names the node sets itself; extra headers may not override them. */
const RESERVED_HEADER_NAMES = [
	'content-type',
	'content-length',
	'host',
	'transfer-encoding',
	'connection',
	'elements-webhook-id',
	'elements-webhook-signature',
] as const;

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * Checks the user's extra headers: RFC 9110 token names, no line breaks in values, no duplicates
 * and none of the headers this node owns. Returns them as a plain header object.
 */
export function validateExtraHeaders(
	headers: ReadonlyArray<{ name?: unknown; value?: unknown }>,
	parameter = 'Extra Headers',
): Record<string, string> {
	const result: Record<string, string> = {};
	const seen = new Set<string>();
	for (const header of headers) {
		const name = typeof header.name === 'string' ? header.name.trim() : '';
		const value =
			header.value === undefined || header.value === null ? '' : String(header.value as string);
		if (name === '') {
			throw new Office365ConfigError(parameter, '', 'a header has an empty name');
		}
		if (!HEADER_NAME.test(name)) {
			throw new Office365ConfigError(
				parameter,
				preview(name, 40),
				'a header name may only contain letters, digits and !#$%&\'*+.^_`|~-',
			);
		}
		const lower = name.toLowerCase();
		if ((RESERVED_HEADER_NAMES as readonly string[]).includes(lower)) {
			throw new Office365ConfigError(
				parameter,
				name,
				'this header is set by the node itself (Content-Type, Elements-Webhook-Id, Elements-Webhook-Signature and transport headers cannot be overridden)',
			);
		}
		if (/[\r\n\0]/.test(value)) {
			throw new Office365ConfigError(parameter, name, 'header values must not contain line breaks');
		}
		if (seen.has(lower)) {
			throw new Office365ConfigError(parameter, name, 'the header is listed twice');
		}
		seen.add(lower);
		result[name] = value;
	}
	return result;
}
