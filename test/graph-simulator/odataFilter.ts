// A small OData `$filter` parser and compiler (the subset Outlook resources accept).
//
// Grammar (lowest to highest precedence):
//   or    := and ('or' and)*
//   and   := not ('and' not)*
//   not   := 'not' not | cond
//   cond  := '(' or ')' | operand (cmpop operand)?      cmpop: eq ne gt ge lt le
//   operand := path | literal | startswith(path, 'text') | contains(path, 'text')
//   lambda  := path/any(v: v[/path] cmpop literal) | path/any() | path/all(...)
// Literals: 'text' ('' escapes a quote), true, false, null, numbers, unquoted date/times (2026-11-28T10:00:00Z,
// fractions and offsets allowed). Paths use '/' (from/emailAddress/address).
//
// The result is a predicate compiled once per request, plus the properties in order of appearance and whether
// contains() or a lambda was used (both needed for Graph's InefficientFilter rule). Errors carry Graph's message
// shape "Invalid filter clause: ...".

import type { EntitySchema, PropType, ResolvedPath } from './entitySchema';
import { pathGetter } from './entitySchema';
import { GraphHttpError, ODataError } from './odataErrors';
import { instantKey, isValidInstant } from './timestamps';

export type CmpOp = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';
const CMP_OPS = new Set<string>(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);
const OP_KIND: Record<CmpOp, string> = {
	eq: 'Equal',
	ne: 'NotEqual',
	gt: 'GreaterThan',
	ge: 'GreaterThanOrEqual',
	lt: 'LessThan',
	le: 'LessThanOrEqual',
};

type Token =
	| { t: 'punct'; v: '(' | ')' | ',' | ':'; pos: number }
	| { t: 'string'; v: string; pos: number }
	| { t: 'datetime'; v: string; pos: number }
	| { t: 'number'; v: number; decimal: boolean; pos: number }
	| { t: 'word'; v: string; pos: number }
	| { t: 'end'; pos: number };

type LiteralType = 'string' | 'number' | 'boolean' | 'null' | 'datetime';
interface Literal {
	type: LiteralType;
	value: string | number | boolean | null;
	decimal?: boolean;
}

type Operand = { k: 'path'; path: ResolvedPath } | { k: 'lit'; lit: Literal };

type Expr =
	| { k: 'and' | 'or'; l: Expr; r: Expr }
	| { k: 'not'; e: Expr }
	| { k: 'cmp'; op: CmpOp; l: Operand; r: Operand }
	| { k: 'startswith' | 'contains'; path: ResolvedPath; text: string }
	| { k: 'lambda'; quantifier: 'any' | 'all'; path: ResolvedPath; element?: { segments: string[]; op: CmpOp; literal: Literal } }
	| { k: 'const'; v: boolean }
	| { k: 'boolpath'; path: ResolvedPath };

export interface CompiledFilter {
	matches: (record: Record<string, unknown>) => boolean;
	/** Canonical property paths in order of first appearance. */
	properties: string[];
	/** contains() was used (a content restriction Exchange cannot combine with a sort). */
	usesContains: boolean;
	/** A lambda (any/all) over a collection was used (likewise). */
	usesLambda: boolean;
}

export class FilterError extends ODataError {
	constructor(detail: string) {
		super('BadRequest', `Invalid filter clause: ${detail}`);
	}
}

const WS = /\s+/y;
const DATETIME = /\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})?)?/iy;
const NUMBER = /[+-]?\d+(\.\d+)?(?:[eE][+-]?\d+)?/y;
const WORD = /[A-Za-z_@$][\w@.$]*(?:\/[A-Za-z_@$][\w@.$]*)*/y;
const WORD_CHAR = /[\w@.$]/;

