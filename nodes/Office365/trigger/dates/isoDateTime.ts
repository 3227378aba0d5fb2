/**
 * ISO 8601 extended date-times as Microsoft Graph and most REST APIs send them, read by a
 * hand-written scanner (no regex, no Luxon): `2017-10-07T04:59:13.8136423Z`, `…+02:00`,
 * `…T10:00`, date only. Fraction digits of any length are truncated to milliseconds; a value
 * without offset is a wall time in the configured zone (Graph's event start/end).
 */
import { daysInMonth, MS_PER_MINUTE, offsetMinutesOrNaN, utcMillis } from './calendarMath';
import { compilePatternFormatter, type PatternFormatter } from './patternFormatter';
import { tokenizeJavaDatePattern } from './javaPatternTokens';
import { CHAR, endOfDigits, fractionMillis, readDigits, type DateTextParser } from './textScan';
import type { ZoneOffsets } from './zoneOffsets';

const NOT_ISO = 'expected an ISO 8601 date-time such as 2026-11-28T10:00:00Z';

/** One function: the parser is one left-to-right scan of the text, its steps sharing one position. */
export function compileIsoParser(offsets: ZoneOffsets): DateTextParser {
	const fixedOffset = offsets.fixedMinutes;
	return (text) => {
		const length = text.length;
		const year = readDigits(text, 0, 4);
		const month = readDigits(text, 5, 2);
		const day = readDigits(text, 8, 2);
		if (length < 10 || text.charCodeAt(4) !== CHAR.minus || text.charCodeAt(7) !== CHAR.minus || year < 0 || month < 0 || day < 0) {
			return NOT_ISO;
		}
		let hour = 0;
		let minute = 0;
		let second = 0;
		let millisecond = 0;
		let position = 10;
		const separator = text.charCodeAt(position);
		if (separator === CHAR.T || separator === CHAR.t || separator === CHAR.space) {
			hour = readDigits(text, position + 1, 2);
			minute = readDigits(text, position + 4, 2);
			if (hour < 0 || minute < 0 || text.charCodeAt(position + 3) !== CHAR.colon) return NOT_ISO;
			position += 6;
			if (text.charCodeAt(position) === CHAR.colon) {
				second = readDigits(text, position + 1, 2);
				if (second < 0) return NOT_ISO;
				position += 3;
				const mark = text.charCodeAt(position);
				if (mark === CHAR.dot || mark === CHAR.comma) {
					const start = position + 1;
					position = endOfDigits(text, start);
					if (position === start) return NOT_ISO;
					millisecond = fractionMillis(text, start, position);
				}
			}
		}

		let offsetMinutes: number | undefined;
		if (position < length) {
			const mark = text.charCodeAt(position);
			if (mark === CHAR.Z || mark === CHAR.z) {
				offsetMinutes = 0;
				position++;
			} else if (mark === CHAR.plus || mark === CHAR.minus) {
				const hours = readDigits(text, position + 1, 2);
				position += 3;
				let minutes = 0;
				if (position < length) {
					if (text.charCodeAt(position) === CHAR.colon) position++;
					minutes = readDigits(text, position, 2);
					position += 2;
				}
				if (hours < 0 || minutes < 0) return NOT_ISO;
				offsetMinutes = offsetMinutesOrNaN(mark === CHAR.minus ? -1 : 1, hours, minutes);
				if (Number.isNaN(offsetMinutes)) return 'the offset is out of range';
			}
			if (position !== length) return NOT_ISO;
		}

		if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return 'no such date';
		if (hour > 23 || minute > 59 || second > 59) return 'no such time';
		const wallAsUtc = utcMillis(year, month, day, hour, minute, second, millisecond);
		if (offsetMinutes !== undefined) return wallAsUtc - offsetMinutes * MS_PER_MINUTE;
		if (fixedOffset !== undefined) return wallAsUtc - fixedOffset * MS_PER_MINUTE;
		return offsets.wallTimeToEpoch(wallAsUtc);
	};
}

/** `2026-11-28T10:00:00.000Z` in UTC, `2026-11-28T11:00:00.000+01:00` in other zones. */
export function compileIsoFormatter(offsets: ZoneOffsets): PatternFormatter {
	if (offsets.fixedMinutes === 0) return (epochMs) => new Date(epochMs).toISOString();
	return compilePatternFormatter(tokenizeJavaDatePattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX", 'ISO format'), offsets);
}
