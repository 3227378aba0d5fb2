/**
 * Zone names as java.text.SimpleDateFormat writes and reads them (pattern letter `z`, and names
 * under `Z`), English locale, JDK 17 (CLDR) names. Java knows every zone's names and reads an
 * ambiguous abbreviation as whichever zone its tables list first (IST is Israel, CST is US
 * Central); we know the zones below, read a name the way Java does when only one reading exists
 * (or RFC 822 defines it), and otherwise only as the configured zone's own name, so a name is read
 * correctly or refused, never guessed.
 *
 * How Java reads a name: a standard name means the zone's standard offset, a daylight name the
 * standard offset plus the DST saving (one hour for every zone here); a name that is the same in
 * both seasons, or a daylight name of a zone that no longer observes DST, lets the zone decide.
 */
import { MS_PER_MINUTE } from './calendarMath';
import { resolveTimezone } from './timezone';
import { zoneOffsets, type ZoneOffsets } from './zoneOffsets';

/** [standard short, daylight short, standard long, daylight long], as TimeZone#getDisplayName. */
type NameSet = readonly [string, string, string, string];

interface ZoneEntry {
	/** TimeZone#getRawOffset in minutes (today's standard offset). */
	rawMinutes: number;
	/** TimeZone#useDaylightTime: observes DST today. */
	observesDst: boolean;
	names: NameSet;
}

