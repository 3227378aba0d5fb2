/**
 * What a resource decides before the options apply (its collection, URL, ID and date fields, and for presets
 * the mail scope), and the checked field paths both kinds of resource use.
 */
import { compileDateFormat, type DateCodec } from './dates/javaDatePattern';
import { Office365ConfigError } from './errors';
import { isValidFieldPath, toODataPath } from './fieldPath';
import type { RecordFilterSpec } from './mailFilters';
import type { PresetResource } from './resourcePresets';

export interface DateField {
	/** Dot path in the record. */
	field: string;
	/** Same path in OData syntax. */
	odataPath: string;
	codec: DateCodec;
}

/** The resource's part of a poll configuration: customResource.ts or presetResource.ts. */
export interface ResourceScope {
	objectType: string;
	url: string;
	idField: string;
	updated?: DateField;
	created?: DateField;
	maxPageSize: number;
	defaultPollDelay: number;
	/** The watched collection (resource and mailbox, or the custom path): state is kept per collection. */
	collection: Record<string, unknown>;
	/** The folder and filter conditions Graph applies (version 2 messages). */
	scopeFilter?: string;
	recordFilter?: RecordFilterSpec;
	/** Properties the record filter reads, added to a $select. */
	requiredFields: string[];
	simplify?: PresetResource;
	/** Download Attachments (messages). */
	attachments?: { prefix: string; maxBytesPerMessage: number };
	mailboxPath?: string;
}

export function requireFieldPath(parameter: string, value: string | undefined, fallback?: string): string {
	const path = (value ?? '').trim() || fallback;
	if (!path) throw new Office365ConfigError(parameter, '', 'enter the record field, such as lastModifiedDateTime');
	if (!isValidFieldPath(path)) {
		throw new Office365ConfigError(parameter, path, 'use a dot path of property names, such as id or from.emailAddress.address');
	}
	return path;
}

export function dateField(parameter: string, field: string, format: string | undefined, timezone: string | undefined): DateField {
	const path = requireFieldPath(parameter, field);
	return {
		field: path,
		odataPath: toODataPath(path),
		codec: compileDateFormat((format ?? '').trim() || 'ISO', (timezone ?? '').trim() || undefined, parameter.replace(/Field$/, 'Format'), {
			timezoneParameter: parameter.replace(/Field$/, 'Timezone'),
		}),
	};
}
