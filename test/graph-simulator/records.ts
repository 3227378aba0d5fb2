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

/** Any stored Graph record: JSON-compatible object with an id. */
export type GraphRecord = { id: string } & Record<string, unknown>;

/** Graph-like opaque ids. A mail item id embeds its folder, which is why a move changes the id (as in Graph). */
export class IdFactory {
	private pool = Buffer.alloc(0);
	private poolAt = 0;
	readonly mailboxPart = this.random(44);

	/** ~150 chars like `AAMkAG…BGAAAAAA…BwC…AAA=`. */
	itemId(containerPart: string): string {
		return `AAMkAG${this.mailboxPart}BGAAAAAA${containerPart}BwC${this.random(50)}AAA=`;
	}
	folderId(): string {
		return `AAMkAG${this.mailboxPart}AuAAAAAA${this.random(22)}AQC${this.random(18)}AAA=`;
	}
	containerPart(): string {
		return this.random(22);
	}
	changeKey(): string {
		return `CQAAABYAAA${this.random(30)}`;
	}
	conversationId(): string {
		return `AAQkAG${this.mailboxPart}AQA${this.random(22)}=`;
	}
	internetMessageId(domain: string): string {
		return `<${this.random(24).replace(/[-_]/g, 'x')}@${domain}>`;
	}
	hex(length: number): string {
		let out = '';
		while (out.length < length) out += randomUUID().replace(/-/g, '');
		return out.slice(0, length).toUpperCase();
	}
	/** base64url text; bytes come from a pool so seeding 100k items does not call the CSPRNG 400k times. */
	random(length: number): string {
		const bytes = Math.ceil((length * 3) / 4);
		if (this.poolAt + bytes > this.pool.length) {
			this.pool = randomBytes(64 * 1024);
			this.poolAt = 0;
		}
		const text = this.pool.toString('base64url', this.poolAt, this.poolAt + bytes);
		this.poolAt += bytes;
		return text.slice(0, length);
	}
}

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
	containerPart: string;
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

function previewOf(text: string): string {
	return text.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 255);
}

export function buildMessage(fields: Partial<Message>, ctx: BuildContext): Message {
	const stamp = secondStamp(ctx.atMs);
	const from = fields.from ?? fields.sender ?? pick(senderRecipients, ctx.seq);
	const subject = fields.subject ?? pick(MAIL_SUBJECTS, ctx.seq);
	const body = fields.body ?? {
		contentType: 'html' as const,
		content: `<html><body><p>Hi,</p><p>${subject}: see the details below (ref ${ctx.seq}).</p></body></html>`,
	};
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
		bodyPreview: fields.bodyPreview ?? previewOf(body.content),
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
		flag: { flagStatus: 'notFlagged' },
	};
	return { ...base, ...fields, parentFolderId: ctx.containerId };
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
	};
	return { ...base, ...fields };
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

/** One sample per collection; the OData layer derives property names and types from these. */
export function sampleRecords(): { messages: Message; events: CalendarEvent; contacts: Contact; mailFolders: MailFolder } {
	const ids = new IdFactory();
	const owner: SimUser = { id: randomUUID(), displayName: 'x', mail: 'x@x.example', userPrincipalName: 'x@x.example' };
	const ctx: BuildContext = { seq: 0, atMs: Date.UTC(2026, 0, 1), subMsTicks: 0, ids, owner, containerId: 'f', containerPart: 'p' };
	return {
		messages: buildMessage({}, ctx),
		events: buildEvent({}, ctx),
		contacts: buildContact({}, ctx),
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
	};
}
