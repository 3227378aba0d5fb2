/**
 * Fast path for the Java patterns almost every Open Connectors config uses:
 * `yyyy-MM-dd['T'| ]HH:mm[:ss[.S…]]` followed by nothing, a quoted `'Z'`, `X`/`XX`/`XXX` or `Z`.
 * A character scanner reads the canonical text (two-digit fields, no blanks, nothing after the
 * pattern) several times faster than the general regex parser. It answers only when it is sure
 * and the general parser would give the same instant; anything else returns NOT_CANONICAL and the
 * caller asks the general parser, which words the errors.
 */
import { daysInMonth, MS_PER_MINUTE, offsetMinutesOrNaN, utcMillis } from './calendarMath';
import type { PatternToken } from './javaPatternTokens';
import { CHAR, endOfDigits, fractionMillis, readDigits, type DateTextParser } from './textScan';
import type { ZoneOffsets } from './zoneOffsets';

type ZoneSource = 'setting' | 'quotedZ' | 'X' | 'XX' | 'XXX' | 'Z';

interface IsoShape {
	/** Char code between date and time (T or space); undefined for a date-only pattern. */
	dateTimeSeparator: number | undefined;
	seconds: boolean;
	/** `S` letters after a `.`; otherwise Graph-style fractions are optional after seconds. */
	fractionRequired: boolean;
	zoneSource: ZoneSource;
}

/** The fast path's only reason: not the text it reads, so the general parser decides (and words the error). */
const NOT_CANONICAL = 'not in the canonical ISO shape of the pattern';

/** The shape of `tokens` if they are an ISO-like pattern the scanner handles, else undefined. */
export function recognizeIsoShape(tokens: PatternToken[]): IsoShape | undefined {
	let index = 0;
	const isField = (letter: string, count: number) => {
		const token = tokens[index];
		if (token?.kind !== 'field' || token.letter !== letter || token.count !== count) return false;
		index++;
		return true;
	};
	const isLiteral = (text: string) => {
		const token = tokens[index];
		if (token?.kind !== 'literal' || token.text !== text) return false;
		index++;
		return true;
	};

	if (!(isField('y', 4) && isLiteral('-') && isField('M', 2) && isLiteral('-') && isField('d', 2))) return undefined;
	const shape: IsoShape = { dateTimeSeparator: undefined, seconds: false, fractionRequired: false, zoneSource: 'setting' };
	const separator = tokens[index];
	if (separator?.kind === 'literal' && (separator.text === 'T' || separator.text === ' ')) {
		index++;
		if (!(isField('H', 2) && isLiteral(':') && isField('m', 2))) return undefined;
		shape.dateTimeSeparator = separator.text.charCodeAt(0);
		if (isLiteral(':')) {
			if (!isField('s', 2)) return undefined;
			shape.seconds = true;
			if (isLiteral('.')) {
				const fraction = tokens[index];
				if (fraction?.kind !== 'field' || fraction.letter !== 'S') return undefined;
				index++;
				shape.fractionRequired = true;
			}
		}
	}

	const zoneToken = tokens[index];
	if (zoneToken === undefined) return shape;
	if (zoneToken.kind === 'literal' && zoneToken.text === 'Z') shape.zoneSource = 'quotedZ';
	else if (zoneToken.kind === 'field' && zoneToken.letter === 'X') shape.zoneSource = (['X', 'XX', 'XXX'] as const)[zoneToken.count - 1];
	else if (zoneToken.kind === 'field' && zoneToken.letter === 'Z') shape.zoneSource = 'Z';
	else return undefined;
	return index === tokens.length - 1 ? shape : undefined;
}

/** One function: the parser is one left-to-right scan of the text, its steps sharing one position. */
export function compileIsoShapedParser(shape: IsoShape, offsets: ZoneOffsets): DateTextParser {
	const fixedOffset = offsets.fixedMinutes;
	const { dateTimeSeparator, seconds, fractionRequired, zoneSource } = shape;

	return (text) => {
		if (text.charCodeAt(4) !== CHAR.minus || text.charCodeAt(7) !== CHAR.minus) return NOT_CANONICAL;
		const year = readDigits(text, 0, 4);
		const month = readDigits(text, 5, 2);
		const day = readDigits(text, 8, 2);
		if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return NOT_CANONICAL;

		let position = 10;
		let hour = 0;
		let minute = 0;
		let second = 0;
		let millisecond = 0;
		if (dateTimeSeparator !== undefined) {
			if (text.charCodeAt(10) !== dateTimeSeparator || text.charCodeAt(13) !== CHAR.colon) return NOT_CANONICAL;
			hour = readDigits(text, 11, 2);
			minute = readDigits(text, 14, 2);
			if (hour < 0 || hour > 23 || minute < 0 || minute > 59) return NOT_CANONICAL;
			position = 16;
			if (seconds) {
				if (text.charCodeAt(16) !== CHAR.colon) return NOT_CANONICAL;
				second = readDigits(text, 17, 2);
				if (second < 0 || second > 59) return NOT_CANONICAL;
				position = 19;
				const mark = text.charCodeAt(19);
				if (mark === CHAR.dot || (!fractionRequired && mark === CHAR.comma)) {
					const end = endOfDigits(text, 20);
					if (end === 20) return NOT_CANONICAL;
					millisecond = fractionMillis(text, 20, end);
					position = end;
				} else if (fractionRequired) {
					return NOT_CANONICAL;
				}
			}
		}

		let offsetMinutes: number | undefined;
		if (zoneSource === 'quotedZ') {
			if (text.charCodeAt(position) !== CHAR.Z) return NOT_CANONICAL;
			position++;
		} else if (zoneSource !== 'setting') {
			const mark = text.charCodeAt(position);
			if (mark === CHAR.Z && zoneSource !== 'Z') {
				offsetMinutes = 0;
				position++;
			} else {
				if (mark !== CHAR.plus && mark !== CHAR.minus) return NOT_CANONICAL;
				const hours = readDigits(text, position + 1, 2);
				position += 3;
				let minutes = 0;
				if (zoneSource === 'XXX') {
					if (text.charCodeAt(position) !== CHAR.colon) return NOT_CANONICAL;
					position++;
				}
				if (zoneSource !== 'X') {
					minutes = readDigits(text, position, 2);
					position += 2;
				}
				if (hours < 0 || minutes < 0) return NOT_CANONICAL;
				offsetMinutes = offsetMinutesOrNaN(mark === CHAR.minus ? -1 : 1, hours, minutes);
				if (Number.isNaN(offsetMinutes)) return NOT_CANONICAL;
			}
		}
		if (position !== text.length) return NOT_CANONICAL;

		const wallAsUtc = utcMillis(year, month, day, hour, minute, second, millisecond);
		if (offsetMinutes !== undefined) return wallAsUtc - offsetMinutes * MS_PER_MINUTE;
		if (fixedOffset !== undefined) return wallAsUtc - fixedOffset * MS_PER_MINUTE;
		return offsets.wallTimeToEpoch(wallAsUtc);
	};
}
