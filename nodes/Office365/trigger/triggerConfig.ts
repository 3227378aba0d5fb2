/**
 * Turns the node's parameters into a validated poll configuration, once per poll, before any
 * request: every mistake becomes an Office365ConfigError naming the parameter, the value and what
 * would work, so nothing is half-applied.
 */
import { compileDateFormat, type DateCodec } from './dates/javaDatePattern';
import { findUrlPlaceholders, validateUrlPlaceholders } from './dates/urlPlaceholders';
import { Office365ConfigError } from './errors';
import { isValidFieldPath, toODataPath } from './fieldPath';
import { configKey } from './pollState';
import { RESOURCE_PRESETS, type PresetResource } from './resourcePresets';
import { splitUrl } from './urlParts';

/** Parameter names and shapes exactly as the node declares them. */
export interface TriggerParameters {
	configurationMode?: 'fields' | 'json';
	/** Json mode: an Open Connectors `event.poller.configuration` (object or JSON text) or `event.poller.urls` lines. */
	pollerConfiguration?: unknown;
	trackingMode?: 'timestamp' | 'delta';
	/** Fields mode only. */
	resource?: PresetResource | 'custom' | 'driveItems';
	/** Json mode: the resource's name in the pasted configuration, emitted as objectType. */
	objectType?: string;
	url?: string;
	idField?: string;
	datesConfiguration?: {
		updatedAtField?: string;
		updatedAtFormat?: string;
		updatedAtTimezone?: string;
		createdAtField?: string;
		createdAtFormat?: string;
		createdAtTimezone?: string;
	};
	eventTypes?: string[];
	options?: {
		pollDelay?: number;
		pageSize?: number;
		maxEventsPerPoll?: number;
		emitExistingOnFirstPoll?: boolean;
		select?: string;
		filter?: string;
		folder?: string;
		output?: 'event' | 'raw';
		createdCheckTolerance?: number;
		dateFilter?: 'server' | 'client';
		calendarDaysBack?: number;
		calendarDaysAhead?: number;
		drive?: string;
	};
}

export interface DateField {
	/** Dot path in the record. */
	field: string;
	/** Same path in OData syntax. */
	odataPath: string;
	codec: DateCodec;
}

/**
 * How the time window reaches the API: `server` adds `$filter`/`$orderby` (Graph collections);
 * `placeholder` expands the Open Connectors `${…}` placeholders in the URL; `client` reads every
 * page and filters locally (APIs without date filters).
 */
export type DateFilterMode = 'server' | 'placeholder' | 'client';

export interface PollConfig {
	objectType: string;
	/** The URL as configured (placeholders unexpanded). */
	url: string;
	/** Path relative to the Graph API root (or an absolute URL under it), query string removed. */
	path: string;
	/** Query parameters the URL carried (decoded; placeholders still unexpanded). */
	baseQuery: Array<[string, string]>;
	idField: string;
	updated?: DateField;
	created?: DateField;
	/** The date the query window follows: updated, or created when only CREATED events are wanted. */
	tracked: DateField;
	trackingCreated: boolean;
	dateFilter: DateFilterMode;
	userFilter?: string;
	select?: string[];
	pageSize: number;
	/** Largest page the API accepts (a group of records sharing one second is read in one answer when it fits). */
	maxPageSize: number;
	/** The collection answers `$count=true` (Graph's mail, calendar and contacts lists do). */
	countable: boolean;
	pollDelayMs: number;
	maxEventsPerPoll: number;
	createdToleranceMs: number;
	emitCreated: boolean;
	emitUpdated: boolean;
	emitExistingOnFirstPoll: boolean;
	output: 'event' | 'raw';
	/** The watched collection (resource and mailbox, or the custom path): state is kept per collection. */
	collection: Record<string, unknown>;
	/** Everything that decides which of its changes are emitted; an edit carries on from the same state. */
	configKey: string;
}

export const DEFAULT_MAX_EVENTS_PER_POLL = 10_000;
export const DEFAULT_CREATED_TOLERANCE_SECONDS = 2;
/** Graph ids (URL-safe base64) and well-known names such as inbox: no `/`, `.` or `%`, so a folder can't leave its path. */
const GRAPH_FOLDER_ID = /^[A-Za-z0-9_=+-]{1,512}$/;
/** Paging is the trigger's own (verified offsets); a URL must not bring its own. */
const PAGING_OPTIONS = new Set(['$skip', '$skiptoken']);

