// GraphSimulator: an in-process Microsoft Graph (v1.0 mail/calendar/contacts) + identity platform on 127.0.0.1.
// Used by integration tests (in-process), the e2e test and the demo (via cli.ts and the /_sim admin API) and the
// benchmark. See README.md in this folder for routes and behaviour.

import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createServer } from 'node:http';
import { handleAdminRequest } from './adminRoutes';
import type { FaultSpec } from './faults';
import { FaultPlan } from './faults';
import { OAuthService } from './oauth';
import type { TokenRefusal, TokenSet } from './oauth';
import type { DeltaRequestInfo } from './deltaQuery';
import type { CalendarEvent, Contact, DriveItem, MailFolder, Message, SimUser } from './records';
import type { ListRequestInfo } from './graphRoutes';
import type { RequestLogEntry } from './requestLog';
import { RequestLog } from './requestLog';
import { createRequestHandler } from './server';
import type { DeliveryLogEntry, NotifierSwitches, Subscription } from './subscriptions';
import { SubscriptionService } from './subscriptions';
import type { CollectionName, CreateOptions, DriveName, ItemTypes, SeedOptions, UpdateOptions } from './store';
import { COLLECTIONS, MailboxStore, notFound } from './store';

export type { CalendarEvent, Contact, DriveItem, MailFolder, Message, SimUser } from './records';
export type { DeltaRequestInfo } from './deltaQuery';
export type { FaultSpec, FaultAction } from './faults';
export type { TokenRefusal, TokenSet } from './oauth';
export { TOKEN_REFUSALS } from './oauth';
export type { RequestLogEntry } from './requestLog';
export type { ListRequestInfo } from './graphRoutes';
export type { DeliveryLogEntry, NotifierSwitches, Subscription } from './subscriptions';
export { OUTLOOK_MAX_LIFETIME_MINUTES } from './subscriptions';
export type { CollectionName, CreateOptions, DriveName, ItemTypes, SeedOptions, UpdateOptions } from './store';
export { ADMIN_ROUTES } from './adminRoutes';
export { instantKey } from './timestamps';
export interface GraphSimulatorOptions {
	/** Fixed delay before answering each Graph/login request (ms). Default 0. */
	latencyMs?: number;
	/** Clock for stamps, token expiry and late visibility. Default Date.now. */
	now?: () => number;
	/** Added to `now` (ms); may be changed while running (`clockOffsetMs`, `PUT /_sim/clock`). Default 0. */
	clockOffsetMs?: number;
	/** Page size without $top (Graph: 10). */
	defaultPageSize?: number;
}

export interface SimulatorState {
	counts: Record<CollectionName, number>;
	folders: Array<MailFolder & { wellKnownName?: string }>;
	latencyMs: number;
	unstableTieOrder: boolean;
	deltaReplays: boolean;
	dateHeaderOffsetMs: number;
	tokenRequests: number;
	requestCount: number;
	maxConcurrentRequests: number;
	faults: ReturnType<FaultPlan['activeList']>;
}

/** Deep copy of JSON data; for 100k records ~15x faster than structuredClone or a JSON round trip. */
function cloneJson(value: unknown): unknown {
	if (value === null || typeof value !== 'object') return value;
	if (Array.isArray(value)) return value.map(cloneJson);
	const out: Record<string, unknown> = {};
	for (const key of Object.keys(value)) out[key] = cloneJson((value as Record<string, unknown>)[key]);
	return out;
}

