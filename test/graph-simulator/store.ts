// The mailbox: one user's messages (in mail folders), events, contacts and drive items (a OneDrive and a SharePoint
// document library), plus the query path and the change journal that delta queries read.
//
// Items live in insertion-ordered Maps per collection. A list query filters and sorts once and the result is cached
// per (collection, scope, $filter, $orderby) until the collection changes or a late-indexed item becomes visible, so
// paging 100k messages 1000 at a time is linear overall. Paging itself is offset-based (like Graph mail), so a change
// between two page requests can reshuffle pages exactly as it does against the real service.

import { randomUUID } from 'node:crypto';
import { GraphHttpError } from './odataErrors';
import type {
	AttachmentSpec,
	BuildContext,
	CalendarEvent,
	Contact,
	DriveContext,
	DriveItem,
	GraphRecord,
	MailFolder,
	Message,
	SimUser,
	StoredAttachment,
} from './records';
import { buildContact, buildDriveItem, buildEvent, buildMessage, generatedContent, IdFactory, owaLink } from './records';
import { secondStamp, tickStamp } from './timestamps';

export type CollectionName = 'messages' | 'events' | 'contacts' | 'driveItems';
export const COLLECTIONS: readonly CollectionName[] = ['messages', 'events', 'contacts', 'driveItems'];

export interface ItemTypes {
	messages: Message;
	events: CalendarEvent;
	contacts: Contact;
	driveItems: DriveItem;
}

/** The two drives: the owner's OneDrive (`/me/drive`) and a SharePoint site's document library (`/sites/{id}/drive`). */
export type DriveName = 'me' | 'site';

export interface Drive extends DriveContext {
	name: DriveName;
	rootId: string;
	createdMs: number;
}

/**
 * One change as delta queries see it: an item came into a scope or changed there (`removed` false), or left it
 * (deleted, moved away). `scope` is the mail folder, calendar, contacts folder or drive the item was in.
 */
export interface JournalEntry {
	seq: number;
	collection: CollectionName;
	id: string;
	scope: string;
	removed: boolean;
	/** The removal is a move to another mail folder. */
	moved?: boolean;
	/** Events: start and end (ms) after the change, or before the removal; calendarView windows test them. */
	span?: [number, number];
}

export interface StoredEntry {
	/** Insertion order; also the tie-breaker that makes sorting deterministic. */
	seq: number;
	/** Hidden from list queries while the clock is below this (models late indexing). */
	visibleAt: number;
	data: GraphRecord;
	/** Messages only: what `/attachments` lists (not part of the message JSON, as in Graph). */
	attachments?: StoredAttachment[];
}

export interface CreateOptions {
	/** Mail folder id or well-known name (messages only; default 'inbox'). */
	folder?: string;
	/** Drive items: which drive (default 'me') and the parent folder item's id (default the drive's root). */
	drive?: DriveName;
	parent?: string;
	/** Timestamp (ms) for created/received/lastModified; default: the simulator clock. */
	at?: number;
	/** Item stays out of list results until the clock reaches this (ms). */
	visibleAt?: number;
	/** Messages only: attachments present from the start (`hasAttachments` follows them unless set). */
	attachments?: AttachmentSpec[];
}

export interface UpdateOptions {
	/** Timestamp (ms) for the new lastModifiedDateTime; default: the simulator clock. */
	at?: number;
}

export interface SeedOptions extends Omit<CreateOptions, 'at'> {
	/** First item's timestamp (ms); default now - count * stepMs. */
	startAt?: number;
	/** Spacing between items (ms); default 1000. */
	stepMs?: number;
}

/** One change to one item, as change notifications describe it (a move is a deletion here and a creation there). */
export interface ItemChange {
	collection: CollectionName;
	changeType: 'created' | 'updated' | 'deleted';
	id: string;
	/** The mail folder, calendar, contacts folder or drive the item is (or was) in. */
	scope: string;
	changeKey?: string;
}

export interface QuerySpec {
	/** Identifies filter + order (+ scope) for the result cache. */
	cacheKey: string;
	/** Restrict messages to one folder (direct children only, like /mailFolders/{id}/messages). */
	scopeFolderId?: string;
	matches?: (record: Record<string, unknown>) => boolean;
	sort: (entries: StoredEntry[]) => StoredEntry[];
}

interface FolderEntry {
	id: string;
	displayName: string;
	parentFolderId: string;
	wellKnownName?: string;
	/** Id fragment embedded in ids of items in this folder. */
	part: Buffer;
}

