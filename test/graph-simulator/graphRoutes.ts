// Microsoft Graph v1.0 routes for the tenant's mailboxes: /me and /users/{id|upn|mail} → messages (+ attachments),
// mailFolders (+ childFolders, + messages), events (also /calendar/events), contacts, and the delta functions
// (mailFolders/{id}/messages/delta, contacts/delta, contactFolders/{id}/contacts/delta, calendarView/delta,
// drive/root/delta, also under /drives/{id} and /sites/{id}/drive); /users lists the directory. Authentication is
// checked by the server before this runs; authorization (access.ts) here, per mailbox and workload.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Grant, MailboxAccess, Workload } from './access';
import { checkDirectoryAccess, checkMailboxAccess, ME_NEEDS_USER } from './access';
import type { DeltaRequestInfo, DeltaTarget } from './deltaQuery';
import { answerDelta } from './deltaQuery';
import type { EntitySchema } from './entitySchema';
import { schemaFromSample } from './entitySchema';
import { GRAPH_JSON, parseJsonObject, sendJson } from './httpUtil';
import { GraphHttpError } from './odataErrors';
import type { ParsedQuery, QueryLimits } from './odataQuery';
import { nextLink, parseQuery, project, shuffleTies, sortEntries } from './odataQuery';
import type { GraphRecord, StoredAttachment } from './records';
import { attachmentJson, sampleRecords } from './records';
import type { CollectionName, Drive, MailboxStore, StoredEntry } from './store';
import { notFound } from './store';

type SchemaName = CollectionName | 'mailFolders' | 'attachments' | 'users';

/** What a list request asks for, handed to `beforeList` before the request is answered. */
export interface ListRequestInfo {
	collection: CollectionName;
	/** Offset of the requested page (`$skip`); 0 for a first page. */
	skip: number;
	/** Path and query as received. */
	url: string;
}

/** The tenant's mailboxes. */
export interface Directory {
	/** The signed-in user's mailbox. */
	primary: MailboxStore;
	all(): readonly MailboxStore[];
	/** By id, userPrincipalName or mail (case-insensitive). */
	find(ref: string): MailboxStore | undefined;
}

export interface GraphRouteContext {
	directory: Directory;
	/** Mailbox ids app-only tokens may read, when the tenant set an application access policy. */
	appAccessPolicy(): ReadonlySet<string> | undefined;
	defaultPageSize: number;
	/** Lists records with equal `$orderby` values in a new random order on every request (Graph promises no order). */
	unstableTieOrder(): boolean;
	/** Called before a list request is evaluated; may change the mailbox (a change between two pages). */
	beforeList?(info: ListRequestInfo): void;
	/** Delta pages after the first repeat the last record of the page before. */
	deltaReplays(): boolean;
	/** Called before a delta request is evaluated; may change the mailbox (a change during a round). */
	beforeDelta?(info: DeltaRequestInfo): void;
}

export interface GraphRequest {
	req: IncomingMessage;
	res: ServerResponse;
	url: URL;
	body: string;
	/** `http://host:port` as the client addressed us; nextLinks and @odata.context use it. */
	origin: string;
	requestId: string;
	/** Who the bearer token speaks for. */
	grant: Grant;
}

const samples = sampleRecords();
const SCHEMAS: Record<SchemaName, EntitySchema> = {
	messages: schemaFromSample('microsoft.graph.message', samples.messages as unknown as Record<string, unknown>),
	events: schemaFromSample('microsoft.graph.event', samples.events as unknown as Record<string, unknown>),
	contacts: schemaFromSample('microsoft.graph.contact', samples.contacts as unknown as Record<string, unknown>),
	driveItems: schemaFromSample('microsoft.graph.driveItem', samples.driveItems as unknown as Record<string, unknown>),
	mailFolders: schemaFromSample('microsoft.graph.mailFolder', samples.mailFolders as unknown as Record<string, unknown>),
	attachments: schemaFromSample('microsoft.graph.attachment', samples.attachment as unknown as Record<string, unknown>),
	users: schemaFromSample('microsoft.graph.user', { id: '', displayName: '', mail: '', userPrincipalName: '' }),
};
const MAX_TOP = 1000;

function limitsFor(name: SchemaName, defaultPageSize: number): QueryLimits {
	// Graph lists mail newest first when no $orderby is given; other collections come back in store order.
	const defaultOrder = name === 'messages' ? [{ property: 'receivedDateTime', desc: true }] : [];
	// Graph pages the directory by 100 and caps $top at 999.
	if (name === 'users') return { defaultPageSize: 100, maxTop: 999, defaultOrder };
	return { defaultPageSize, maxTop: MAX_TOP, defaultOrder };
}