function tokenize(text: string): Token[] {
	const tokens: Token[] = [];
	const syntax = (pos: number): never => {
		throw new FilterError(`Syntax error at position ${pos} in '${text}'.`);
	};
	const matchAt = (re: RegExp, pos: number): string | undefined => {
		re.lastIndex = pos;
		return re.exec(text)?.[0];
	};
	let i = 0;
	while (i < text.length) {
		const ws = matchAt(WS, i);
		if (ws !== undefined) {
			i += ws.length;
			continue;
		}
		const ch = text[i];
		if (ch === '(' || ch === ')' || ch === ',' || ch === ':') {
			tokens.push({ t: 'punct', v: ch, pos: i });
			i += 1;
			continue;
		}
		if (ch === "'") {
			let value = '';
			let j = i + 1;
			for (;;) {
				if (j >= text.length) throw new FilterError(`There is an unterminated string literal at position ${i} in '${text}'.`);
				if (text[j] === "'") {
					if (text[j + 1] === "'") {
						value += "'";
						j += 2;
						continue;
					}
					break;
				}
				value += text[j];
				j += 1;
			}
			tokens.push({ t: 'string', v: value, pos: i });
			i = j + 1;
			continue;
		}
		// Date/times before numbers: both start with digits.
		const dt = matchAt(DATETIME, i);
		if (dt !== undefined && !WORD_CHAR.test(text[i + dt.length] ?? ' ')) {
			if (!isValidInstant(dt)) throw new FilterError(`The DateTimeOffset text '${dt}' is not a valid date/time.`);
			tokens.push({ t: 'datetime', v: dt, pos: i });
			i += dt.length;
			continue;
		}
		const num = matchAt(NUMBER, i);
		if (num !== undefined) {
			if (WORD_CHAR.test(text[i + num.length] ?? ' ')) syntax(i + num.length);
			tokens.push({ t: 'number', v: Number(num), decimal: /[.eE]/.test(num), pos: i });
			i += num.length;
			continue;
		}
		const word = matchAt(WORD, i);
		if (word !== undefined) {
			tokens.push({ t: 'word', v: word, pos: i });
			i += word.length;
			continue;
		}
		syntax(i);
	}
	tokens.push({ t: 'end', pos: text.length });
	return tokens;
}

class Parser {
	private at = 0;
	readonly properties: string[] = [];
	usesContains = false;
	usesLambda = false;

	constructor(
		private readonly text: string,
		private readonly tokens: Token[],
		private readonly schema: EntitySchema,
	) {}

	parse(): Expr {
		if (this.tokens.length === 1) throw new FilterError('The $filter expression is empty.');
		const expr = this.parseOr();
		const rest = this.peek();
		if (rest.t !== 'end') this.syntax(rest.pos);
		return expr;
	}

	private peek(offset = 0): Token {
		return this.tokens[Math.min(this.at + offset, this.tokens.length - 1)];
	}
	private next(): Token {
		const token = this.peek();
		this.at += 1;
		return token;
	}
	private isWord(token: Token, word: string): boolean {
		return token.t === 'word' && token.v.toLowerCase() === word;
	}
	private syntax(pos: number): never {
		throw new FilterError(`Syntax error at position ${pos} in '${this.text}'.`);
	}
	private expectPunct(v: '(' | ')' | ',' | ':'): void {
		const token = this.next();
		if (token.t !== 'punct' || token.v !== v) this.syntax(token.pos);
	}

	private parseOr(): Expr {
		let left = this.parseAnd();
		while (this.isWord(this.peek(), 'or')) {
			this.next();
			left = { k: 'or', l: left, r: this.parseAnd() };
		}
		return left;
	}

	private parseAnd(): Expr {
		let left = this.parseNot();
		while (this.isWord(this.peek(), 'and')) {
			this.next();
			left = { k: 'and', l: left, r: this.parseNot() };
		}
		return left;
	}

	private parseNot(): Expr {
		if (this.isWord(this.peek(), 'not')) {
			this.next();
			return { k: 'not', e: this.parseNot() };
		}
		return this.parseCondition();
	}

