/**
 * Compiles SimpleDateFormat tokens into one anchored regular expression plus a field table, so a
 * parse is a regex exec, a few integer conversions and calendar arithmetic; no Luxon on the way.
 *
 * Java parsing rules kept: letter counts are ignored for number fields unless another number
 * field follows directly; spaces/tabs before a field are skipped; text after the pattern is
 * ignored; names match case-insensitively; a `Z`/`X` offset in the text wins over the zone
 * setting, otherwise the zone setting applies (which is what a quoted `'Z'` relies on).
 * Deliberate differences: out-of-range fields (month 13, Feb 30) are rejected instead of rolled
 * over; `S` digits are a decimal fraction of the second (see compileDateFormat).
 */
import { daysInMonth, MAX_EPOCH_MS, MS_PER_MINUTE, offsetMinutesOrNaN, utcMillis } from './calendarMath';
import { MONTH_BY_NAME, WEEKDAY_BY_NAME } from './englishDateNames';
import { isNumberField, type PatternToken } from './javaPatternTokens';
import { fractionMillis } from './textScan';
import type { ZoneOffsets } from './zoneOffsets';

type CaptureKind =
	| 'year'
	| 'month'
	| 'monthName'
	| 'day'
	| 'dayOfYear'
	| 'hourOfDay'
	| 'hourOfHalfDay'
	| 'minute'
	| 'second'
	| 'fraction'
	| 'weekdayName'
	| 'weekdayNumber'
	| 'amPm'
	| 'era'
	| 'rfc822Zone'
	| 'isoZone';

interface Capture {
	kind: CaptureKind;
	/** Letter count in the pattern (year uses it for the two-digit rule). */
	count: number;
}

/** Epoch ms, or the reason the text does not match. */
export type PatternParser = (text: string) => number | string;

/** Java skips spaces and tabs before every field. */
const SKIP_BLANKS = '[ \\t]*';