function requireFieldPath(parameter: string, value: string | undefined, fallback?: string): string {
	const path = (value ?? '').trim() || fallback;
	if (!path) throw new Office365ConfigError(parameter, '', 'enter the record field, such as lastModifiedDateTime');
	if (!isValidFieldPath(path)) {
		throw new Office365ConfigError(parameter, path, 'use a dot path of property names, such as id or from.emailAddress.address');
	}
	return path;
}

function dateField(parameter: string, field: string, format: string | undefined, timezone: string | undefined): DateField {
	const path = requireFieldPath(parameter, field);
	return {
		field: path,
		odataPath: toODataPath(path),
		codec: compileDateFormat((format ?? '').trim() || 'ISO', (timezone ?? '').trim() || undefined, parameter.replace(/Field$/, 'Format'), {
			timezoneParameter: parameter.replace(/Field$/, 'Timezone'),
		}),
	};
}

function integerInRange(parameter: string, value: number | undefined, fallback: number, min: number, max: number): number {
	const number = value ?? fallback;
	if (!Number.isInteger(number) || number < min || number > max) {
		throw new Office365ConfigError(parameter, String(value), `use a whole number from ${min} to ${max}`);
	}
	return number;
}

function parseSelect(select: string | undefined): string[] | undefined {
	const fields = (select ?? '')
		.split(',')
		.map((field) => field.trim())
		.filter(Boolean);
	for (const field of fields) {
		if (!/^[A-Za-z_@][\w@.]*$/.test(field)) {
			throw new Office365ConfigError('Options → Select', select ?? '', `"${field}" is not a property name; use a comma-separated list such as subject,from,receivedDateTime`);
		}
	}
	return fields.length ? fields : undefined;
}

/** Each query option once: a second `$filter` would be the one Graph applies, unchecked. */
function checkQueryOptions(url: string, query: Array<[string, string]>): void {
	const names = new Set<string>();
	for (const [name] of query) {
		const normalized = name.toLowerCase();
		if (PAGING_OPTIONS.has(normalized)) {
			throw new Office365ConfigError('URL', url, `remove ${name}: the trigger pages through the collection itself`);
		}
		if (names.has(normalized)) {
			throw new Office365ConfigError('URL', url, `${name} appears more than once; give each query option once`);
		}
		names.add(normalized);
	}
}

function checkParentheses(parameter: string, filter: string): void {
	let depth = 0;
	let quoted = false;
	for (const char of filter) {
		if (char === "'") quoted = !quoted;
		else if (!quoted && char === '(') depth++;
		else if (!quoted && char === ')' && --depth < 0) break;
	}
	if (depth !== 0 || quoted) {
		throw new Office365ConfigError(parameter, filter, 'unbalanced parentheses or quotes; write an OData condition such as isRead eq false');
	}
}