function methodNotAllowed(): GraphHttpError {
	return new GraphHttpError(405, 'BadRequest', 'Specified HTTP method is not allowed for the request uri.');
}

function decodeSegment(segment: string): string {
	try {
		return decodeURIComponent(segment);
	} catch {
		throw new GraphHttpError(400, 'BadRequest', `Malformed percent-encoding in path segment '${segment}'.`);
	}
}

function segmentNotFound(segment: string): GraphHttpError {
	return new GraphHttpError(400, 'BadRequest', `Resource not found for the segment '${segment}'.`);
}

const WORKLOADS: Record<string, Workload> = {
	messages: 'mail',
	mailfolders: 'mail',
	events: 'calendar',
	calendar: 'calendar',
	calendarview: 'calendar',
	contacts: 'contacts',
	contactfolders: 'contacts',
};

class GraphRequestHandler {
	private store: MailboxStore;
	private readonly method: string;
	private userRef = '';

	constructor(
		private readonly ctx: GraphRouteContext,
		private readonly r: GraphRequest,
	) {
		this.store = ctx.directory.primary;
		this.method = (r.req.method ?? 'GET').toUpperCase();
	}

	handle(): void {
		const segments = this.r.url.pathname
			.split('/')
			.filter((s) => s !== '')
			.slice(1) // 'v1.0'
			.map(decodeSegment);
		const head = (segments[0] ?? '').toLowerCase();
		let rest: string[];
		const { grant } = this.r;
		if (head === 'me') {
			if (grant.kind === 'app') throw new GraphHttpError(400, 'BadRequest', ME_NEEDS_USER);
			this.store = this.ctx.directory.find(grant.userId) ?? this.ctx.directory.primary;
			this.userRef = this.store.owner.id;
			rest = segments.slice(1);
		} else if (head === 'users' && segments.length === 1) {
			return this.users();
		} else if (head === 'users') {
			const ref = segments[1];
			const store = this.ctx.directory.find(ref);
			if (store === undefined) throw new GraphHttpError(404, 'ErrorInvalidUser', `The requested user '${ref}' is invalid.`);
			this.store = store;
			this.userRef = ref;
			rest = segments.slice(2);
		} else if (head === 'drives' && segments.length >= 2) {
			return this.drive(this.store.findDrive(segments[1]), segments.slice(2));
		} else if (head === 'sites' && segments.length >= 3 && segments[2].toLowerCase() === 'drive') {
			if (segments[1] !== this.store.siteId) throw new GraphHttpError(404, 'itemNotFound', 'The site was not found.');
			return this.drive(this.store.drives.site, segments.slice(3));
		} else {
			throw segmentNotFound(segments[0] ?? '');
		}
		const workload = WORKLOADS[(rest[0] ?? '').toLowerCase()];
		if (workload !== undefined) {
			const mailbox: MailboxAccess = { ownerId: this.store.owner.id, delegates: this.store.delegates };
			checkMailboxAccess(grant, mailbox, workload, this.ctx.appAccessPolicy());
		}
		this.route(rest);
	}

	private route(rest: string[]): void {
		const head = (rest[0] ?? '').toLowerCase();
		if (rest.length === 0) return this.profile();
		if (head === 'messages') return this.items('messages', rest.slice(1), 'messages');
		if (head === 'events') return this.items('events', rest.slice(1), 'events');
		if (head === 'calendar' && (rest[1] ?? '').toLowerCase() === 'events') return this.items('events', rest.slice(2), 'calendar/events');
		if (head === 'contacts') return this.items('contacts', rest.slice(1), 'contacts', this.store.contactsFolderId);
		if (head === 'mailfolders') return this.mailFolders(rest.slice(1));
		if (head === 'calendarview' && rest.length === 2 && rest[1].toLowerCase() === 'delta') {
			return this.delta({ collection: 'events', scope: this.store.calendarId, calendarView: true });
		}
		if (head === 'contactfolders' && rest.length === 4 && rest[2].toLowerCase() === 'contacts' && rest[3].toLowerCase() === 'delta') {
			if (rest[1] !== this.store.contactsFolderId) throw notFound();
			return this.delta({ collection: 'contacts', scope: rest[1] });
		}
		if (head === 'drive') return this.drive(this.store.drives.me, rest.slice(1));
		throw segmentNotFound(rest[0]);
	}

