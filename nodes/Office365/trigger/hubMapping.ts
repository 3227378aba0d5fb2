/**
 * Open Connectors' Microsoft resources in Graph terms: hub paths (`/hubs/general/messages`) become Graph
 * collections, the hubs' field names (Outlook REST's PascalCase `LastModifiedDateTime`, the normalized
 * `modification_date`, OneDrive's `modifiedDate`) become Graph properties, and a CEQL `where` becomes the date the
 * poll window follows plus, for other conditions, an OData `$filter`. Whatever has no Graph counterpart is refused
 * with an error naming it.
 */
import { validateUrlPlaceholders } from './dates/urlPlaceholders';
import { Office365ConfigError } from './errors';

/** The resources a hub path can stand for. */
export type HubResource = 'messages' | 'events' | 'contacts' | 'driveItems';

/** Hub path (hub/object, lower case) → resource. */
const HUB_PATHS: Record<string, HubResource> = {
	'general/messages': 'messages',
	'productivity/messages': 'messages',
	'general/events': 'events',
	'productivity/events': 'events',
	'general/contacts': 'contacts',
	'productivity/contacts': 'contacts',
	'documents/files': 'driveItems',
	'documents/folders': 'driveItems',
	'documents/changes': 'driveItems',
	'documents/documents': 'driveItems',
	'documents/events/poll/documents': 'driveItems',
};

/** Bare resource names (event.poller.urls lines that name a resource only) → resource. */
const BARE_RESOURCES: Record<string, HubResource> = {
	messages: 'messages',
	events: 'events',
	contacts: 'contacts',
	documents: 'driveItems',
	files: 'driveItems',
	driveitems: 'driveItems',
};

/** Top-level Graph properties per resource (v1.0), for resolving and checking field names. */
const GRAPH_PROPERTIES: Record<HubResource, string[]> = {
	messages: [
		'id', 'createdDateTime', 'lastModifiedDateTime', 'changeKey', 'categories', 'receivedDateTime', 'sentDateTime',
		'hasAttachments', 'internetMessageId', 'subject', 'bodyPreview', 'importance', 'parentFolderId', 'conversationId',
		'conversationIndex', 'isDeliveryReceiptRequested', 'isReadReceiptRequested', 'isRead', 'isDraft', 'webLink',
		'inferenceClassification', 'body', 'uniqueBody', 'sender', 'from', 'toRecipients', 'ccRecipients', 'bccRecipients',
		'replyTo', 'flag',
	],
	events: [
		'id', 'createdDateTime', 'lastModifiedDateTime', 'changeKey', 'categories', 'transactionId', 'originalStartTimeZone',
		'originalEndTimeZone', 'iCalUId', 'reminderMinutesBeforeStart', 'isReminderOn', 'hasAttachments', 'subject',
		'bodyPreview', 'importance', 'sensitivity', 'isAllDay', 'isCancelled', 'isOrganizer', 'responseRequested',
		'seriesMasterId', 'showAs', 'type', 'webLink', 'onlineMeetingUrl', 'isOnlineMeeting', 'onlineMeetingProvider',
		'allowNewTimeProposals', 'isDraft', 'hideAttendees', 'responseStatus', 'body', 'start', 'end', 'location',
		'locations', 'recurrence', 'attendees', 'organizer', 'onlineMeeting', 'originalStart',
	],
	contacts: [
		'id', 'createdDateTime', 'lastModifiedDateTime', 'changeKey', 'categories', 'parentFolderId', 'birthday', 'fileAs',
		'displayName', 'givenName', 'initials', 'middleName', 'nickName', 'surname', 'title', 'yomiGivenName',
		'yomiSurname', 'yomiCompanyName', 'generation', 'imAddresses', 'jobTitle', 'companyName', 'department',
		'officeLocation', 'profession', 'businessHomePage', 'assistantName', 'manager', 'homePhones', 'mobilePhone',
		'businessPhones', 'homeAddress', 'businessAddress', 'otherAddress', 'spouseName', 'personalNotes', 'children',
		'emailAddresses',
	],
	driveItems: [
		'id', 'createdDateTime', 'lastModifiedDateTime', 'name', 'eTag', 'cTag', 'size', 'webUrl', 'description',
		'createdBy', 'lastModifiedBy', 'parentReference', 'file', 'folder', 'fileSystemInfo', 'package', 'shared',
		'specialFolder', 'deleted', 'root',
	],
};

/** Field names of Open Connectors' normalized hubs, as Graph names them. */
const HUB_FIELD_ALIASES: Record<string, string> = {
	modification_date: 'lastModifiedDateTime',
	creation_date: 'createdDateTime',
	modifieddate: 'lastModifiedDateTime',
	lastmodifieddate: 'lastModifiedDateTime',
	createddate: 'createdDateTime',
};

export function hubResourceOf(path: string): HubResource | undefined {
	const match = /^\/hubs\/(.+?)\/?$/i.exec(path);
	return match ? HUB_PATHS[match[1].toLowerCase()] : undefined;
}

export const SUPPORTED_HUB_PATHS = Object.keys(HUB_PATHS).map((path) => `/hubs/${path}`);

export function bareResourceOf(name: string): HubResource | undefined {
	return BARE_RESOURCES[name.trim().toLowerCase()];
}

/**
 * The Graph name of a field written for Open Connectors or Outlook REST: a hub alias, or the Graph property
 * (matched without regard to case) for the first segment, nested segments in camelCase. Undefined when the
 * resource has no such property.
 */