	private parseCondition(): Expr {
		const first = this.peek();
		if (first.t === 'punct' && first.v === '(') {
			this.next();
			const inner = this.parseOr();
			this.expectPunct(')');
			return inner;
		}
		if (first.t === 'word' && this.peek(1).t === 'punct' && (this.peek(1) as { v: string }).v === '(') {
			if (/\/(any|all)$/i.test(first.v)) return this.parseLambda();
			return this.withOptionalBoolComparison(this.parseFunction());
		}
		const left = this.parseOperand();
		const opToken = this.peek();
		if (opToken.t === 'word' && CMP_OPS.has(opToken.v.toLowerCase())) {
			this.next();
			const op = opToken.v.toLowerCase() as CmpOp;
			const right = this.parseOperand();
			checkComparable(op, left, right);
			return { k: 'cmp', op, l: left, r: right };
		}
		// A bare operand must itself be a boolean: `isRead`, `true`.
		if (left.k === 'lit' && left.lit.type === 'boolean') return { k: 'const', v: left.lit.value === true };
		if (left.k === 'path' && (left.path.type === 'boolean' || left.path.type === 'unknown')) return { k: 'boolpath', path: left.path };
		throw new FilterError(`The expression at position ${first.pos} in '${this.text}' is not a boolean expression.`);
	}

	/** `startswith(subject,'x') eq true` is legal OData; fold it into the function result. */
	private withOptionalBoolComparison(expr: Expr): Expr {
		const opToken = this.peek();
		if (opToken.t !== 'word' || !CMP_OPS.has(opToken.v.toLowerCase())) return expr;
		const op = opToken.v.toLowerCase();
		this.next();
		const rhs = this.next();
		if ((op !== 'eq' && op !== 'ne') || rhs.t !== 'word' || !/^(true|false)$/i.test(rhs.v)) {
			throw new FilterError(`A function returning Edm.Boolean can only be compared with eq/ne to true or false (position ${opToken.pos}).`);
		}
		const wantTrue = (rhs.v.toLowerCase() === 'true') === (op === 'eq');
		return wantTrue ? expr : { k: 'not', e: expr };
	}

	private parseFunction(): Expr {
		const nameToken = this.next() as Extract<Token, { t: 'word' }>;
		const name = nameToken.v.toLowerCase();
		if (name !== 'startswith' && name !== 'contains') {
			throw new FilterError(
				`An unknown function with name '${nameToken.v}' was found. The simulator supports startswith(property,'text') and contains(property,'text').`,
			);
		}
		this.expectPunct('(');
		const target = this.parseOperand();
		this.expectPunct(',');
		const text = this.next();
		this.expectPunct(')');
		if (target.k !== 'path' || text.t !== 'string') {
			throw new FilterError(`${name} expects (property, 'text') at position ${nameToken.pos} in '${this.text}'.`);
		}
		if (target.path.type !== 'string' && target.path.type !== 'unknown') {
			throw new FilterError(
				`No function signature for the function with name '${name}' matches the specified arguments. The function signatures considered are: ${name}(Edm.String Nullable=true, Edm.String Nullable=true).`,
			);
		}
		if (name === 'contains') this.usesContains = true;
		return { k: name, path: target.path, text: text.v.toLowerCase() };
	}

	/** `categories/any(c:c eq 'Red')`, `toRecipients/any(r:r/emailAddress/address eq 'x')`, `categories/any()`. */
	private parseLambda(): Expr {
		const head = this.next() as Extract<Token, { t: 'word' }>;
		const slash = head.v.lastIndexOf('/');
		const quantifier = head.v.slice(slash + 1).toLowerCase() as 'any' | 'all';
		const path = this.resolve(head.v.slice(0, slash));
		if (path.type !== 'collection') {
			throw new FilterError(`The '${quantifier}' lambda at position ${head.pos} needs a collection-valued property; '${path.name}' is not one.`);
		}
		if (!this.properties.includes(path.name)) this.properties.push(path.name);
		this.usesLambda = true;
		this.expectPunct('(');
		if (this.peek().t === 'punct' && (this.peek() as { v: string }).v === ')') {
			this.next();
			if (quantifier === 'all') this.syntax(head.pos);
			return { k: 'lambda', quantifier, path };
		}
		const variable = this.next();
		this.expectPunct(':');
		const subject = this.next();
		if (variable.t !== 'word' || subject.t !== 'word') this.syntax(subject.pos);
		const [name, ...segments] = subject.v.split('/');
		if (name !== variable.v) throw new FilterError(`Unknown range variable '${name}' at position ${subject.pos} in '${this.text}'.`);
		const opToken = this.next();
		if (opToken.t !== 'word' || !CMP_OPS.has(opToken.v.toLowerCase())) this.syntax(opToken.pos);
		const right = this.parseOperand();
		this.expectPunct(')');
		if (right.k !== 'lit') this.syntax(opToken.pos);
		return { k: 'lambda', quantifier, path, element: { segments, op: opToken.v.toLowerCase() as CmpOp, literal: right.lit } };
	}

