// Record shapes and factories: realistic Graph payloads (ids, stamps, nested objects) so the code under test sees
// what Microsoft Graph returns, including the long opaque ids and the per-resource timestamp precision.

import { randomBytes, randomUUID } from 'node:crypto';
import { secondStamp, tickStamp, wallClockStamp } from './timestamps';

export interface EmailAddress {
	name: string;
	address: string;
}
export interface Recipient {
	emailAddress: EmailAddress;
}
export interface ItemBody {
	contentType: 'text' | 'html';
	content: string;
}
export interface DateTimeTimeZone {
	dateTime: string;
	timeZone: string;
}

export interface Message {
	id: string;
	createdDateTime: string;
	lastModifiedDateTime: string;
	changeKey: string;
	categories: string[];
	receivedDateTime: string;
	sentDateTime: string;
	hasAttachments: boolean;
	internetMessageId: string;
	subject: string;
	bodyPreview: string;
	importance: 'low' | 'normal' | 'high';
	parentFolderId: string;
	conversationId: string;
	isDeliveryReceiptRequested: boolean;
	isReadReceiptRequested: boolean;
	isRead: boolean;
	isDraft: boolean;
	inferenceClassification: 'focused' | 'other';
	body: ItemBody;
	sender: Recipient;
	from: Recipient;
	toRecipients: Recipient[];
	ccRecipients: Recipient[];
	bccRecipients: Recipient[];
	replyTo: Recipient[];
	flag: { flagStatus: 'notFlagged' | 'flagged' | 'complete' };
	webLink: string;
}

export interface CalendarEvent {
	id: string;
	createdDateTime: string;
	lastModifiedDateTime: string;
	changeKey: string;
	categories: string[];
	originalStartTimeZone: string;
	originalEndTimeZone: string;
	iCalUId: string;
	reminderMinutesBeforeStart: number;
	isReminderOn: boolean;
	hasAttachments: boolean;
	subject: string;
	bodyPreview: string;
	importance: 'low' | 'normal' | 'high';
	sensitivity: 'normal' | 'personal' | 'private' | 'confidential';
	isAllDay: boolean;
	isCancelled: boolean;
	isOrganizer: boolean;
	responseRequested: boolean;
	showAs: 'free' | 'tentative' | 'busy' | 'oof' | 'workingElsewhere' | 'unknown';
	type: 'singleInstance' | 'occurrence' | 'exception' | 'seriesMaster';
	isOnlineMeeting: boolean;
	responseStatus: { response: string; time: string };
	body: ItemBody;
	start: DateTimeTimeZone;
	end: DateTimeTimeZone;
	location: { displayName: string; locationType: string };
	attendees: Array<{ type: 'required' | 'optional' | 'resource'; status: { response: string; time: string }; emailAddress: EmailAddress }>;
	organizer: Recipient;
	webLink: string;
}

export interface Contact {
	id: string;
	createdDateTime: string;
	lastModifiedDateTime: string;
	changeKey: string;
	categories: string[];
	parentFolderId: string;
	fileAs: string;
	displayName: string;
	givenName: string;
	surname: string;
	jobTitle: string;
	companyName: string;
	businessPhones: string[];
	mobilePhone: string | null;
	personalNotes: string;
	emailAddresses: EmailAddress[];
}

/** A OneDrive / SharePoint document library item (file or folder). */
export interface DriveItem {
	id: string;
	name: string;
	createdDateTime: string;
	lastModifiedDateTime: string;
	eTag: string;
	cTag: string;
	size: number;
	webUrl: string;
	createdBy: { user: { displayName: string } };
	lastModifiedBy: { user: { displayName: string } };
	parentReference: { driveId: string; driveType: 'personal' | 'business' | 'documentLibrary'; id: string; path?: string };
	fileSystemInfo: { createdDateTime: string; lastModifiedDateTime: string };
	file?: { mimeType: string };
	folder?: { childCount: number };
}