export function compilePatternParser(tokens: PatternToken[], offsets: ZoneOffsets, twoDigitYearStart: number): PatternParser {
	const captures: Capture[] = [];
	let source = '^';
	const hasFractionField = tokens.some((token) => token.kind === 'field' && token.letter === 'S');

	tokens.forEach((token, index) => {
		if (token.kind === 'literal') {
			source += escapeRegExp(token.text);
			return;
		}
		const next = tokens[index + 1];
		const width = next !== undefined && isNumberField(next) ? `{${token.count}}` : '+';
		const digits = `${SKIP_BLANKS}(\\d${width})`;
		const add = (kind: CaptureKind, group: string) => {
			captures.push({ kind, count: token.count });
			source += group;
		};
		switch (token.letter) {
			case 'y':
				return add('year', digits);
			case 'M':
			case 'L':
				return token.count >= 3 ? add('monthName', `${SKIP_BLANKS}([A-Za-z]+)`) : add('month', digits);
			case 'd':
				return add('day', digits);
			case 'D':
				return add('dayOfYear', digits);
			case 'H':
				return add('hourOfDay', digits);
			case 'h':
				return add('hourOfHalfDay', digits);
			case 'm':
				return add('minute', digits);
			case 's':
				add('second', digits);
				// Graph event stamps carry 7 fraction digits; accept them after seconds when the pattern has no S.
				if (!hasFractionField && width === '+') add('fraction', '(?:[.,](\\d+))?');
				return;
			case 'S':
				return add('fraction', digits);
			case 'E':
				return add('weekdayName', `${SKIP_BLANKS}([A-Za-z]+)`);
			case 'u':
				return add('weekdayNumber', digits);
			case 'a':
				return add('amPm', `${SKIP_BLANKS}([AaPp][Mm])`);
			case 'G':
				return add('era', `${SKIP_BLANKS}([AaBb][DdCc])`);
			case 'Z':
				return add('rfc822Zone', `${SKIP_BLANKS}([+-]\\d{4}|[Gg][Mm][Tt](?:[+-]\\d{1,2}:\\d{2})?|UTC)`);
			case 'X':
				return add('isoZone', `${SKIP_BLANKS}(Z|[+-]\\d{2}${['', '', '\\d{2}', ':\\d{2}'][token.count]})`);
			default:
				throw new Error(`Pattern letter "${token.letter}" passed validation but has no parser`);
		}
	});

	const regex = new RegExp(source);
	const fixedOffset = offsets.fixedMinutes;
	const usesMonthAndDay = captures.some((c) => c.kind === 'month' || c.kind === 'monthName') && captures.some((c) => c.kind === 'day');
	const century = Math.floor(twoDigitYearStart / 100) * 100;
	const twoDigitYearPivot = twoDigitYearStart % 100;

	return (text) => {
		const match = regex.exec(text);
		if (match === null) return 'the text does not have the shape of the pattern';
		let year = 1970;
		let month = 1;
		let day = 1;
		let ordinalDay = 0;
		let hour = 0;
		let halfDayHour = -1;
		let pm = false;
		let minute = 0;
		let second = 0;
		let millisecond = 0;
		let beforeChrist = false;
		let offsetMinutes: number | undefined;

		for (let index = 0; index < captures.length; index++) {
			const value = match[index + 1];
			if (value === undefined) continue;
			switch (captures[index].kind) {
				case 'year':
					year = Number(value);
					if (captures[index].count <= 2 && value.length === 2) {
						year += century + (year < twoDigitYearPivot ? 100 : 0);
					}
					break;
				case 'month':
					month = Number(value);
					break;
				case 'monthName': {
					const named = MONTH_BY_NAME.get(value.toLowerCase());
					if (named === undefined) return `"${value}" is not an English month name`;
					month = named;
					break;
				}
				case 'day':
					day = Number(value);
					break;
				case 'dayOfYear':
					ordinalDay = Number(value);
					break;
				case 'hourOfDay':
					hour = Number(value);
					if (hour > 23) return `hour ${value} is out of range`;
					break;
				case 'hourOfHalfDay':
					halfDayHour = Number(value);
					if (halfDayHour > 12) return `hour ${value} is out of range`;
					break;
				case 'minute':
					minute = Number(value);
					if (minute > 59) return `minute ${value} is out of range`;
					break;
				case 'second':
					second = Number(value);
					if (second > 59) return `second ${value} is out of range`;
					break;
				case 'fraction':
					millisecond = fractionMillis(value, 0, value.length);
					break;
				case 'weekdayName':
					// Java only uses the weekday when the date fields cannot fix the day; it must still be a name.
					if (!WEEKDAY_BY_NAME.has(value.toLowerCase())) return `"${value}" is not an English weekday name`;
					break;
				case 'weekdayNumber':
					if (Number(value) < 1 || Number(value) > 7) return `day number ${value} is out of range 1-7`;
					break;
				case 'amPm':
					pm = value.toLowerCase() === 'pm';
					break;
				case 'era':
					beforeChrist = value.toLowerCase() === 'bc';
					break;
				case 'rfc822Zone':
					offsetMinutes = parseRfc822Offset(value);
					if (Number.isNaN(offsetMinutes)) return `offset ${value} is out of range`;
					break;
				case 'isoZone':
					offsetMinutes = parseIsoOffset(value);
					if (Number.isNaN(offsetMinutes)) return `offset ${value} is out of range`;
					break;
			}
		}

		if (beforeChrist) year = 1 - year;
		// 'h' 12 means hour 0 of the half day (12 AM is midnight), as in Java.
		if (halfDayHour >= 0) hour = (halfDayHour % 12) + (pm ? 12 : 0);
		if (ordinalDay > 0 && !usesMonthAndDay) {
			const monthAndDay = monthAndDayOfOrdinal(year, ordinalDay);
			if (monthAndDay === undefined) return `day of year ${ordinalDay} is out of range`;
			[month, day] = monthAndDay;
		}
		if (month < 1 || month > 12) return `month ${month} is out of range`;
		if (day < 1 || day > daysInMonth(year, month)) return `day ${day} does not exist in month ${month} of ${year}`;

		const wallAsUtc = utcMillis(year, month, day, hour, minute, second, millisecond);
		if (!(Math.abs(wallAsUtc) <= MAX_EPOCH_MS)) return 'the date is out of range';
		if (offsetMinutes !== undefined) return wallAsUtc - offsetMinutes * MS_PER_MINUTE;
		if (fixedOffset !== undefined) return wallAsUtc - fixedOffset * MS_PER_MINUTE;
		return offsets.wallTimeToEpoch(wallAsUtc);
	};
}

/** `+0200`, `GMT`, `GMT+2:00`, `UTC` → minutes east of UTC; NaN when out of range. */
function parseRfc822Offset(value: string): number {
	if (value.length <= 3) return 0;
	const signIndex = value[0] === '+' || value[0] === '-' ? 0 : 3;
	const sign = value[signIndex] === '-' ? -1 : 1;
	const rest = value.slice(signIndex + 1);
	const colon = rest.indexOf(':');
	const hours = colon < 0 ? Number(rest.slice(0, 2)) : Number(rest.slice(0, colon));
	const minutes = colon < 0 ? Number(rest.slice(2, 4)) : Number(rest.slice(colon + 1));
	return offsetMinutesOrNaN(sign, hours, minutes);
}

/** `Z`, `+02`, `+0200`, `+02:00` → minutes east of UTC; NaN when out of range. */
function parseIsoOffset(value: string): number {
	if (value === 'Z') return 0;
	const sign = value[0] === '-' ? -1 : 1;
	const hours = Number(value.slice(1, 3));
	const minutes = value.length > 3 ? Number(value.slice(-2)) : 0;
	return offsetMinutesOrNaN(sign, hours, minutes);
}

/** Month and day of the `ordinal`-th day of `year`, or undefined when the year is shorter. */
function monthAndDayOfOrdinal(year: number, ordinal: number): [number, number] | undefined {
	let remaining = ordinal;
	for (let month = 1; month <= 12; month++) {
		const length = daysInMonth(year, month);
		if (remaining <= length) return [month, remaining];
		remaining -= length;
	}
	return undefined;
}

function escapeRegExp(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
