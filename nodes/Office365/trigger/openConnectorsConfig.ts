/**
 * Open Connectors poller configurations as users paste them, turned into the parameters one resource has in the
 * fields mode. Accepted: the `event.poller.configuration` object of resources, its JSON text (also encoded twice,
 * as instance dumps hold it), the instance's `configuration` (or the whole instance body) holding it, and the
 * legacy `event.poller.urls` lines (`resource|url|xPathFilter|updatedDateField|updatedDateFormat|updatedDateTimeZone|
 * createdDateField|createdDateFormat|createdDateTimeZone`, or bare resource names). Both the documented
 * `updatedDate*` and the `updatedAt*` spelling of the date keys are read; `createdCheckTolerance`, `pageSize` and
 * `pollDelay` set that resource's options. Every mistake is an Office365ConfigError naming the resource and key.
 */
import { compileDateFormat } from './dates/javaDatePattern';
import { Office365ConfigError } from './errors';
import { bareResourceOf, camelCaseField, graphField, hubResourceOf, SUPPORTED_HUB_PATHS, translateWhere, type HubResource } from './hubMapping';
import type { TriggerParameters } from './triggerParameters';
import { splitUrl } from './urlParts';

/** One resource of a pasted configuration. */
export interface PollerResource {
	name: string;
	/** The resource in fields-mode terms (objectType is the resource's name). */
	parameters: TriggerParameters;
	/** Fields-mode parameter → the key that set it, so errors of the fields rules name the pasted key. */
	keys: Record<string, string>;
}

export const POLLER_CONFIGURATION = 'Poller Configuration';

type Json = Record<string, unknown>;

const RESOURCE_KEYS = new Set([
	'url',
	'idField',
	'datesConfiguration',
	'filterByUpdatedDate',
	'filterByUpdateDate',
	'filterByCurrentDate',
	'createdCheckTolerance',
	'pageSize',
	'pollDelay',
]);
/** `updatedDateTimezone` / `updatedAtTimezone` and their `TimeZone` spelling, also met at resource level. */
const DATE_KEY = /^(updated|created)(Date|At)(Field|Format|Timezone|TimeZone)$/;
const LEGACY_FIELDS = ['url', 'xPathFilter', 'updatedDateField', 'updatedDateFormat', 'updatedDateTimeZone', 'createdDateField', 'createdDateFormat', 'createdDateTimeZone'];

const isObject = (value: unknown): value is Json => !!value && typeof value === 'object' && !Array.isArray(value);
const label = (key: string) => (key ? `${POLLER_CONFIGURATION} → ${key}` : POLLER_CONFIGURATION);
const show = (value: unknown) => (typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value)));

function fail(key: string, value: unknown, hint: string): never {
	throw new Office365ConfigError(label(key), show(value), hint);
}

/** The resources of whatever was pasted. */
export function parsePollerConfiguration(value: unknown): PollerResource[] {
	const resources = collect(value, 0);
	if (resources.length === 0) fail('', '', 'paste an Open Connectors event.poller.configuration with at least one resource, such as { "messages": { "url": …, "idField": …, "datesConfiguration": { … } } }');
	const names = new Set<string>();
	for (const resource of resources) {
		if (names.has(resource.name)) fail(resource.name, resource.name, 'each resource name once');
		names.add(resource.name);
	}
	return resources;
}

