/**
 * Tracking mode `delta`: which Graph delta function each resource reads, validated once per poll before any
 * request. Messages are tracked per mail folder (Graph offers no mailbox-wide message delta), contacts in the
 * default contacts folder, events through calendarView/delta over a window around today, files through a drive's
 * root/delta (OneDrive or a SharePoint document library). Everything the timestamp configuration already validates
 * (ID field, dates, options) is taken from it, so both modes name and check their parameters the same way.
 */
import { findUrlPlaceholders } from './dates/urlPlaceholders';
import { Office365ConfigError } from './errors';
import { configKey } from './pollState';
import type { DateField } from './resourceScope';
import { buildPollConfig, type PollConfig } from './triggerConfig';
import type { Access, TriggerParameters } from './triggerParameters';
import { splitUrl } from './urlParts';

type DeltaResource = 'messages' | 'events' | 'contacts' | 'driveItems' | 'custom';

export interface DeltaConfig {
	objectType: string;
	resource: DeltaResource;
	/** Path of the mailbox: `/me` (or `/users/{id}`). */
	mailbox: string;
	/** Messages: one mail folder (id or well-known name); undefined for every folder of the mailbox. */
	folder?: string;
	/** driveItems: `/me/drive`, `/drives/{id}` or `/sites/{id}/drive`. */
	drivePath?: string;
	/** Events: the calendarView window reaches this many days back and ahead of today. */
	daysBack: number;
	daysAhead: number;
	/** Custom: the delta function's path and query as configured. */
	path?: string;
	query?: Array<[string, string]>;
	idField: string;
	updated?: DateField;
	created?: DateField;
	select?: string[];
	pageSize: number;
	pollDelayMs: number;
	maxEventsPerPoll: number;
	createdToleranceMs: number;
	emitCreated: boolean;
	emitUpdated: boolean;
	emitDeleted: boolean;
	emitExistingOnFirstPoll: boolean;
	output: PollConfig['output'];
	/** Version 2: compact records, attachments (shaping the items, as in timestamp mode). */
	simplify?: PollConfig['simplify'];
	attachments?: PollConfig['attachments'];
	configKey: string;
}

/** One delta function: the request that starts a full round, and where its tracker is kept. */
export interface DeltaCollection {
	/** What the tracker key is derived from. */
	identity: Record<string, unknown>;
	first: DeltaRequest;
	/** A request whose answer is an empty round ending in a deltaLink for "now" (drives: `token=latest`). */
	fromNow?: DeltaRequest;
	/** calendarView: the window start `first` asks for (ISO). */
	windowStart?: string;
}

export interface DeltaRequest {
	url: string;
	qs?: Record<string, string>;
	/** Records per page, asked for with `Prefer: odata.maxpagesize`. */
	pageSize?: number;
}

const DAY_MS = 24 * 3600 * 1000;
const DEFAULT_DAYS_BACK = 30;
const DEFAULT_DAYS_AHEAD = 365;
/** The drive of the signed-in user; a drive id (`b!…`) or a site id (`contoso.sharepoint.com,{guid},{guid}`) pick others. */
const DRIVE_ID = /^b![A-Za-z0-9_-]{8,200}$/;
const SITE_ID = /^[A-Za-z0-9.-]+,[0-9a-fA-F-]{36},[0-9a-fA-F-]{36}$/;
const GRAPH_FOLDER_ID = /^[A-Za-z0-9_=+-]{1,512}$/;

function drivePathOf(drive: string | undefined, access: Access): string {
	const value = (drive ?? '').trim();
	if (value === '' || value.toLowerCase() === 'me') {
		if (access.appOnly) {
			throw new Office365ConfigError('Options → Drive', value, 'the credential uses app-only access (Client Credentials), which has no signed-in user and so no OneDrive of its own: enter a drive id (b!…) or a SharePoint site id (contoso.sharepoint.com,{site guid},{web guid})');
		}
		return '/me/drive';
	}
	if (DRIVE_ID.test(value)) return `/drives/${value}`;
	if (SITE_ID.test(value)) return `/sites/${value}/drive`;
	throw new Office365ConfigError(
		'Options → Drive',
		value,
		'leave it empty for your OneDrive, or enter a drive id (b!…) or a SharePoint site id (contoso.sharepoint.com,{site guid},{web guid})',
	);
}

