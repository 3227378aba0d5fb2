/** The list requests of one poll: the time window as OData (or as expanded URL placeholders). */
import { expandUrlPlaceholders } from './dates/urlPlaceholders';
import { newestField, type PollConfig } from './triggerConfig';
import { splitUrl } from './urlParts';

export interface ListRequest {
	url: string;
	/** Query options; absent when `url` is a server's nextLink, which is followed verbatim. */
	qs?: Record<string, string>;
}

interface WindowOptions {
	/** Exclusive upper bound of the tracked date (a group of records sharing one second). */
	beforeMs?: number;
	/** Page size for this request instead of the configured one. */
	top?: number;
	/** Ask for `@odata.count` (how many records match). */
	count?: boolean;
}

/** Graph DateTimeOffset literal, floored to the second: Graph may compare at second precision. */
function odataInstant(epochMs: number): string {
	return new Date(Math.floor(epochMs / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

function selectWithRequiredFields(config: PollConfig): string | undefined {
	if (!config.select) return undefined;
	const fields = new Set(config.select);
	for (const path of [config.idField, config.updated?.field, config.created?.field]) {
		if (path) fields.add(path.split('.')[0]);
	}
	return [...fields].join(',');
}

function baseQuery(config: PollConfig, query: Array<[string, string]>, top: number | undefined): Record<string, string> {
	const qs: Record<string, string> = {};
	for (const [name, value] of query) qs[name] = value;
	const select = selectWithRequiredFields(config);
	if (select) qs.$select = select;
	if (top !== undefined) qs.$top = String(top);
	else if (qs.$top === undefined) qs.$top = String(config.pageSize);
	return qs;
}

function andFilters(first: string, second: string | undefined): string {
	return second ? `${first} and (${second})` : first;
}

function combineUserFilters(fromUrl: string | undefined, fromOption: string | undefined): string | undefined {
	if (fromUrl && fromOption) return `(${fromUrl}) and (${fromOption})`;
	return fromUrl ?? fromOption;
}

/**
 * Everything changed at or after `sinceMs` (inclusive), oldest first where the API sorts (`server` date filter);
 * the whole collection or the placeholder URL's answer otherwise.
 */
export function buildWindowRequest(config: PollConfig, sinceMs: number, options: WindowOptions = {}): ListRequest {
	if (config.dateFilter === 'placeholder') {
		const { path, query } = splitUrl(expandUrlPlaceholders(config.url, sinceMs));
		const qs = baseQuery(config, query, options.top);
		if (config.userFilter) qs.$filter = qs.$filter ? `(${qs.$filter}) and (${config.userFilter})` : config.userFilter;
		return { url: path, qs };
	}
	const qs = baseQuery(config, config.baseQuery, options.top);
	const userFilter = combineUserFilters(qs.$filter, config.userFilter);
	if (config.dateFilter === 'server') {
		const field = config.tracked.odataPath;
		let window = `${field} ge ${odataInstant(sinceMs)}`;
		if (options.beforeMs !== undefined) window += ` and ${field} lt ${odataInstant(options.beforeMs)}`;
		// Graph: the $orderby property must come first in $filter (InefficientFilter otherwise).
		qs.$filter = andFilters(window, userFilter);
		qs.$orderby = `${field} asc`;
		if (options.count) qs.$count = 'true';
	} else if (userFilter) {
		qs.$filter = userFilter;
	} else {
		delete qs.$filter;
	}
	return { url: config.path, qs };
}

/** The newest record(s) by `newestField(config)`, for "Fetch Test Event". */
export function buildNewestRequest(config: PollConfig, count: number, sinceMs: number): ListRequest {
	if (config.dateFilter !== 'server') return buildWindowRequest(config, sinceMs);
	const qs = baseQuery(config, config.baseQuery, count);
	const userFilter = combineUserFilters(qs.$filter, config.userFilter);
	const field = newestField(config).odataPath;
	qs.$orderby = `${field} desc`;
	// Graph: the $orderby property must come first in $filter (InefficientFilter otherwise).
	if (userFilter) qs.$filter = andFilters(`${field} ge 1900-01-01T00:00:00Z`, userFilter);
	return { url: config.path, qs };
}
