/**
 * Epoch-number date values (Open Connectors' "milliseconds" format, and "seconds"). Numbers and
 * numeric strings are both accepted because vendors send either.
 */
import { MAX_EPOCH_MS } from './calendarMath';
import { fractionMillis, type DateReading, type DateTextParser } from './textScan';

const DECIMAL = /^([+-]?)(\d+)(?:\.(\d+))?$/;
const OUT_OF_RANGE = 'the number is beyond the dates JavaScript can hold (±8.64e15 ms, ±8.64e12 s: years -271821 to 275760)';

/** A fraction of a millisecond is truncated. */
export const parseEpochMilliseconds: DateTextParser = (text) => {
	const match = DECIMAL.exec(text.trim());
	if (match === null) return 'expected a whole number of milliseconds since 1970-01-01T00:00:00Z';
	return signedInRange(match[1], Number(match[2]));
};

/** Epoch seconds, keeping up to millisecond precision of a decimal fraction. */
export const parseEpochSeconds: DateTextParser = (text) => {
	const match = DECIMAL.exec(text.trim());
	if (match === null) return 'expected a number of seconds since 1970-01-01T00:00:00Z';
	return signedInRange(match[1], Number(match[2]) * 1000 + (match[3] === undefined ? 0 : fractionMillis(match[3], 0, match[3].length)));
};

function signedInRange(sign: string, milliseconds: number): DateReading {
	if (!(milliseconds <= MAX_EPOCH_MS)) return OUT_OF_RANGE;
	return sign === '-' ? -milliseconds : milliseconds;
}

export function formatEpochMilliseconds(epochMs: number): string {
	return String(Math.trunc(epochMs));
}

/** Whole seconds, rounded down so a formatted bound never lies after the instant. */
export function formatEpochSeconds(epochMs: number): string {
	return String(Math.floor(epochMs / 1000));
}
