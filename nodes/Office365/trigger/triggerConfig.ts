/**
 * Turns the node's parameters into a validated poll configuration, once per poll, before any
 * request: every mistake becomes an Office365ConfigError naming the parameter, the value and what
 * would work, so nothing is half-applied.
 */
import { compileDateFormat, type DateCodec } from './dates/javaDatePattern';
import { findUrlPlaceholders, validateUrlPlaceholders } from './dates/urlPlaceholders';
import { Office365ConfigError } from './errors';
import { isValidFieldPath, toODataPath } from './fieldPath';
import { resolveMailbox, type MailboxParameter } from './mailbox';
import { compileMailFilters, type MailFilterParameters, type RecordFilterSpec } from './mailFilters';
import { FOLDER_REF, FOLDER_REF_HINT, folderScope, namesToResolve, type FolderMode } from './mailFolders';
import { configKey } from './pollState';
import { RESOURCE_PRESETS, type PresetResource } from './resourcePresets';
import { SIMPLE_FIELDS } from './simplify';
import { splitUrl } from './urlParts';

/** A folder list of version 2 (n8n fixedCollection of resource locators). */
export interface FolderListParameter {
	folders?: Array<{ folder?: MailboxParameter }>;
}

/** Parameter names and shapes exactly as the node declares them. */
export interface TriggerParameters {
	/** The node's typeVersion (1 when absent): version 1 keeps the first release's behaviour. */
	version?: number;
	configurationMode?: 'fields' | 'json';
	/** Json mode: an Open Connectors `event.poller.configuration` (object or JSON text) or `event.poller.urls` lines. */
	pollerConfiguration?: unknown;
	trackingMode?: 'timestamp' | 'delta';
	/** Fields mode only. */
	resource?: PresetResource | 'custom' | 'driveItems';
	/** Json mode: the resource's name in the pasted configuration, emitted as objectType. */
	objectType?: string;
	/** Version 2, presets: whose mailbox. */
	mailbox?: MailboxParameter;
	/** Version 2, messages: which folders. */
	folderFilter?: FolderMode;
	foldersToInclude?: FolderListParameter;
	foldersToExclude?: FolderListParameter;
	/** Version 2, messages. */
	filters?: MailFilterParameters;
	/** Version 2, presets: compact records. */
	simplify?: boolean;
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
		downloadAttachments?: boolean;
		attachmentsPrefix?: string;
		/** Megabytes of file attachments downloaded per message. */
		maxAttachmentSize?: number;
	};
}

/** What the credential allows, read before the configuration is built. */
export interface Access {
	/** App-only (client credentials): no signed-in user, so no `/me`. */
	appOnly: boolean;
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
	attachments?: { prefix: string; maxBytesPerMessage: number };
	/** The watched collection (resource and mailbox, or the custom path): state is kept per collection. */
	collection: Record<string, unknown>;
	/** Everything that decides which of its changes are emitted; an edit carries on from the same state. */
	configKey: string;
}

export const DEFAULT_MAX_EVENTS_PER_POLL = 10_000;
export const DEFAULT_CREATED_TOLERANCE_SECONDS = 2;
export const DEFAULT_MAX_ATTACHMENT_MB = 25;
/** n8n binary property names: the prefix plus an index. */
const BINARY_PREFIX = /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/;
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

function folderRefs(list: FolderListParameter | undefined): string[] {
	return (list?.folders ?? []).map(({ folder }) => {
		const value = typeof folder === 'object' && folder !== null ? folder.value : folder;
		return typeof value === 'string' ? value : '';
	});
}

/** Version 2 messages: folders and filters of the mailbox `base` path; one included folder is read through its own list. */
function mailScope(parameters: TriggerParameters, base: string): { url: string; userFilter?: string; recordFilter?: RecordFilterSpec; fields: string[] } {
	const mode = parameters.folderFilter ?? 'exclude';
	if (mode !== 'include' && mode !== 'exclude') {
		throw new Office365ConfigError('Folders', String(mode), 'choose "All Folders Except…" or "Only These Folders"');
	}
	const scope =
		mode === 'include'
			? folderScope('Folders to Include', 'include', folderRefs(parameters.foldersToInclude))
			: folderScope('Folders to Exclude', 'exclude', folderRefs(parameters.foldersToExclude));
	const single = scope.mode === 'include' && scope.folders.length === 1;
	const compiled = compileMailFilters(parameters.filters ?? {}, single ? undefined : scope);
	return {
		url: single ? `${base}/mailFolders/${encodeURIComponent(scope.folders[0])}/messages` : `${base}/messages`,
		userFilter: compiled.serverFilter,
		recordFilter: compiled.record,
		fields: compiled.fields,
	};
}

