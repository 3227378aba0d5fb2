/**
 * The zones whose names java.text.SimpleDateFormat writes and reads (English locale, JDK 17 CLDR names) that are
 * known here: each Java zone id with its standard offset today, whether it observes DST, and its four names.
 */

/** [standard short, daylight short, standard long, daylight long], as TimeZone#getDisplayName. */
type NameSet = readonly [string, string, string, string];

export interface ZoneEntry {
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
export const JAVA_ZONES: ReadonlyMap<string, ZoneEntry> = new Map([
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

/** Lookup by id in any case: settings are matched case-insensitively (see resolveTimezone). */
export const JAVA_ZONES_BY_LOWER_ID: ReadonlyMap<string, ZoneEntry> = new Map([...JAVA_ZONES].map(([id, zone]) => [id.toLowerCase(), zone]));