const GMT: NameSet = ['GMT', 'GMT', 'Greenwich Mean Time', 'Greenwich Mean Time'];
const UTC: NameSet = ['UTC', 'UTC', 'Coordinated Universal Time', 'Coordinated Universal Time'];
const EASTERN: NameSet = ['EST', 'EDT', 'Eastern Standard Time', 'Eastern Daylight Time'];
const CENTRAL: NameSet = ['CST', 'CDT', 'Central Standard Time', 'Central Daylight Time'];
const MOUNTAIN: NameSet = ['MST', 'MDT', 'Mountain Standard Time', 'Mountain Daylight Time'];
const PACIFIC: NameSet = ['PST', 'PDT', 'Pacific Standard Time', 'Pacific Daylight Time'];
const ALASKA: NameSet = ['AKST', 'AKDT', 'Alaska Standard Time', 'Alaska Daylight Time'];
const HAWAII_ALEUTIAN: NameSet = ['HST', 'HDT', 'Hawaii-Aleutian Standard Time', 'Hawaii-Aleutian Daylight Time'];
const ATLANTIC: NameSet = ['AST', 'ADT', 'Atlantic Standard Time', 'Atlantic Daylight Time'];
const NEWFOUNDLAND: NameSet = ['NST', 'NDT', 'Newfoundland Standard Time', 'Newfoundland Daylight Time'];
const BRASILIA: NameSet = ['BRT', 'BRST', 'Brasilia Standard Time', 'Brasilia Summer Time'];
const ARGENTINA: NameSet = ['ART', 'ARST', 'Argentina Standard Time', 'Argentina Summer Time'];
const COLOMBIA: NameSet = ['COT', 'COST', 'Colombia Standard Time', 'Colombia Summer Time'];
const PERU: NameSet = ['PET', 'PEST', 'Peru Standard Time', 'Peru Summer Time'];
const CHILE: NameSet = ['CLT', 'CLST', 'Chile Standard Time', 'Chile Summer Time'];
const BRITISH: NameSet = ['GMT', 'BST', 'Greenwich Mean Time', 'British Summer Time'];
const WESTERN_EUROPE: NameSet = ['WET', 'WEST', 'Western European Standard Time', 'Western European Summer Time'];
const CENTRAL_EUROPE: NameSet = ['CET', 'CEST', 'Central European Standard Time', 'Central European Summer Time'];
const EASTERN_EUROPE: NameSet = ['EET', 'EEST', 'Eastern European Standard Time', 'Eastern European Summer Time'];
const TURKEY: NameSet = ['TRT', 'TRST', 'Turkey Time', 'Turkey Summer Time'];
const MOSCOW: NameSet = ['MSK', 'MSD', 'Moscow Standard Time', 'Moscow Summer Time'];
const INDIA: NameSet = ['IST', 'IDT', 'India Standard Time', 'India Daylight Time'];
const JAPAN: NameSet = ['JST', 'JDT', 'Japan Standard Time', 'Japan Daylight Time'];
const CHINA: NameSet = ['CST', 'CDT', 'China Standard Time', 'China Daylight Time'];
const HONG_KONG: NameSet = ['HKT', 'HKST', 'Hong Kong Standard Time', 'Hong Kong Summer Time'];
const SINGAPORE: NameSet = ['SGT', 'SGST', 'Singapore Standard Time', 'Singapore Summer Time'];
const GULF: NameSet = ['GST', 'GDT', 'Gulf Standard Time', 'Gulf Daylight Time'];
const KOREA: NameSet = ['KST', 'KDT', 'Korean Standard Time', 'Korean Daylight Time'];
const WEST_INDONESIA: NameSet = ['WIB', 'WIST', 'Western Indonesia Time', 'West Indonesia Summer Time'];
const INDOCHINA: NameSet = ['ICT', 'ICST', 'Indochina Time', 'Indochina Summer Time'];
const PHILIPPINES: NameSet = ['PST', 'PDT', 'Philippine Standard Time', 'Philippine Summer Time'];
const PAKISTAN: NameSet = ['PKT', 'PKST', 'Pakistan Standard Time', 'Pakistan Summer Time'];
const BANGLADESH: NameSet = ['BDT', 'BDST', 'Bangladesh Standard Time', 'Bangladesh Summer Time'];
const ISRAEL: NameSet = ['IST', 'IDT', 'Israel Standard Time', 'Israel Daylight Time'];
const IRAN: NameSet = ['IRST', 'IRDT', 'Iran Standard Time', 'Iran Daylight Time'];
const NEPAL: NameSet = ['NPT', 'NPST', 'Nepal Time', 'Nepal Summer Time'];
const TAIPEI: NameSet = ['CST', 'CDT', 'Taipei Standard Time', 'Taipei Daylight Time'];
const ARMENIA: NameSet = ['AMT', 'AMST', 'Armenia Standard Time', 'Armenia Summer Time'];
const AUSTRALIA_EASTERN: NameSet = ['AEST', 'AEDT', 'Australian Eastern Standard Time', 'Australian Eastern Daylight Time'];
const AUSTRALIA_CENTRAL: NameSet = ['ACST', 'ACDT', 'Australian Central Standard Time', 'Australian Central Daylight Time'];
const AUSTRALIA_WESTERN: NameSet = ['AWST', 'AWDT', 'Australian Western Standard Time', 'Australian Western Daylight Time'];
const NEW_ZEALAND: NameSet = ['NZST', 'NZDT', 'New Zealand Standard Time', 'New Zealand Daylight Time'];
const SOUTH_AFRICA: NameSet = ['SAST', 'SAST', 'South Africa Standard Time', 'South Africa Summer Time'];
const WEST_AFRICA: NameSet = ['WAT', 'WAST', 'West Africa Standard Time', 'West Africa Summer Time'];
const EAST_AFRICA: NameSet = ['EAT', 'EAST', 'East Africa Time', 'Eastern African Summer Time'];
const CENTRAL_AFRICA: NameSet = ['CAT', 'CAST', 'Central Africa Time', 'Central African Summer Time'];
const APIA: NameSet = ['WSST', 'WSDT', 'Apia Standard Time', 'Apia Daylight Time'];
const SOLOMON: NameSet = ['SBT', 'SBST', 'Solomon Islands Time', 'Solomon Is. Summer Time'];

const entry = (rawMinutes: number, observesDst: boolean, names: NameSet): ZoneEntry => ({ rawMinutes, observesDst, names });

/**
 * Java zone ids → names. Order matters: for a name shared by several zones with the
 * same reading, the first zone listed supplies the historical offsets. Java's own three-letter ids
 * come first because EST, MST and HST are fixed offsets there.
 */