export class GraphSimulator {
	/** Fixed delay before answering each request; may be changed while running. */
	latencyMs: number;
	/**
	 * Shift of the simulated clock against `options.now` (ms); may be changed while running, so a test in
	 * another process can move time (`PUT /_sim/clock`). Moving it past an access token's lifetime expires it.
	 */
	clockOffsetMs: number;
	readonly defaultPageSize: number;
	/** Records with equal `$orderby` values come back in a new random order on every list request (Graph promises none). */
	unstableTieOrder = false;
	/** The `Date` header leads (positive) or lags (negative) the clock that stamps records by this many ms. */
	dateHeaderOffsetMs = 0;
	/**
	 * In-process only: runs before each list request is evaluated and may change the mailbox, so a test can make a
	 * change between two pages of one poll (`info.skip > 0` is a later page).
	 */
	beforeList: ((info: ListRequestInfo) => void) | undefined;
	/** Delta pages after the first start with the last record of the page before again (Graph may replay changes). */
	deltaReplays = false;
	/** In-process only: runs before each delta request is evaluated and may change the mailbox (a change during a round). */
	beforeDelta: ((info: DeltaRequestInfo) => void) | undefined;
	private readonly now: () => number;
	private readonly store: MailboxStore;
	private readonly oauth: OAuthService;
	private readonly faultPlan = new FaultPlan();
	private readonly log = new RequestLog();
	private readonly timers = new Set<NodeJS.Timeout>();
	private readonly subscriptionService: SubscriptionService;
	private server: Server | undefined;
	private port = 0;

	constructor(options: GraphSimulatorOptions = {}) {
		this.latencyMs = options.latencyMs ?? 0;
		this.defaultPageSize = options.defaultPageSize ?? 10;
		this.clockOffsetMs = options.clockOffsetMs ?? 0;
		const baseClock = options.now ?? Date.now;
		this.now = () => baseClock() + this.clockOffsetMs;
		this.store = new MailboxStore(() => this.now());
		this.oauth = new OAuthService(() => this.now(), () => this.store.owner.id);
		this.subscriptionService = new SubscriptionService({
			store: this.store,
			now: () => this.now(),
			timers: this.timers,
			tenantId: randomUUID(),
			applicationId: randomUUID(),
		});
	}

	// ---- lifecycle -------------------------------------------------------------------------------------------

	/** Listens on 127.0.0.1 (port 0 = any free port) and resolves with baseUrl. */
	async start(port = 0): Promise<string> {
		if (this.server !== undefined) throw new Error('GraphSimulator already started');
		const handle = createRequestHandler({
				graph: {
					store: this.store,
					defaultPageSize: this.defaultPageSize,
					unstableTieOrder: () => this.unstableTieOrder,
					beforeList: (info) => this.beforeList?.(info),
					deltaReplays: () => this.deltaReplays,
					beforeDelta: (info) => this.beforeDelta?.(info),
				},
				subscriptions: this.subscriptionService,
				oauth: this.oauth,
				faults: this.faultPlan,
				log: this.log,
				timers: this.timers,
				latencyMs: () => this.latencyMs,
				loginBaseUrl: () => this.loginBaseUrl,
				admin: (req, res, url, body) => handleAdminRequest(this, req, res, url, body),
			});
		// Graph's Date header tells clients the server's clock; ours follows the simulated clock (shifted on request).
		const server = createServer((req, res) => {
			res.setHeader('Date', new Date(this.now() + this.dateHeaderOffsetMs).toUTCString());
			return handle(req, res);
		});
		await new Promise<void>((resolve, reject) => {
			server.once('error', reject);
			server.listen(port, '127.0.0.1', () => {
				server.off('error', reject);
				resolve();
			});
		});
		this.server = server;
		this.port = (server.address() as AddressInfo).port;
		return this.baseUrl;
	}

	async stop(): Promise<void> {
		const server = this.server;
		if (server === undefined) return;
		this.server = undefined;
		for (const timer of this.timers) clearTimeout(timer);
		this.timers.clear();
		await new Promise<void>((resolve) => {
			server.close(() => resolve());
			server.closeAllConnections();
		});
	}