function collect(value: unknown, depth: number): PollerResource[] {
	if (typeof value === 'string') {
		const text = value.trim();
		if (text === '') return [];
		let parsed: unknown;
		try {
			parsed = JSON.parse(text);
		} catch (error) {
			if (/^[{["]/.test(text)) fail('', text.length > 80 ? `${text.slice(0, 80)}…` : text, `not valid JSON (${(error as Error).message})`);
			return legacyLines(text);
		}
		if (depth >= 3) fail('', text.slice(0, 80), 'the JSON text is encoded too many times; paste the object');
		return collect(parsed, depth + 1);
	}
	if (!isObject(value)) fail('', value, 'expected an object of resources, its JSON text, or event.poller.urls lines');
	if (isObject(value.configuration)) return collect(value.configuration, depth);
	const configuration = value['event.poller.configuration'];
	const urls = value['event.poller.urls'];
	if (configuration !== undefined || urls !== undefined) {
		// An instance configuration: only the poller's keys matter here (callback, signature, interval are n8n's).
		return [...(configuration === undefined ? [] : collect(configuration, depth)), ...(urls === undefined ? [] : collectUrls(urls))];
	}
	return Object.entries(value).map(([name, resource]) => fromJson(name, typeof resource === 'string' ? parseResourceText(name, resource) : resource));
}

function collectUrls(urls: unknown): PollerResource[] {
	if (typeof urls !== 'string') fail('event.poller.urls', urls, 'expected lines of resource|url|…');
	return legacyLines(urls);
}

function parseResourceText(name: string, text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return fail(name, text, 'expected an object with url, idField and datesConfiguration');
	}
}

/** `event.poller.urls`: one resource per line, or a line of bare resource names. */
function legacyLines(text: string): PollerResource[] {
	const resources: PollerResource[] = [];
	for (const line of text.split(/\r?\n|\\n/).map((entry) => entry.trim()).filter(Boolean)) {
		const fields = line.split('|').map((field) => field.trim());
		if (fields.length === 1 || !/^(\/|https?:)/i.test(fields[1])) {
			for (const name of fields.filter(Boolean)) resources.push(bareResource(name));
			continue;
		}
		const [name, ...rest] = fields;
		if (rest.length > LEGACY_FIELDS.length) fail(`event.poller.urls ${name}`, line, `a line has at most ${LEGACY_FIELDS.length + 1} fields: resource|url|xPathFilter|updatedDateField|updatedDateFormat|updatedDateTimeZone|createdDateField|createdDateFormat|createdDateTimeZone`);
		const entry: Json = {};
		LEGACY_FIELDS.forEach((key, index) => {
			if (rest[index]) entry[key] = rest[index];
		});
		if (entry.xPathFilter) fail(`${name}.xPathFilter`, entry.xPathFilter, 'XPath filters are not supported; leave the field empty');
		const dates: Json = {};
		for (const key of LEGACY_FIELDS.slice(2)) if (entry[key] !== undefined) dates[key] = entry[key];
		resources.push(fromJson(name, { url: entry.url, datesConfiguration: dates }));
	}
	return resources;
}

function bareResource(name: string): PollerResource {
	const resource = bareResourceOf(name);
	if (!resource) fail(name, name, 'a resource named alone must be messages, events, contacts or documents; give other resources as resource|url|…');
	return { name, parameters: { resource, objectType: name }, keys: {} };
}

function text(owner: Json, key: string, path: string): string | undefined {
	const value = owner[key];
	if (value === undefined || value === null) return undefined;
	if (typeof value !== 'string') fail(path, value, 'expected text');
	return value.trim() || undefined;
}

function wholeNumber(owner: Json, key: string, path: string): number | undefined {
	const value = owner[key];
	if (value === undefined || value === null || value === '') return undefined;
	const number = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
	if (typeof number !== 'number' || !Number.isInteger(number) || number < 0) fail(path, value, 'expected a whole number');
	return number;
}

function flag(owner: Json, key: string, path: string): void {
	const value = owner[key];
	if (value === undefined || typeof value === 'boolean' || value === 'true' || value === 'false') return;
	fail(path, value, 'expected true or false');
}

interface DatesSpelled {
	/** kind + part (`updatedField`) → value */
	values: Record<string, string | undefined>;
	/** kind + part → the key as written (`datesConfiguration.updatedDateField`) */
	keys: Record<string, string>;
}

/** The date keys of a resource in either spelling; one value per key. */
function readDates(name: string, resource: Json): DatesSpelled {
	const spelled: DatesSpelled = { values: {}, keys: {} };
	const take = (owner: Json, prefix: string) => {
		for (const key of Object.keys(owner)) {
			const match = DATE_KEY.exec(key);
			if (!match) continue;
			const slot = `${match[1]}${match[3] === 'TimeZone' ? 'Timezone' : match[3]}`;
			const path = `${name}.${prefix}${key}`;
			const value = text(owner, key, path);
			const earlier = spelled.keys[slot];
			// datesConfiguration wins over a resource-level timezone; two spellings must agree.
			if (earlier && prefix === '') continue;
			if (earlier && spelled.values[slot] !== value) fail(path, value ?? '', `${earlier} says ${JSON.stringify(spelled.values[slot])}; give the date setting once`);
			spelled.values[slot] = value;
			spelled.keys[slot] = path;
		}
	};
	const dates = resource.datesConfiguration;
	if (dates !== undefined) {
		if (!isObject(dates)) fail(`${name}.datesConfiguration`, dates, 'expected an object with updatedDateField, updatedDateFormat, …');
		for (const key of Object.keys(dates)) {
			if (!DATE_KEY.test(key) && key !== 'createdCheckTolerance') {
				fail(`${name}.datesConfiguration.${key}`, dates[key], 'unknown key; use updatedDateField, updatedDateFormat, updatedDateTimezone, createdDateField, createdDateFormat, createdDateTimezone (or the updatedAt… spelling)');
			}
		}
		take(dates, 'datesConfiguration.');
	}
	take(resource, '');
	return spelled;
}

function fromJson(name: string, resource: unknown): PollerResource {
	if (!/^[\w.-]{1,100}$/.test(name)) fail(name, name, 'resource names are letters, digits, - _ and . (they become objectType)');
	if (!isObject(resource)) fail(name, resource, 'expected an object with url, idField and datesConfiguration');
	for (const key of Object.keys(resource)) {
		if (!RESOURCE_KEYS.has(key) && !DATE_KEY.test(key)) {
			fail(`${name}.${key}`, resource[key], `unknown key; a resource has ${[...RESOURCE_KEYS].join(', ')}`);
		}
	}
	const url = text(resource, 'url', `${name}.url`);
	if (!url) fail(`${name}.url`, '', 'enter the URL to poll: a Microsoft Graph path such as /me/messages, or an Open Connectors hub path such as /hubs/general/messages');
	for (const key of ['filterByUpdatedDate', 'filterByUpdateDate', 'filterByCurrentDate']) flag(resource, key, `${name}.${key}`);
	const dates = readDates(name, resource);
	const nested = isObject(resource.datesConfiguration) ? resource.datesConfiguration : {};
	const options: NonNullable<TriggerParameters['options']> = {};
	const keys: Record<string, string> = { URL: `${name}.url`, 'ID Field': `${name}.idField`, 'Dates Configuration': `${name}.datesConfiguration` };
	const setOption = (option: 'pollDelay' | 'pageSize' | 'createdCheckTolerance', parameter: string, owner: Json, path: string) => {
		const value = wholeNumber(owner, option, path);
		if (value === undefined) return;
		options[option] = value;
		keys[parameter] = path;
	};
	setOption('pollDelay', 'Options → Poll Delay', resource, `${name}.pollDelay`);
	setOption('pageSize', 'Options → Page Size', resource, `${name}.pageSize`);
	setOption('createdCheckTolerance', 'Options → Created Check Tolerance', nested, `${name}.datesConfiguration.createdCheckTolerance`);
	setOption('createdCheckTolerance', 'Options → Created Check Tolerance', resource, `${name}.createdCheckTolerance`);
	for (const [slot, parameter] of Object.entries(DATE_PARAMETERS)) if (dates.keys[slot]) keys[parameter] = dates.keys[slot];

	const idField = text(resource, 'idField', `${name}.idField`);
	const { path } = splitUrl(url);
	const hub = path.toLowerCase().startsWith('/hubs/');
	const parameters = hub ? fromHub(name, url, idField, dates) : fromGraphPath(name, url, idField, dates);
	return { name, parameters: { ...parameters, objectType: name, options: { ...parameters.options, ...options } }, keys };
}

const DATE_PARAMETERS: Record<string, string> = {
	updatedField: 'Updated At Field',
	updatedFormat: 'Updated At Format',
	updatedTimezone: 'Updated At Timezone',
	createdField: 'Created At Field',
	createdFormat: 'Created At Format',
	createdTimezone: 'Created At Timezone',
};

/** A Graph path: a custom resource, field names in Graph's camelCase. */
function fromGraphPath(name: string, url: string, idField: string | undefined, dates: DatesSpelled): TriggerParameters {
	if (splitUrl(url).query.some(([option]) => option.toLowerCase() === 'where')) {
		fail(`${name}.url`, url, "where is Open Connectors' query language for hub paths; on a Microsoft Graph path use $filter");
	}
	const field = (slot: string) => (dates.values[slot] ? camelCaseField(dates.values[slot]!) : undefined);
	return {
		resource: 'custom',
		url,
		idField: idField ? camelCaseField(idField) : 'id',
		datesConfiguration: {
			updatedAtField: field('updatedField'),
			updatedAtFormat: dates.values.updatedFormat,
			updatedAtTimezone: dates.values.updatedTimezone,
			createdAtField: field('createdField'),
			createdAtFormat: dates.values.createdFormat,
			createdAtTimezone: dates.values.createdTimezone,
		},
	};
}

/** Presets of the resources hub paths stand for: the Graph collection and its id and date properties. */
const HUB_PRESETS: Record<HubResource, { url: string; id: string; updated: string; created: string }> = {
	messages: { url: '/me/messages', id: 'id', updated: 'lastModifiedDateTime', created: 'receivedDateTime' },
	events: { url: '/me/events', id: 'id', updated: 'lastModifiedDateTime', created: 'createdDateTime' },
	contacts: { url: '/me/contacts', id: 'id', updated: 'lastModifiedDateTime', created: 'createdDateTime' },
	driveItems: { url: '/me/drive/root/delta', id: 'id', updated: 'lastModifiedDateTime', created: 'createdDateTime' },
};

/**
 * A hub path: the Graph resource it stands for. Field names are resolved to Graph properties; their formats
 * described the hub's values and must be valid; Graph's values are ISO 8601 and are read as such. When id and dates are
 * the preset's, the resource is the preset itself (same defaults, same behaviour); otherwise a custom resource on
 * the preset's collection.
 */
function fromHub(name: string, url: string, idField: string | undefined, dates: DatesSpelled): TriggerParameters {
	const { path, query } = splitUrl(url);
	const resource = hubResourceOf(path);
	if (!resource) fail(`${name}.url`, url, `this hub path has no Office 365 counterpart; use one of ${SUPPORTED_HUB_PATHS.join(', ')}, or a Microsoft Graph path such as /me/messages`);
	const preset = HUB_PRESETS[resource];
	const resolve = (value: string | undefined, key: string, fallback: string) => {
		if (!value) return fallback;
		const field = graphField(resource, value);
		if (!field) fail(key, value, `${resource} in Microsoft Graph have no such field; use ${preset.updated}, ${preset.created} or another Graph property`);
		return field;
	};
	for (const kind of ['updated', 'created']) {
		const format = dates.values[`${kind}Format`];
		if (!format) continue;
		const timezoneKey = dates.keys[`${kind}Timezone`];
		compileDateFormat(format, dates.values[`${kind}Timezone`], label(dates.keys[`${kind}Format`]), {
			timezoneParameter: label(timezoneKey ?? dates.keys[`${kind}Format`]),
		});
	}
	const id = resolve(idField, `${name}.idField`, preset.id);
	const updated = resolve(dates.values.updatedField, dates.keys.updatedField, preset.updated);
	const created = resolve(dates.values.createdField, dates.keys.createdField, preset.created);
	const eventTypes: string[] = [];
	const options: NonNullable<TriggerParameters['options']> = {};
	for (const [option, value] of query) {
		if (option.toLowerCase() !== 'where') fail(`${name}.url`, `${option}=${value}`, 'a hub path takes only a where query');
		const where = translateWhere(resource, value, `${POLLER_CONFIGURATION} → ${name}.url`);
		if (where.dateField && where.dateField !== updated && where.dateField !== created) {
			fail(`${name}.url`, value, `the where date must be the updated (${updated}) or created (${created}) field`);
		}
		// A window on the created date lists new records only.
		if (where.dateField === created && created !== updated) eventTypes.push('created');
		if (where.filter) {
			if (resource === 'driveItems') fail(`${name}.url`, value, 'files are tracked with the drive\'s delta query, which takes no conditions; keep only the date condition');
			options.filter = where.filter;
		}
	}
	if (resource === 'driveItems') {
		if (id !== preset.id || updated !== preset.updated || created !== preset.created) {
			fail(`${name}.datesConfiguration`, `${id}, ${updated}, ${created}`, `files are tracked by id, lastModifiedDateTime and createdDateTime`);
		}
		return { resource, trackingMode: 'delta', options, ...(eventTypes.length ? { eventTypes } : {}) };
	}
	const common = { options, ...(eventTypes.length ? { eventTypes } : {}) };
	if (id === preset.id && updated === preset.updated && created === preset.created) return { resource, ...common };
	return {
		resource: 'custom',
		url: preset.url,
		idField: id,
		datesConfiguration: { updatedAtField: updated, updatedAtFormat: 'ISO', createdAtField: created, createdAtFormat: 'ISO' },
		...common,
	};
}