interface CacheEntry {
	version: number;
	computedAt: number;
	validUntil: number;
	entries: StoredEntry[];
}

const WELL_KNOWN_FOLDERS: Array<[string, string]> = [
	['inbox', 'Inbox'],
	['sentitems', 'Sent Items'],
	['drafts', 'Drafts'],
	['deleteditems', 'Deleted Items'],
	['archive', 'Archive'],
	['junkemail', 'Junk Email'],
	['outbox', 'Outbox'],
];
const CACHE_LIMIT = 32;

export function notFound(): GraphHttpError {
	return new GraphHttpError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
}

/** The mailbox of the signed-in user unless a test names another. */
export function defaultOwner(): SimUser {
	return { id: randomUUID(), displayName: 'Adele Vance', mail: 'adele.vance@contoso.example', userPrincipalName: 'adele.vance@contoso.example' };
}

/** Has a non-inline attachment: Graph's `hasAttachments` ignores inline images. */
function visibleAttachments(attachments: StoredAttachment[]): boolean {
	return attachments.some((attachment) => !attachment.isInline);
}

export class MailboxStore {
	readonly ids = new IdFactory();
	/** Users (ids) an admin gave full access to this mailbox (shared mailboxes, delegates). */
	readonly delegates = new Set<string>();
	private readonly items: Record<CollectionName, Map<string, StoredEntry>> = {
		messages: new Map(),
		events: new Map(),
		contacts: new Map(),
		driveItems: new Map(),
	};
	private readonly versions: Record<CollectionName, number> = { messages: 0, events: 0, contacts: 0, driveItems: 0 };
	/** Every change since the last reset, oldest first (seq increasing). */
	readonly journal: JournalEntry[] = [];
	private journalSeq = 0;
	/** Delta tokens carry the epoch they were issued in; a new epoch makes every older token expire (410). */
	deltaEpoch = 1;
	readonly drives: Record<DriveName, Drive>;
	private readonly folders = new Map<string, FolderEntry>();
	private readonly wellKnown = new Map<string, string>();
	private readonly cache = new Map<string, CacheEntry>();
	private readonly rootFolderId: string;
	private readonly calendar = { id: this.ids.folderId(), part: this.ids.containerPart() };
	private readonly contactsFolder = { id: this.ids.folderId(), part: this.ids.containerPart() };
	readonly siteId = `contoso.sharepoint.com,${randomUUID()},${randomUUID()}`;
	private seq = 0;
	private lastTick = { ms: Number.NaN, sub: 0 };
	private readonly changeListeners: Array<(change: ItemChange) => void> = [];

	constructor(
		private readonly now: () => number,
		readonly owner: SimUser = defaultOwner(),
	) {
		const root: FolderEntry = {
			id: this.ids.folderId(),
			displayName: 'Top of Information Store',
			parentFolderId: this.ids.folderId(),
			wellKnownName: 'msgfolderroot',
			part: this.ids.containerPart(),
		};
		this.rootFolderId = root.id;
		this.addFolder(root);
		for (const [name, displayName] of WELL_KNOWN_FOLDERS) {
			this.addFolder({ id: this.ids.folderId(), displayName, parentFolderId: root.id, wellKnownName: name, part: this.ids.containerPart() });
		}
		const createdMs = this.now();
		const drive = (name: DriveName, driveType: Drive['driveType'], webUrl: string): Drive => ({
			name,
			driveId: `b!${this.ids.hex(40).toLowerCase()}`,
			driveType,
			webUrl,
			rootId: this.ids.driveItemId(),
			createdMs,
		});
		this.drives = {
			me: drive('me', 'business', 'https://contoso-my.sharepoint.example/personal/adele/Documents'),
			site: drive('site', 'documentLibrary', 'https://contoso.sharepoint.example/sites/projects/Shared%20Documents'),
		};
	}

	// ---- folders -------------------------------------------------------------------------------------------

	private addFolder(folder: FolderEntry): void {
		this.folders.set(folder.id, folder);
		if (folder.wellKnownName !== undefined) this.wellKnown.set(folder.wellKnownName, folder.id);
	}

	/** Folder by id or well-known name (case-insensitive, as Graph accepts `Inbox`). */
	findFolder(ref: string): FolderEntry | undefined {
		return this.folders.get(this.wellKnown.get(ref.toLowerCase()) ?? ref);
	}