export interface MailFolder {
	id: string;
	displayName: string;
	parentFolderId: string;
	childFolderCount: number;
	unreadItemCount: number;
	totalItemCount: number;
	sizeInBytes: number;
	isHidden: boolean;
}

export interface SimUser {
	id: string;
	displayName: string;
	mail: string;
	userPrincipalName: string;
}

/** What a test asks for; `size` without `content` makes deterministic pseudo-random bytes (large files stay cheap). */
export type AttachmentSpec =
	| { kind: 'file'; name: string; contentType?: string; content?: Buffer | string; size?: number; isInline?: boolean }
	| { kind: 'item'; name: string; size?: number }
	| { kind: 'reference'; name: string; contentType?: string; size?: number };

/** An attachment as the store keeps it (content only for file attachments). */
export interface StoredAttachment {
	id: string;
	kind: AttachmentSpec['kind'];
	name: string;
	contentType: string | null;
	size: number;
	isInline: boolean;
	lastModifiedDateTime: string;
	content?: Buffer;
}

const ATTACHMENT_TYPES: Record<StoredAttachment['kind'], string> = {
	file: '#microsoft.graph.fileAttachment',
	item: '#microsoft.graph.itemAttachment',
	reference: '#microsoft.graph.referenceAttachment',
};

/**
 * Graph's JSON for an attachment: file attachments carry their bytes as base64 `contentBytes` (encoded only when
 * `withContent`, so a `$select` without them stays cheap for large files).
 */
export function attachmentJson(attachment: StoredAttachment, withContent = true): GraphRecord {
	const json: GraphRecord = {
		'@odata.type': ATTACHMENT_TYPES[attachment.kind],
		id: attachment.id,
		lastModifiedDateTime: attachment.lastModifiedDateTime,
		name: attachment.name,
		contentType: attachment.contentType,
		size: attachment.size,
		isInline: attachment.isInline,
	};
	if (attachment.kind === 'file') {
		json.contentId = null;
		json.contentLocation = null;
		if (withContent) json.contentBytes = (attachment.content ?? Buffer.alloc(0)).toString('base64');
	}
	return json;
}

/** Deterministic bytes for a generated file: the same name and size always give the same content. */
export function generatedContent(name: string, size: number): Buffer {
	const out = Buffer.allocUnsafe(size);
	let state = 2166136261;
	for (const char of name) state = Math.imul(state ^ char.charCodeAt(0), 16777619) >>> 0;
	for (let i = 0; i < size; i++) {
		state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
		out[i] = state >>> 24;
	}
	return out;
}

/** Any stored Graph record: JSON-compatible object with an id. */
export type GraphRecord = { id: string } & Record<string, unknown>;

/**
 * Graph-like opaque ids, encoded from bytes like the real ones (an Exchange entry id in base64): the mailbox part is
 * shared, the container part comes from the folder, which is why a move changes a message's id (as in Graph).
 * Encoding one buffer also yields flat strings, which keeps 100k stored messages small.
 */
export class IdFactory {
	private pool = Buffer.alloc(0);
	private poolAt = 0;
	private readonly mailbox = this.bytes(32);