	/** Graph root: API under `${baseUrl}/v1.0`. */
	get baseUrl(): string {
		if (this.server === undefined) throw new Error('GraphSimulator is not started; await sim.start() first');
		return `http://127.0.0.1:${this.port}`;
	}
	/** Identity platform root: `${loginBaseUrl}/{tenant}/oauth2/v2.0/authorize|token`. */
	get loginBaseUrl(): string {
		return `${this.baseUrl}/login`;
	}
	get adminUrl(): string {
		return `${this.baseUrl}/_sim`;
	}
	get graphUrl(): string {
		return `${this.baseUrl}/v1.0`;
	}
	/** The mailbox owner (`/me`); `/users/{id or userPrincipalName}` addresses the same mailbox. */
	get user(): SimUser {
		return { ...this.store.owner };
	}
	/** Current simulator time (ms). */
	clock(): number {
		return this.now();
	}

	// ---- auth ------------------------------------------------------------------------------------------------

	/**
	 * Tokens for seeding a credential directly (not counted in tokenRequests). The refresh token is redeemable by
	 * any client_id unless `clientId` is given.
	 */
	issueTokens(scope?: string, clientId?: string): TokenSet {
		return this.oauth.issue(scope, clientId);
	}
	/** Current access tokens stop working (→ 401 InvalidAuthenticationToken); refresh tokens still work. */
	expireAccessTokens(): void {
		this.oauth.expireAccessTokens();
	}
	/**
	 * The token endpoint answers like Entra ID does for `reason` (e.g. clientSecretExpired: 401 invalid_client
	 * AADSTS7000222) until called again with undefined or reset().
	 */
	refuseTokens(reason: TokenRefusal | undefined): void {
		this.oauth.refusal = reason;
	}
	/** POSTs to the token endpoint so far. */
	get tokenRequests(): number {
		return this.oauth.tokenRequests;
	}

	// ---- items -----------------------------------------------------------------------------------------------

	createItem<C extends CollectionName>(collection: C, fields: Partial<ItemTypes[C]> = {}, opts: CreateOptions = {}): ItemTypes[C] {
		return cloneJson(this.store.create(collection, fields, opts)) as unknown as ItemTypes[C];
	}
	/** Applies the patch, bumps lastModifiedDateTime (unless the patch sets it) and changeKey. */
	updateItem<C extends CollectionName>(collection: C, id: string, patch: Partial<ItemTypes[C]>, opts: UpdateOptions = {}): ItemTypes[C] {
		return cloneJson(this.store.update(collection, id, patch, opts)) as unknown as ItemTypes[C];
	}
	deleteItem(collection: CollectionName, id: string): boolean {
		return this.store.delete(collection, id);
	}
	getItem<C extends CollectionName>(collection: C, id: string): ItemTypes[C] | undefined {
		const entry = this.store.get(collection, id);
		return entry === undefined ? undefined : (cloneJson(entry.data) as unknown as ItemTypes[C]);
	}
	/** The truth: every item, including ones not yet visible to queries, in insertion order. */
	list<C extends CollectionName>(collection: C, opts: { folder?: string } = {}): Array<ItemTypes[C]> {
		const folderId = opts.folder === undefined ? undefined : this.store.folderIdOf(opts.folder);
		return this.store
			.entries(collection)
			.filter((e) => folderId === undefined || e.data.parentFolderId === folderId)
			.map((e) => cloneJson(e.data) as ItemTypes[C]);
	}
	/** The truth reduced to some top-level fields, in insertion order (only those fields are copied: cheap for 100k items). */
	listFields(collection: CollectionName, fields: string[]): Array<Record<string, unknown>> {
		return this.store.entries(collection).map((e) => {
			const data = e.data as unknown as Record<string, unknown>;
			const out: Record<string, unknown> = {};
			for (const field of fields) out[field] = cloneJson(data[field]);
			return out;
		});
	}
	/** Ids of items still hidden by `visibleAt`. */
	notYetVisible(collection: CollectionName): string[] {
		const now = this.now();
		return this.store
			.entries(collection)
			.filter((e) => e.visibleAt > now)
			.map((e) => e.data.id);
	}
	/** Bulk-creates `count` items spaced `stepMs` apart (fast path for benchmarks). */
	seed(collection: CollectionName, count: number, opts: SeedOptions = {}): number {
		return this.store.seed(collection, count, opts);
	}