	/** GET /users: the directory (the mailbox picker searches it with startswith on displayName or mail). */
	private users(): void {
		if (this.method !== 'GET') throw methodNotAllowed();
		checkDirectoryAccess(this.r.grant);
		const q = this.parse('users');
		const views = this.ctx.directory.all().map((store, seq) => {
			const { id, displayName, mail, userPrincipalName } = store.owner;
			return { seq, visibleAt: 0, data: { id, displayName, mail, userPrincipalName } as GraphRecord };
		});
		const filtered = q.filter === undefined ? views : views.filter((e) => q.filter?.matches(e.data));
		this.sendPage('users', sortEntries(filtered, q.orderby), q);
	}

	// ---- delta ---------------------------------------------------------------------------------------------

	private drive(drive: Drive | undefined, rest: string[]): void {
		if (drive === undefined) throw new GraphHttpError(404, 'itemNotFound', 'The drive was not found.');
		if (rest.length === 2 && rest[0].toLowerCase() === 'root' && rest[1].toLowerCase() === 'delta') {
			return this.delta({ collection: 'driveItems', scope: drive.driveId, drive });
		}
		throw segmentNotFound(rest[0] ?? 'drive');
	}

	private delta(target: Omit<DeltaTarget, 'pathname' | 'schema'>): void {
		if (this.method !== 'GET') throw methodNotAllowed();
		const prefer = this.r.req.headers.prefer;
		const answer = answerDelta(
			{
				store: this.store,
				url: this.r.url,
				origin: this.r.origin,
				preferHeader: Array.isArray(prefer) ? prefer.join(',') : prefer,
				defaultPageSize: this.ctx.defaultPageSize,
				replays: this.ctx.deltaReplays(),
				beforeDelta: this.ctx.beforeDelta,
			},
			{ ...target, pathname: this.r.url.pathname, schema: SCHEMAS[target.collection] },
		);
		this.send(200, answer.body, answer.headers);
	}

	private profile(): void {
		if (this.method !== 'GET') throw methodNotAllowed();
		const owner = this.store.owner;
		const [givenName, surname] = owner.displayName.split(' ');
		this.send(200, {
			'@odata.context': `${this.r.origin}/v1.0/$metadata#users/$entity`,
			businessPhones: [],
			displayName: owner.displayName,
			givenName,
			jobTitle: 'Retail Manager',
			mail: owner.mail,
			mobilePhone: null,
			officeLocation: '18/2111',
			preferredLanguage: 'en-US',
			surname,
			userPrincipalName: owner.userPrincipalName,
			id: owner.id,
		});
	}

	// ---- mail folders ----------------------------------------------------------------------------------------

	private mailFolders(rest: string[]): void {
		if (rest.length === 0) return this.folderCollection(this.store.rootId, 'mailFolders');
		// mailFolders/{id}(/childFolders/{id})*
		let folderRef = rest[0];
		let i = 1;
		let descriptor = `mailFolders('${folderRef}')`;
		for (;;) {
			const folder = this.store.findFolder(folderRef);
			if (folder === undefined) throw notFound();
			const next = (rest[i] ?? '').toLowerCase();
			if (rest.length === i) {
				if (this.method !== 'GET') throw methodNotAllowed();
				const q = this.parse('mailFolders');
				return this.sendEntity(`mailFolders/$entity`, this.store.folder(folder.id) as unknown as GraphRecord, q.select);
			}
			if (next === 'messages') return this.items('messages', rest.slice(i + 1), `${descriptor}/messages`, folder.id);
			if (next !== 'childfolders') throw segmentNotFound(rest[i]);
			if (rest.length === i + 1) return this.folderCollection(folder.id, `${descriptor}/childFolders`);
			folderRef = rest[i + 1];
			descriptor = `${descriptor}/childFolders('${folderRef}')`;
			i += 2;
		}
	}

	private folderCollection(parentId: string, descriptor: string): void {
		if (this.method === 'POST') {
			const body = parseJsonObject(this.r.body);
			if (typeof body.displayName !== 'string') throw new GraphHttpError(400, 'ErrorInvalidRequest', 'displayName is required.');
			const created = this.store.createFolder(body.displayName, parentId);
			return this.sendEntity(`${descriptor}/$entity`, created as unknown as GraphRecord, undefined, 201);
		}
		if (this.method !== 'GET') throw methodNotAllowed();
		const q = this.parse('mailFolders');
		const views = this.store.childFolders(parentId).map((data, seq) => ({ seq, visibleAt: 0, data: data as unknown as GraphRecord }));
		const filtered = q.filter === undefined ? views : views.filter((e) => q.filter?.matches(e.data));
		this.sendPage(descriptor, sortEntries(filtered, q.orderby), q);
	}

	// ---- messages / events / contacts -------------------------------------------------------------------------

