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
import { SimMailbox } from './mailbox';
import { OAuthService } from './oauth';
import type { TokenRefusal, TokenSet } from './oauth';
import type { DeltaRequestInfo } from './deltaQuery';
import type { MailFolder, SimUser } from './records';
import type { Directory, ListRequestInfo } from './graphRoutes';
import type { RequestLogEntry } from './requestLog';
import { RequestLog } from './requestLog';
import { createRequestHandler } from './server';
import type { DeliveryLogEntry, NotifierSwitches, Subscription } from './subscriptions';
import { SubscriptionService } from './subscriptions';
import type { CollectionName } from './store';
import { COLLECTIONS, MailboxStore } from './store';

export type { AttachmentSpec, CalendarEvent, Contact, DriveItem, MailFolder, Message, SimUser } from './records';
export type { DeltaRequestInfo } from './deltaQuery';
export type { FaultSpec, FaultAction } from './faults';
export type { TokenRefusal, TokenSet } from './oauth';
export { TOKEN_REFUSALS } from './oauth';
export type { RequestLogEntry } from './requestLog';
export type { ListRequestInfo } from './graphRoutes';
export type { DeliveryLogEntry, NotifierSwitches, Subscription } from './subscriptions';
export { OUTLOOK_MAX_LIFETIME_MINUTES } from './subscriptions';
export type { CollectionName, CreateOptions, DriveName, ItemTypes, SeedOptions, UpdateOptions } from './store';
export type { SimAttachment } from './mailbox';
export { SimMailbox } from './mailbox';
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

/** Another mailbox of the tenant: a shared mailbox or another user's. */
export interface MailboxOptions {
	displayName: string;
	mail: string;
	/** Default: a new GUID. */
	id?: string;
	/**
	 * Whether the signed-in user was given full access (what an Exchange admin grants for a shared mailbox).
	 * Default true. Delegated tokens then also need Mail.Read.Shared (Calendars.Read.Shared, Contacts.Read.Shared).
	 */
	signedInUserHasAccess?: boolean;
}

export interface SimulatorState {
	counts: Record<CollectionName, number>;
	folders: Array<MailFolder & { wellKnownName?: string }>;
	latencyMs: number;
	unstableTieOrder: boolean;
	dateHeaderOffsetMs: number;
	deltaReplays: boolean;
	tokenRequests: number;
	requestCount: number;
	maxConcurrentRequests: number;
	faults: ReturnType<FaultPlan['activeList']>;
	mailboxes: SimUser[];
	appRoles: string[];
}

/** Application permissions of the simulated app registration, admin-consented (what app-only tokens carry). */
export const DEFAULT_APP_ROLES = ['Mail.Read', 'Calendars.Read', 'Contacts.Read', 'User.Read.All'];

/**
 * The simulator is the signed-in user's mailbox (`/me`, the methods inherited from SimMailbox) plus the tenant around
 * it: other mailboxes (`addMailbox`, `mailbox`), the app registration's roles, the identity platform, faults, the log.
 */
export class GraphSimulator extends SimMailbox {
	/** Fixed delay before answering each request; may be changed while running. */
	latencyMs: number;
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
	/** Application permissions app-only tokens carry (admin consent of the app registration); change before issuing. */
	appRoles: string[] = [...DEFAULT_APP_ROLES];
	/**
	 * The tenant's application access policy: when set, app-only tokens may read only these mailboxes (ids or
	 * addresses); others get 403 ErrorAccessDenied.
	 */
	appAccessPolicy: string[] | undefined;
	private readonly clock0: { offsetMs: number };
	private readonly now: () => number;
	private readonly mailboxes: MailboxStore[];
	private readonly directory: Directory;
	private readonly oauth: OAuthService;
	private readonly faultPlan = new FaultPlan();
	private readonly log = new RequestLog();
	private readonly timers = new Set<NodeJS.Timeout>();
	private readonly subscriptionService: SubscriptionService;
	private server: Server | undefined;
	private port = 0;