	createMessage(fields: Partial<Message> = {}, opts: CreateOptions = {}): Message {
		return this.createItem('messages', fields, opts);
	}
	updateMessage(id: string, patch: Partial<Message>, opts: UpdateOptions = {}): Message {
		return this.updateItem('messages', id, patch, opts);
	}
	/** Like Graph, the moved message has a new id; the old id is gone. */
	moveMessage(id: string, folder: string, opts: UpdateOptions = {}): Message {
		return cloneJson(this.store.move(id, folder, opts)) as unknown as Message;
	}
	deleteMessage(id: string): boolean {
		return this.deleteItem('messages', id);
	}
	getMessage(id: string): Message | undefined {
		return this.getItem('messages', id);
	}

	createEvent(fields: Partial<CalendarEvent> = {}, opts: CreateOptions = {}): CalendarEvent {
		return this.createItem('events', fields, opts);
	}
	updateEvent(id: string, patch: Partial<CalendarEvent>, opts: UpdateOptions = {}): CalendarEvent {
		return this.updateItem('events', id, patch, opts);
	}
	deleteEvent(id: string): boolean {
		return this.deleteItem('events', id);
	}
	getEvent(id: string): CalendarEvent | undefined {
		return this.getItem('events', id);
	}

	createContact(fields: Partial<Contact> = {}, opts: CreateOptions = {}): Contact {
		return this.createItem('contacts', fields, opts);
	}
	updateContact(id: string, patch: Partial<Contact>, opts: UpdateOptions = {}): Contact {
		return this.updateItem('contacts', id, patch, opts);
	}
	deleteContact(id: string): boolean {
		return this.deleteItem('contacts', id);
	}
	getContact(id: string): Contact | undefined {
		return this.getItem('contacts', id);
	}

	/** A file (or a folder with `{ folder: { childCount: 0 } }`) in the OneDrive (`drive: 'me'`) or the site's library. */
	createDriveItem(fields: Partial<DriveItem> = {}, opts: CreateOptions = {}): DriveItem {
		return this.createItem('driveItems', fields, opts);
	}
	/** Bumps lastModifiedDateTime, eTag and cTag. */
	updateDriveItem(id: string, patch: Partial<DriveItem>, opts: UpdateOptions = {}): DriveItem {
		return this.updateItem('driveItems', id, patch, opts);
	}
	/** A folder goes with everything in it. */
	deleteDriveItem(id: string): boolean {
		return this.deleteItem('driveItems', id);
	}
	/** Ids of the drives and their roots; `siteId` addresses the library as `/sites/{siteId}/drive`. */
	drive(name: DriveName): { driveId: string; rootId: string; siteId?: string } {
		const drive = this.store.drives[name];
		return { driveId: drive.driveId, rootId: drive.rootId, siteId: name === 'site' ? this.store.siteId : undefined };
	}
	/** The default contacts folder's id (`/me/contactFolders/{id}/contacts/delta`). */
	get contactFolderId(): string {
		return this.store.contactsFolderId;
	}
	/** Every delta token issued so far expires: its next use answers 410 Gone (Graph lost the sync state). */
	expireDeltaTokens(): void {
		this.store.expireDeltaTokens();
	}

	// ---- folders ---------------------------------------------------------------------------------------------

	/** Creates a mail folder under `parent` (id or well-known name; default the root, i.e. a top-level folder). */
	createFolder(displayName: string, parent?: string): MailFolder {
		return this.store.createFolder(displayName, parent);
	}
	/** Deletes a user-created mail folder, its sub-folders and their mail. */
	deleteFolder(ref: string): void {
		this.store.deleteFolder(ref);
	}
	/** All mail folders (root included) with counts and well-known names. */
	folders(): Array<MailFolder & { wellKnownName?: string }> {
		return this.store.allFolders();
	}
	/** Real id of a folder given an id or a well-known name ('inbox', 'sentitems', ...). */
	folderId(ref: string): string {
		const folder = this.store.findFolder(ref);
		if (folder === undefined) throw notFound();
		return folder.id;
	}

