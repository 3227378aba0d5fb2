/**
 * Date formats as Open Connectors users wrote them: java.text.SimpleDateFormat patterns plus the
 * words `milliseconds`, `seconds` and `ISO`. compileDateFormat validates once at activation and
 * returns a codec whose parse/format run per record without Luxon (Luxon only supplies zone offsets
 * for non-fixed zones). ISO-like patterns, the vast majority, are read by a character scanner.
 *
 * Where we knowingly differ from SimpleDateFormat (English locale, lenient):
 * - `S` letters are a decimal fraction of the second, truncated to milliseconds. Java reads them as
 *   a millisecond count, which agrees for exactly three digits but turns Graph's
 *   `13.8136423` into 13 s + 8 136 423 ms (+2 h 15 min) and writes 5 ms as `.000005` under `SSSSSS`.
 * - After a seconds field, when the pattern has no `S`, an optional `.digits` fraction is accepted
 *   (Java would fail on Graph's 7-digit stamps with `ss'Z'`).
 * - Out-of-range values (month 13, 31 April, 25:00) are rejected instead of rolled over.
 * - Unknown timezones are rejected instead of silently meaning GMT.
 * - `k`, `K`, `F`, `w`, `W`, `Y`, `z` are rejected at activation (see javaPatternTokens).
 * Kept from Java: trailing text after the pattern is ignored, number fields accept any digit count
 * unless another number field follows directly, `yy` uses the "80 years back, 20 ahead" window,
 * ambiguous wall times in DST zones take standard time.
 */
import { captureConfigError, DateValueError, Office365ConfigError } from '../errors';
import {
	formatEpochMilliseconds,
	formatEpochSeconds,
	parseEpochMilliseconds,
	parseEpochSeconds,
} from './epochCodecs';
import { compileIsoFormatter, compileIsoParser } from './isoDateTime';
import { compileIsoShapedParser, recognizeIsoShape } from './isoShapedPatternParser';
import { tokenizeJavaDatePattern, type PatternToken } from './javaPatternTokens';
import { compilePatternFormatter } from './patternFormatter';
import { compilePatternParser } from './patternParser';
import { resolveTimezone } from './timezone';
import { zoneOffsets } from './zoneOffsets';

export interface DateCodec {
	/** Epoch ms; undefined for null, undefined or blank values; throws DateValueError when the value does not fit. */
	parse(value: unknown): number | undefined;
	format(epochMs: number): string;
	/** What the codec reads and writes, for messages and logs. */
	description: string;
}

/** Years a two-digit `yy` may lie before the current year (SimpleDateFormat's default century window). */
const TWO_DIGIT_YEAR_LOOKBACK = 80;

export function compileDateFormat(format: string, timezone: string | undefined, parameter: string): DateCodec {
	const keyword = format.trim().toLowerCase();
	// Epoch numbers carry no zone, so their timezone setting is not consulted.
	if (keyword === 'milliseconds') {
		return buildCodec(format, 'epoch milliseconds', parseEpochMilliseconds, formatEpochMilliseconds);
	}
	if (keyword === 'seconds') return buildCodec(format, 'epoch seconds', parseEpochSeconds, formatEpochSeconds);

	const zone = resolveTimezone(timezone, `${parameter} timezone`);
	const offsets = zoneOffsets(zone);
	if (keyword === '' || keyword === 'iso') {
		return buildCodec('ISO', `ISO 8601 (${zone.name} when the value has no offset)`, compileIsoParser(offsets), compileIsoFormatter(offsets));
	}

	const tokens = tokenizeWithHints(format, parameter);
	const twoDigitYearStart = new Date().getUTCFullYear() - TWO_DIGIT_YEAR_LOOKBACK;
	const generalParser = compilePatternParser(tokens, offsets, twoDigitYearStart);
	const shape = recognizeIsoShape(tokens);
	const fastParser = shape && compileIsoShapedParser(shape, offsets);
	return buildCodec(
		format,
		`Java pattern ${format} in ${zone.name}`,
		fastParser ? (text) => fastParser(text) ?? generalParser(text) : generalParser,
		compilePatternFormatter(tokens, offsets),
	);
}

/**
 * The Luxon format string that writes what the Java pattern writes (English locale). Luxon cannot
 * express everything: a single `X`, zero-padding `ddd`/`DD`/`yyyyy` and week fields throw; `XX`/`XXX`
 * map to `ZZZ`/`ZZ`, which print `+0000`/`+00:00` where Java prints `Z` for UTC.
 */
