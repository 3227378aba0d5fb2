/**
 * Compiles SimpleDateFormat tokens into a formatter with Java's output rules (English names,
 * number letters = minimum digits, `yy` = last two digits, `Z` = +0000, `X…` = Z for UTC, `z` =
 * Java's zone name, standard or daylight as the instant falls).
 * `S` letters print the leading digits of the second's fraction (see compileDateFormat).
 */
import { dayOfYear, formatOffset, MS_PER_MINUTE } from './calendarMath';
import { MONTH_NAMES, nameForCount, WEEKDAY_NAMES } from './englishDateNames';
import type { PatternToken } from './javaPatternTokens';
import type { ZoneNameWriter } from './zoneNames';
import type { ZoneOffsets } from './zoneOffsets';

export type PatternFormatter = (epochMs: number) => string;

/** Wall-clock reading of an instant in the formatter's zone. */
interface WallClock {
	year: number;
	month: number;
	day: number;
	hour: number;
	minute: number;
	second: number;
	millisecond: number;
	/** 0 = Sunday, as Date#getUTCDay. */
	weekday: number;
	offsetMinutes: number;
	epochMs: number;
}

type Part = string | ((wall: WallClock) => string);

/** `zoneName` is required when the pattern has a `z`. */
export function compilePatternFormatter(tokens: PatternToken[], offsets: ZoneOffsets, zoneName?: ZoneNameWriter): PatternFormatter {
	const parts: Part[] = tokens.map((token) => (token.kind === 'literal' ? token.text : fieldWriter(token.letter, token.count, zoneName)));

	return (epochMs) => {
		const offsetMinutes = offsets.at(epochMs);
		const shifted = new Date(epochMs + offsetMinutes * MS_PER_MINUTE);
		const wall: WallClock = {
			year: shifted.getUTCFullYear(),
			month: shifted.getUTCMonth() + 1,
			day: shifted.getUTCDate(),
			hour: shifted.getUTCHours(),
			minute: shifted.getUTCMinutes(),
			second: shifted.getUTCSeconds(),
			millisecond: shifted.getUTCMilliseconds(),
			weekday: shifted.getUTCDay(),
			offsetMinutes,
			epochMs,
		};
		let text = '';
		for (const part of parts) text += typeof part === 'string' ? part : part(wall);
		return text;
	};
}

function fieldWriter(letter: string, count: number, zoneName: ZoneNameWriter | undefined): (wall: WallClock) => string {
	switch (letter) {
		case 'y':
			return count === 2 ? (w) => pad(yearOfEra(w.year) % 100, 2) : (w) => pad(yearOfEra(w.year), count);
		case 'M':
		case 'L':
			return count >= 3 ? (w) => nameForCount(MONTH_NAMES[w.month - 1], count) : (w) => pad(w.month, count);
		case 'd':
			return (w) => pad(w.day, count);
		case 'D':
			return (w) => pad(dayOfYear(w.year, w.month, w.day), count);
		case 'H':
			return (w) => pad(w.hour, count);
		case 'h':
			return (w) => pad(w.hour % 12 || 12, count);
		case 'm':
			return (w) => pad(w.minute, count);
		case 's':
			return (w) => pad(w.second, count);
		case 'S':
			return (w) => fractionDigits(w.millisecond, count);
		case 'E':
			return (w) => nameForCount(WEEKDAY_NAMES[w.weekday], count);
		case 'u':
			return (w) => pad(w.weekday === 0 ? 7 : w.weekday, count);
		case 'a':
			return (w) => (w.hour < 12 ? 'AM' : 'PM');
		case 'G':
			return (w) => (w.year > 0 ? 'AD' : 'BC');
		case 'z':
			if (zoneName === undefined) throw new Error('A pattern with "z" needs the zone names');
			return (w) => zoneName(w.epochMs, w.offsetMinutes, count >= 4);
		case 'Z':
			return (w) => formatOffset(w.offsetMinutes, '');
		case 'X':
			if (count === 1) return (w) => (w.offsetMinutes === 0 ? 'Z' : formatOffset(w.offsetMinutes, '').slice(0, 3));
			return (w) => (w.offsetMinutes === 0 ? 'Z' : formatOffset(w.offsetMinutes, count === 3 ? ':' : ''));
		default:
			throw new Error(`Pattern letter "${letter}" passed validation but has no formatter`);
	}
}

/** Java's `y` prints the year of era (1 BC is year 1 with era BC). */
function yearOfEra(year: number): number {
	return year > 0 ? year : 1 - year;
}

function pad(value: number, width: number): string {
	return String(value).padStart(width, '0');
}

/** The first `count` digits of the second's fraction, zero-filled beyond millisecond precision. */
function fractionDigits(millisecond: number, count: number): string {
	const threeDigits = pad(millisecond, 3);
	return count <= 3 ? threeDigits.slice(0, count) : threeDigits.padEnd(count, '0');
}
