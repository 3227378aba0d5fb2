/**
 * Open Connectors poller configurations as users paste them, turned into the parameters one resource has in the
 * fields mode. Accepted: the `event.poller.configuration` object of resources, its JSON text (also encoded twice,
 * as instance dumps hold it), the instance's `configuration` (or the whole instance body) holding it, and the
 * legacy `event.poller.urls` lines (`resource|url|xPathFilter|updatedDateField|updatedDateFormat|updatedDateTimeZone|
 * createdDateField|createdDateFormat|createdDateTimeZone`, or bare resource names). Both the documented
 * `updatedDate*` and the `updatedAt*` spelling of the date keys are read; `createdCheckTolerance`, `pageSize` and
 * `pollDelay` set that resource's options. Every mistake is an Office365ConfigError naming the resource and key.
 */
import { bareResourceOf, camelCaseField } from './hubMapping';
import { fromHub } from './hubResource';
import { fail, flag, isObject, readDates, text, wholeNumber, DATE_KEY, type DatesSpelled, type Json } from './pastedValues';
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
const LEGACY_FIELDS = ['url', 'xPathFilter', 'updatedDateField', 'updatedDateFormat', 'updatedDateTimeZone', 'createdDateField', 'createdDateFormat', 'createdDateTimeZone'];

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