	private items(collection: CollectionName, tail: string[], descriptor: string, scopeFolderId?: string): void {
		if (tail.length === 1 && tail[0].toLowerCase() === 'delta') {
			if (collection === 'events') throw new GraphHttpError(400, 'BadRequest', "Change tracking is not supported against 'microsoft.graph.event' here; use calendarView/delta.");
			// Graph tracks mail per folder: /me/messages/delta is refused.
			if (scopeFolderId === undefined) throw new GraphHttpError(400, 'BadRequest', "Change tracking is not supported against 'microsoft.graph.message'.");
			return this.delta({ collection, scope: scopeFolderId });
		}
		if (tail.length === 0) {
			if (this.method === 'GET') return this.list(collection, descriptor, scopeFolderId);
			if (this.method === 'POST') return this.create(collection, descriptor, scopeFolderId);
			throw methodNotAllowed();
		}
		const entry = this.store.get(collection, tail[0]);
		if (entry === undefined || (scopeFolderId !== undefined && entry.data.parentFolderId !== scopeFolderId)) throw notFound();
		if (collection === 'messages' && (tail[1] ?? '').toLowerCase() === 'attachments') {
			return this.attachments(entry.attachments ?? [], tail.slice(2), `${descriptor}('${entry.data.id}')/attachments`);
		}
		if (tail.length === 2 && collection === 'messages' && tail[1].toLowerCase() === 'move') {
			if (this.method !== 'POST') throw methodNotAllowed();
			const body = parseJsonObject(this.r.body);
			if (typeof body.destinationId !== 'string') throw new GraphHttpError(400, 'ErrorInvalidRequest', 'destinationId is required.');
			const moved = this.store.move(entry.data.id, body.destinationId);
			return this.sendEntity('messages/$entity', moved, undefined, 201);
		}
		if (tail.length !== 1) throw segmentNotFound(tail[1]);
		switch (this.method) {
			case 'GET':
				return this.sendEntity(`${descriptor}/$entity`, entry.data, this.parse(collection).select);
			case 'PATCH': {
				const patch = this.bodyFields(collection);
				return this.sendEntity(`${descriptor}/$entity`, this.store.update(collection, entry.data.id, patch));
			}
			case 'DELETE':
				this.store.delete(collection, entry.data.id);
				this.r.res.writeHead(204, { 'request-id': this.r.requestId });
				this.r.res.end();
				return;
			default:
				throw methodNotAllowed();
		}
	}

	private list(collection: CollectionName, descriptor: string, scopeFolderId?: string): void {
		const q = this.parse(collection);
		this.ctx.beforeList?.({ collection, skip: q.offset, url: this.r.url.pathname + this.r.url.search });
		const order = q.orderby.map((t) => `${t.path.name} ${t.desc ? 'desc' : 'asc'}`).join(',');
		const entries = this.store.query(collection, {
			cacheKey: `${q.filterText ?? ''}\u0000${order}`,
			scopeFolderId,
			matches: q.filter?.matches,
			sort: (matching) => sortEntries(matching, q.orderby),
		});
		this.sendPage(descriptor, this.ctx.unstableTieOrder() ? shuffleTies(entries, q.orderby, Math.random) : entries, q);
	}

	private create(collection: CollectionName, descriptor: string, scopeFolderId?: string): void {
		const fields = this.bodyFields(collection);
		let folder: string | undefined;
		if (collection === 'messages') {
			// POST /me/messages creates a draft (as in Graph); POST /mailFolders/{id}/messages creates it there.
			folder = scopeFolderId ?? this.store.folderIdOf('drafts');
			if (fields.isDraft === undefined) fields.isDraft = folder === this.store.folderIdOf('drafts');
		}
		const created = this.store.create(collection, fields, { folder });
		this.sendEntity(`${descriptor}/$entity`, created, undefined, 201);
	}

	// ---- attachments -------------------------------------------------------------------------------------------

