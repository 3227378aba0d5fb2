/**
 * Zone names as java.text.SimpleDateFormat writes and reads them (pattern letter `z`, and names
 * under `Z`), English locale, JDK 17 (CLDR) names. Java knows every zone's names and reads an
 * ambiguous abbreviation as whichever zone its tables list first (IST is Israel, CST is US
 * Central); we know the zones of javaZoneTable.ts, read a name the way Java does when only one reading exists
 * (or RFC 822 defines it), and otherwise only as the configured zone's own name, so a name is read
 * correctly or refused, never guessed.
 *
 * How Java reads a name: a standard name means the zone's standard offset, a daylight name the
 * standard offset plus the DST saving (one hour for every zone here); a name that is the same in
 * both seasons, or a daylight name of a zone that no longer observes DST, lets the zone decide.
 */
import { MS_PER_MINUTE } from './calendarMath';
import { JAVA_ZONES, JAVA_ZONES_BY_LOWER_ID, type ZoneEntry } from './javaZoneTable';
import type { DateReading } from './textScan';
import { resolveTimezone } from './timezone';
import { zoneOffsets, type ZoneOffsets } from './zoneOffsets';

/** What `z` writes for a zone: short names for 1–3 letters, long names for 4 or more. */
export type ZoneNameWriter = (epochMs: number, offsetMinutes: number, long: boolean) => string;

/**
 * How a name turns a wall time into an instant, in each zone that uses the name with that meaning:
 * `standard` = the zone's standard offset that year, `daylight` = its summer offset, `zone` = the
 * zone decides.
 */
type NameReading = { javaIds: string[]; kind: 'standard' | 'daylight' | 'zone' };

/** Names readable whatever the configured zone: RFC 822's (UT added, which Java refuses) and the unambiguous ones. */
const GLOBAL_READINGS: ReadonlyMap<string, NameReading> = buildGlobalReadings();

/**
 * The names `z` writes for `javaId` (from resolveTimezone), or undefined when Java's names for
 * that zone are not known here. `GMT±hh:mm` ids are Java's custom zones, named by their id.
 */
export function compileZoneNameWriter(javaId: string, offsets: ZoneOffsets): ZoneNameWriter | undefined {
	if (/^GMT[+-]\d\d:\d\d$/.test(javaId)) return () => javaId;
	const found = JAVA_ZONES_BY_LOWER_ID.get(javaId.toLowerCase());
	if (found === undefined) return undefined;
	const [standardShort, daylightShort, standardLong, daylightLong] = found.names;
	return (epochMs, offsetMinutes, long) => {
		const daylight = offsetMinutes !== seasonalOffsets(offsets, epochMs).standard;
		if (long) return daylight ? daylightLong : standardLong;
		return daylight ? daylightShort : standardShort;
	};
}

export interface ZoneNameReader {
	/** Every name it reads, for the parser's regular expression. */
	names: string[];
	/** Epoch ms of a wall time (as if UTC) followed by `name`, or why the name cannot be read there. */
	read(name: string, wallAsUtc: number): DateReading;
}

/**
 * Reads zone names the way SimpleDateFormat does with the configured zone `javaId`: that zone's
 * own names first (so IST means India when the zone is Asia/Kolkata), then the names with a
 * single meaning, as long as every zone using the name agrees on the offset at that date (ICT
 * was +07:00 in Bangkok but +08:00 in Saigon in 1970).
 */
export function compileZoneNameReader(javaId: string): ZoneNameReader {
	const readings = new Map(GLOBAL_READINGS);
	const own = JAVA_ZONES_BY_LOWER_ID.get(javaId.toLowerCase());
	if (own !== undefined) {
		own.names.forEach((name, index) => readings.set(name.toLowerCase(), { javaIds: [javaId], kind: readingKind(own, index) }));
	}
	// `GMT` has its own syntax (alone or GMT±h:mm), read by the pattern parser as an offset.
	readings.delete('gmt');
	return {
		names: [...readings.keys()],
		read(name, wallAsUtc) {
			const reading = readings.get(name.toLowerCase());
			if (reading === undefined) return `zone name "${name}" is not known here`;
			const instants = new Set(reading.javaIds.map((id) => instantOf(reading.kind, offsetsOf(id), wallAsUtc)));
			if (instants.size === 1) return [...instants][0];
			return `zone name "${name}" meant different offsets at that date in the zones that use it; write an offset instead`;
		},
	};
}

