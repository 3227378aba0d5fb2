/**
 * Calendar arithmetic shared by the date parsers and formatters: wall-clock fields ↔ epoch
 * milliseconds in a Luxon zone, without building Luxon DateTime objects on the hot path.
 */
import type { Zone } from 'luxon';

export const MS_PER_MINUTE = 60_000;
const MS_PER_DAY = 86_400_000;
/** 400 Gregorian years are exactly 146 097 days; used to keep Date.UTC away from its 0–99 → 19xx rule. */
const FOUR_CENTURIES_MS = 146_097 * MS_PER_DAY;

/** Epoch ms of a proleptic Gregorian UTC wall time (month 1–12). Years 0–99 mean themselves here. */
export function utcMillis(
	year: number,
	month: number,
	day: number,
	hour: number,
	minute: number,
	second: number,
	millisecond: number,
): number {
	if (year >= 100) return Date.UTC(year, month - 1, day, hour, minute, second, millisecond);
	const centuries = Math.ceil((100 - year) / 400);
	return Date.UTC(year + 400 * centuries, month - 1, day, hour, minute, second, millisecond) - centuries * FOUR_CENTURIES_MS;
}

export function isLeapYear(year: number): boolean {
	return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

export function daysInMonth(year: number, month: number): number {
	if (month === 2) return isLeapYear(year) ? 29 : 28;
	return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** The zone's offset in minutes when it never changes (UTC, fixed offsets), otherwise undefined. */
export function fixedOffsetMinutes(zone: Zone): number | undefined {
	return zone.isUniversal ? zone.offset(0) : undefined;
}

/**
 * Epoch ms of a wall time in `zone`, given as if it were UTC. Follows java.util.GregorianCalendar
 * (sun.util.calendar.ZoneInfo): a time repeated when clocks go back takes the offset after the
 * transition (standard time, the later instant); a time skipped when clocks go forward takes the
 * offset before it, which lands after the gap (02:30 → 03:30 daylight time).
 */
export function wallTimeToEpoch(wallAsUtc: number, zone: Zone): number {
	const offsetBefore = zone.offset(wallAsUtc - MS_PER_DAY);
	const offsetAfter = zone.offset(wallAsUtc + MS_PER_DAY);
	if (offsetBefore === offsetAfter) return wallAsUtc - offsetBefore * MS_PER_MINUTE;
	const withOffsetAfter = wallAsUtc - offsetAfter * MS_PER_MINUTE;
	if (zone.offset(withOffsetAfter) === offsetAfter) return withOffsetAfter;
	return wallAsUtc - offsetBefore * MS_PER_MINUTE;
}

/** Day of year 1–366 of a UTC date given by its fields. */
export function dayOfYear(year: number, month: number, day: number): number {
	return Math.round((utcMillis(year, month, day, 0, 0, 0, 0) - utcMillis(year, 1, 1, 0, 0, 0, 0)) / MS_PER_DAY) + 1;
}
