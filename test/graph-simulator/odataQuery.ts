// OData query options for list endpoints: $filter $orderby $top $skip $select $count, Graph's InefficientFilter
// rule, offset paging (as Graph pages mail, events and contacts: `$skip` in the nextLink) and projection.

import type { EntitySchema, ResolvedPath } from './entitySchema';
import { pathGetter } from './entitySchema';
import { ODataError } from './odataErrors';
import type { CompiledFilter } from './odataFilter';
import { compileFilter } from './odataFilter';
import type { GraphRecord } from './records';
import { instantKey } from './timestamps';

export interface OrderTerm {
	path: ResolvedPath;
	desc: boolean;
}

export interface QueryLimits {
	defaultPageSize: number;
	maxTop: number;
	/** Order used when the request has no $orderby (Graph lists mail newest first). */
	defaultOrder: Array<{ property: string; desc: boolean }>;
}

export interface ParsedQuery {
	filterText?: string;
	filter?: CompiledFilter;
	orderbyText: string;
	orderby: OrderTerm[];
	pageSize: number;
	offset: number;
	select?: string[];
	count: boolean;
	/** Value for the Preference-Applied header when `Prefer: odata.maxpagesize` was honoured. */
	preferenceApplied?: string;
}

const KNOWN_OPTIONS = new Set(['$filter', '$orderby', '$top', '$skip', '$select', '$count']);
const INEFFICIENT_FILTER = 'The restriction or sort order is too complex for this operation.';

function nonNegativeInt(option: string, value: string): number {
	if (!/^\d+$/.test(value.trim())) {
		throw new ODataError(
			'BadRequest',
			`Invalid value '${value}' for ${option} query option found. The ${option} query option requires a non-negative integer value.`,
		);
	}
	return Number(value.trim());
}

function parseOrderby(text: string, schema: EntitySchema): OrderTerm[] {
	return text.split(',').map((part) => {
		const m = /^\s*(\S+)(?:\s+(asc|desc))?\s*$/i.exec(part);
		if (m === null) throw new ODataError('BadRequest', `Syntax error in $orderby clause '${text}'.`);
		const path = schema.resolve(m[1], 'orderby');
		if (path.type === 'complex' || path.type === 'collection') {
			throw new ODataError('BadRequest', `The $orderby expression '${m[1]}' must evaluate to a single value of primitive type.`);
		}
		return { path, desc: (m[2] ?? 'asc').toLowerCase() === 'desc' };
	});
}

function parseSelect(text: string, schema: EntitySchema): string[] {
	const names = new Set<string>(['id']);
	for (const part of text.split(',')) {
		const name = part.trim();
		if (name === '') throw new ODataError('BadRequest', `Syntax error in $select clause '${text}'.`);
		if (name === '*') {
			schema.properties.forEach((p) => names.add(p));
			continue;
		}
		names.add(schema.resolve(name, 'select').name);
	}
	return [...names];
}

/** Restrictions Exchange cannot combine with a sort: the folder of a message (folders are scopes, not columns). */
const UNSORTABLE_RESTRICTIONS = new Set(['parentFolderId']);

/**
 * Graph (Outlook): with both $filter and $orderby, the $orderby properties must appear in $filter, in the same
 * order, before any other property. A content search (contains), a lambda over a collection (categories/any) or a
 * folder restriction cannot be sorted at all. Otherwise 400 InefficientFilter.
 */
function checkInefficientFilter(filter: CompiledFilter, orderby: OrderTerm[]): void {
	const ordered = orderby.every((term, i) => filter.properties[i] === term.path.name);
	const sortable = !filter.usesContains && !filter.usesLambda && !filter.properties.some((name) => UNSORTABLE_RESTRICTIONS.has(name));
	if (!ordered || !sortable) throw new ODataError('InefficientFilter', INEFFICIENT_FILTER);
}

export function parseQuery(
	params: URLSearchParams,
	schema: EntitySchema,
	limits: QueryLimits,
	preferHeader?: string,
): ParsedQuery {
	const seen = new Map<string, string>();
	for (const [key, value] of params) {
		if (!key.startsWith('$')) continue;
		const option = key.toLowerCase();
		if (seen.has(option)) {
			throw new ODataError('BadRequest', `Query option '${key}' was specified more than once, but it must be specified at most once.`);
		}
		if (!KNOWN_OPTIONS.has(option)) {
			throw new ODataError('BadRequest', `Query option '${key}' is not supported by the Graph simulator.`);
		}
		seen.set(option, value);
	}

	const filterText = seen.get('$filter');
	const filter = filterText === undefined ? undefined : compileFilter(filterText, schema);
	const orderbyText = seen.get('$orderby') ?? '';
	const explicitOrder = orderbyText === '' ? [] : parseOrderby(orderbyText, schema);
	if (filter !== undefined && explicitOrder.length > 0) checkInefficientFilter(filter, explicitOrder);
	const orderby =
		explicitOrder.length > 0
			? explicitOrder
			: limits.defaultOrder.map((o) => ({ path: schema.resolve(o.property, 'orderby'), desc: o.desc }));

	let pageSize = limits.defaultPageSize;
	let preferenceApplied: string | undefined;
	const topText = seen.get('$top');
	if (topText !== undefined) {
		pageSize = nonNegativeInt('$top', topText);
		if (pageSize > limits.maxTop) {
			throw new ODataError(
				'BadRequest',
				`The query specified in the URI is not valid. The limit of '${limits.maxTop}' for Top query has been exceeded. The value from the incoming request is '${pageSize}'.`,
			);
		}
	} else {
		const prefer = /odata\.maxpagesize\s*=\s*(\d+)/i.exec(preferHeader ?? '');
		if (prefer !== null) {
			pageSize = Math.max(1, Math.min(limits.maxTop, Number(prefer[1])));
			preferenceApplied = `odata.maxpagesize=${pageSize}`;
		}
	}

	const offset = nonNegativeInt('$skip', seen.get('$skip') ?? '0');

	const countText = (seen.get('$count') ?? 'false').toLowerCase();
	if (countText !== 'true' && countText !== 'false') {
		throw new ODataError('BadRequest', `Invalid value '${countText}' for $count query option found. Valid values are 'true' and 'false'.`);
	}
	const selectText = seen.get('$select');
	return {
		filterText,
		filter,
		orderbyText,
		orderby,
		pageSize,
		offset,
		select: selectText === undefined ? undefined : parseSelect(selectText, schema),
		count: countText === 'true',
		preferenceApplied,
	};
}