	folderIdOf(ref: string): string {
		const folder = this.findFolder(ref);
		if (folder === undefined) throw notFound();
		return folder.id;
	}

	get rootId(): string {
		return this.rootFolderId;
	}

	/** The default contacts folder (`/me/contactFolders/{id}`, the home of `/me/contacts`). */
	get contactsFolderId(): string {
		return this.contactsFolder.id;
	}

	/** The primary calendar (the scope of `/me/calendarView/delta`). */
	get calendarId(): string {
		return this.calendar.id;
	}

	/** A drive by name or by id. */
	findDrive(ref: string): Drive | undefined {
		return Object.values(this.drives).find((drive) => drive.name === ref || drive.driveId === ref);
	}

	createFolder(displayName: string, parentRef = 'msgfolderroot'): MailFolder {
		const parent = this.findFolder(parentRef);
		if (parent === undefined) throw notFound();
		const name = displayName.trim();
		if (name === '') throw new GraphHttpError(400, 'ErrorInvalidRequest', "The folder's displayName must not be empty.");
		const clash = [...this.folders.values()].some((f) => f.parentFolderId === parent.id && f.displayName.toLowerCase() === name.toLowerCase());
		if (clash) throw new GraphHttpError(409, 'ErrorFolderExists', 'A folder with the specified name already exists.');
		const folder: FolderEntry = { id: this.ids.folderId(), displayName: name, parentFolderId: parent.id, part: this.ids.containerPart() };
		this.addFolder(folder);
		return this.folderViews([folder])[0];
	}

	/** Deletes a user folder with its sub-folders and their mail (well-known folders stay). */
	deleteFolder(ref: string): void {
		const folder = this.findFolder(ref);
		if (folder === undefined) throw notFound();
		if (folder.wellKnownName !== undefined) throw new GraphHttpError(403, 'ErrorDeleteDistinguishedFolder', 'Distinguished folders cannot be deleted.');
		for (const child of [...this.folders.values()]) if (child.parentFolderId === folder.id) this.deleteFolder(child.id);
		for (const entry of [...this.items.messages.values()]) if (entry.data.parentFolderId === folder.id) this.delete('messages', entry.data.id);
		this.folders.delete(folder.id);
	}

	/** Child folders of a folder as Graph returns them (with counts). */
	childFolders(parentRef: string): MailFolder[] {
		const parentId = this.folderIdOf(parentRef);
		return this.folderViews([...this.folders.values()].filter((f) => f.parentFolderId === parentId));
	}

	folder(ref: string): MailFolder {
		const folder = this.findFolder(ref);
		if (folder === undefined) throw notFound();
		return this.folderViews([folder])[0];
	}

	allFolders(): Array<MailFolder & { wellKnownName?: string }> {
		const list = [...this.folders.values()];
		const views = this.folderViews(list);
		return views.map((view, i) => ({ ...view, wellKnownName: list[i].wellKnownName }));
	}

	private folderViews(list: FolderEntry[]): MailFolder[] {
		const wanted = new Set(list.map((f) => f.id));
		const total = new Map<string, number>();
		const unread = new Map<string, number>();
		for (const entry of this.items.messages.values()) {
			const folderId = entry.data.parentFolderId as string;
			if (!wanted.has(folderId)) continue;
			total.set(folderId, (total.get(folderId) ?? 0) + 1);
			if (entry.data.isRead !== true) unread.set(folderId, (unread.get(folderId) ?? 0) + 1);
		}
		const children = new Map<string, number>();
		for (const f of this.folders.values()) children.set(f.parentFolderId, (children.get(f.parentFolderId) ?? 0) + 1);
		return list.map((f) => ({
			id: f.id,
			displayName: f.displayName,
			parentFolderId: f.parentFolderId,
			childFolderCount: children.get(f.id) ?? 0,
			unreadItemCount: unread.get(f.id) ?? 0,
			totalItemCount: total.get(f.id) ?? 0,
			sizeInBytes: (total.get(f.id) ?? 0) * 4096,
			isHidden: false,
		}));
	}

	// ---- items ---------------------------------------------------------------------------------------------

	/** 100 ns ticks below the ms for event stamps; monotonic within one ms so updates never go back in time. */
	private subMsTicks(ms: number): number {
		const sub = ms === this.lastTick.ms ? Math.min(9999, this.lastTick.sub + 1 + Math.floor(Math.random() * 40)) : Math.floor(Math.random() * 5000);
		this.lastTick = { ms, sub };
		return sub;
	}