function attachmentOptions(options: NonNullable<TriggerParameters['options']>): PollConfig['attachments'] {
	if (options.downloadAttachments !== true) return undefined;
	const prefix = (options.attachmentsPrefix ?? 'attachment_').trim();
	if (!BINARY_PREFIX.test(prefix)) {
		throw new Office365ConfigError('Options → Attachment Prefix', prefix, 'use letters, digits, _ and - (starting with a letter or _), such as attachment_');
	}
	const megabytes = options.maxAttachmentSize ?? DEFAULT_MAX_ATTACHMENT_MB;
	if (typeof megabytes !== 'number' || !Number.isFinite(megabytes) || megabytes <= 0 || megabytes > 1024) {
		throw new Office365ConfigError('Options → Max Attachment Size (MB)', String(megabytes), 'use a number of megabytes above 0 and up to 1024');
	}
	return { prefix, maxBytesPerMessage: Math.floor(megabytes * 1024 * 1024) };
}

/** The date "Fetch Test Event" orders by. */
export function newestField(config: PollConfig): DateField {
	return config.newestByCreated && config.created ? config.created : config.tracked;
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

export function buildPollConfig(parameters: TriggerParameters, access: Access = { appOnly: false }): PollConfig {
	const options = parameters.options ?? {};
	const version = parameters.version ?? 1;
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
	let scopeFilter: string | undefined;
	let recordFilter: RecordFilterSpec | undefined;
	let requiredFields: string[] = [];
	let simplify: PresetResource | undefined;
	let attachments: PollConfig['attachments'];
	let mailboxPath: string | undefined;

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
		if (access.appOnly && /^\/?me(\/|$)/i.test(customPath)) {
			throw new Office365ConfigError('URL', url, 'the credential uses app-only access, which has no signed-in user: address the mailbox as /users/{address or id}/… instead of /me/…');
		}
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
		const mailbox = resolveMailbox(version >= 2 ? parameters.mailbox : undefined, access.appOnly);
		mailboxPath = mailbox.path;
		url = `${mailbox.path}${preset.url.replace(/^\/me/, '')}`;
		collection = { resource: parameters.resource, mailbox: mailbox.key };
		if (parameters.resource === 'messages' && version >= 2) {
			const scope = mailScope(parameters, mailbox.path);
			url = scope.url;
			scopeFilter = scope.userFilter;
			recordFilter = scope.recordFilter;
			requiredFields = scope.fields;
			attachments = attachmentOptions(options);
		} else if (parameters.resource === 'messages') {
			// Version 1: one optional folder, in the path as entered.
			const folder = (options.folder ?? '').trim();
			if (folder) {
				if (!FOLDER_REF.test(folder)) throw new Office365ConfigError('Options → Folder', folder, FOLDER_REF_HINT);
				url = `/me/mailFolders/${encodeURIComponent(folder)}/messages`;
			}
		}
		if (version >= 2 && parameters.simplify === true) simplify = parameters.resource as PresetResource;
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

	const ownFilter = (options.filter ?? '').trim() || undefined;
	if (ownFilter) checkParentheses('Options → Filter', ownFilter);
	const userFilter = ownFilter && scopeFilter ? `(${ownFilter}) and ${scopeFilter}` : (ownFilter ?? scopeFilter);
	const urlFilter = query.find(([name]) => name === '$filter')?.[1];
	if (urlFilter) checkParentheses('URL', urlFilter);
	if (dateFilter === 'server' && query.some(([name]) => name === '$orderby')) {
		throw new Office365ConfigError('URL', url, 'remove $orderby: the trigger orders by the tracked date itself (Graph requires that property first)');
	}

	const pollDelaySeconds = integerInRange('Options → Poll Delay', options.pollDelay, defaultPollDelay, 0, 86_400);
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