export function graphField(resource: HubResource, field: string): string | undefined {
	const [head, ...rest] = field.split('.');
	const alias = HUB_FIELD_ALIASES[field.toLowerCase()];
	if (alias) return alias;
	const property = GRAPH_PROPERTIES[resource].find((name) => name.toLowerCase() === head.toLowerCase());
	if (!property) return undefined;
	return [property, ...rest.map((segment) => segment.charAt(0).toLowerCase() + segment.slice(1))].join('.');
}

/** The Graph name of any field: Graph's JSON is camelCase, so PascalCase segments are lowered. */
export function camelCaseField(field: string): string {
	return field
		.split('.')
		.map((segment) => (/^[A-Z][a-z]/.test(segment) || /^[A-Z]+$/.test(segment) ? segment.charAt(0).toLowerCase() + segment.slice(1) : segment))
		.join('.');
}

interface TranslatedWhere {
	/** The Graph property the date condition compares (the poll window follows it). */
	dateField?: string;
	/** The other conditions as an OData $filter. */
	filter?: string;
}

const OPERATORS: Record<string, string> = { '=': 'eq', '!=': 'ne', '<>': 'ne', '>': 'gt', '>=': 'ge', '<': 'lt', '<=': 'le' };
const CONDITION = /^([A-Za-z_][\w.]*)\s*(>=|<=|!=|<>|=|>|<)\s*(.+)$/;

/** `${…}` placeholders (with nested quotes) replaced by markers, so CEQL quotes can be read. */
function maskPlaceholders(where: string): { text: string; placeholders: string[] } {
	const placeholders: string[] = [];
	let text = '';
	for (let at = 0; at < where.length; ) {
		if (where.startsWith('${', at)) {
			const end = where.indexOf('}', at);
			if (end < 0) break;
			placeholders.push(where.slice(at, end + 1));
			text += `\u0000${placeholders.length - 1}\u0000`;
			at = end + 1;
			continue;
		}
		text += where[at++];
	}
	return { text, placeholders };
}

function splitConjuncts(text: string): string[] | undefined {
	const parts: string[] = [];
	let quoted = false;
	let start = 0;
	for (let at = 0; at < text.length; at++) {
		if (text[at] === "'") quoted = !quoted;
		if (quoted) continue;
		if (text[at] === '(' || text[at] === ')') return undefined;
		const rest = text.slice(at);
		const connective = /^\s+(and|or)\s+/i.exec(rest);
		if (connective && /\s/.test(text[at])) {
			if (connective[1].toLowerCase() === 'or') return undefined;
			parts.push(text.slice(start, at));
			at += connective[0].length - 1;
			start = at + 1;
		}
	}
	if (quoted) return undefined;
	parts.push(text.slice(start));
	return parts.map((part) => part.trim());
}

/**
 * A CEQL `where` on a hub resource in Graph terms. `parameter` names the key in errors (`messages.url`).
 * Supported: conditions joined by `and`, each `field op value` with = != <> > >= < <=; one of them compares a
 * date with a `${…}` placeholder (the poll window), the others compare with a quoted text, a number or a boolean.
 */
export function translateWhere(resource: HubResource, where: string, parameter: string): TranslatedWhere {
	const { text, placeholders } = maskPlaceholders(where);
	const conjuncts = splitConjuncts(text);
	const unsupported = (clause: string, hint: string) =>
		new Office365ConfigError(parameter, clause.replace(/\u0000(\d+)\u0000/g, (_, index: string) => placeholders[Number(index)]), hint);
	if (!conjuncts) throw unsupported(where, "only conditions joined by 'and' can be translated (no 'or', no parentheses)");
	const result: TranslatedWhere = {};
	const filters: string[] = [];
	for (const conjunct of conjuncts) {
		const match = CONDITION.exec(conjunct);
		if (!match) throw unsupported(conjunct, 'write field operator value, such as LastModifiedDateTime>=\'${gmtDate:yyyy-MM-dd\'T\'HH:mm:ss\'Z\'}\' or IsRead=false');
		const [, rawField, operator, rawValue] = match;
		const field = graphField(resource, rawField);
		if (!field) throw unsupported(rawField, `${resource} in Microsoft Graph have no such field; use one of ${GRAPH_PROPERTIES[resource].slice(0, 8).join(', ')}, …`);
		const value = rawValue.trim();
		if (value.includes('\u0000')) {
			if (!['>=', '>', '='].includes(operator)) throw unsupported(conjunct, 'the date condition compares with >=, > or = (changes since the last poll)');
			if (result.dateField) throw unsupported(conjunct, 'give one date condition');
			for (const placeholder of value.match(/\u0000(\d+)\u0000/g) ?? []) {
				validateUrlPlaceholders(placeholders[Number(placeholder.slice(1, -1))], parameter);
			}
			result.dateField = field;
			continue;
		}
		if (!/^'([^']|'')*'$|^-?\d+(\.\d+)?$|^(true|false|null)$/i.test(value)) {
			throw unsupported(conjunct, "compare with a quoted text ('x'), a number, true, false or null");
		}
		filters.push(`${field.split('.').join('/')} ${OPERATORS[operator]} ${/^(true|false|null)$/i.test(value) ? value.toLowerCase() : value}`);
	}
	if (filters.length) result.filter = filters.join(' and ');
	return result;
}