	private stampFor(collection: CollectionName, ms: number): string {
		return collection === 'events' ? tickStamp(ms, this.subMsTicks(ms)) : secondStamp(ms);
	}

	private touch(collection: CollectionName): void {
		this.versions[collection] += 1;
	}

	/** Calls `listener` after every item change (the source of change notifications). */
	onChange(listener: (change: ItemChange) => void): void {
		this.changeListeners.push(listener);
	}

	private announce(collection: CollectionName, changeType: ItemChange['changeType'], data: GraphRecord): void {
		const change: ItemChange = { collection, changeType, id: data.id, scope: this.scopeOf(collection, data), changeKey: data.changeKey as string | undefined };
		for (const listener of this.changeListeners) listener(change);
	}

	create<C extends CollectionName>(collection: C, fields: Partial<ItemTypes[C]> = {}, opts: CreateOptions = {}): GraphRecord {
		const at = opts.at ?? this.now();
		const seq = ++this.seq;
		let container = collection === 'events' ? this.calendar : this.contactsFolder;
		if (collection === 'messages') {
			const folder = this.findFolder(opts.folder ?? 'inbox');
			if (folder === undefined) throw new GraphHttpError(404, 'ErrorItemNotFound', `Mail folder '${opts.folder}' was not found.`);
			container = folder;
		}
		const drive = collection === 'driveItems' ? this.findDrive(opts.drive ?? 'me') : undefined;
		if (collection === 'driveItems' && drive === undefined) throw new GraphHttpError(404, 'itemNotFound', `Drive '${opts.drive}' was not found.`);
		const ctx: BuildContext = {
			seq,
			atMs: at,
			subMsTicks: collection === 'events' ? this.subMsTicks(at) : 0,
			ids: this.ids,
			owner: this.owner,
			containerId: container.id,
			containerPart: container.part,
		};
		// Copy so later mutation of the caller's object cannot reach into the store.
		const own = (Object.keys(fields).length === 0 ? {} : structuredClone(fields)) as Record<string, unknown>;
		let data: GraphRecord;
		if (collection === 'messages') data = buildMessage(own as Partial<Message>, ctx) as unknown as GraphRecord;
		else if (collection === 'events') data = buildEvent(own as Partial<CalendarEvent>, ctx) as unknown as GraphRecord;
		else if (collection === 'contacts') data = buildContact(own as Partial<Contact>, ctx) as unknown as GraphRecord;
		else data = buildDriveItem(own as Partial<DriveItem>, ctx, drive!, this.driveParent(drive!, opts.parent)) as unknown as GraphRecord;
		const map = this.items[collection];
		if (map.has(data.id)) throw new GraphHttpError(409, 'ErrorDuplicateItem', `An item with id '${data.id}' already exists.`);
		const entry: StoredEntry = { seq, visibleAt: opts.visibleAt ?? Number.NEGATIVE_INFINITY, data };
		if (collection === 'messages' && opts.attachments !== undefined) {
			entry.attachments = opts.attachments.map((spec) => this.buildAttachment(spec, at));
			if (own.hasAttachments === undefined) data.hasAttachments = visibleAttachments(entry.attachments);
		}
		map.set(data.id, entry);
		this.touch(collection);
		this.record(collection, data, false);
		this.announce(collection, 'created', data);
		return data;
	}

	private buildAttachment(spec: AttachmentSpec, atMs: number): StoredAttachment {
		const base = { id: this.ids.attachmentId(), name: spec.name, lastModifiedDateTime: secondStamp(atMs), isInline: false };
		switch (spec.kind) {
			case 'file': {
				const content =
					spec.content === undefined ? generatedContent(spec.name, spec.size ?? 1024) : Buffer.from(spec.content);
				return { ...base, kind: 'file', contentType: spec.contentType ?? 'application/octet-stream', size: content.length, isInline: spec.isInline === true, content };
			}
			case 'item':
				return { ...base, kind: 'item', contentType: null, size: spec.size ?? 18_000 };
			case 'reference':
				return { ...base, kind: 'reference', contentType: spec.contentType ?? null, size: spec.size ?? 420 };
		}
	}

