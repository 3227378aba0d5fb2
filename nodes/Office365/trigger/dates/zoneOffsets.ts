/**
 * UTC offsets of a Luxon zone, fast enough for per-record use. Luxon's IANAZone.offset formats
 * the instant through Intl (several µs per call); the records of a poll cluster in time, so
 * offsets are memoized per UTC hour, for hours whose two ends agree (no transition inside).
 */
import type { Zone } from 'luxon';

import { MS_PER_MINUTE } from './calendarMath';

export interface ZoneOffsets {
	/** Minutes east of UTC when the zone never changes (UTC, fixed offsets), else undefined. */
	readonly fixedMinutes: number | undefined;
	/** Minutes east of UTC at an instant. */
	at(epochMs: number): number;
	/** Epoch ms of a wall time in the zone, given as if it were UTC (see wallTimeToEpoch). */
	wallTimeToEpoch(wallAsUtc: number): number;
}

const MS_PER_HOUR = 3_600_000;
const MS_PER_DAY = 86_400_000;
/** Bounds memory when a backfill walks through years of records. */
const MAX_CACHED_HOURS = 4096;

export function zoneOffsets(zone: Zone): ZoneOffsets {
	if (zone.isUniversal) {
		const fixedMinutes = zone.offset(0);
		return { fixedMinutes, at: () => fixedMinutes, wallTimeToEpoch: (wallAsUtc) => wallAsUtc - fixedMinutes * MS_PER_MINUTE };
	}

	// NaN marks an hour with a transition inside; those ask the zone every time.
	const offsetByHour = new Map<number, number>();
	const at = (epochMs: number): number => {
		const hour = Math.floor(epochMs / MS_PER_HOUR);
		let offset = offsetByHour.get(hour);
		if (offset === undefined) {
			const atStart = zone.offset(hour * MS_PER_HOUR);
			offset = atStart === zone.offset((hour + 1) * MS_PER_HOUR - 1) ? atStart : Number.NaN;
			if (offsetByHour.size >= MAX_CACHED_HOURS) offsetByHour.clear();
			offsetByHour.set(hour, offset);
		}
		return Number.isNaN(offset) ? zone.offset(epochMs) : offset;
	};
	return { fixedMinutes: undefined, at, wallTimeToEpoch: (wallAsUtc) => wallTimeToEpoch(wallAsUtc, at) };
}

/**
 * Follows java.util.GregorianCalendar (sun.util.calendar.ZoneInfo): a wall time repeated when
 * clocks go back takes the offset after the transition (standard time, the later instant); a
 * wall time skipped when clocks go forward takes the offset before it, which lands after the gap
 * (02:30 → 03:30 daylight time).
 */
function wallTimeToEpoch(wallAsUtc: number, offsetAt: (epochMs: number) => number): number {
	const offsetBefore = offsetAt(wallAsUtc - MS_PER_DAY);
	const offsetAfter = offsetAt(wallAsUtc + MS_PER_DAY);
	if (offsetBefore === offsetAfter) return wallAsUtc - offsetBefore * MS_PER_MINUTE;
	const withOffsetAfter = wallAsUtc - offsetAfter * MS_PER_MINUTE;
	if (offsetAt(withOffsetAfter) === offsetAfter) return withOffsetAfter;
	return wallAsUtc - offsetBefore * MS_PER_MINUTE;
}
