/**
 * Open Connectors' URL date placeholders: the poll URL carries `${…}` expressions that become the
 * last poll time, e.g. `$filter=lastModifiedDateTime ge ${gmtDate:yyyy-MM-dd'T'HH:mm:ss'Z'}`.
 *
 * Supported (descriptor names case-insensitive, since configs also spell `DateTimeZone`):
 * - `${gmtDate:<pattern>}`             the time in GMT
 * - `${date:<pattern>}`                the time in the server zone; Open Connectors' servers ran on
 *                                      GMT ("usually the equivalent of gmtDate"), so GMT unless
 *                                      options.serverZone says otherwise
 * - `${dateTimeZone:<zone>:<pattern>}` the time in <zone>; the split between zone and pattern must
 *                                      be unambiguous (`-8:00:HH:mm` → zone -8:00)
 * - `${date}`                          legacy bare form: yyyy-MM-dd'T'HH:mm:ss'Z' in GMT
 * - `${epoch}`, `${epoch:ms}`, `${milliseconds}` epoch ms; `${epoch:s}` seconds; `${epoch:us}` µs
 * Anything else, and `{{…}}` documentation-template leftovers, is a configuration error.
 *
 * Values are percent-encoded just enough for where they land. In the query: `%`, `+`, `&`, `#`,
 * blanks and non-ASCII, because servers (Graph included) read `+` as a space and `&`/`#` would
 * cut the `$filter` clause; `:`, `/`, `,` and `'` stay readable and valid. In the path: full
 * encodeURIComponent, so `MM/dd/yyyy` cannot add segments.
 */
import { catchConfigError, Office365ConfigError } from '../errors';
import { compileDateFormat } from './javaDatePattern';
import { resolveTimezone } from './timezone';

interface UrlPlaceholder {
	/** Exact text in the URL, e.g. `${gmtDate:yyyy-MM-dd}` or `{{page.pollObject}}`. */
	text: string;
	/** Offset of `text` in the URL. */
	index: number;
	/** Text between the delimiters, e.g. `gmtDate:yyyy-MM-dd` or `page.pollObject`. */
	body: string;
	/** `${…}` is a date placeholder; `{{…}}` is a template leftover that never works. */
	style: 'date' | 'template';
}

interface UrlPlaceholderOptions {
	/** Zone for `${date:<pattern>}`; default GMT. */
	serverZone?: string;
	/** Names the setting in error messages; default "url". */
	parameter?: string;
}

/** The URL with every placeholder replaced for one poll time. */
type UrlTemplate = (sinceMs: number) => string;

const LEGACY_DATE_PATTERN = "yyyy-MM-dd'T'HH:mm:ss'Z'";
const SUPPORTED =
	"supported: ${gmtDate:<pattern>}, ${date:<pattern>}, ${dateTimeZone:<zone>:<pattern>}, ${date}, " +
	'${epoch}, ${epoch:ms}, ${epoch:s}, ${epoch:us}, ${milliseconds}';

/** `${…}` (nested braces allowed, as in `${dateTimeZone:{TimeZone}:…}`) and `{{…}}`, in URL order. */
export function findUrlPlaceholders(url: string): UrlPlaceholder[] {
	const found: UrlPlaceholder[] = [];
	let index = 0;
	while (index < url.length) {
		if (url.startsWith('${', index)) {
			const end = matchingBrace(url, index + 1);
			const text = url.slice(index, end);
			found.push({ text, index, body: url.slice(index + 2, text.endsWith('}') ? end - 1 : end), style: 'date' });
			index = end;
		} else if (url.startsWith('{{', index)) {
			const close = url.indexOf('}}', index + 2);
			const end = close < 0 ? url.length : close + 2;
			found.push({ text: url.slice(index, end), index, body: url.slice(index + 2, close < 0 ? end : close), style: 'template' });
			index = end;
		} else {
			index++;
		}
	}
	return found;
}

/** Compiles every placeholder now, so a bad one fails at activation (Office365ConfigError). */
function compileUrlTemplate(url: string, options: UrlPlaceholderOptions = {}): UrlTemplate {
	const parameter = options.parameter ?? 'url';
	const serverZone = options.serverZone ?? 'GMT';
	resolveTimezone(serverZone, 'server timezone');
	const queryStart = url.indexOf('?');

	const parts: Array<string | UrlTemplate> = [];
	let copied = 0;
	for (const placeholder of findUrlPlaceholders(url)) {
		parts.push(url.slice(copied, placeholder.index));
		const render = compilePlaceholder(placeholder, serverZone, parameter);
		const inQuery = queryStart >= 0 && placeholder.index > queryStart;
		parts.push((sinceMs) => (inQuery ? encodeQueryValue(render(sinceMs)) : encodeURIComponent(render(sinceMs))));
		copied = placeholder.index + placeholder.text.length;
	}
	parts.push(url.slice(copied));

	return (sinceMs) => {
		let expanded = '';
		for (const part of parts) expanded += typeof part === 'string' ? part : part(sinceMs);
		return expanded;
	};
}

export function validateUrlPlaceholders(url: string, parameter: string): void {
	compileUrlTemplate(url, { parameter });
}