	constructor(options: GraphSimulatorOptions = {}) {
		const clock0 = { offsetMs: options.clockOffsetMs ?? 0 };
		const baseClock = options.now ?? Date.now;
		const now = () => baseClock() + clock0.offsetMs;
		const primary = new MailboxStore(now);
		super(primary, now);
		this.clock0 = clock0;
		this.now = now;
		this.mailboxes = [primary];
		this.latencyMs = options.latencyMs ?? 0;
		this.defaultPageSize = options.defaultPageSize ?? 10;
		this.oauth = new OAuthService(now, () => primary.owner.id, () => this.appRoles);
		this.directory = { primary, all: () => this.mailboxes, find: (ref) => this.findStore(ref) };
		this.subscriptionService = new SubscriptionService({
			directory: this.directory,
			appAccessPolicy: () => this.accessPolicyIds(),
			now,
			timers: this.timers,
			tenantId: randomUUID(),
			applicationId: randomUUID(),
		});
	}

	/**
	 * Shift of the simulated clock against `options.now` (ms); may be changed while running, so a test in
	 * another process can move time (`PUT /_sim/clock`). Moving it past an access token's lifetime expires it.
	 */
	get clockOffsetMs(): number {
		return this.clock0.offsetMs;
	}
	set clockOffsetMs(value: number) {
		this.clock0.offsetMs = value;
	}

	// ---- lifecycle -------------------------------------------------------------------------------------------

	/** Listens on 127.0.0.1 (port 0 = any free port) and resolves with baseUrl. */
	async start(port = 0): Promise<string> {
		if (this.server !== undefined) throw new Error('GraphSimulator already started');
		const handle = createRequestHandler({
				graph: {
					directory: this.directory,
					appAccessPolicy: () => this.accessPolicyIds(),
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

	// ---- other mailboxes -----------------------------------------------------------------------------------

	/** Adds a mailbox to the tenant (a shared mailbox, another user), reachable as /users/{id|mail}. */
	addMailbox(options: MailboxOptions): SimMailbox {
		const owner: SimUser = { id: options.id ?? randomUUID(), displayName: options.displayName, mail: options.mail, userPrincipalName: options.mail };
		if (this.findStore(owner.id) !== undefined || this.findStore(owner.mail) !== undefined) {
			throw new Error(`A mailbox ${owner.mail} (${owner.id}) exists already`);
		}
		const store = new MailboxStore(this.now, owner);
		if (options.signedInUserHasAccess !== false) store.delegates.add(this.store.owner.id);
		this.mailboxes.push(store);
		this.subscriptionService.watch(store);
		return new SimMailbox(store, this.now);
	}

	/** A mailbox by id, userPrincipalName or mail (the signed-in user's too). */
	mailbox(ref: string): SimMailbox {
		const store = this.findStore(ref);
		if (store === undefined) throw new Error(`No mailbox ${ref}`);
		return store === this.store ? this : new SimMailbox(store, this.now);
	}

	/** Every mailbox owner, the signed-in user first. */
	users(): SimUser[] {
		return this.mailboxes.map((store) => ({ ...store.owner }));
	}

	private findStore(ref: string): MailboxStore | undefined {
		const wanted = ref.toLowerCase();
		return this.mailboxes.find(({ owner }) => [owner.id, owner.userPrincipalName, owner.mail].some((value) => value.toLowerCase() === wanted));
	}

	private accessPolicyIds(): ReadonlySet<string> | undefined {
		if (this.appAccessPolicy === undefined) return undefined;
		return new Set(this.appAccessPolicy.map((ref) => this.findStore(ref)?.owner.id ?? ref));
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

	/**
	 * Clears items and user folders of every mailbox, faults, a token refusal, the request log, behaviour switches and
	 * the app's roles and access policy (mailboxes stay); with tokens: true also every token.
	 */
	reset(opts: { tokens?: boolean } = {}): void {
		for (const store of this.mailboxes) store.reset();
		this.appRoles = [...DEFAULT_APP_ROLES];
		this.appAccessPolicy = undefined;
		this.unstableTieOrder = false;
		this.dateHeaderOffsetMs = 0;
		this.deltaReplays = false;
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
			dateHeaderOffsetMs: this.dateHeaderOffsetMs,
			deltaReplays: this.deltaReplays,
			tokenRequests: this.tokenRequests,
			requestCount: this.log.entries.length,
			maxConcurrentRequests: this.log.maxConcurrent,
			faults: this.activeFaults(),
			mailboxes: this.users(),
			appRoles: [...this.appRoles],
		};
	}
}