	/** 16 bytes identifying a folder / calendar inside item ids. */
	containerPart(): Buffer {
		return Buffer.from(this.bytes(16));
	}
	/** ~148 chars like `AAMkAG…AAA=` (base64url alphabet, '=' padded, as Graph's REST ids). */
	itemId(container: Buffer): string {
		return this.encode([ITEM_HEADER, this.mailbox, ITEM_MIDDLE, container, ITEM_TAIL, this.bytes(48)], true);
	}
	folderId(): string {
		return this.encode([ITEM_HEADER, this.mailbox, FOLDER_MIDDLE, this.bytes(46)], true);
	}
	/** Like an item id with an attachment part (`AAMkAG…BEgAQA…=`). */
	attachmentId(): string {
		return this.encode([ITEM_HEADER, this.mailbox, ITEM_MIDDLE, this.bytes(16), ATTACHMENT_TAIL, this.bytes(16)], true);
	}
	/** Standard base64 like Graph's changeKey (`CQAAABYAAA…`). */
	changeKey(): string {
		return this.encode([CHANGE_KEY_HEADER, this.bytes(22)], false);
	}
	conversationId(): string {
		return this.encode([CONVERSATION_HEADER, this.mailbox, this.bytes(17)], true);
	}
	internetMessageId(domain: string): string {
		return Buffer.from(`<${this.bytes(18).toString('hex').toUpperCase()}@${domain}>`).toString('latin1');
	}
	/** OneDrive item ids: 34 upper-case base32-like characters (`01BYE5RZ…`). */
	driveItemId(): string {
		return `01${this.hex(32)}`;
	}
	hex(length: number): string {
		return this.bytes(Math.ceil(length / 2)).toString('hex').slice(0, length).toUpperCase();
	}

	/** Random bytes from a pool so seeding 100k items does not call the CSPRNG half a million times. */
	private bytes(count: number): Buffer {
		if (this.poolAt + count > this.pool.length) {
			this.pool = randomBytes(64 * 1024);
			this.poolAt = 0;
		}
		const out = this.pool.subarray(this.poolAt, this.poolAt + count);
		this.poolAt += count;
		return out;
	}

	private encode(parts: Buffer[], urlSafe: boolean): string {
		const buf = Buffer.concat(parts);
		if (!urlSafe) return buf.toString('base64');
		// base64url drops padding; Graph ids keep it ('…AAA=').
		return buf.toString('base64url') + '='.repeat((3 - (buf.length % 3)) % 3);
	}
}

const ITEM_HEADER = Buffer.from([0x00, 0x03, 0x24, 0x00, 0x60]);
const ITEM_MIDDLE = Buffer.from([0x00, 0x46, 0x00, 0x00, 0x00, 0x00, 0x00]);
const ITEM_TAIL = Buffer.from([0x07, 0x00]);
const ATTACHMENT_TAIL = Buffer.from([0x01, 0x12, 0x00, 0x10, 0x00]);
const FOLDER_MIDDLE = Buffer.from([0x00, 0x2e, 0x00, 0x00, 0x00, 0x00, 0x00]);
const CHANGE_KEY_HEADER = Buffer.from([0x09, 0x00, 0x00, 0x00, 0x16, 0x00, 0x00, 0x00]);
const CONVERSATION_HEADER = Buffer.from([0x00, 0x04, 0x24, 0x00, 0x60]);

const PEOPLE: EmailAddress[] = [
	{ name: 'Megan Bowen', address: 'megan.bowen@fabrikam.example' },
	{ name: 'Alex Wilber', address: 'alex.wilber@northwind.example' },
	{ name: 'Lidia Holloway', address: 'lidia.holloway@contoso.example' },
	{ name: 'Diego Siciliani', address: 'diego.siciliani@fabrikam.example' },
	{ name: 'Isaiah Langer', address: 'isaiah.langer@tailspin.example' },
	{ name: 'Johanna Lorenz', address: 'johanna.lorenz@contoso.example' },
	{ name: 'Nestor Wilke', address: 'nestor.wilke@northwind.example' },
	{ name: 'Patti Fernandez', address: 'patti.fernandez@adatum.example' },
	{ name: 'Grady Archie', address: 'grady.archie@fabrikam.example' },
	{ name: 'Lynne Robbins', address: 'lynne.robbins@woodgrove.example' },
	{ name: 'Joni Sherman', address: 'joni.sherman@adatum.example' },
	{ name: 'Pradeep Gupta', address: 'pradeep.gupta@tailspin.example' },
];
const MAIL_SUBJECTS = [
	'Quarterly report draft',
	'Lunch on Friday?',
	'Invoice 2026-114 overdue',
	'Re: Project Falcon kickoff',
	'Your order has shipped',
	'Updated travel itinerary',
	'Fw: Budget numbers for Q4',
	'Team offsite agenda',
	'Action required: password expiry',
	'Contract review comments',
	'Weekly status',
	'Welcome to the team!',
];
const EVENT_SUBJECTS = ['1:1 sync', 'Sprint planning', 'Customer demo', 'Design review', 'All hands', 'Dentist'];
const LOCATIONS = ['Conference Room 4/1100', 'Microsoft Teams Meeting', 'Cafe Bistro', 'Building 7, Room 212', ''];
const JOBS = ['Marketing Manager', 'Product Owner', 'Account Executive', 'Engineer', 'Paralegal', 'CFO'];