export function buildPollConfig(parameters: TriggerParameters): PollConfig {
	const options = parameters.options ?? {};
	const eventTypes = parameters.eventTypes ?? ['created', 'updated'];
	for (const type of eventTypes) {
		if (type !== 'created' && type !== 'updated') {
			throw new Office365ConfigError('Event Types', type, 'choose Created and/or Updated');
		}
	}
	if (eventTypes.length === 0) throw new Office365ConfigError('Event Types', '', 'choose at least one of Created and Updated');
	const emitCreated = eventTypes.includes('created');
	const emitUpdated = eventTypes.includes('updated');

	let objectType: string;
	let url: string;
	let idField: string;
	let updated: DateField | undefined;
	let created: DateField | undefined;
	let maxPageSize = 1000;
	let defaultPollDelay = 60;
	let collection: Record<string, unknown>;

	if (parameters.resource === 'custom') {
		url = (parameters.url ?? '').trim();
		if (!url) throw new Office365ConfigError('URL', '', 'enter the path to poll, relative to the Graph API root, such as /me/mailFolders/inbox/messages');
		validateUrlPlaceholders(url, 'URL');
		idField = requireFieldPath('ID Field', parameters.idField, 'id');
		const dates = parameters.datesConfiguration ?? {};
		if ((dates.updatedAtField ?? '').trim()) {
			updated = dateField('Updated At Field', dates.updatedAtField!, dates.updatedAtFormat, dates.updatedAtTimezone);
		}
		if ((dates.createdAtField ?? '').trim()) {
			created = dateField('Created At Field', dates.createdAtField!, dates.createdAtFormat, dates.createdAtTimezone);
		}
		if (!updated && !created) {
			throw new Office365ConfigError('Dates Configuration', '', 'set Updated At Field (and Created At Field) so the trigger knows which date tells a change');
		}
		const customPath = splitUrl(url).path;
		// A delta function is named after the collection it tracks (`…/contacts/delta` → contacts).
		const segments = customPath.split('/').filter((segment) => segment && !/^delta(\(\))?$/i.test(segment));
		objectType = (segments.pop() ?? 'records').replace(/[^\w-]/g, '') || 'records';
		collection = { resource: 'custom', path: customPath };
	} else {
		const preset = RESOURCE_PRESETS[parameters.resource as PresetResource];
		if (!preset) {
			throw new Office365ConfigError('Resource', String(parameters.resource), 'choose Message, Event, Contact or Custom');
		}
		objectType = preset.objectType;
		url = preset.url;
		collection = { resource: parameters.resource, mailbox: 'me' };
		const folder = (options.folder ?? '').trim();
		if (folder && parameters.resource === 'messages') {
			if (!GRAPH_FOLDER_ID.test(folder)) {
				throw new Office365ConfigError('Options → Folder', folder, 'pick a folder from the list, or enter a folder id or a well-known name such as inbox (letters, digits, - _ = + only)');
			}
			url = `/me/mailFolders/${encodeURIComponent(folder)}/messages`;
		}
		idField = preset.idField;
		updated = dateField('Updated At Field', preset.updatedField, 'ISO', 'UTC');
		created = dateField('Created At Field', preset.createdField, 'ISO', 'UTC');
		maxPageSize = preset.maxPageSize;
		defaultPollDelay = preset.pollDelaySeconds;
	}

	if (emitUpdated && !updated) {
		throw new Office365ConfigError('Event Types', 'updated', 'Updated events need Updated At Field in Dates Configuration');
	}
	const trackingCreated = !emitUpdated && created !== undefined;
	const tracked = trackingCreated ? created! : (updated ?? created)!;

	const { path, query } = splitUrl(url);
	checkQueryOptions(url, query);
	const hasPlaceholders = findUrlPlaceholders(url).length > 0;
	let dateFilter: DateFilterMode;
	if (hasPlaceholders) dateFilter = 'placeholder';
	else if (options.dateFilter === 'client') dateFilter = 'client';
	else dateFilter = 'server';

	const userFilter = (options.filter ?? '').trim() || undefined;
	if (userFilter) checkParentheses('Options → Filter', userFilter);
	const urlFilter = query.find(([name]) => name === '$filter')?.[1];
	if (urlFilter) checkParentheses('URL', urlFilter);
	if (dateFilter === 'server' && query.some(([name]) => name === '$orderby')) {
		throw new Office365ConfigError('URL', url, 'remove $orderby: the trigger orders by the tracked date itself (Graph requires that property first)');
	}

	const pollDelaySeconds = integerInRange('Options → Poll Delay', options.pollDelay, defaultPollDelay, 0, 86_400);
	const pageSize = integerInRange('Options → Page Size', options.pageSize, maxPageSize, 1, maxPageSize);

	return {
		objectType: parameters.objectType ?? objectType,
		url,
		path,
		baseQuery: query,
		idField,
		updated,
		created,
		tracked,
		trackingCreated,
		dateFilter,
		userFilter,
		select: parseSelect(options.select),
		// Two at least: verified offset paging overlaps pages by one record.
		pageSize: Math.max(2, pageSize),
		// Custom collections may accept less than 1000 per page: only what the user chose is known to work.
		maxPageSize: parameters.resource === 'custom' ? Math.max(2, pageSize) : maxPageSize,
		countable: parameters.resource !== 'custom',
		pollDelayMs: pollDelaySeconds * 1000,
		maxEventsPerPoll: integerInRange('Options → Max Events Per Poll', options.maxEventsPerPoll, DEFAULT_MAX_EVENTS_PER_POLL, 1, 1_000_000),
		createdToleranceMs:
			integerInRange('Options → Created Check Tolerance', options.createdCheckTolerance, DEFAULT_CREATED_TOLERANCE_SECONDS, 0, 86_400) * 1000,
		emitCreated,
		emitUpdated,
		emitExistingOnFirstPoll: options.emitExistingOnFirstPoll === true,
		output: options.output === 'raw' ? 'raw' : 'event',
		collection,
		configKey: configKey({ path, query, tracked: tracked.field, userFilter: userFilter ?? null, dateFilter, emitCreated, emitUpdated }),
	};
}
