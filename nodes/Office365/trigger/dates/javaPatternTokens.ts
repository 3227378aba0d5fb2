/**
 * Splits a java.text.SimpleDateFormat pattern into fields and literals, with Java's quoting rules:
 * ASCII letters are fields, `'text'` is literal text, `''` is one quote (inside or outside quotes),
 * everything else is literal. Letters that Java rejects, or that we do not support, throw here so
 * a bad pattern fails at activation rather than on the first record.
 */
import { Office365ConfigError } from '../errors';

export type PatternToken = { kind: 'field'; letter: string; count: number } | { kind: 'literal'; text: string };

/** Every letter SimpleDateFormat knows (its javadoc table). */
const JAVA_PATTERN_LETTERS = new Set('GyYMLwWDdFEuaHkKhmsSzZX');

/** Java letters we refuse, with what to use instead. */
const UNSUPPORTED_LETTER_HINTS: Record<string, string> = {
	Y: 'week year "Y" differs from "y" around New Year and is almost always a typo; use "yyyy"',
	w: 'week-in-year "w" depends on Java locale week rules and is not supported',
	W: 'week-in-month "W" depends on Java locale week rules and is not supported',
	F: 'day-of-week-in-month "F" is not supported',
	k: 'hour 1-24 "k" is not supported; use "HH" (0-23)',
	K: 'hour 0-11 "K" is not supported; use "hh" (1-12) with "a"',
};

/** Number fields; for them Java ignores the letter count when parsing unless another number field follows directly. */
export function isNumberField(token: PatternToken): boolean {
	if (token.kind !== 'field') return false;
	if (token.letter === 'M' || token.letter === 'L') return token.count <= 2;
	return 'yDdHhmsSu'.includes(token.letter);
}

export function tokenizeJavaDatePattern(pattern: string, parameter: string): PatternToken[] {
	const tokens: PatternToken[] = [];
	let literal = '';
	const flushLiteral = () => {
		if (literal !== '') tokens.push({ kind: 'literal', text: literal });
		literal = '';
	};

	let index = 0;
	while (index < pattern.length) {
		const char = pattern[index];
		if (char === "'") {
			const quoted = readQuoted(pattern, index, parameter);
			literal += quoted.text;
			index = quoted.end;
		} else if (isAsciiLetter(char)) {
			let end = index + 1;
			while (pattern[end] === char) end++;
			checkLetter(pattern, char, end - index, parameter);
			flushLiteral();
			tokens.push({ kind: 'field', letter: char, count: end - index });
			index = end;
		} else {
			literal += char;
			index++;
		}
	}
	flushLiteral();
	return tokens;
}

/** Reads `''` or a quoted run starting at `start`; returns the literal text and the index after it. */
function readQuoted(pattern: string, start: number, parameter: string): { text: string; end: number } {
	if (pattern[start + 1] === "'") return { text: "'", end: start + 2 };
	let text = '';
	let index = start + 1;
	for (;;) {
		if (index >= pattern.length) {
			throw new Office365ConfigError(
				parameter,
				pattern,
				`unterminated quote at position ${start + 1}; quote literal text like 'T', write '' for a single quote`,
			);
		}
		if (pattern[index] === "'") {
			if (pattern[index + 1] !== "'") return { text, end: index + 1 };
			text += "'";
			index += 2;
		} else {
			text += pattern[index];
			index++;
		}
	}
}

function checkLetter(pattern: string, letter: string, count: number, parameter: string): void {
	if (!JAVA_PATTERN_LETTERS.has(letter)) {
		throw new Office365ConfigError(
			parameter,
			pattern,
			`"${letter}" is not a date pattern letter; put literal text in single quotes, e.g. 'T'`,
		);
	}
	const unsupported = UNSUPPORTED_LETTER_HINTS[letter];
	if (unsupported !== undefined) throw new Office365ConfigError(parameter, pattern, unsupported);
	if (letter === 'X' && count > 3) {
		throw new Office365ConfigError(parameter, pattern, 'at most three "X" letters (XXX gives +02:00 or Z)');
	}
}

function isAsciiLetter(char: string): boolean {
	return (char >= 'a' && char <= 'z') || (char >= 'A' && char <= 'Z');
}