function pick<T>(list: readonly T[], n: number): T {
	return list[((n % list.length) + list.length) % list.length];
}

/** Everything a factory needs besides the caller's fields. */
export interface BuildContext {
	seq: number;
	atMs: number;
	/** 100 ns ticks below the ms, for 7-digit stamps. */
	subMsTicks: number;
	ids: IdFactory;
	owner: SimUser;
	containerId: string;
	containerPart: Buffer;
}

// Shared, never mutated in place (updates replace top-level values), which keeps 100k messages small.
const ownerRecipientCache = new WeakMap<SimUser, Recipient[]>();
function ownerRecipients(owner: SimUser): Recipient[] {
	let list = ownerRecipientCache.get(owner);
	if (list === undefined) {
		list = [{ emailAddress: { name: owner.displayName, address: owner.mail } }];
		ownerRecipientCache.set(owner, list);
	}
	return list;
}
const senderRecipients: Recipient[] = PEOPLE.map((emailAddress) => ({ emailAddress }));
const NO_RECIPIENTS: Recipient[] = [];
const NO_CATEGORIES: string[] = [];

const NOT_FLAGGED = { flagStatus: 'notFlagged' as const };
const defaultMailBodies = new Map<string, { body: ItemBody; preview: string }>();

/** Default bodies are shared per subject (never mutated in place), which keeps big seeded mailboxes small. */
function defaultMailBody(subject: string): { body: ItemBody; preview: string } {
	let found = defaultMailBodies.get(subject);
	if (found === undefined) {
		const preview = `Hi, ${subject}: see the details below.`;
		found = { body: { contentType: 'html', content: `<html><body><p>Hi,</p><p>${subject}: see the details below.</p></body></html>` }, preview };
		if (defaultMailBodies.size < 1000) defaultMailBodies.set(subject, found);
	}
	return found;
}

function previewOf(text: string): string {
	return text.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 255);
}

export function buildMessage(fields: Partial<Message>, ctx: BuildContext): Message {
	const stamp = secondStamp(ctx.atMs);
	const from = fields.from ?? fields.sender ?? pick(senderRecipients, ctx.seq);
	const subject = fields.subject ?? pick(MAIL_SUBJECTS, ctx.seq);
	const fallback = fields.body === undefined ? defaultMailBody(subject) : undefined;
	const body = fields.body ?? (fallback as { body: ItemBody }).body;
	const base: Message = {
		id: ctx.ids.itemId(ctx.containerPart),
		createdDateTime: stamp,
		lastModifiedDateTime: stamp,
		changeKey: ctx.ids.changeKey(),
		categories: NO_CATEGORIES,
		receivedDateTime: stamp,
		// Sent a few seconds before it was received, as with real transport delays.
		sentDateTime: secondStamp(ctx.atMs - 1000 - (ctx.seq % 4) * 1000),
		hasAttachments: ctx.seq % 9 === 4,
		internetMessageId: ctx.ids.internetMessageId(from.emailAddress.address.split('@')[1] ?? 'mail.example'),
		subject,
		bodyPreview: fields.bodyPreview ?? fallback?.preview ?? previewOf(body.content),
		importance: ctx.seq % 11 === 3 ? 'high' : 'normal',
		parentFolderId: ctx.containerId,
		conversationId: ctx.ids.conversationId(),
		isDeliveryReceiptRequested: false,
		isReadReceiptRequested: false,
		isRead: false,
		isDraft: false,
		inferenceClassification: 'focused',
		body,
		sender: from,
		from,
		toRecipients: ownerRecipients(ctx.owner),
		ccRecipients: NO_RECIPIENTS,
		bccRecipients: NO_RECIPIENTS,
		replyTo: NO_RECIPIENTS,
		flag: NOT_FLAGGED,
		webLink: '',
	};
	const message = { ...base, ...fields, parentFolderId: ctx.containerId };
	message.webLink = owaLink(message.id, 'ReadMessageItem');
	return message;
}

