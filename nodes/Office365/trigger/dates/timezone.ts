/**
 * Turns the timezone settings Open Connectors users wrote (for Java's TimeZone.getTimeZone) into
 * Luxon zones. Java silently falls back to GMT for an id it does not know (also for `-8:00`,
 * `EDT` and IANA names in the wrong case); we honour offsets and the US daylight abbreviations and
 * throw for anything else, since a silently wrong zone shifts every poll window by hours.
 */
import { FixedOffsetZone, IANAZone, type Zone } from 'luxon';

import { Office365ConfigError } from '../errors';
import { formatOffset } from './calendarMath';

const UTC_NAMES = new Set(['', 'Z', 'UTC', 'GMT', 'UT']);

/** Java's three-letter ids that are fixed offsets (ZoneId.SHORT_IDS, the TimeZone default mapping). */
const JAVA_FIXED_SHORT_IDS: Record<string, number> = { EST: -5 * 60, MST: -7 * 60, HST: -10 * 60 };

/** Java's other three-letter ids (ZoneId.SHORT_IDS). Note BST is Dhaka, AST is Anchorage, IST is Kolkata. */
const JAVA_REGION_SHORT_IDS: Record<string, string> = {
	ACT: 'Australia/Darwin',
	AET: 'Australia/Sydney',
	AGT: 'America/Argentina/Buenos_Aires',
	ART: 'Africa/Cairo',
	AST: 'America/Anchorage',
	BET: 'America/Sao_Paulo',
	BST: 'Asia/Dhaka',
	CAT: 'Africa/Harare',
	CNT: 'America/St_Johns',
	CST: 'America/Chicago',
	CTT: 'Asia/Shanghai',
	EAT: 'Africa/Addis_Ababa',
	ECT: 'Europe/Paris',
	IET: 'America/Indiana/Indianapolis',
	IST: 'Asia/Kolkata',
	JST: 'Asia/Tokyo',
	MIT: 'Pacific/Apia',
	NET: 'Asia/Yerevan',
	NST: 'Pacific/Auckland',
	PLT: 'Asia/Karachi',
	PNT: 'America/Phoenix',
	PRT: 'America/Puerto_Rico',
	PST: 'America/Los_Angeles',
	SST: 'Pacific/Guadalcanal',
	VST: 'Asia/Ho_Chi_Minh',
};

/** US daylight-time abbreviations: not Java ids (Java would use GMT), but their intent is unambiguous. */
const US_DAYLIGHT_ABBREVIATIONS: Record<string, string> = {
	EDT: 'America/New_York',
	CDT: 'America/Chicago',
	MDT: 'America/Denver',
	PDT: 'America/Los_Angeles',
};

/** `+02:00`, `-8:00`, `+0530`, `+2`, optionally after GMT/UTC/UT (Java's custom id syntax, hours ≤ 23). */
const OFFSET_PATTERN = /^(?:GMT|UTC|UT)?\s*([+-])(\d{1,2})(?::(\d{2}))?$|^(?:GMT|UTC|UT)?\s*([+-])(\d{1,2})(\d{2})$/i;

const HINT =
	'use an IANA zone such as "Europe/Berlin" or "America/New_York", "UTC"/"GMT", ' +
	'an offset such as "+02:00", "-8:00" or "GMT-08:00", or a Java short id such as "PST" or "EST"';

interface ResolvedTimezone {
	zone: Zone;
	/**
	 * The java.util.TimeZone id whose display names the pattern letter `z` writes: `GMT`, `UTC`,
	 * `GMT+05:30` for offsets, a Java short id (`PST`, `EST`), or the IANA name as written.
	 */
	javaId: string;
}

/** Resolves a timezone setting; empty or missing means GMT (Open Connectors polls in UTC by default). */
export function resolveTimezone(value: string | undefined, parameter: string): ResolvedTimezone {
	const text = (value ?? '').trim();
	const upper = text.toUpperCase();
	if (UTC_NAMES.has(upper)) return { zone: FixedOffsetZone.utcInstance, javaId: upper === 'UTC' ? 'UTC' : 'GMT' };

	const offsetMinutes = parseOffsetMinutes(text);
	if (offsetMinutes !== undefined) {
		return { zone: FixedOffsetZone.instance(offsetMinutes), javaId: `GMT${formatOffset(offsetMinutes, ':')}` };
	}
	if (/^(?:GMT|UTC|UT)?\s*[+-]\d/i.test(text)) {
		throw new Office365ConfigError(parameter, text, 'not a valid offset (±hh:mm with hours up to 23); ' + HINT);
	}

	if (Object.hasOwn(JAVA_FIXED_SHORT_IDS, upper)) return { zone: FixedOffsetZone.instance(JAVA_FIXED_SHORT_IDS[upper]), javaId: upper };
	if (Object.hasOwn(JAVA_REGION_SHORT_IDS, upper)) return { zone: IANAZone.create(JAVA_REGION_SHORT_IDS[upper]), javaId: upper };
	if (Object.hasOwn(US_DAYLIGHT_ABBREVIATIONS, upper)) {
		const name = US_DAYLIGHT_ABBREVIATIONS[upper];
		return { zone: IANAZone.create(name), javaId: name };
	}

	if (IANAZone.isValidZone(text)) return { zone: IANAZone.create(text), javaId: text };
	if (/^\{.*\}$/.test(text)) {
		throw new Office365ConfigError(parameter, text, 'this is an unfilled template placeholder; ' + HINT);
	}
	throw new Office365ConfigError(parameter, text, 'unknown timezone; ' + HINT);
}

/** Offset in minutes for the offset syntaxes, undefined when `text` is not one or is out of range. */
function parseOffsetMinutes(text: string): number | undefined {
	const match = OFFSET_PATTERN.exec(text);
	if (!match) return undefined;
	const sign = (match[1] ?? match[4]) === '-' ? -1 : 1;
	const hours = Number(match[2] ?? match[5]);
	const minutes = Number(match[3] ?? match[6] ?? 0);
	if (hours > 23 || minutes > 59) return undefined;
	return sign * (hours * 60 + minutes);
}