type SortKey = string | number | boolean | null;

function sortKeyFn(term: OrderTerm): (record: Record<string, unknown>) => SortKey {
	const get = pathGetter(term.path.segments);
	if (term.path.type === 'datetime') {
		return (record) => {
			const value = get(record);
			return typeof value === 'string' ? (instantKey(value) ?? null) : null;
		};
	}
	return (record) => {
		const value = get(record);
		if (typeof value === 'string') return value.toLowerCase();
		if (typeof value === 'number' || typeof value === 'boolean') return value;
		return null;
	};
}

// OData: nulls sort first in ascending order.
function compareKeys(a: SortKey, b: SortKey): number {
	if (a === b) return 0;
	if (a === null) return -1;
	if (b === null) return 1;
	if (typeof a !== typeof b) return typeof a < typeof b ? -1 : 1;
	return a < b ? -1 : a > b ? 1 : 0;
}

function compareKeyLists(a: SortKey[], b: SortKey[], dirs: number[]): number {
	for (let i = 0; i < dirs.length; i++) {
		const c = compareKeys(a[i], b[i]);
		if (c !== 0) return c * dirs[i];
	}
	return 0;
}

/** Sorts once with precomputed keys; ties fall back to insertion order so offset paging is deterministic. */
export function sortEntries<T extends { seq: number; data: GraphRecord }>(entries: T[], terms: OrderTerm[]): T[] {
	if (terms.length === 0) return entries.slice().sort((a, b) => a.seq - b.seq);
	const keyFns = terms.map(sortKeyFn);
	const dirs = terms.map((t) => (t.desc ? -1 : 1));
	const keyed = entries.map((entry) => ({ entry, keys: keyFns.map((fn) => fn(entry.data)) }));
	keyed.sort((a, b) => compareKeyLists(a.keys, b.keys, dirs) || a.entry.seq - b.entry.seq);
	return keyed.map((k) => k.entry);
}

/**
 * A copy of sorted `entries` whose runs of equal sort keys are shuffled: Graph promises no order among records
 * with equal `$orderby` values, and two requests may list them differently.
 */
export function shuffleTies<T extends { data: GraphRecord }>(entries: readonly T[], terms: OrderTerm[], random: () => number): T[] {
	const out = entries.slice();
	if (terms.length === 0) {
		shuffleRange(out, 0, out.length, random);
		return out;
	}
	const keyFns = terms.map(sortKeyFn);
	const dirs = terms.map(() => 1);
	const keys = out.map((entry) => keyFns.map((fn) => fn(entry.data)));
	let start = 0;
	for (let i = 1; i <= out.length; i++) {
		if (i === out.length || compareKeyLists(keys[start], keys[i], dirs) !== 0) {
			shuffleRange(out, start, i, random);
			start = i;
		}
	}
	return out;
}

function shuffleRange<T>(items: T[], from: number, to: number, random: () => number): void {
	for (let i = to - 1; i > from; i--) {
		const j = from + Math.floor(random() * (i - from + 1));
		[items[i], items[j]] = [items[j], items[i]];
	}
}

/** Graph output for one record: `@odata.etag` from the changeKey, then the (selected) properties; id always kept. */
export function project(record: GraphRecord, select?: string[]): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	if (typeof record.changeKey === 'string') out['@odata.etag'] = `W/"${record.changeKey}"`;
	if (select === undefined) return Object.assign(out, record);
	for (const name of select) if (name in record) out[name] = record[name];
	return out;
}

/** `@odata.nextLink` as Graph writes it for mail, events and contacts: same origin, path and query, `$skip` = offset. */
export function nextLink(origin: string, pathname: string, params: URLSearchParams, nextOffset: number): string {
	const next = new URLSearchParams();
	for (const [key, value] of params) {
		if (key.toLowerCase() !== '$skip') next.append(key, value);
	}
	next.append('$skip', String(nextOffset));
	return `${origin}${pathname}?${next.toString()}`;
}