/** Outlook on the web's deep link, as Graph returns it in `webLink`. */
export function owaLink(id: string, viewModel: string): string {
	return `https://outlook.office365.com/owa/?ItemID=${encodeURIComponent(id)}&exvsurl=1&viewmodel=${viewModel}`;
}

export function buildEvent(fields: Partial<CalendarEvent>, ctx: BuildContext): CalendarEvent {
	const stamp = tickStamp(ctx.atMs, ctx.subMsTicks);
	const hour = 3_600_000;
	const startMs = (Math.floor(ctx.atMs / hour) + 24 + (ctx.seq % 5) * 24) * hour;
	const subject = fields.subject ?? pick(EVENT_SUBJECTS, ctx.seq);
	const attendee = pick(PEOPLE, ctx.seq + 3);
	const body = fields.body ?? { contentType: 'html' as const, content: `<html><body>${subject}</body></html>` };
	const base: CalendarEvent = {
		id: ctx.ids.itemId(ctx.containerPart),
		createdDateTime: stamp,
		lastModifiedDateTime: stamp,
		changeKey: ctx.ids.changeKey(),
		categories: NO_CATEGORIES,
		originalStartTimeZone: 'UTC',
		originalEndTimeZone: 'UTC',
		iCalUId: `040000008200E00074C5B7101A82E008${ctx.ids.hex(80)}`,
		reminderMinutesBeforeStart: 15,
		isReminderOn: true,
		hasAttachments: false,
		subject,
		bodyPreview: previewOf(body.content),
		importance: 'normal',
		sensitivity: 'normal',
		isAllDay: false,
		isCancelled: false,
		isOrganizer: true,
		responseRequested: true,
		showAs: 'busy',
		type: 'singleInstance',
		isOnlineMeeting: false,
		responseStatus: { response: 'organizer', time: '0001-01-01T00:00:00Z' },
		body,
		start: { dateTime: wallClockStamp(startMs), timeZone: 'UTC' },
		end: { dateTime: wallClockStamp(startMs + (ctx.seq % 2 === 0 ? 30 : 60) * 60_000), timeZone: 'UTC' },
		location: { displayName: pick(LOCATIONS, ctx.seq), locationType: 'default' },
		attendees: [{ type: 'required', status: { response: 'none', time: '0001-01-01T00:00:00Z' }, emailAddress: attendee }],
		organizer: { emailAddress: { name: ctx.owner.displayName, address: ctx.owner.mail } },
		webLink: '',
	};
	const event = { ...base, ...fields };
	event.webLink = owaLink(event.id, 'ICalendarItemDetailsViewModelFactory');
	return event;
}

export function buildContact(fields: Partial<Contact>, ctx: BuildContext): Contact {
	const stamp = secondStamp(ctx.atMs);
	const person = pick(PEOPLE, ctx.seq);
	const [givenName, surname] = (fields.displayName ?? person.name).split(' ');
	const displayName = fields.displayName ?? person.name;
	const base: Contact = {
		id: ctx.ids.itemId(ctx.containerPart),
		createdDateTime: stamp,
		lastModifiedDateTime: stamp,
		changeKey: ctx.ids.changeKey(),
		categories: NO_CATEGORIES,
		parentFolderId: ctx.containerId,
		fileAs: '',
		displayName,
		givenName: givenName ?? displayName,
		surname: surname ?? '',
		jobTitle: pick(JOBS, ctx.seq),
		companyName: (person.address.split('@')[1] ?? '').split('.')[0],
		businessPhones: [`+1 425 555 01${String(ctx.seq % 100).padStart(2, '0')}`],
		mobilePhone: null,
		personalNotes: '',
		emailAddresses: [{ name: displayName, address: person.address }],
	};
	return { ...base, ...fields, parentFolderId: ctx.containerId };
}

