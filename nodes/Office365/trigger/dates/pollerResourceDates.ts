/**
 * The date parts of one Open Connectors poller resource, an entry of `event.poller.configuration`
 * as users paste it: the `url` with its date placeholders and the `datesConfiguration` formats and
 * timezones. Everything is compiled up front; an error names the resource and the key
 * (`contacts.datesConfiguration.updatedDateFormat`) with the offending value, so a pasted
 * configuration points at the line to fix. Other keys (idField, pollDelay, …) are not read here.
 */
import { Office365ConfigError } from '../errors';
import { compileDateFormat, type DateCodec } from './javaDatePattern';
import { compileUrlTemplate, type UrlTemplate } from './urlPlaceholders';

export interface PollerResourceDates {
	url: UrlTemplate;
	/** From updatedDateField/Format/Timezone; undefined when the resource names no updated date. */
	updated?: DateCodec;
	created?: DateCodec;
}

interface PollerResourceDateOptions {
	/** The current instant, for two-digit years (see compileDateFormat). */
	now?: number;
}

export function compilePollerResourceDates(resource: string, configuration: unknown, options: PollerResourceDateOptions = {}): PollerResourceDates {
	if (!isRecord(configuration)) {
		throw new Office365ConfigError(resource, describe(configuration), 'expected an object with url, idField and datesConfiguration');
	}
	const url = stringAt(configuration, 'url', resource);
	if (url === undefined || url.trim() === '') {
		throw new Office365ConfigError(`${resource}.url`, '', 'enter the URL to poll, with a date placeholder such as ${gmtDate:yyyy-MM-dd\'T\'HH:mm:ss\'Z\'}');
	}
	const dates = configuration.datesConfiguration;
	const datesKey = `${resource}.datesConfiguration`;
	if (dates !== undefined && !isRecord(dates)) {
		throw new Office365ConfigError(datesKey, describe(dates), 'expected an object with updatedDateField, updatedDateFormat, …');
	}
	return {
		url: compileUrlTemplate(url, { parameter: `${resource}.url` }),
		updated: dates && dateCodec(dates, datesKey, 'updated', options),
		created: dates && dateCodec(dates, datesKey, 'created', options),
	};
}

/** The codec for `<kind>DateFormat` in `<kind>DateTimezone`; none when neither field nor format is given. */
function dateCodec(dates: Record<string, unknown>, datesKey: string, kind: 'updated' | 'created', options: PollerResourceDateOptions): DateCodec | undefined {
	const field = stringAt(dates, `${kind}DateField`, datesKey);
	const format = stringAt(dates, `${kind}DateFormat`, datesKey);
	const timezone = stringAt(dates, `${kind}DateTimezone`, datesKey);
	if (!field?.trim() && !format?.trim()) return undefined;
	return compileDateFormat(format?.trim() || 'ISO', timezone?.trim() || undefined, `${datesKey}.${kind}DateFormat`, {
		timezoneParameter: `${datesKey}.${kind}DateTimezone`,
		now: options.now,
	});
}

function stringAt(record: Record<string, unknown>, key: string, owner: string): string | undefined {
	const value = record[key];
	if (value === undefined || value === null || typeof value === 'string') return value ?? undefined;
	throw new Office365ConfigError(`${owner}.${key}`, describe(value), 'expected text');
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
	return JSON.stringify(value) ?? String(value);
}