function instantOf(kind: NameReading['kind'], offsets: ZoneOffsets, wallAsUtc: number): number {
	if (kind === 'zone') return offsets.wallTimeToEpoch(wallAsUtc);
	const { standard, summer } = seasonalOffsets(offsets, wallAsUtc);
	return wallAsUtc - (kind === 'standard' ? standard : summer) * MS_PER_MINUTE;
}

function readingKind(zone: ZoneEntry, index: number): NameReading['kind'] {
	const daylightName = index % 2 === 1;
	const standardName = zone.names[daylightName ? index - 1 : index];
	const daylightNameOfPair = zone.names[daylightName ? index : index + 1];
	const sameInBothSeasons = standardName.toLowerCase() === daylightNameOfPair.toLowerCase();
	if (sameInBothSeasons || (daylightName && !zone.observesDst)) return 'zone';
	return daylightName ? 'daylight' : 'standard';
}

function buildGlobalReadings(): Map<string, NameReading> {
	const candidates = new Map<string, Array<{ javaId: string; kind: NameReading['kind']; meaning: string }>>();
	for (const [javaId, zone] of JAVA_ZONES) {
		zone.names.forEach((name, index) => {
			const kind = readingKind(zone, index);
			const list = candidates.get(name.toLowerCase()) ?? [];
			// Same meaning: same standard offset today, read the same way (a daylight name of a zone
			// without DST, such as ACDT for Darwin, means its standard time: Java reads ACDT as +09:30).
			list.push({ javaId, kind, meaning: `${zone.rawMinutes}/${kind}` });
			candidates.set(name.toLowerCase(), list);
		});
	}
	const readings = new Map<string, NameReading>();
	for (const [name, list] of candidates) {
		if (list.every((candidate) => candidate.meaning === list[0].meaning)) {
			readings.set(name, { javaIds: [...new Set(list.map((candidate) => candidate.javaId))], kind: list[0].kind });
		}
	}
	// RFC 822 (section 5.1) defines these; Java agrees, except that it refuses UT.
	readings.set('ut', { javaIds: ['UTC'], kind: 'standard' });
	for (const [name, javaId, kind] of [
		['est', 'America/New_York', 'standard'],
		['edt', 'America/New_York', 'daylight'],
		['cst', 'America/Chicago', 'standard'],
		['cdt', 'America/Chicago', 'daylight'],
		['mst', 'America/Denver', 'standard'],
		['mdt', 'America/Denver', 'daylight'],
		['pst', 'America/Los_Angeles', 'standard'],
		['pdt', 'America/Los_Angeles', 'daylight'],
	] as const) {
		readings.set(name, { javaIds: [javaId], kind });
	}
	return readings;
}

const offsetsById = new Map<string, ZoneOffsets>();

function offsetsOf(javaId: string): ZoneOffsets {
	let offsets = offsetsById.get(javaId);
	if (offsets === undefined) {
		offsets = zoneOffsets(resolveTimezone(javaId, 'zone name').zone);
		offsetsById.set(javaId, offsets);
	}
	return offsets;
}

/**
 * The zone's standard and summer offsets in the year of `epochMs`: the smaller and the larger of
 * its January and July offsets, or standard + 1 h in a year without DST, as Java adds the zone's
 * saving (one hour for every zone here). A year in which a zone moved its standard offset, such as
 * Moscow's 2011, looks like one with DST; zones with negative DST (Dublin) are left out for this.
 */
function seasonalOffsets(offsets: ZoneOffsets, epochMs: number): { standard: number; summer: number } {
	if (offsets.fixedMinutes !== undefined) return { standard: offsets.fixedMinutes, summer: offsets.fixedMinutes + 60 };
	const year = new Date(epochMs).getUTCFullYear();
	const january = offsets.at(Date.UTC(year, 0, 1));
	const july = offsets.at(Date.UTC(year, 6, 1));
	const standard = Math.min(january, july);
	return { standard, summer: january === july ? standard + 60 : Math.max(january, july) };
}
