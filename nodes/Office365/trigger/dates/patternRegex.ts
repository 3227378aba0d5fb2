/**
 * SimpleDateFormat tokens as one anchored regular expression, with the table of what each of its groups
 * captures: Java's rules for field widths, blanks before fields and zone shapes (see patternParser.ts).
 */
import { isNumberField, type PatternToken } from './javaPatternTokens';
import type { ZoneNameReader } from './zoneNames';

type CaptureKind =
	| 'year'
	| 'month'
	| 'monthName'
	| 'day'
	| 'dayOfYear'
	| 'hourOfDay'
	| 'hourOfHalfDay'
	| 'minute'
	| 'second'
	| 'fraction'
	| 'weekdayName'
	| 'weekdayNumber'
	| 'amPm'
	| 'era'
	| 'generalZone'
	| 'isoZone';

interface Capture {
	kind: CaptureKind;
	/** Letter count in the pattern (year uses it for the two-digit rule). */
	count: number;
}

/** Java skips spaces and tabs before every field. */
const SKIP_BLANKS = '[ \\t]*';

/** One function: one pass over the tokens builds the expression and its capture table in step. */
export function buildPatternRegex(tokens: PatternToken[], zoneNames: ZoneNameReader | undefined): { regex: RegExp; captures: Capture[] } {
	const captures: Capture[] = [];
	let source = '^';
	const hasFractionField = tokens.some((token) => token.kind === 'field' && token.letter === 'S');

	tokens.forEach((token, index) => {
		if (token.kind === 'literal') {
			source += escapeRegExp(token.text);
			return;
		}
		const next = tokens[index + 1];
		const last = next === undefined;
		const width = next !== undefined && isNumberField(next) ? `{${token.count}}` : '+';
		const digits = `${SKIP_BLANKS}(\\d${width})`;
		const add = (kind: CaptureKind, group: string) => {
			captures.push({ kind, count: token.count });
			source += group;
		};
		switch (token.letter) {
			case 'y':
				return add('year', digits);
			case 'M':
			case 'L':
				return token.count >= 3 ? add('monthName', `${SKIP_BLANKS}([A-Za-z]+)`) : add('month', digits);
			case 'd':
				return add('day', digits);
			case 'D':
				return add('dayOfYear', digits);
			case 'H':
				return add('hourOfDay', digits);
			case 'h':
				return add('hourOfHalfDay', digits);
			case 'm':
				return add('minute', digits);
			case 's':
				add('second', digits);
				// Graph event stamps carry 7 fraction digits; accept them after seconds when the pattern has no S.
				if (!hasFractionField && width === '+') add('fraction', '(?:[.,](\\d+))?');
				return;
			case 'S':
				return add('fraction', digits);
			case 'E':
				return add('weekdayName', `${SKIP_BLANKS}([A-Za-z]+)`);
			case 'u':
				return add('weekdayNumber', digits);
			case 'a':
				return add('amPm', `${SKIP_BLANKS}([AaPp][Mm])`);
			case 'G':
				return add('era', `${SKIP_BLANKS}([AaBb][DdCc])`);
			case 'z':
			case 'Z': {
				if (zoneNames === undefined) throw new Error('A pattern with a zone needs the zone names');
				// GMT alone must not be followed by a sign: Java then requires GMT±h:mm.
				const zone = `[+-]\\d{4}|[Gg][Mm][Tt](?:[+-]\\d{1,2}:\\d{2}|(?![+-]))|${nameAlternatives(zoneNames.names)}`;
				return add('generalZone', `${SKIP_BLANKS}(${zone})${last ? '(?![+-]?\\d)' : ''}`);
			}
			case 'X': {
				// A single X reads hours only: minutes after them are refused unless they are 00.
				const rest = token.count === 1 ? '(?!:?(?!00)\\d)' : '(?!\\d)';
				return add('isoZone', `${SKIP_BLANKS}(Z|[+-]\\d{2}${['', '', '\\d{2}', ':\\d{2}'][token.count]})${last ? rest : ''}`);
			}
			default:
				throw new Error(`Pattern letter "${token.letter}" passed validation but has no parser`);
		}
	});
	return { regex: new RegExp(source), captures };
}

function escapeRegExp(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Names as case-insensitive alternatives, longest first, that must not run on into a letter: Java
 * takes any name the text starts with, which would read `UTC+1` as `UT` followed by text.
 */
function nameAlternatives(names: string[]): string {
	const caseless = (name: string) =>
		escapeRegExp(name).replace(/[A-Za-z]/g, (letter) => `[${letter.toUpperCase()}${letter.toLowerCase()}]`);
	return `(?:${[...names].sort((a, b) => b.length - a.length).map(caseless).join('|')})(?![A-Za-z])`;
}