function days(parameter: string, value: number | undefined, fallback: number): number {
	const number = value ?? fallback;
	if (!Number.isInteger(number) || number < 0 || number > 3650) {
		throw new Office365ConfigError(parameter, String(value), 'use a whole number of days from 0 to 3650');
	}
	return number;
}

/** The timestamp configuration of the same parameters: ID field, dates and options, validated and named. */
function baseConfig(parameters: TriggerParameters, access: Access): PollConfig {
	const eventTypes = (parameters.eventTypes ?? ['created', 'updated', 'deleted']).filter((type) => type !== 'deleted');
	if (parameters.resource === 'driveItems') {
		return buildPollConfig({
			...parameters,
			resource: 'custom',
			url: '/me/drive/root/delta',
			idField: 'id',
			datesConfiguration: { updatedAtField: 'lastModifiedDateTime', createdAtField: 'createdDateTime' },
			eventTypes: eventTypes.length ? eventTypes : ['updated'],
			options: { ...parameters.options, folder: undefined },
			// The URL only names the collection in the key; the drive read is drivePathOf's, which checks the access.
		}, { appOnly: false });
	}
	return buildPollConfig({ ...parameters, eventTypes: eventTypes.length ? eventTypes : ['updated'] }, access);
}

/** One function: every option of the delta mode is checked here, before anything is built, so nothing is half-applied. */
export function buildDeltaConfig(parameters: TriggerParameters, access: Access = { appOnly: false }): DeltaConfig {
	const options = parameters.options ?? {};
	const eventTypes = parameters.eventTypes ?? ['created', 'updated', 'deleted'];
	for (const type of eventTypes) {
		if (type !== 'created' && type !== 'updated' && type !== 'deleted') {
			throw new Office365ConfigError('Event Types', type, 'choose Created, Updated and/or Deleted');
		}
	}
	if (eventTypes.length === 0) throw new Office365ConfigError('Event Types', '', 'choose at least one of Created, Updated and Deleted');
	if ((options.filter ?? '').trim()) {
		throw new Office365ConfigError('Options → Filter', options.filter!, 'delta queries take no $filter; remove it, or use Tracking Mode Timestamp');
	}
	const base = baseConfig(parameters, access);
	const resource = parameters.resource as DeltaResource;
	const config: DeltaConfig = {
		objectType: base.objectType,
		resource,
		mailbox: base.mailboxPath ?? '/me',
		daysBack: 0,
		daysAhead: 0,
		idField: base.idField,
		updated: base.updated,
		created: base.created,
		select: base.select,
		pageSize: base.pageSize,
		pollDelayMs: base.pollDelayMs,
		maxEventsPerPoll: base.maxEventsPerPoll,
		createdToleranceMs: base.createdToleranceMs,
		emitCreated: eventTypes.includes('created'),
		emitUpdated: eventTypes.includes('updated'),
		emitDeleted: eventTypes.includes('deleted'),
		emitExistingOnFirstPoll: base.emitExistingOnFirstPoll,
		output: base.output,
		simplify: base.simplify,
		attachments: base.attachments,
		configKey: '',
	};
	if (resource === 'messages') {
		const folder = (options.folder ?? '').trim();
		if (folder && !GRAPH_FOLDER_ID.test(folder)) {
			throw new Office365ConfigError('Options → Folder', folder, 'pick a folder from the list, or enter a folder id or a well-known name such as inbox');
		}
		config.folder = folder || undefined;
	} else if (resource === 'events') {
		if (config.select) throw new Office365ConfigError('Options → Select', options.select!, 'calendarView/delta returns whole events; remove Select');
		config.daysBack = days('Options → Calendar Days Back', options.calendarDaysBack, DEFAULT_DAYS_BACK);
		config.daysAhead = days('Options → Calendar Days Ahead', options.calendarDaysAhead, DEFAULT_DAYS_AHEAD);
		if (config.daysBack + config.daysAhead === 0) {
			throw new Office365ConfigError('Options → Calendar Days Ahead', '0', 'the window needs at least one day: raise Calendar Days Back or Calendar Days Ahead');
		}
	} else if (resource === 'driveItems') {
		config.drivePath = drivePathOf(options.drive, access);
		config.objectType = parameters.objectType ?? 'driveItems';
	} else if (resource === 'custom') {
		const url = (parameters.url ?? '').trim();
		const { path, query } = splitUrl(url);
		if (findUrlPlaceholders(url).length > 0) {
			throw new Office365ConfigError('URL', url, 'a delta function takes no date placeholders: Graph tracks what changed itself; remove them');
		}
		if (!/\/delta(\(\))?$/i.test(path)) {
			throw new Office365ConfigError('URL', parameters.url ?? '', 'in Tracking Mode Delta the URL is a delta function, such as /me/contactFolders/{id}/contacts/delta or /drives/{id}/root/delta');
		}
		config.path = path;
		config.query = query;
	} else if (resource !== 'contacts') {
		throw new Office365ConfigError('Resource', String(resource), 'choose Message, Event, Contact, File or Custom');
	}
	if (!config.updated && !config.created) {
		throw new Office365ConfigError('Dates Configuration', '', 'set Updated At Field so the trigger can tell versions of a record apart');
	}
	config.configKey = configKey({
		base: base.configKey,
		mode: 'delta',
		emitDeleted: config.emitDeleted,
		drive: config.drivePath ?? null,
	});
	return config;
}