	private parseOperand(): Operand {
		const token = this.next();
		switch (token.t) {
			case 'string':
				return { k: 'lit', lit: { type: 'string', value: token.v } };
			case 'number':
				return { k: 'lit', lit: { type: 'number', value: token.v, decimal: token.decimal } };
			case 'datetime':
				return { k: 'lit', lit: { type: 'datetime', value: instantKey(token.v) ?? null } };
			case 'word': {
				const lower = token.v.toLowerCase();
				if (lower === 'true' || lower === 'false') return { k: 'lit', lit: { type: 'boolean', value: lower === 'true' } };
				if (lower === 'null') return { k: 'lit', lit: { type: 'null', value: null } };
				if (CMP_OPS.has(lower) || lower === 'and' || lower === 'or' || lower === 'not') this.syntax(token.pos);
				const path = this.resolve(token.v);
				if (!this.properties.includes(path.name)) this.properties.push(path.name);
				return { k: 'path', path };
			}
			default:
				return this.syntax(token.pos);
		}
	}

	private resolve(path: string): ResolvedPath {
		try {
			return this.schema.resolve(path, 'filter');
		} catch (error) {
			if (error instanceof GraphHttpError) throw new FilterError(error.message);
			throw error;
		}
	}
}

function edmName(operand: Operand): string {
	if (operand.k === 'path') {
		const names: Record<PropType, string> = {
			datetime: 'Edm.DateTimeOffset',
			string: 'Edm.String',
			boolean: 'Edm.Boolean',
			number: 'Edm.Int32',
			complex: `microsoft.graph.${operand.path.segments[operand.path.segments.length - 1]}`,
			collection: `Collection(microsoft.graph.${operand.path.segments[operand.path.segments.length - 1]})`,
			unknown: 'Edm.Untyped',
		};
		return names[operand.path.type];
	}
	const lit = operand.lit;
	if (lit.type === 'number') return lit.decimal === true ? 'Edm.Double' : 'Edm.Int32';
	return { string: 'Edm.String', boolean: 'Edm.Boolean', null: '<null>', datetime: 'Edm.DateTimeOffset' }[lit.type];
}

function typeOfOperand(operand: Operand): PropType | 'null' {
	if (operand.k === 'path') return operand.path.type;
	return operand.lit.type === 'null' ? 'null' : operand.lit.type;
}

/** Static type check like Graph's: quoted date/times against DateTimeOffset properties are a 400, not "no match". */
function checkComparable(op: CmpOp, left: Operand, right: Operand): void {
	const lt = typeOfOperand(left);
	const rt = typeOfOperand(right);
	const incompatible = (): never => {
		throw new FilterError(
			`A binary operator with incompatible types was detected. Found operand types '${edmName(left)}' and '${edmName(right)}' for operator kind '${OP_KIND[op]}'.`,
		);
	};
	if (lt === 'collection' || rt === 'collection') {
		throw new FilterError('A collection-valued property cannot be compared directly; use a lambda operator such as categories/any(c:c eq \'Red\').');
	}
	if (lt === 'complex' || rt === 'complex') incompatible();
	if (lt === 'null' || rt === 'null') {
		if (op !== 'eq' && op !== 'ne') incompatible();
		return;
	}
	if (lt === 'unknown' || rt === 'unknown') return;
	if (lt !== rt) incompatible();
}

type Normalized = string | number | boolean | null;

function normalizer(datetimeMode: boolean): (value: unknown) => Normalized {
	if (datetimeMode) return (value) => (typeof value === 'string' ? (instantKey(value) ?? null) : null);
	return (value) => {
		if (typeof value === 'string') return value.toLowerCase(); // Exchange compares strings case-insensitively
		if (typeof value === 'number' || typeof value === 'boolean') return value;
		return null;
	};
}