	/** Adds an attachment to a message: a change, so lastModifiedDateTime and changeKey move (as in Graph). */
	addAttachment(messageId: string, spec: AttachmentSpec, opts: UpdateOptions = {}): StoredAttachment {
		const entry = this.items.messages.get(messageId);
		if (entry === undefined) throw notFound();
		const at = opts.at ?? this.now();
		const attachment = this.buildAttachment(spec, at);
		entry.attachments = [...(entry.attachments ?? []), attachment];
		entry.data = { ...entry.data, hasAttachments: visibleAttachments(entry.attachments), lastModifiedDateTime: secondStamp(at), changeKey: this.ids.changeKey() };
		this.touch('messages');
		this.record('messages', entry.data, false);
		return attachment;
	}

	/** A message's attachments, in the order they were added. */
	attachments(messageId: string): StoredAttachment[] {
		const entry = this.items.messages.get(messageId);
		if (entry === undefined) throw notFound();
		return entry.attachments ?? [];
	}

	/** The parent folder of a new drive item: the root, or a folder item of the same drive. */
	private driveParent(drive: Drive, parent: string | undefined): string {
		if (parent === undefined || parent === drive.rootId) return drive.rootId;
		const entry = this.items.driveItems.get(parent);
		const data = entry?.data as unknown as DriveItem | undefined;
		if (data === undefined || data.folder === undefined || data.parentReference.driveId !== drive.driveId) {
			throw new GraphHttpError(404, 'itemNotFound', `Folder '${parent}' was not found in the drive.`);
		}
		return parent;
	}

	/** The scope a record lives in, as delta queries address it. */
	scopeOf(collection: CollectionName, data: GraphRecord): string {
		if (collection === 'messages' || collection === 'contacts') return data.parentFolderId as string;
		if (collection === 'events') return this.calendarId;
		return (data as unknown as DriveItem).parentReference.driveId;
	}

	private record(collection: CollectionName, data: GraphRecord, removed: boolean, moved = false): void {
		const entry: JournalEntry = { seq: ++this.journalSeq, collection, id: data.id, scope: this.scopeOf(collection, data), removed };
		if (moved) entry.moved = true;
		if (collection === 'events') entry.span = eventSpan(data);
		this.journal.push(entry);
	}

	/** The last journal sequence number handed out (0 before any change). */
	get journalHead(): number {
		return this.journalSeq;
	}

