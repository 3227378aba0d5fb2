// Timestamp formats used by Graph and a canonical "instant key" for comparing them.
//
// Graph mixes precisions: messages and contacts carry second-precision stamps (`2026-11-28T10:00:05Z`), events
// carry 7 fraction digits (`2026-11-28T10:00:05.1234567Z`). Comparing those strings directly is wrong ('.' < 'Z'),
// and parsing to milliseconds loses the 100 ns ticks. An instant key is a fixed-width UTC string with exactly 7
// fraction digits, so plain string comparison of two keys compares the instants.

const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,}))?)?)?(Z|[+-]\d{2}:\d{2})?$/i;

/** Canonical instant key of an ISO 8601 date/time (no zone = UTC, like Graph's DateTimeTimeZone in UTC), or undefined. */
export function instantKey(text: string): string | undefined {
	const m = ISO_RE.exec(text);
	if (m === null) return undefined;
	const [, y, mo, d, hh = '00', mi = '00', ss = '00', frac = '', zone = 'Z'] = m;
	const frac7 = (frac + '0000000').slice(0, 7);
	if (zone === 'Z' || zone === 'z') return `${y}-${mo}-${d}T${hh}:${mi}:${ss}.${frac7}Z`;
	const sign = zone.startsWith('-') ? -1 : 1;
	const offsetMinutes = sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
	const utcMs = Date.UTC(+y, +mo - 1, +d, +hh, +mi, +ss) - offsetMinutes * 60_000;
	if (!Number.isFinite(utcMs)) return undefined;
	return `${new Date(utcMs).toISOString().slice(0, 19)}.${frac7}Z`;
}

/** True when the text is ISO 8601 and its calendar fields exist (rejects 2026-02-30, 25:00, offsets beyond 14h). */
export function isValidInstant(text: string): boolean {
	const m = ISO_RE.exec(text);
	if (m === null) return false;
	const [, y, mo, d, hh = '00', mi = '00', ss = '00', , zone = 'Z'] = m;
	const date = new Date(Date.UTC(+y, +mo - 1, +d, +hh, +mi, +ss));
	const fieldsExist =
		date.getUTCFullYear() === +y &&
		date.getUTCMonth() === +mo - 1 &&
		date.getUTCDate() === +d &&
		date.getUTCHours() === +hh &&
		date.getUTCMinutes() === +mi &&
		date.getUTCSeconds() === +ss;
	const zoneOk = zone.length === 1 || (Number(zone.slice(1, 3)) <= 14 && Number(zone.slice(4, 6)) < 60);
	return fieldsExist && zoneOk;
}

/** Second-precision stamp as Graph writes it for messages and contacts. */
export function secondStamp(ms: number): string {
	return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

/** 7-fraction-digit stamp as Graph writes it for events; `subMsTicks` (0..9999) are the 100 ns ticks below the ms. */
export function tickStamp(ms: number, subMsTicks: number): string {
	const ticks = String(Math.max(0, Math.min(9999, Math.floor(subMsTicks)))).padStart(4, '0');
	return `${new Date(ms).toISOString().slice(0, 23)}${ticks}Z`;
}

/** Event start/end `dateTime` (no offset, 7 digits) as Graph returns it in `{ dateTime, timeZone: 'UTC' }`. */
export function wallClockStamp(ms: number): string {
	return `${new Date(ms).toISOString().slice(0, 19)}.0000000`;
}
