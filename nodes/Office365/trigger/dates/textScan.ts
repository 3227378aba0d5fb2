/** The date readers' common result type, and character-level helpers for the hand-written scanners. */

/**
 * What every date reader (ISO, Java pattern and its ISO-shaped fast path, epoch number, zone name) returns:
 * epoch ms, or the reason the text is not a date in its format, which the codec turns into a DateValueError.
 * A reason is a constant or a message built only on failure, so a successful read allocates nothing.
 */
export type DateReading = number | string;

export type DateTextParser = (text: string) => DateReading;

export const CHAR = { space: 32, plus: 43, comma: 44, minus: 45, dot: 46, colon: 58, T: 84, Z: 90, t: 116, z: 122 } as const;

function isDigitCode(code: number): boolean {
	return code >= 48 && code <= 57;
}

/** The number written by `count` ASCII digits at `start`, or -1 if any is missing or not a digit. */
export function readDigits(text: string, start: number, count: number): number {
	let value = 0;
	for (let index = start; index < start + count; index++) {
		const digit = text.charCodeAt(index) - 48;
		if (!(digit >= 0 && digit <= 9)) return -1;
		value = value * 10 + digit;
	}
	return value;
}

/** Index after the run of digits starting at `start`. */
export function endOfDigits(text: string, start: number): number {
	let index = start;
	while (index < text.length && isDigitCode(text.charCodeAt(index))) index++;
	return index;
}

/** Milliseconds from a run of fraction digits: first three digits, shorter runs are tenths/hundredths. */
export function fractionMillis(text: string, start: number, end: number): number {
	const used = Math.min(end - start, 3);
	return readDigits(text, start, used) * (used === 1 ? 100 : used === 2 ? 10 : 1);
}