const FILE_NAMES = ['Budget.xlsx', 'Proposal.docx', 'Kickoff.pptx', 'notes.txt', 'photo.jpg', 'contract.pdf'];
const MIME_TYPES: Record<string, string> = {
	xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
	docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
	pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
	txt: 'text/plain',
	jpg: 'image/jpeg',
	pdf: 'application/pdf',
};

/** The drive an item is created in: its id, kind and web address. */
export interface DriveContext {
	driveId: string;
	driveType: DriveItem['parentReference']['driveType'];
	webUrl: string;
}

/** A file (or, with `folder` set in fields, a folder) in `drive` under `parentId`; second-precision stamps. */
export function buildDriveItem(fields: Partial<DriveItem>, ctx: BuildContext, drive: DriveContext, parentId: string): DriveItem {
	const stamp = secondStamp(ctx.atMs);
	const name = fields.name ?? `${ctx.seq}-${pick(FILE_NAMES, ctx.seq)}`;
	const extension = name.split('.').pop() ?? '';
	const id = ctx.ids.driveItemId();
	const tag = ctx.ids.hex(32);
	const user = { user: { displayName: ctx.owner.displayName } };
	const base: DriveItem = {
		id,
		name,
		createdDateTime: stamp,
		lastModifiedDateTime: stamp,
		eTag: `"{${tag}},1"`,
		cTag: `"c:{${tag}},1"`,
		size: fields.folder ? 0 : 1024 + (ctx.seq % 97) * 512,
		webUrl: `${drive.webUrl}/${encodeURIComponent(name)}`,
		createdBy: user,
		lastModifiedBy: user,
		parentReference: { driveId: drive.driveId, driveType: drive.driveType, id: parentId },
		fileSystemInfo: { createdDateTime: stamp, lastModifiedDateTime: stamp },
	};
	if (fields.folder === undefined) base.file = { mimeType: MIME_TYPES[extension] ?? 'application/octet-stream' };
	return { ...base, ...fields, id, parentReference: base.parentReference };
}

/** One sample per collection; the OData layer derives property names and types from these. */
export function sampleRecords(): {
	messages: Message;
	events: CalendarEvent;
	contacts: Contact;
	driveItems: DriveItem;
	mailFolders: MailFolder;
	attachment: GraphRecord;
} {
	const ids = new IdFactory();
	const owner: SimUser = { id: randomUUID(), displayName: 'x', mail: 'x@x.example', userPrincipalName: 'x@x.example' };
	const ctx: BuildContext = { seq: 0, atMs: Date.UTC(2026, 0, 1), subMsTicks: 0, ids, owner, containerId: 'f', containerPart: ids.containerPart() };
	return {
		messages: buildMessage({}, ctx),
		events: buildEvent({}, ctx),
		contacts: buildContact({}, ctx),
		driveItems: { ...buildDriveItem({}, ctx, { driveId: 'd', driveType: 'business', webUrl: 'https://x.example' }, 'r'), folder: { childCount: 0 } },
		mailFolders: {
			id: 'f',
			displayName: 'Inbox',
			parentFolderId: 'r',
			childFolderCount: 0,
			unreadItemCount: 0,
			totalItemCount: 0,
			sizeInBytes: 0,
			isHidden: false,
		},
		attachment: attachmentJson({ id: 'a', kind: 'file', name: 'a.txt', contentType: 'text/plain', size: 1, isInline: false, lastModifiedDateTime: secondStamp(ctx.atMs), content: Buffer.from('a') }),
	};
}
