/**
 * Simplify: a compact, flat record per preset instead of Graph's full one, and the `$select` that fetches only what
 * it needs (plus the dates the window reads), so far fewer bytes cross the wire.
 */
import type { PresetResource } from './resourcePresets';

type Record_ = Record<string, unknown>;

/** Graph properties each compact record is made of. */
export const SIMPLE_FIELDS: Readonly<Record<PresetResource, readonly string[]>> = {
	messages: [
		'id', 'subject', 'from', 'toRecipients', 'ccRecipients', 'receivedDateTime', 'sentDateTime', 'bodyPreview', 'isRead',
		'importance', 'hasAttachments', 'categories', 'conversationId', 'webLink', 'parentFolderId',
	],
	events: [
		'id', 'subject', 'start', 'end', 'isAllDay', 'location', 'organizer', 'attendees', 'bodyPreview', 'showAs',
		'isCancelled', 'importance', 'categories', 'webLink', 'type', 'createdDateTime',
	],
	contacts: [
		'id', 'displayName', 'givenName', 'surname', 'emailAddresses', 'businessPhones', 'mobilePhone', 'companyName',
		'jobTitle', 'categories', 'createdDateTime',
	],
};

function object(value: unknown): Record_ | undefined {
	return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record_) : undefined;
}

/** `{ emailAddress: { address } }` → the address. */
function address(recipient: unknown): string | undefined {
	const value = object(object(recipient)?.emailAddress)?.address;
	return typeof value === 'string' ? value : undefined;
}

function addresses(recipients: unknown): string[] {
	return Array.isArray(recipients) ? recipients.map(address).filter((a): a is string => a !== undefined) : [];
}

function simpleMessage(record: Record_): Record_ {
	const from = object(object(record.from)?.emailAddress);
	return {
		id: record.id,
		subject: record.subject,
		from: from?.address,
		fromName: from?.name,
		to: addresses(record.toRecipients),
		cc: addresses(record.ccRecipients),
		receivedDateTime: record.receivedDateTime,
		sentDateTime: record.sentDateTime,
		bodyPreview: record.bodyPreview,
		isRead: record.isRead,
		importance: record.importance,
		hasAttachments: record.hasAttachments,
		categories: record.categories,
		conversationId: record.conversationId,
		webLink: record.webLink,
		folderId: record.parentFolderId,
	};
}

function simpleEvent(record: Record_): Record_ {
	const start = object(record.start);
	const end = object(record.end);
	return {
		id: record.id,
		subject: record.subject,
		start: start?.dateTime,
		end: end?.dateTime,
		timeZone: start?.timeZone,
		isAllDay: record.isAllDay,
		location: object(record.location)?.displayName,
		organizer: address(record.organizer),
		attendees: Array.isArray(record.attendees) ? record.attendees.map(address).filter((a) => a !== undefined) : [],
		bodyPreview: record.bodyPreview,
		showAs: record.showAs,
		isCancelled: record.isCancelled,
		importance: record.importance,
		categories: record.categories,
		webLink: record.webLink,
		type: record.type,
		createdDateTime: record.createdDateTime,
	};
}

function simpleContact(record: Record_): Record_ {
	const emails = Array.isArray(record.emailAddresses)
		? record.emailAddresses.map((entry) => object(entry)?.address).filter((a) => typeof a === 'string')
		: [];
	return {
		id: record.id,
		displayName: record.displayName,
		givenName: record.givenName,
		surname: record.surname,
		emails,
		businessPhones: record.businessPhones,
		mobilePhone: record.mobilePhone,
		companyName: record.companyName,
		jobTitle: record.jobTitle,
		categories: record.categories,
		createdDateTime: record.createdDateTime,
	};
}

const SIMPLIFIERS: Readonly<Record<PresetResource, (record: Record_) => Record_>> = {
	messages: simpleMessage,
	events: simpleEvent,
	contacts: simpleContact,
};

export function simplifyRecord(resource: PresetResource, record: Record_): Record_ {
	return SIMPLIFIERS[resource](record);
}