function withSelect(config: DeltaConfig, qs: Record<string, string>): Record<string, string> {
	if (!config.select) return qs;
	const fields = new Set(config.select);
	for (const path of [config.idField, config.updated?.field, config.created?.field]) if (path) fields.add(path.split('.')[0]);
	return { ...qs, $select: [...fields].join(',') };
}

/** The delta function of one mail folder. */
export function mailFolderCollection(config: DeltaConfig, folderId: string): DeltaCollection {
	return {
		identity: { resource: 'messages', mailbox: config.mailbox, folder: folderId, mode: 'delta' },
		first: { url: `${config.mailbox}/mailFolders/${encodeURIComponent(folderId)}/messages/delta`, qs: withSelect(config, {}), pageSize: config.pageSize },
	};
}

/** The window calendarView/delta reads: whole UTC days around `nowMs`. */
function calendarWindow(config: DeltaConfig, nowMs: number): { start: string; end: string } {
	const today = Math.floor(nowMs / DAY_MS) * DAY_MS;
	return {
		start: new Date(today - config.daysBack * DAY_MS).toISOString(),
		end: new Date(today + (config.daysAhead + 1) * DAY_MS).toISOString(),
	};
}

/** The delta function of a resource that is one collection (everything but messages of a whole mailbox). */
export function singleCollection(config: DeltaConfig, nowMs: number): DeltaCollection {
	switch (config.resource) {
		case 'messages':
			return mailFolderCollection(config, config.folder!);
		case 'contacts':
			return {
				identity: { resource: 'contacts', mailbox: config.mailbox, mode: 'delta' },
				first: { url: `${config.mailbox}/contacts/delta`, qs: withSelect(config, {}), pageSize: config.pageSize },
			};
		case 'events': {
			const window = calendarWindow(config, nowMs);
			return {
				identity: { resource: 'events', mailbox: config.mailbox, mode: 'delta' },
				first: { url: `${config.mailbox}/calendarView/delta`, qs: { startDateTime: window.start, endDateTime: window.end }, pageSize: config.pageSize },
				windowStart: window.start,
			};
		}
		case 'driveItems':
			return {
				identity: { resource: 'driveItems', drive: config.drivePath, mode: 'delta' },
				first: { url: `${config.drivePath}/root/delta`, qs: withSelect(config, { $top: String(config.pageSize) }), pageSize: config.pageSize },
				fromNow: { url: `${config.drivePath}/root/delta`, qs: { token: 'latest' } },
			};
		case 'custom': {
			const qs: Record<string, string> = {};
			for (const [name, value] of config.query ?? []) qs[name] = value;
			return {
				identity: { resource: 'custom', path: config.path, mode: 'delta' },
				first: { url: config.path!, qs: withSelect(config, qs), pageSize: config.pageSize },
			};
		}
	}
}