export function expandUrlPlaceholders(url: string, sinceMs: number, options?: UrlPlaceholderOptions): string {
	return compileUrlTemplate(url, options)(sinceMs);
}

function compilePlaceholder(placeholder: UrlPlaceholder, serverZone: string, parameter: string): UrlTemplate {
	const { text, body } = placeholder;
	const reject = (hint: string): never => {
		throw new Office365ConfigError(parameter, text, hint);
	};
	if (placeholder.style === 'template') {
		return reject('an unfilled documentation template variable; replace it with the real value');
	}
	if (!text.endsWith('}')) return reject('missing closing "}"');

	const colon = body.indexOf(':');
	const descriptor = (colon < 0 ? body : body.slice(0, colon)).toLowerCase();
	const argument = colon < 0 ? undefined : body.slice(colon + 1);
	switch (descriptor) {
		case 'gmtdate':
			return datePlaceholder(text, argument ?? LEGACY_DATE_PATTERN, 'GMT', parameter);
		case 'date':
			if (argument === undefined) return datePlaceholder(text, LEGACY_DATE_PATTERN, 'GMT', parameter);
			return datePlaceholder(text, argument, serverZone, parameter);
		case 'datetimezone': {
			const split = splitZoneAndPattern(argument ?? '', text, parameter);
			return datePlaceholder(text, split.pattern, split.zone, parameter);
		}
		case 'epoch':
			return epochPlaceholder(argument ?? 'ms', reject);
		case 'milliseconds':
			return argument === undefined ? epochPlaceholder('ms', reject) : reject('${milliseconds} takes no argument');
		default:
			if (/^\s*\d+\s*$/.test(body)) return reject(`a literal number is not a placeholder; ${SUPPORTED}`);
			return reject(`unknown placeholder "${descriptor}"; ${SUPPORTED}`);
	}
}

function epochPlaceholder(unit: string, reject: (hint: string) => never): UrlTemplate {
	switch (unit) {
		case 'ms':
			return (sinceMs) => String(Math.trunc(sinceMs));
		case 's':
			return (sinceMs) => String(Math.floor(sinceMs / 1000));
		case 'us':
			return (sinceMs) => String(Math.trunc(sinceMs) * 1000);
		default:
			return reject(`unknown epoch unit "${unit}"; use \${epoch:ms}, \${epoch:s} or \${epoch:us}`);
	}
}

function datePlaceholder(text: string, pattern: string, zone: string, parameter: string): UrlTemplate {
	return catchConfigError(
		() => compileDateFormat(pattern, zone, parameter).format,
		(error) => {
			const hint = /unix|epoch/i.test(pattern) ? 'for Unix time use ${epoch:s} (seconds) or ${epoch:ms} (milliseconds)' : describeCause(error);
			throw new Office365ConfigError(parameter, text, hint);
		},
	);
}

/**
 * `<zone>:<pattern>` where both may contain colons: try every colon, keep the splits whose zone
 * resolves and whose pattern compiles (a pattern starting with a digit is an offset's minutes),
 * and accept exactly one.
 */
function splitZoneAndPattern(argument: string, text: string, parameter: string): { zone: string; pattern: string } {
	const valid: Array<{ zone: string; pattern: string }> = [];
	let firstError: Office365ConfigError | undefined;
	for (let colon = argument.indexOf(':'); colon >= 0; colon = argument.indexOf(':', colon + 1)) {
		const zone = argument.slice(0, colon);
		const pattern = argument.slice(colon + 1);
		if (/^\d/.test(pattern)) continue;
		const failure = catchConfigError(() => void compileDateFormat(pattern, zone, 'pattern'), (error) => error);
		if (failure === undefined) valid.push({ zone, pattern });
		else firstError ??= failure;
	}
	if (valid.length === 1) return valid[0];
	if (valid.length > 1) {
		const readings = valid.map((split) => `zone "${split.zone}" with pattern "${split.pattern}"`).join(' or ');
		throw new Office365ConfigError(parameter, text, `ambiguous: ${readings}; use an IANA zone name or \${gmtDate:…}`);
	}
	const reason = firstError ? `; ${describeCause(firstError)}` : '';
	throw new Office365ConfigError(parameter, text, `expected \${dateTimeZone:<zone>:<pattern>}${reason}`);
}

/** `zone "X": hint` or `pattern "X": hint` for an error raised while compiling a placeholder's parts. */
function describeCause(error: Office365ConfigError): string {
	return `${error.parameter.endsWith('timezone') ? 'zone' : 'pattern'} "${error.value}": ${error.hint}`;
}

/** Index after the `}` closing the `{` at `open`, counting nested braces; the URL's end if unclosed. */
function matchingBrace(url: string, open: number): number {
	let depth = 0;
	for (let index = open; index < url.length; index++) {
		if (url[index] === '{') depth++;
		else if (url[index] === '}' && --depth === 0) return index + 1;
	}
	return url.length;
}

function encodeQueryValue(value: string): string {
	return value.replace(/[%+&#\s]|[^\x21-\x7e]/gu, (char) => encodeURIComponent(char));
}