const JAVA_ZONES: ReadonlyMap<string, ZoneEntry> = new Map([
	['GMT', entry(0, false, GMT)],
	['UTC', entry(0, false, UTC)],
	...['Etc/UTC', 'Etc/UCT', 'UCT', 'Universal', 'Zulu'].map((id) => [id, entry(0, false, UTC)] as const),
	...['Etc/GMT', 'Greenwich', 'GMT0', 'Etc/Greenwich'].map((id) => [id, entry(0, false, GMT)] as const),
	['EST', entry(-300, false, ['EST', 'EST', 'Eastern Standard Time', 'Eastern Standard Time'])],
	['MST', entry(-420, false, ['MST', 'MST', 'Mountain Standard Time', 'Mountain Standard Time'])],
	['HST', entry(-600, false, ['HST', 'HST', 'Hawaii Standard Time', 'Hawaii Standard Time'])],
	['America/New_York', entry(-300, true, EASTERN)],
	['America/Chicago', entry(-360, true, CENTRAL)],
	['America/Denver', entry(-420, true, MOUNTAIN)],
	['America/Los_Angeles', entry(-480, true, PACIFIC)],
	['America/Phoenix', entry(-420, false, MOUNTAIN)],
	['America/Anchorage', entry(-540, true, ALASKA)],
	['Pacific/Honolulu', entry(-600, false, HAWAII_ALEUTIAN)],
	['America/Halifax', entry(-240, true, ATLANTIC)],
	['America/St_Johns', entry(-210, true, NEWFOUNDLAND)],
	['America/Toronto', entry(-300, true, EASTERN)],
	['America/Vancouver', entry(-480, true, PACIFIC)],
	['America/Indiana/Indianapolis', entry(-300, true, EASTERN)],
	['America/Mexico_City', entry(-360, false, CENTRAL)],
	['America/Puerto_Rico', entry(-240, false, ATLANTIC)],
	['America/Sao_Paulo', entry(-180, false, BRASILIA)],
	['America/Argentina/Buenos_Aires', entry(-180, false, ARGENTINA)],
	['America/Bogota', entry(-300, false, COLOMBIA)],
	['America/Lima', entry(-300, false, PERU)],
	['America/Santiago', entry(-240, true, CHILE)],
	['Europe/London', entry(0, true, BRITISH)],
	['Europe/Lisbon', entry(0, true, WESTERN_EUROPE)],
	...['paris', 'berlin', 'madrid', 'rome', 'amsterdam', 'brussels', 'vienna', 'zurich', 'stockholm', 'oslo', 'copenhagen', 'warsaw', 'prague', 'budapest'].map(
		(city) => [`Europe/${city[0].toUpperCase()}${city.slice(1)}`, entry(60, true, CENTRAL_EUROPE)] as const,
	),
	...['Europe/Athens', 'Europe/Helsinki', 'Europe/Bucharest', 'Europe/Kiev', 'Europe/Kyiv', 'Africa/Cairo'].map(
		(id) => [id, entry(120, true, EASTERN_EUROPE)] as const,
	),
	['Europe/Istanbul', entry(180, false, TURKEY)],
	['Europe/Moscow', entry(180, false, MOSCOW)],
	['Asia/Kolkata', entry(330, false, INDIA)],
	['Asia/Calcutta', entry(330, false, INDIA)],
	['Asia/Tokyo', entry(540, false, JAPAN)],
	['Asia/Shanghai', entry(480, false, CHINA)],
	['Asia/Hong_Kong', entry(480, false, HONG_KONG)],
	['Asia/Singapore', entry(480, false, SINGAPORE)],
	['Asia/Dubai', entry(240, false, GULF)],
	['Asia/Seoul', entry(540, false, KOREA)],
	['Asia/Jakarta', entry(420, false, WEST_INDONESIA)],
	['Asia/Bangkok', entry(420, false, INDOCHINA)],
	['Asia/Ho_Chi_Minh', entry(420, false, INDOCHINA)],
	['Asia/Manila', entry(480, false, PHILIPPINES)],
	['Asia/Karachi', entry(300, false, PAKISTAN)],
	['Asia/Dhaka', entry(360, false, BANGLADESH)],
	['Asia/Jerusalem', entry(120, true, ISRAEL)],
	['Asia/Tehran', entry(210, false, IRAN)],
	['Asia/Kathmandu', entry(345, false, NEPAL)],
	['Asia/Taipei', entry(480, false, TAIPEI)],
	['Asia/Yerevan', entry(240, false, ARMENIA)],
	['Australia/Sydney', entry(600, true, AUSTRALIA_EASTERN)],
	['Australia/Melbourne', entry(600, true, AUSTRALIA_EASTERN)],
	['Australia/Hobart', entry(600, true, AUSTRALIA_EASTERN)],
	['Australia/Brisbane', entry(600, false, AUSTRALIA_EASTERN)],
	['Australia/Adelaide', entry(570, true, AUSTRALIA_CENTRAL)],
	['Australia/Darwin', entry(570, false, AUSTRALIA_CENTRAL)],
	['Australia/Perth', entry(480, false, AUSTRALIA_WESTERN)],
	['Pacific/Auckland', entry(720, true, NEW_ZEALAND)],
	['Africa/Johannesburg', entry(120, false, SOUTH_AFRICA)],
	['Africa/Lagos', entry(60, false, WEST_AFRICA)],
	['Africa/Nairobi', entry(180, false, EAST_AFRICA)],
	['Africa/Addis_Ababa', entry(180, false, EAST_AFRICA)],
	['Africa/Harare', entry(120, false, CENTRAL_AFRICA)],
	['Pacific/Apia', entry(780, false, APIA)],
	['Pacific/Guadalcanal', entry(660, false, SOLOMON)],
	// Java's other three-letter ids (timezone.ts maps them to the IANA zones).
	['ACT', entry(570, false, AUSTRALIA_CENTRAL)],
	['AET', entry(600, true, AUSTRALIA_EASTERN)],
	['AGT', entry(-180, false, ['ART', 'ARST', 'Argentine Time', 'Argentine Summer Time'])],
	['ART', entry(120, true, EASTERN_EUROPE)],
	['AST', entry(-540, true, ALASKA)],
	['BET', entry(-180, false, BRASILIA)],
	['BST', entry(360, false, BANGLADESH)],
	['CAT', entry(120, false, CENTRAL_AFRICA)],
	['CNT', entry(-210, true, NEWFOUNDLAND)],
	['CST', entry(-360, true, CENTRAL)],
	['CTT', entry(480, false, CHINA)],
	['EAT', entry(180, false, EAST_AFRICA)],
	['ECT', entry(60, true, CENTRAL_EUROPE)],
	['IET', entry(-300, true, EASTERN)],
	['IST', entry(330, false, INDIA)],
	['JST', entry(540, false, JAPAN)],
	['MIT', entry(780, false, APIA)],
	['NET', entry(240, false, ARMENIA)],
	['NST', entry(720, true, NEW_ZEALAND)],
	['PLT', entry(300, false, PAKISTAN)],
	['PNT', entry(-420, false, MOUNTAIN)],
	['PRT', entry(-240, false, ATLANTIC)],
	['PST', entry(-480, true, PACIFIC)],
	['SST', entry(660, false, SOLOMON)],
	['VST', entry(420, false, INDOCHINA)],
]);

/** Java zone ids whose names `z` knows (the differential test formats with each). */
export const JAVA_ZONE_IDS_WITH_NAMES: readonly string[] = [...JAVA_ZONES.keys()];

/** Lookup by id in any case: settings are matched case-insensitively (see resolveTimezone). */
const JAVA_ZONES_BY_LOWER_ID: ReadonlyMap<string, ZoneEntry> = new Map([...JAVA_ZONES].map(([id, zone]) => [id.toLowerCase(), zone]));

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
	read(name: string, wallAsUtc: number): number | string;
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