function comparator(op: CmpOp): (a: Normalized, b: Normalized) => boolean {
	const bothNull = (a: Normalized, b: Normalized): boolean => a === null && b === null;
	switch (op) {
		case 'eq':
			return (a, b) => a === b || bothNull(a, b);
		case 'ne':
			return (a, b) => !(a === b || bothNull(a, b));
		case 'gt':
			return (a, b) => a !== null && b !== null && typeof a === typeof b && a > b;
		case 'ge':
			return (a, b) => a !== null && b !== null && typeof a === typeof b && a >= b;
		case 'lt':
			return (a, b) => a !== null && b !== null && typeof a === typeof b && a < b;
		case 'le':
			return (a, b) => a !== null && b !== null && typeof a === typeof b && a <= b;
	}
}

type Predicate = (record: Record<string, unknown>) => boolean;

function compile(expr: Expr): Predicate {
	switch (expr.k) {
		case 'and': {
			const l = compile(expr.l);
			const r = compile(expr.r);
			return (rec) => l(rec) && r(rec);
		}
		case 'or': {
			const l = compile(expr.l);
			const r = compile(expr.r);
			return (rec) => l(rec) || r(rec);
		}
		case 'not': {
			const e = compile(expr.e);
			return (rec) => !e(rec);
		}
		case 'const':
			return () => expr.v;
		case 'boolpath': {
			const get = pathGetter(expr.path.segments);
			return (rec) => get(rec) === true;
		}
		case 'startswith':
		case 'contains': {
			const get = pathGetter(expr.path.segments);
			const { text } = expr;
			const test = expr.k === 'startswith' ? (value: string) => value.startsWith(text) : (value: string) => value.includes(text);
			return (rec) => {
				const value = get(rec);
				return typeof value === 'string' && test(value.toLowerCase());
			};
		}
		case 'lambda': {
			const get = pathGetter(expr.path.segments);
			const element = expr.element;
			if (element === undefined) {
				return (rec) => {
					const value = get(rec);
					return Array.isArray(value) && value.length > 0;
				};
			}
			const read = pathGetter(element.segments);
			const normalize = normalizer(false);
			const literal = normalize(element.literal.value);
			const test = comparator(element.op);
			const matches = (item: unknown) => test(normalize(element.segments.length === 0 ? item : read(item as Record<string, unknown>)), literal);
			return (rec) => {
				const value = get(rec);
				if (!Array.isArray(value)) return false;
				return expr.quantifier === 'any' ? value.some(matches) : value.every(matches);
			};
		}
		case 'cmp': {
			const datetimeMode = typeOfOperand(expr.l) === 'datetime' || typeOfOperand(expr.r) === 'datetime';
			const normalize = normalizer(datetimeMode);
			const test = comparator(expr.op);
			const side = (operand: Operand): ((rec: Record<string, unknown>) => Normalized) | Normalized => {
				if (operand.k === 'lit') {
					// Literal date/times are already instant keys.
					return operand.lit.type === 'datetime' ? operand.lit.value : normalize(operand.lit.value);
				}
				const get = pathGetter(operand.path.segments);
				return (rec) => normalize(get(rec));
			};
			const l = side(expr.l);
			const r = side(expr.r);
			// The common shape `property op literal` avoids a call per record for the constant side.
			if (typeof l === 'function' && typeof r !== 'function') return (rec) => test(l(rec), r);
			if (typeof l !== 'function' && typeof r === 'function') return (rec) => test(l, r(rec));
			if (typeof l === 'function' && typeof r === 'function') return (rec) => test(l(rec), r(rec));
			const constant = test(l as Normalized, r as Normalized);
			return () => constant;
		}
	}
}

export function compileFilter(text: string, schema: EntitySchema): CompiledFilter {
	const parser = new Parser(text, tokenize(text), schema);
	const expr = parser.parse();
	return { matches: compile(expr), properties: parser.properties, usesContains: parser.usesContains, usesLambda: parser.usesLambda };
}
