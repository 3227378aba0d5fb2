/**
 * Turns the node's parameters into a validated poll configuration, once per poll, before any
 * request: every mistake becomes an Office365ConfigError naming the parameter, the value and what
 * would work, so nothing is half-applied. The resource's part comes from customResource.ts or
 * presetResource.ts; the options and the query are checked here.
 */
import { findUrlPlaceholders } from './dates/urlPlaceholders';
import { customResource } from './customResource';
import { Office365ConfigError } from './errors';
import type { RecordFilterSpec } from './mailFilters';
import { namesToResolve } from './mailFolders';
import { checkParentheses, checkQueryOptions, integerInRange, parseSelect } from './optionChecks';
import { configKey } from './pollState';
import { presetResource } from './presetResource';
import type { PresetResource } from './resourcePresets';
import type { DateField, ResourceScope } from './resourceScope';
import { SIMPLE_FIELDS } from './simplify';
import type { Access, TriggerParameters } from './triggerParameters';
import { splitUrl } from './urlParts';

/**
 * How the time window reaches the API: `server` adds `$filter`/`$orderby` (Graph collections);
 * `placeholder` expands the Open Connectors `${…}` placeholders in the URL; `client` reads every
 * page and filters locally (APIs without date filters).
 */
type DateFilterMode = 'server' | 'placeholder' | 'client';

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
	/** "Fetch Test Event" picks the newest record by its created date (version 2), else by the tracked one. */
	newestByCreated: boolean;
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
	/** Records the window returns that are reported only when they pass (folders, subject, categories). */
	recordFilter?: RecordFilterSpec;
	/** Well-known folder names whose ids `recordFilter` needs (resolved once per mailbox, kept in the state). */
	folderNames: string[];
	/** Compact records of this preset instead of Graph's full ones. */
	simplify?: PresetResource;
	/** Presets: the mailbox's path under {graph}/v1.0 (`/me` or `/users/{id}`). */
	mailboxPath?: string;
	/** Download Attachments (messages). */
	attachments?: ResourceScope['attachments'];
	/** The watched collection (resource and mailbox, or the custom path): state is kept per collection. */
	collection: Record<string, unknown>;
	/** Everything that decides which of its changes are emitted; an edit carries on from the same state. */
	configKey: string;
}

export const DEFAULT_MAX_EVENTS_PER_POLL = 10_000;
const DEFAULT_CREATED_TOLERANCE_SECONDS = 2;

/** The date "Fetch Test Event" orders by. */
export function newestField(config: PollConfig): DateField {
	return config.newestByCreated && config.created ? config.created : config.tracked;
}

function eventTypesOf(parameters: TriggerParameters): { emitCreated: boolean; emitUpdated: boolean } {
	const eventTypes = parameters.eventTypes ?? ['created', 'updated'];
	for (const type of eventTypes) {
		if (type !== 'created' && type !== 'updated') {
			throw new Office365ConfigError('Event Types', type, 'choose Created and/or Updated');
		}
	}
	if (eventTypes.length === 0) throw new Office365ConfigError('Event Types', '', 'choose at least one of Created and Updated');
	const emitCreated = eventTypes.includes('created');
	const emitUpdated = eventTypes.includes('updated');
	return { emitCreated, emitUpdated };
}

/** The URL's path and query, how the window reaches the API, and the user's filter joined with the mail scope's. */
function windowQuery(
	url: string,
	options: NonNullable<TriggerParameters['options']>,
	scopeFilter: string | undefined,
): { path: string; query: Array<[string, string]>; dateFilter: DateFilterMode; userFilter?: string } {
	const { path, query } = splitUrl(url);
	checkQueryOptions(url, query);
	const hasPlaceholders = findUrlPlaceholders(url).length > 0;
	let dateFilter: DateFilterMode;
	if (hasPlaceholders) dateFilter = 'placeholder';
	else if (options.dateFilter === 'client') dateFilter = 'client';
	else dateFilter = 'server';

	const ownFilter = (options.filter ?? '').trim() || undefined;
	if (ownFilter) checkParentheses('Options → Filter', ownFilter);
	const userFilter = ownFilter && scopeFilter ? `(${ownFilter}) and ${scopeFilter}` : (ownFilter ?? scopeFilter);
	const urlFilter = query.find(([name]) => name === '$filter')?.[1];
	if (urlFilter) checkParentheses('URL', urlFilter);
	if (dateFilter === 'server' && query.some(([name]) => name === '$orderby')) {
		throw new Office365ConfigError('URL', url, 'remove $orderby: the trigger orders by the tracked date itself (Graph requires that property first)');
	}
	return { path, query, dateFilter, userFilter };
}

/** One function: every field of the configuration is set once, in the object it returns. */
export function buildPollConfig(parameters: TriggerParameters, access: Access = { appOnly: false }): PollConfig {
	const options = parameters.options ?? {};
	const version = parameters.version ?? 1;
	const { emitCreated, emitUpdated } = eventTypesOf(parameters);

	const scope = parameters.resource === 'custom' ? customResource(parameters, access) : presetResource(parameters, access, version);
	const { objectType, url, idField, updated, created, maxPageSize, collection, scopeFilter, recordFilter, requiredFields, simplify, attachments, mailboxPath } = scope;

	if (emitUpdated && !updated) {
		throw new Office365ConfigError('Event Types', 'updated', 'Updated events need Updated At Field in Dates Configuration');
	}
	const trackingCreated = !emitUpdated && created !== undefined;
	const tracked = trackingCreated ? created! : (updated ?? created)!;

	const { path, query, dateFilter, userFilter } = windowQuery(url, options, scopeFilter);

	const pollDelaySeconds = integerInRange('Options → Poll Delay', options.pollDelay, scope.defaultPollDelay, 0, 86_400);
	// Delta functions return whole records (calendarView/delta takes no $select): Simplify then only shapes the output.
	const select = simplify && parameters.trackingMode !== 'delta' ? [...SIMPLE_FIELDS[simplify]] : parseSelect(options.select);
	if (select) {
		for (const field of [...requiredFields, ...(attachments ? ['hasAttachments'] : [])]) if (!select.includes(field)) select.push(field);
	}
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
		newestByCreated: version >= 2 && created !== undefined,
		trackingCreated,
		dateFilter,
		userFilter,
		select,
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
		recordFilter,
		folderNames: namesToResolve(recordFilter?.folders),
		simplify,
		attachments,
		mailboxPath,
		collection,
		// recordFilter only when set: version 1 configurations keep their key.
		configKey: configKey({ path, query, tracked: tracked.field, userFilter: userFilter ?? null, dateFilter, emitCreated, emitUpdated, recordFilter }),
	};
}
