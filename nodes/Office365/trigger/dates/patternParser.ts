/**
 * Compiles SimpleDateFormat tokens into one anchored regular expression plus a field table, so a
 * parse is a regex exec, a few integer conversions and calendar arithmetic; no Luxon on the way.
 *
 * Java parsing rules kept: letter counts are ignored for number fields unless another number
 * field follows directly; spaces/tabs before a field are skipped; text after the pattern is
 * ignored; names match case-insensitively; a zone in the text wins over the zone setting,
 * otherwise the zone setting applies (which is what a quoted `'Z'` relies on); `z` and `Z` read
 * the same things (+hhmm, GMT, GMT±h:mm, zone names); `yy` reads two digits into the century that
 * starts 80 years before now.
 * Deliberate differences: out-of-range fields (month 13, Feb 30) are rejected instead of rolled
 * over; `S` digits are a decimal fraction of the second (see compileDateFormat); a zone at the end
 * of the pattern that the text continues with more offset (`GMT-0800` under `Z`, `UTC+1`, `+0530`
 * under `X`) is refused, where Java would drop the rest as trailing text and be hours off.
 */
import { daysInMonth, MAX_EPOCH_MS, MS_PER_MINUTE, offsetMinutesOrNaN, utcMillis } from './calendarMath';
import { MONTH_BY_NAME, WEEKDAY_BY_NAME } from './englishDateNames';
import type { PatternToken } from './javaPatternTokens';
import { buildPatternRegex } from './patternRegex';
import { fractionMillis, type DateReading, type DateTextParser } from './textScan';
import type { ZoneNameReader } from './zoneNames';
import type { ZoneOffsets } from './zoneOffsets';

interface PatternParserContext {
	/** Epoch ms where the century of two-digit years starts (SimpleDateFormat#set2DigitYearStart). */
	twoDigitYearStart: number;
	/** Zone names `z`/`Z` accept; required when the pattern has either letter. */
	zoneNames?: ZoneNameReader;
}

const NOT_THE_SHAPE = 'the text does not have the shape of the pattern';
const ZONE_SHAPES =
	'a zone is written +hhmm, GMT, GMT±hh:mm or as a zone name such as UTC, PST or CET ' +
	'(a name that zones at different offsets share, such as IST, only when it is the timezone setting\'s own)';

/**
 * One function: the fields of a match settle each other (a two-digit year against the century start, the
 * half-day hour against am/pm, the day of the year against month and day, the zone against the setting).
 */
export function compilePatternParser(tokens: PatternToken[], offsets: ZoneOffsets, context: PatternParserContext): DateTextParser {
	const zoneNames = context.zoneNames;
	const { regex, captures } = buildPatternRegex(tokens, zoneNames);
	const fixedOffset = offsets.fixedMinutes;
	const usesMonthAndDay = captures.some((c) => c.kind === 'month' || c.kind === 'monthName') && captures.some((c) => c.kind === 'day');
	const { twoDigitYearStart } = context;
	const startYear = new Date(twoDigitYearStart).getUTCFullYear();
	const century = Math.floor(startYear / 100) * 100;
	const startYearInCentury = startYear - century;
	const shapeError = zoneNames === undefined ? NOT_THE_SHAPE : `${NOT_THE_SHAPE}; ${ZONE_SHAPES}`;

	return (text) => {
		const match = regex.exec(text);
		if (match === null) return shapeError;
		let year = 1970;
		let month = 1;
		let day = 1;
		let ordinalDay: number | undefined;
		let hour = 0;
		let halfDayHour = -1;
		let pm = false;
		let minute = 0;
		let second = 0;
		let millisecond = 0;
		let beforeChrist = false;
		let offsetMinutes: number | undefined;
		let zoneName: string | undefined;
		// Java: a two-digit year equal to the start year's is in the later century if the date would precede the start.
		let ambiguousYear = false;

		for (let index = 0; index < captures.length; index++) {
			const value = match[index + 1];
			if (value === undefined) continue;
			switch (captures[index].kind) {
				case 'year':
					year = Number(value);
					if (captures[index].count <= 2 && value.length === 2) {
						ambiguousYear = year === startYearInCentury;
						year += century + (year < startYearInCentury ? 100 : 0);
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
				case 'generalZone':
					if (/^[+-]|^gmt/i.test(value)) {
						offsetMinutes = parseGeneralOffset(value);
						if (Number.isNaN(offsetMinutes)) return `offset ${value} is out of range`;
					} else {
						zoneName = value;
					}
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
		if (ordinalDay !== undefined && !usesMonthAndDay) {
			const monthAndDay = monthAndDayOfOrdinal(year, ordinalDay);
			if (monthAndDay === undefined) return `day of year ${ordinalDay} is out of range`;
			[month, day] = monthAndDay;
		}
		if (month < 1 || month > 12) return `month ${month} is out of range`;

		const instantIn = (fullYear: number): DateReading => {
			if (day < 1 || day > daysInMonth(fullYear, month)) return `day ${day} does not exist in month ${month} of ${fullYear}`;
			const wallAsUtc = utcMillis(fullYear, month, day, hour, minute, second, millisecond);
			let epochMs: DateReading;
			if (offsetMinutes !== undefined) epochMs = wallAsUtc - offsetMinutes * MS_PER_MINUTE;
			else if (zoneName !== undefined) epochMs = zoneNames!.read(zoneName, wallAsUtc);
			else if (fixedOffset !== undefined) epochMs = wallAsUtc - fixedOffset * MS_PER_MINUTE;
			else epochMs = offsets.wallTimeToEpoch(wallAsUtc);
			if (typeof epochMs === 'string') return epochMs;
			return Math.abs(epochMs) <= MAX_EPOCH_MS ? epochMs : 'the date is out of range';
		};
		const instant = instantIn(year);
		if (ambiguousYear && typeof instant === 'number' && instant < twoDigitYearStart) return instantIn(year + 100);
		return instant;
	};
}

/** `+0200`, `GMT`, `GMT+2:00` → minutes east of UTC; NaN when out of range. */
function parseGeneralOffset(value: string): number {
	if (value.length === 3) return 0;
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
	if (ordinal < 1) return undefined;
	let remaining = ordinal;
	for (let month = 1; month <= 12; month++) {
		const length = daysInMonth(year, month);
		if (remaining <= length) return [month, remaining];
		remaining -= length;
	}
	return undefined;
}