	// ---- change notifications -------------------------------------------------------------------------------------

	/** Live subscriptions (expired ones are gone, as in Graph). */
	subscriptions(): Subscription[] {
		return this.subscriptionService.list();
	}
	/** How the notifier misbehaves (drop, duplicate, delay, reorder); change fields while running. */
	get notifier(): NotifierSwitches {
		return this.subscriptionService.switches;
	}
	/** Every validation request, change and lifecycle notification attempt, oldest first. */
	get deliveries(): DeliveryLogEntry[] {
		return this.subscriptionService.deliveries;
	}
	/** Graph removes the subscription and sends `subscriptionRemoved` to its lifecycle URL. */
	removeSubscription(id: string): void {
		this.subscriptionService.remove(id);
	}
	/** Sends `reauthorizationRequired`; change notifications are withheld until the app reauthorizes or renews. */
	requireReauthorization(id: string): void {
		this.subscriptionService.requireReauthorization(id);
	}
	/** Sends the `missed` lifecycle event (Graph could not deliver some notifications). */
	announceMissed(id: string): void {
		this.subscriptionService.announceMissed(id);
	}
	/** The subscription expires now, silently (as when its renewal never came). */
	expireSubscription(id: string): void {
		this.subscriptionService.expire(id);
	}
	/** Resolves when every notification sent so far (with retries and switches' delays) has been delivered or given up. */
	async notificationsSettled(): Promise<void> {
		await this.subscriptionService.idle();
	}

	// ---- faults, log, state --------------------------------------------------------------------------------------

	/** Arms a fault; returns its id. See FaultSpec for matching (path substring/RegExp, method, times, afterRequests). */
	injectFault(spec: FaultSpec): string {
		return this.faultPlan.add(spec);
	}
	removeFault(id: string): boolean {
		return this.faultPlan.remove(id);
	}
	clearFaults(): void {
		this.faultPlan.clear();
	}
	activeFaults(): ReturnType<FaultPlan['activeList']> {
		return this.faultPlan.activeList();
	}

	/** Graph and login requests (not /_sim), oldest first; capped at 100k entries. */
	get requests(): RequestLogEntry[] {
		return this.log.entries;
	}
	requestsSince(seq: number): RequestLogEntry[] {
		return this.log.since(seq);
	}
	clearRequests(): void {
		this.log.clear();
	}
	/** Highest number of simultaneous requests since the last clearRequests(). */
	get maxConcurrentRequests(): number {
		return this.log.maxConcurrent;
	}

	/** Clears items, user folders, faults, a token refusal, the request log and behaviour switches; with tokens: true also every token. */
	reset(opts: { tokens?: boolean } = {}): void {
		this.store.reset();
		this.unstableTieOrder = false;
		this.deltaReplays = false;
		this.dateHeaderOffsetMs = 0;
		this.beforeList = undefined;
		this.beforeDelta = undefined;
		this.faultPlan.clear();
		this.log.clear();
		this.subscriptionService.reset();
		this.oauth.refusal = undefined;
		if (opts.tokens === true) this.oauth.reset();
	}

	state(): SimulatorState {
		return {
			counts: Object.fromEntries(COLLECTIONS.map((collection) => [collection, this.store.count(collection)])) as Record<CollectionName, number>,
			folders: this.folders(),
			latencyMs: this.latencyMs,
			unstableTieOrder: this.unstableTieOrder,
			deltaReplays: this.deltaReplays,
			dateHeaderOffsetMs: this.dateHeaderOffsetMs,
			tokenRequests: this.tokenRequests,
			requestCount: this.log.entries.length,
			maxConcurrentRequests: this.log.maxConcurrent,
			faults: this.activeFaults(),
		};
	}
}