export function translateJavaDatePattern(pattern: string): string {
	const parameter = 'date format';
	return tokenizeJavaDatePattern(pattern, parameter)
		.map((token) => (token.kind === 'literal' ? luxonLiteral(token.text) : luxonField(token, pattern, parameter)))
		.join('');
}

function buildCodec(
	format: string,
	description: string,
	parseText: (text: string) => number | string,
	formatEpoch: (epochMs: number) => string,
): DateCodec {
	return {
		description,
		parse(value) {
			if (value === undefined || value === null) return undefined;
			let text: string;
			if (typeof value === 'string') text = value;
			else if (typeof value === 'number' && Number.isFinite(value)) text = String(value);
			else throw new DateValueError(describeValue(value), format, 'expected a string or a number');
			if (text.trim() === '') return undefined;
			const result = parseText(text);
			if (typeof result === 'string') throw new DateValueError(text, format, result);
			return result;
		},
		format(epochMs) {
			if (!Number.isFinite(epochMs)) throw new RangeError(`Cannot format ${epochMs} as a date with ${description}`);
			return formatEpoch(epochMs);
		},
	};
}

/** Tokenizes, turning the common non-patterns in Open Connectors configs into specific hints. */
function tokenizeWithHints(format: string, parameter: string): PatternToken[] {
	const tokenized = captureConfigError(() => tokenizeJavaDatePattern(format, parameter));
	if ('error' in tokenized) {
		const bare = format.replace(/['\s]/g, '').toLowerCase();
		if (bare === 'milliseconds' || bare === 'seconds' || bare === 'iso') {
			const keyword = bare === 'iso' ? 'ISO' : bare;
			throw new Office365ConfigError(parameter, format, `did you mean "${keyword}"? ${tokenized.error.hint}`);
		}
		if (/unix|epoch/i.test(format)) {
			throw new Office365ConfigError(parameter, format, 'for Unix time write "seconds" (10 digits) or "milliseconds" (13 digits)');
		}
		throw tokenized.error;
	}
	const tokens = tokenized.value;
	if (!tokens.some((token) => token.kind === 'field')) {
		throw new Office365ConfigError(
			parameter,
			format,
			'contains no date letters; use a pattern such as yyyy-MM-dd\'T\'HH:mm:ssXXX, or "milliseconds", "seconds" or "ISO"',
		);
	}
	return tokens;
}

function describeValue(value: unknown): string {
	try {
		return typeof value === 'object' ? JSON.stringify(value) : String(value);
	} catch {
		return Object.prototype.toString.call(value);
	}
}

/** Luxon quotes like Java, but `''` only works outside a quoted run, so quotes are emitted on their own. */
function luxonLiteral(text: string): string {
	return text
		.split("'")
		.map((segment) => (/[A-Za-z]/.test(segment) ? `'${segment}'` : segment))
		.join("''");
}

function luxonField(token: { letter: string; count: number }, pattern: string, parameter: string): string {
	const { letter, count } = token;
	const unsupported = (): never => {
		throw new Office365ConfigError(parameter, pattern, `"${letter.repeat(count)}" has no Luxon equivalent`);
	};
	switch (letter) {
		case 'G':
			return 'G';
		case 'y':
			if (count === 2) return 'yy';
			if (count === 1) return 'y';
			return count <= 4 ? 'yyyy' : unsupported();
		case 'M':
		case 'L':
			return letter.repeat(Math.min(count, 4));
		case 'd':
		case 'H':
		case 'h':
		case 'm':
		case 's':
			return count <= 2 ? letter.repeat(count) : unsupported();
		case 'S':
			// Luxon `uuu`/`uu` print the first one/two fraction digits; more than three are zeros at ms precision.
			if (count === 1) return 'uuu';
			if (count === 2) return 'uu';
			return count === 3 ? 'SSS' : `SSS'${'0'.repeat(count - 3)}'`;
		case 'E':
			return count >= 4 ? 'EEEE' : 'EEE';
		case 'u':
			return count === 1 ? 'E' : unsupported();
		case 'a':
			return 'a';
		case 'D':
			if (count === 1) return 'o';
			return count === 3 ? 'ooo' : unsupported();
		case 'Z':
			return 'ZZZ';
		case 'X':
			if (count === 2) return 'ZZZ';
			return count === 3 ? 'ZZ' : unsupported();
		default:
			return unsupported();
	}
}