	update<C extends CollectionName>(collection: C, id: string, patch: Partial<ItemTypes[C]>, opts: UpdateOptions = {}): GraphRecord {
		const entry = this.items[collection].get(id);
		if (entry === undefined) throw notFound();
		const own = structuredClone(patch) as Record<string, unknown>;
		// Identity and location are not patchable: a folder change is a move (which changes the id).
		delete own.id;
		delete own.parentFolderId;
		delete own.parentReference;
		const at = opts.at ?? this.now();
		const lastModifiedDateTime = typeof own.lastModifiedDateTime === 'string' ? own.lastModifiedDateTime : this.stampFor(collection, at);
		if (collection === 'driveItems') {
			const tag = this.ids.hex(32);
			const version = Number(/,(\d+)"$/.exec(String(entry.data.eTag))?.[1] ?? '1') + 1;
			entry.data = {
				...entry.data,
				...own,
				id,
				lastModifiedDateTime,
				eTag: `"{${tag}},${version}"`,
				cTag: `"c:{${tag}},${version}"`,
				fileSystemInfo: { createdDateTime: entry.data.createdDateTime, lastModifiedDateTime },
			};
		} else {
			entry.data = {
				...entry.data,
				...own,
				id,
				lastModifiedDateTime,
				changeKey: typeof own.changeKey === 'string' ? own.changeKey : this.ids.changeKey(),
			};
		}
		this.touch(collection);
		this.record(collection, entry.data, false);
		this.announce(collection, 'updated', entry.data);
		return entry.data;
	}

	/** Moves a message; like Graph, the moved message gets a new id (and a new lastModifiedDateTime). */
	move(id: string, folderRef: string, opts: UpdateOptions = {}): GraphRecord {
		const entry = this.items.messages.get(id);
		if (entry === undefined) throw notFound();
		const folder = this.findFolder(folderRef);
		if (folder === undefined) throw new GraphHttpError(404, 'ErrorItemNotFound', `Mail folder '${folderRef}' was not found.`);
		const at = opts.at ?? this.now();
		const newId = this.ids.itemId(folder.part);
		const data: GraphRecord = {
			...entry.data,
			id: newId,
			parentFolderId: folder.id,
			lastModifiedDateTime: secondStamp(at),
			changeKey: this.ids.changeKey(),
			webLink: owaLink(newId, 'ReadMessageItem'),
		};
		this.items.messages.delete(id);
		this.items.messages.set(data.id, { seq: ++this.seq, visibleAt: entry.visibleAt, data, attachments: entry.attachments });
		this.touch('messages');
		this.record('messages', entry.data, true, true);
		this.record('messages', data, false);
		this.announce('messages', 'deleted', entry.data);
		this.announce('messages', 'created', data);
		return data;
	}

	/** Deletes an item; a drive folder goes with everything in it. */
	delete(collection: CollectionName, id: string): boolean {
		const entry = this.items[collection].get(id);
		if (entry === undefined) return false;
		if (collection === 'driveItems') {
			for (const child of [...this.items.driveItems.values()]) {
				if ((child.data as unknown as DriveItem).parentReference.id === id) this.delete('driveItems', child.data.id);
			}
		}
		this.items[collection].delete(id);
		this.touch(collection);
		this.record(collection, entry.data, true);
		this.announce(collection, 'deleted', entry.data);
		return true;
	}

	get(collection: CollectionName, id: string): StoredEntry | undefined {
		return this.items[collection].get(id);
	}

	/** Every item including not-yet-visible ones, in insertion order (the truth for lost/duplicate accounting). */
	entries(collection: CollectionName): StoredEntry[] {
		return [...this.items[collection].values()];
	}

	count(collection: CollectionName): number {
		return this.items[collection].size;
	}

	seed(collection: CollectionName, count: number, opts: SeedOptions = {}): number {
		const step = opts.stepMs ?? 1000;
		const start = opts.startAt ?? this.now() - count * step;
		for (let i = 0; i < count; i++) {
			this.create(collection, {}, { folder: opts.folder, drive: opts.drive, parent: opts.parent, visibleAt: opts.visibleAt, at: start + i * step });
		}
		return count;
	}

	/** Visible items of a collection matching the spec, sorted (cached; callers must not mutate the array). */
	query(collection: CollectionName, spec: QuerySpec): StoredEntry[] {
		const now = this.now();
		const key = `${collection}\u0000${spec.scopeFolderId ?? '*'}\u0000${spec.cacheKey}`;
		const hit = this.cache.get(key);
		if (hit !== undefined && hit.version === this.versions[collection] && now >= hit.computedAt && now < hit.validUntil) {
			this.cache.delete(key);
			this.cache.set(key, hit); // keep recently used entries at the end
			return hit.entries;
		}
		let validUntil = Number.POSITIVE_INFINITY;
		const matching: StoredEntry[] = [];
		for (const entry of this.items[collection].values()) {
			if (spec.scopeFolderId !== undefined && entry.data.parentFolderId !== spec.scopeFolderId) continue;
			if (entry.visibleAt > now) {
				validUntil = Math.min(validUntil, entry.visibleAt);
				continue;
			}
			if (spec.matches !== undefined && !spec.matches(entry.data)) continue;
			matching.push(entry);
		}
		const entries = spec.sort(matching);
		this.cache.delete(key);
		this.cache.set(key, { version: this.versions[collection], computedAt: now, validUntil, entries });
		if (this.cache.size > CACHE_LIMIT) this.cache.delete(this.cache.keys().next().value as string);
		return entries;
	}

	/** Makes every delta token issued so far expire: their next use answers 410 Gone. */
	expireDeltaTokens(): void {
		this.deltaEpoch += 1;
	}

	/** Drops all items and user-created folders (well-known folders keep their ids); delta tokens expire. */
	reset(): void {
		for (const collection of COLLECTIONS) {
			this.items[collection].clear();
			this.touch(collection);
		}
		this.journal.length = 0;
		this.expireDeltaTokens();
		for (const folder of [...this.folders.values()]) {
			if (folder.wellKnownName === undefined) this.folders.delete(folder.id);
		}
		this.cache.clear();
	}
}

/** An event's start and end (its `dateTime`s are UTC wall clock without an offset, as Graph returns them in UTC). */
export function eventSpan(data: GraphRecord): [number, number] {
	const read = (value: unknown) => Date.parse(`${String((value as { dateTime?: string } | undefined)?.dateTime ?? '').slice(0, 23)}Z`);
	return [read(data.start), read(data.end)];
}
