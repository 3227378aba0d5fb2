/**
 * Date formats as Open Connectors users wrote them: java.text.SimpleDateFormat patterns plus the
 * words `milliseconds`, `seconds` and `ISO`. compileDateFormat validates once at activation and
 * returns a codec whose parse/format run per record without Luxon (Luxon only supplies zone offsets
 * for non-fixed zones). ISO-like patterns, the vast majority, are read by a character scanner.
 *
 * Compared with the JDK's SimpleDateFormat (English locale, lenient) by
 * test/unit/javaDateParity.test.ts. Where we knowingly differ (the README's date table lists them):
 * - `S` letters are a decimal fraction of the second, truncated to milliseconds. Java reads them as
 *   a millisecond count, which agrees for exactly three digits but turns Graph's
 *   `13.8136423` into 13 s + 8 136 423 ms (+2 h 15 min) and writes 5 ms as `.000005` under `SSSSSS`.
 * - After a seconds field, when the pattern has no `S`, an optional `.digits` fraction is accepted
 *   (Java would fail on Graph's 7-digit stamps with `ss'Z'`).
 * - Out-of-range values (month 13, 31 April, 25:00) are rejected instead of rolled over.
 * - A zone the text continues with more offset is refused instead of half read (patternParser).
 * - Zone names: only those of zoneNames.ts, ambiguous ones only as the configured zone's own.
 * - Unknown timezones are rejected instead of silently meaning GMT.
 * - `k`, `K`, `F`, `w`, `W`, `Y` are rejected at activation (see javaPatternTokens).
 * Kept from Java: trailing text after the pattern is ignored, number fields accept any digit count
 * unless another number field follows directly, `yy` reads into the century starting 80 years
 * before now, ambiguous wall times in DST zones take standard time.
 */
import { catchConfigError, DateValueError, Office365ConfigError } from '../errors';
import { daysInMonth, MAX_EPOCH_MS, utcMillis } from './calendarMath';
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
import type { DateTextParser } from './textScan';
import { resolveTimezone } from './timezone';
import { compileZoneNameReader, compileZoneNameWriter } from './zoneNames';
import { zoneOffsets } from './zoneOffsets';

export interface DateCodec {
	/** Epoch ms; undefined for null, undefined or blank values; throws DateValueError when the value does not fit. */
	parse(value: unknown): number | undefined;
	format(epochMs: number): string;
	/** What the codec reads and writes, for messages and logs. */
	description: string;
}

interface DateFormatOptions {
	/** Names the timezone setting in errors; default "<parameter> timezone". */
	timezoneParameter?: string;
	/** The current instant (epoch ms), which places the century of two-digit years; default Date.now(). */
	now?: number;
}

/** SimpleDateFormat reads two-digit years into the century starting this many years before now. */
const TWO_DIGIT_YEAR_LOOKBACK = 80;

export function compileDateFormat(format: string, timezone: string | undefined, parameter: string, options: DateFormatOptions = {}): DateCodec {
	const keyword = format.trim().toLowerCase();
	// Epoch numbers carry no zone, so their timezone setting is not consulted.
	if (keyword === 'milliseconds') {
		return buildCodec(format, 'epoch milliseconds', parseEpochMilliseconds, formatEpochMilliseconds);
	}
	if (keyword === 'seconds') return buildCodec(format, 'epoch seconds', parseEpochSeconds, formatEpochSeconds);

	const { zone, javaId } = resolveTimezone(timezone, options.timezoneParameter ?? `${parameter} timezone`);
	const offsets = zoneOffsets(zone);
	if (keyword === '' || keyword === 'iso') {
		return buildCodec('ISO', `ISO 8601 (${zone.name} when the value has no offset)`, compileIsoParser(offsets), compileIsoFormatter(offsets));
	}

	const tokens = tokenizeWithHints(format, parameter);
	const letters = new Set(tokens.map((token) => (token.kind === 'field' ? token.letter : '')));
	const zoneNameWriter = letters.has('z') ? compileZoneNameWriter(javaId, offsets) : undefined;
	if (letters.has('z') && zoneNameWriter === undefined) {
		throw new Office365ConfigError(
			parameter,
			format,
			`"z" writes Java's name of the zone, known here for UTC, GMT, offsets and about a hundred common zones ` +
				`but not for "${javaId}"; use "XXX" (+02:00) or "Z" (+0200) instead`,
		);
	}
	const generalParser = compilePatternParser(tokens, offsets, {
		twoDigitYearStart: yearsBefore(options.now ?? Date.now(), TWO_DIGIT_YEAR_LOOKBACK),
		zoneNames: letters.has('z') || letters.has('Z') ? compileZoneNameReader(javaId) : undefined,
	});
	const shape = recognizeIsoShape(tokens);
	const fastParser = shape && compileIsoShapedParser(shape, offsets);
	return buildCodec(
		format,
		`Java pattern ${format} in ${zone.name}`,
		fastParser ? fastPathFirst(fastParser, generalParser) : generalParser,
		compilePatternFormatter(tokens, offsets, zoneNameWriter),
	);
}

/** The fast path's reading when it has one, else the general parser's (which words the errors). */
function fastPathFirst(fast: DateTextParser, general: DateTextParser): DateTextParser {
	return (text) => {
		const reading = fast(text);
		return typeof reading === 'number' ? reading : general(text);
	};
}

/** The same UTC wall time `years` earlier; 29 February becomes the 28th, as Calendar#add does. */
function yearsBefore(epochMs: number, years: number): number {
	const date = new Date(epochMs);
	const year = date.getUTCFullYear() - years;
	const month = date.getUTCMonth() + 1;
	const day = Math.min(date.getUTCDate(), daysInMonth(year, month));
	const timeOfDay = epochMs - utcMillis(date.getUTCFullYear(), month, date.getUTCDate(), 0, 0, 0, 0);
	return utcMillis(year, month, day, 0, 0, 0, 0) + timeOfDay;
}

function buildCodec(
	format: string,
	description: string,
	parseText: DateTextParser,
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
			if (!(Math.abs(epochMs) <= MAX_EPOCH_MS)) throw new RangeError(`Cannot format ${epochMs} as a date with ${description}`);
			return formatEpoch(epochMs);
		},
	};
}

/** Tokenizes, turning the common non-patterns in Open Connectors configs into specific hints. */
function tokenizeWithHints(format: string, parameter: string): PatternToken[] {
	const tokens = catchConfigError(
		() => tokenizeJavaDatePattern(format, parameter),
		(error) => {
			const bare = format.replace(/['\s]/g, '').toLowerCase();
			if (bare === 'milliseconds' || bare === 'seconds' || bare === 'iso') {
				const keyword = bare === 'iso' ? 'ISO' : bare;
				throw new Office365ConfigError(parameter, format, `did you mean "${keyword}"? ${error.hint}`);
			}
			if (/unix|epoch/i.test(format)) {
				throw new Office365ConfigError(parameter, format, 'for Unix time write "seconds" (10 digits) or "milliseconds" (13 digits)');
			}
			throw error;
		},
	);
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