	/** /messages/{id}/attachments[/{aid}[/$value]]: list and entity JSON (file bytes as base64), or the raw bytes. */
	private attachments(attachments: StoredAttachment[], tail: string[], descriptor: string): void {
		if (this.method !== 'GET') throw methodNotAllowed();
		if (tail.length === 0) {
			const q = this.parse('attachments');
			const withContent = q.select === undefined || q.select.includes('contentBytes');
			const views = attachments.map((attachment, seq) => ({ seq, visibleAt: 0, data: attachmentJson(attachment, withContent) }));
			return this.sendPage(descriptor, sortEntries(views, q.orderby), q, true);
		}
		const attachment = attachments.find((candidate) => candidate.id === tail[0]);
		if (attachment === undefined) throw notFound();
		if (tail.length === 1) {
			const q = this.parse('attachments');
			return this.send(200, { '@odata.context': this.contextUrl(`${descriptor}/$entity`), ...projectAttachment(attachmentJson(attachment), q.select) });
		}
		if (tail.length !== 2 || tail[1] !== '$value') throw segmentNotFound(tail[1]);
		if (attachment.kind === 'reference') {
			throw new GraphHttpError(400, 'ErrorInvalidRequest', 'The raw content of a reference attachment is not available; it points to a file in the cloud.');
		}
		// An item attachment's $value is the attached item as MIME.
		const bytes =
			attachment.content ??
			Buffer.from(`Subject: ${attachment.name}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n(attached item)\r\n`, 'utf8');
		this.r.res.writeHead(200, {
			'Content-Type': attachment.kind === 'item' ? 'message/rfc822' : (attachment.contentType ?? 'application/octet-stream'),
			'Content-Length': bytes.length,
			'request-id': this.r.requestId,
			'client-request-id': this.r.requestId,
		});
		this.r.res.end(bytes);
	}

	/** Body properties resolved to canonical names; unknown ones are a 400 like Graph's RequestBodyRead. */
	private bodyFields(collection: CollectionName): Record<string, unknown> {
		const schema = SCHEMAS[collection];
		const body = parseJsonObject(this.r.body);
		const out: Record<string, unknown> = {};
		for (const [key, value] of Object.entries(body)) {
			if (key.startsWith('@odata.') || key === 'id') continue;
			const canonical = schema.properties.find((p) => p.toLowerCase() === key.toLowerCase());
			if (canonical === undefined) {
				throw new GraphHttpError(
					400,
					'RequestBodyRead',
					`The property '${key}' does not exist on type '${schema.typeName}'. Make sure to only use property names that are defined by the type or mark the type as open type.`,
				);
			}
			out[canonical] = value;
		}
		return out;
	}

	// ---- responses ---------------------------------------------------------------------------------------------

	private parse(name: SchemaName): ParsedQuery {
		const prefer = this.r.req.headers.prefer;
		return parseQuery(this.r.url.searchParams, SCHEMAS[name], limitsFor(name, this.ctx.defaultPageSize), Array.isArray(prefer) ? prefer.join(',') : prefer);
	}

	private contextUrl(descriptor: string, select?: string[]): string {
		const selected = select === undefined ? '' : `(${select.join(',')})`;
		const [path, entity] = descriptor.split('/$entity');
		return `${this.r.origin}/v1.0/$metadata#users('${encodeURIComponent(this.userRef)}')/${path}${selected}${entity === undefined ? '' : '/$entity'}`;
	}

	/** `derivedTypes`: the values are of derived types (attachments), whose `@odata.type` Graph always sends. */
	private sendPage(descriptor: string, entries: Array<Pick<StoredEntry, 'data'>>, q: ParsedQuery, derivedTypes = false): void {
		const end = q.offset + q.pageSize;
		const body: Record<string, unknown> = { '@odata.context': this.contextUrl(descriptor, q.select) };
		if (q.count) body['@odata.count'] = entries.length;
		if (q.pageSize > 0 && end < entries.length) {
			body['@odata.nextLink'] = nextLink(this.r.origin, this.r.url.pathname, this.r.url.searchParams, end);
		}
		body.value = entries.slice(q.offset, end).map((e) => (derivedTypes ? projectAttachment(e.data, q.select) : project(e.data, q.select)));
		const headers: Record<string, string> = {};
		if (q.preferenceApplied !== undefined) headers['Preference-Applied'] = q.preferenceApplied;
		this.send(200, body, headers);
	}

	private sendEntity(descriptor: string, record: GraphRecord, select?: string[], status = 200): void {
		this.send(status, { '@odata.context': this.contextUrl(descriptor, select), ...project(record, select) });
	}

	private send(status: number, body: unknown, headers: Record<string, string> = {}): void {
		sendJson(this.r.res, status, body, {
			'Content-Type': GRAPH_JSON,
			'request-id': this.r.requestId,
			'client-request-id': this.r.requestId,
			...headers,
		});
	}
}

/** Like `project`, keeping `@odata.type` (derived types are always announced, even under $select). */
function projectAttachment(record: GraphRecord, select?: string[]): Record<string, unknown> {
	const projected = project(record, select);
	return record['@odata.type'] === undefined ? projected : { '@odata.type': record['@odata.type'], ...projected };
}

export function handleGraphRequest(ctx: GraphRouteContext, request: GraphRequest): void {
	new GraphRequestHandler(ctx, request).handle();
}
