// Graph change notifications: /subscriptions (create with the validation handshake, list, get, renew, delete,
// reauthorize), silent expiry, lifecycle notifications, and a notifier that POSTs change notifications to the
// subscriber, with switches that drop, duplicate, delay and reorder them. Like Graph, a delivery that fails or takes
// longer than 3 s is retried (so a slow endpoint gets the same notification twice), and a notification that never
// gets through is simply gone.

import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Grant, Workload } from './access';
import { checkMailboxAccess, ME_NEEDS_USER } from './access';
import type { Directory } from './graphRoutes';
import { GraphHttpError } from './odataErrors';
import type { CollectionName, ItemChange, MailboxStore } from './store';

/** Outlook resources (messages, events, contacts): the longest subscription lifetime Graph grants. */
export const OUTLOOK_MAX_LIFETIME_MINUTES = 4230;
export const CHANGE_TYPES = ['created', 'updated', 'deleted'] as const;
type ChangeType = (typeof CHANGE_TYPES)[number];
export type LifecycleEvent = 'reauthorizationRequired' | 'subscriptionRemoved' | 'missed';

/** Graph's 3 s budget for answering a notification; slower answers count as failures and are retried. */
export const NOTIFICATION_BUDGET_MS = 3_000;
/** Graph's 10 s budget for answering the validation request. */
export const VALIDATION_TIMEOUT_MS = 10_000;

/** The subscription resource as Graph returns it. */
export interface Subscription {
	id: string;
	resource: string;
	applicationId: string;
	changeType: string;
	clientState: string | null;
	notificationUrl: string;
	lifecycleNotificationUrl: string | null;
	expirationDateTime: string;
	creatorId: string;
	includeResourceData: boolean;
	latestSupportedTlsVersion: string;
	encryptionCertificate: null;
	encryptionCertificateId: null;
	notificationQueryOptions: null;
	notificationUrlAppId: null;
}

interface Scope {
	collection: CollectionName;
	/** The mailbox whose changes are notified (for a drive, the drive's owner). */
	mailbox: MailboxStore;
	/** Only items in this mail folder (direct children, like /mailFolders/{id}/messages) or drive. */
	scope?: string;
}

interface Entry {
	data: Subscription;
	scope: Scope;
	changeTypes: Set<ChangeType>;
	expiresAt: number;
	/** After reauthorizationRequired, change notifications are withheld until the app reauthorizes or renews. */
	needsReauthorization: boolean;
}

/** How the notifier misbehaves; every switch may be changed while running. */
export interface NotifierSwitches {
	/** Probability (0–1) that a change notification is never sent. */
	dropRate: number;
	/** Probability (0–1) that a change notification is sent twice. */
	duplicateRate: number;
	/** Wait this long before sending each notification (ms, real time). */
	delayMs: number;
	/** Hold notifications for this long, then send them newest first (ms; 0 = in order). */
	reorderWindowMs: number;
	/** Drop the next N change notifications (counts down). */
	dropNext: number;
	/** Send the next N change notifications twice (counts down). */
	duplicateNext: number;
	/** Waits before each retry of a failed or slow delivery (ms); after the last, the notification is lost. */
	retryDelaysMs: number[];
	/** Seed of the pseudo-random choices (drops, duplicates), for reproducible runs. */
	seed: number;
}

export const DEFAULT_SWITCHES: NotifierSwitches = {
	dropRate: 0,
	duplicateRate: 0,
	delayMs: 0,
	reorderWindowMs: 0,
	dropNext: 0,
	duplicateNext: 0,
	retryDelaysMs: [1_000, 4_000],
	seed: 1,
};

/** One attempt to reach the subscriber (or a decision not to). */
export interface DeliveryLogEntry {
	seq: number;
	kind: 'validation' | 'change' | 'lifecycle';
	subscriptionId: string;
	changeType?: ChangeType;
	lifecycleEvent?: LifecycleEvent;
	/** Id of the changed item (change notifications). */
	itemId?: string;
	/** Wall-clock ms when the change happened (change notifications; the start of the latency it causes). */
	changedAt?: number;
	/** Wall-clock ms of the attempt. */
	at: number;
	attempt: number;
	/** 2 for the second copy of a duplicated notification. */
	copy: number;
	/** delivered; dropped (by a switch); withheld (reauthorization pending); failed or late (answered after 3 s; both retried). */
	outcome: 'delivered' | 'dropped' | 'withheld' | 'failed' | 'late' | 'pending';
	status?: number;
	durationMs?: number;
	error?: string;
}

interface PostResult {
	status: number;
	body: string;
	contentType: string;
	durationMs: number;
}

export interface SubscriptionDeps {
	/** The tenant's mailboxes: a subscription watches one of them. */
	directory: Pick<Directory, 'primary' | 'find'>;
	/** Mailbox ids app-only tokens may read, when the tenant set an application access policy. */
	appAccessPolicy(): ReadonlySet<string> | undefined;
	/** Simulated clock (expiry). */
	now(): number;
	timers: Set<NodeJS.Timeout>;
	tenantId: string;
	/** The app that holds the tokens (applicationId of new subscriptions). */
	applicationId: string;
}

/** mulberry32: small, seedable, good enough to pick drops and duplicates. */
function seededRandom(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

function isLoopback(url: URL): boolean {
	return url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
}

function invalidRequest(message: string): GraphHttpError {
	return new GraphHttpError(400, 'InvalidRequest', message);
}

function notFoundSubscription(id: string): GraphHttpError {
	return new GraphHttpError(404, 'ResourceNotFound', `The object was not found. Subscription '${id}' does not exist or has expired.`);
}

const WORKLOADS: Partial<Record<CollectionName, Workload>> = { messages: 'mail', events: 'calendar', contacts: 'contacts' };

/**
 * Graph checks a subscription's resource with the permissions a read of it needs; a refusal comes back wrapped the
 * way the subscription service wraps the workload's answer.
 */
function checkSubscriptionAccess(grant: Grant, mailbox: MailboxStore, workload: Workload, accessPolicy: ReadonlySet<string> | undefined): void {
	try {
		checkMailboxAccess(grant, { ownerId: mailbox.owner.id, delegates: mailbox.delegates }, workload, accessPolicy);
	} catch (error) {
		if (!(error instanceof GraphHttpError) || error.status !== 403) throw error;
		throw new GraphHttpError(403, 'ExtensionError', `Operation: Create; Exception: [Status Code: Forbidden; Reason: ${error.message}]`);
	}
}

function entityName(collection: Exclude<CollectionName, 'driveItems'>): { type: string; segment: string } {
	if (collection === 'messages') return { type: '#Microsoft.Graph.Message', segment: 'Messages' };
	if (collection === 'events') return { type: '#Microsoft.Graph.Event', segment: 'Events' };
	return { type: '#Microsoft.Graph.Contact', segment: 'Contacts' };
}

/** POSTs `body` to `url` and reads the whole answer (no redirects, no retries). */
function post(url: URL, body: string, contentType: string, timeoutMs: number): Promise<PostResult> {
	const started = Date.now();
	const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
	return new Promise((resolve, reject) => {
		const req = send(
			url,
			// A connection per POST, as an outside service opens: a pooled keep-alive socket that the endpoint closes
			// while idle would fail the next POST with "socket hang up", a failure of the simulator, not of the node.
			{ method: 'POST', headers: { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) }, timeout: timeoutMs, agent: false },
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (chunk: Buffer) => chunks.push(chunk));
				res.on('end', () =>
					resolve({
						status: res.statusCode ?? 0,
						body: Buffer.concat(chunks).toString('utf8'),
						contentType: String(res.headers['content-type'] ?? ''),
						durationMs: Date.now() - started,
					}),
				);
				res.on('error', reject);
			},
		);
		req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
		req.on('error', reject);
		req.end(body);
	});
}

export class SubscriptionService {
	switches: NotifierSwitches = { ...DEFAULT_SWITCHES };
	readonly deliveries: DeliveryLogEntry[] = [];
	private readonly entries = new Map<string, Entry>();
	private random = seededRandom(DEFAULT_SWITCHES.seed);
	private seededWith = DEFAULT_SWITCHES.seed;
	private deliverySeq = 0;
	private reorderBuffer: Array<() => Promise<void>> = [];
	private reorderTimer: NodeJS.Timeout | undefined;
	private inFlight = new Set<Promise<unknown>>();

	constructor(private readonly deps: SubscriptionDeps) {
		this.watch(deps.directory.primary);
	}

	/** Notifies the changes of `mailbox` (every mailbox of the tenant is watched from its creation on). */
	watch(mailbox: MailboxStore): void {
		mailbox.onChange((change) => this.onItemChange(mailbox, change));
	}

	// ---- the /subscriptions API ----------------------------------------------------------------------------

	/** `grant`: who the bearer token speaks for (the resource must be theirs to read). */
	async create(body: Record<string, unknown>, grant: Grant): Promise<Subscription> {
		const changeTypes = this.parseChangeTypes(body.changeType);
		const resource = typeof body.resource === 'string' ? body.resource : '';
		const scope = this.parseResource(resource, grant);
		if (scope.collection === 'driveItems' && (changeTypes.size !== 1 || !changeTypes.has('updated'))) {
			throw invalidRequest("The changeType of a driveItem subscription can only be 'updated'.");
		}
		const expiresAt = this.parseExpiration(body.expirationDateTime);
		const notificationUrl = this.parseUrl('notificationUrl', body.notificationUrl, true)!;
		const lifecycleUrl = this.parseUrl('lifecycleNotificationUrl', body.lifecycleNotificationUrl, false);
		const clientState = body.clientState === undefined || body.clientState === null ? null : String(body.clientState);
		if (clientState !== null && clientState.length > 128) throw invalidRequest('clientState must not be longer than 128 characters.');

		const id = randomUUID();
		// Graph proves that each URL answers before it creates the subscription.
		for (const url of new Set([notificationUrl, lifecycleUrl].filter((u): u is string => u !== undefined))) {
			await this.validate(id, url);
		}
		const data: Subscription = {
			id,
			resource,
			applicationId: this.deps.applicationId,
			changeType: [...changeTypes].join(','),
			clientState,
			notificationUrl,
			lifecycleNotificationUrl: lifecycleUrl ?? null,
			expirationDateTime: new Date(expiresAt).toISOString(),
			creatorId: grant.kind === 'delegated' ? grant.userId : grant.clientId,
			includeResourceData: false,
			latestSupportedTlsVersion: typeof body.latestSupportedTlsVersion === 'string' ? body.latestSupportedTlsVersion : 'v1_2',
			encryptionCertificate: null,
			encryptionCertificateId: null,
			notificationQueryOptions: null,
			notificationUrlAppId: null,
		};
		this.entries.set(id, { data, scope, changeTypes, expiresAt, needsReauthorization: false });
		return { ...data };
	}

	list(): Subscription[] {
		this.prune();
		return [...this.entries.values()].map((e) => ({ ...e.data }));
	}

	get(id: string): Subscription {
		return { ...this.live(id).data };
	}

	renew(id: string, body: Record<string, unknown>): Subscription {
		const entry = this.live(id);
		entry.expiresAt = this.parseExpiration(body.expirationDateTime);
		entry.data.expirationDateTime = new Date(entry.expiresAt).toISOString();
		entry.needsReauthorization = false;
		return { ...entry.data };
	}

	reauthorize(id: string): void {
		this.live(id).needsReauthorization = false;
	}

	delete(id: string): void {
		this.live(id);
		this.entries.delete(id);
	}

	// ---- what the test drives --------------------------------------------------------------------------------

	/** Graph removed the subscription (e.g. the user's consent changed): it is gone and the subscriber is told. */
	remove(id: string): void {
		const entry = this.live(id);
		this.entries.delete(id);
		this.sendLifecycle(entry, 'subscriptionRemoved');
	}

	/** Graph asks the app to reauthorize; change notifications are withheld until it does (or renews). */
	requireReauthorization(id: string): void {
		const entry = this.live(id);
		entry.needsReauthorization = true;
		this.sendLifecycle(entry, 'reauthorizationRequired');
	}

	/** Graph tells the subscriber that some notifications could not be delivered. */
	announceMissed(id: string): void {
		this.sendLifecycle(this.live(id), 'missed');
	}

	/** The subscription's lifetime ends now (as if its expiry passed unnoticed); no notification says so. */
	expire(id: string): void {
		this.live(id);
		this.entries.delete(id);
	}

	/** Settles once every delivery started so far (retries included) has finished. */
	async idle(): Promise<void> {
		while (this.inFlight.size > 0 || this.reorderBuffer.length > 0) {
			if (this.reorderTimer !== undefined && this.inFlight.size === 0) await new Promise((r) => setTimeout(r, 10));
			else await Promise.allSettled([...this.inFlight]);
		}
	}

	reset(): void {
		this.entries.clear();
		this.deliveries.length = 0;
		this.reorderBuffer = [];
		if (this.reorderTimer !== undefined) clearTimeout(this.reorderTimer);
		this.reorderTimer = undefined;
		this.switches = { ...DEFAULT_SWITCHES };
		this.seededWith = Number.NaN;
	}

	// ---- validation ---------------------------------------------------------------------------------------

	private parseChangeTypes(value: unknown): Set<ChangeType> {
		const parts = typeof value === 'string' ? value.split(',').map((p) => p.trim()) : [];
		if (parts.length === 0 || parts.some((p) => !(CHANGE_TYPES as readonly string[]).includes(p))) {
			throw invalidRequest(`changeType must be a comma-separated list of ${CHANGE_TYPES.join(', ')}; got '${String(value ?? '')}'.`);
		}
		return new Set(parts as ChangeType[]);
	}

	private parseResource(resource: string, grant: Grant): Scope {
		const path = resource.replace(/^\/+/, '');
		const segments = path.split('/').filter(Boolean);
		const { directory } = this.deps;
		const unsupported = () =>
			invalidRequest(`Resource '${resource}' is not supported; use me/messages, me/mailFolders('{id}')/messages, me/events, me/contacts or me/drive/root (or users/{id}/… instead of me/…).`);
		const drive = /^(?:drives\/([^/]+)|sites\/([^/]+)\/drive)\/root$/i.exec(path);
		if (drive) {
			const store = directory.primary;
			const found = drive[1] !== undefined ? store.findDrive(decodeURIComponent(drive[1])) : decodeURIComponent(drive[2]) === store.siteId ? store.drives.site : undefined;
			if (found === undefined) throw new GraphHttpError(404, 'ResourceNotFound', `Resource '${resource}' does not exist.`);
			return { collection: 'driveItems', mailbox: store, scope: found.driveId };
		}
		let mailbox: MailboxStore;
		let rest: string[];
		const head = (segments[0] ?? '').toLowerCase();
		if (head === 'me') {
			if (grant.kind === 'app') throw new GraphHttpError(400, 'BadRequest', ME_NEEDS_USER);
			mailbox = directory.find(grant.userId) ?? directory.primary;
			rest = segments.slice(1);
		} else if (head === 'users' && segments.length > 1) {
			const found = directory.find(decodeURIComponent(segments[1]));
			if (found === undefined) throw new GraphHttpError(404, 'ResourceNotFound', `Resource '${resource}' does not exist: unknown user '${segments[1]}'.`);
			mailbox = found;
			rest = segments.slice(2);
		} else throw unsupported();
		const joined = rest.join('/').toLowerCase();
		if (joined === 'drive/root') return { collection: 'driveItems', mailbox, scope: mailbox.drives.me.driveId };
		const folder = /^mailfolders(?:\('([^']+)'\)|\/([^/]+))\/messages$/i.exec(rest.join('/'));
		const collection: CollectionName | undefined =
			joined === 'messages' || folder ? 'messages' : joined === 'events' || joined === 'calendar/events' ? 'events' : joined === 'contacts' ? 'contacts' : undefined;
		if (collection === undefined) throw unsupported();
		checkSubscriptionAccess(grant, mailbox, WORKLOADS[collection]!, this.deps.appAccessPolicy());
		if (!folder) return { collection, mailbox };
		const ref = decodeURIComponent(folder[1] ?? folder[2]);
		const found = mailbox.findFolder(ref);
		if (found === undefined) throw new GraphHttpError(404, 'ResourceNotFound', `Resource '${resource}' does not exist: no mail folder '${ref}'.`);
		return { collection: 'messages', mailbox, scope: found.id };
	}

	private parseExpiration(value: unknown): number {
		const at = typeof value === 'string' ? Date.parse(value) : Number.NaN;
		if (Number.isNaN(at)) throw invalidRequest(`expirationDateTime must be an ISO 8601 date/time; got '${String(value ?? '')}'.`);
		const now = this.deps.now();
		if (at <= now) throw invalidRequest('Subscription expiration must be in the future.');
		if (at > now + OUTLOOK_MAX_LIFETIME_MINUTES * 60_000) {
			throw invalidRequest(`Subscription expiration can only be ${OUTLOOK_MAX_LIFETIME_MINUTES} minutes in the future.`);
		}
		return at;
	}

	private parseUrl(name: string, value: unknown, required: boolean): string | undefined {
		if (value === undefined || value === null || value === '') {
			if (required) throw invalidRequest(`${name} is required.`);
			return undefined;
		}
		let url: URL;
		try {
			url = new URL(String(value));
		} catch {
			throw invalidRequest(`${name} '${String(value)}' is not an absolute URL.`);
		}
		// Graph only calls HTTPS endpoints; a simulator on loopback can also reach plain HTTP on loopback.
		if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url))) {
			throw invalidRequest(`${name} must use https: '${String(value)}'.`);
		}
		return url.toString();
	}

	private async validate(subscriptionId: string, target: string): Promise<void> {
		// Real tokens contain spaces and colons, so endpoints that do not URL-decode the query fail as they would in Graph.
		const token = `Validation: Testing client application reachability for subscription Request-Id: ${randomUUID()}`;
		const url = new URL(target);
		url.searchParams.set('validationToken', token);
		const log = this.logDelivery({ kind: 'validation', subscriptionId, attempt: 1, copy: 1 });
		let result: PostResult;
		try {
			result = await post(url, '', 'text/plain; charset=utf-8', VALIDATION_TIMEOUT_MS);
		} catch (error) {
			log.outcome = 'failed';
			log.error = (error as Error).message;
			throw new GraphHttpError(400, 'ValidationError', `Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request. (${target}: ${(error as Error).message})`);
		}
		log.status = result.status;
		log.durationMs = result.durationMs;
		const plain = result.contentType.toLowerCase().startsWith('text/plain');
		if (result.status !== 200 || result.body !== token || !plain) {
			log.outcome = 'failed';
			const why =
				result.status !== 200
					? `it answered ${result.status}`
					: result.body !== token
						? 'the response body was not exactly the validation token'
						: `the Content-Type was '${result.contentType}', not text/plain`;
			throw new GraphHttpError(400, 'ValidationError', `Subscription validation request failed. Response must exactly match validationToken query parameter: ${why}.`);
		}
		log.outcome = 'delivered';
	}

	private live(id: string): Entry {
		this.prune();
		const entry = this.entries.get(id);
		if (entry === undefined) throw notFoundSubscription(id);
		return entry;
	}

	/** Graph deletes expired subscriptions without telling anyone. */
	private prune(): void {
		const now = this.deps.now();
		for (const [id, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(id);
	}

	// ---- the notifier ---------------------------------------------------------------------------------------

	private nextRandom(): number {
		if (this.seededWith !== this.switches.seed) {
			this.seededWith = this.switches.seed;
			this.random = seededRandom(this.switches.seed);
		}
		return this.random();
	}

	private matches(entry: Entry, mailbox: MailboxStore, change: ItemChange): boolean {
		if (entry.scope.mailbox !== mailbox || entry.scope.collection !== change.collection) return false;
		// A drive notifies every change of any item as `updated` of its root (the only change type Graph offers there).
		const changeType = change.collection === 'driveItems' ? 'updated' : change.changeType;
		if (!entry.changeTypes.has(changeType)) return false;
		return entry.scope.scope === undefined || entry.scope.scope === change.scope;
	}

	private onItemChange(mailbox: MailboxStore, change: ItemChange): void {
		if (this.entries.size === 0) return;
		this.prune();
		const changedAt = Date.now();
		for (const entry of this.entries.values()) {
			if (!this.matches(entry, mailbox, change)) continue;
			const common = {
				subscriptionId: entry.data.id,
				subscriptionExpirationDateTime: entry.data.expirationDateTime,
				tenantId: this.deps.tenantId,
				clientState: entry.data.clientState,
			};
			let notification: Record<string, unknown>;
			if (change.collection === 'driveItems') {
				// A drive says only that something under the subscribed root changed; its delta tells what.
				notification = { ...common, changeType: 'updated', resource: entry.data.resource };
			} else {
				const { type, segment } = entityName(change.collection);
				const resource = `Users/${mailbox.owner.id}/${segment}/${change.id}`;
				const resourceData = { '@odata.type': type, '@odata.id': resource, ...(change.changeKey ? { '@odata.etag': `W/"${change.changeKey}"` } : {}), id: change.id };
				notification = { ...common, changeType: change.changeType, resource, resourceData };
			}
			const base = { kind: 'change' as const, subscriptionId: entry.data.id, changeType: change.changeType, itemId: change.id, changedAt };
			if (entry.needsReauthorization) {
				this.logDelivery({ ...base, attempt: 0, copy: 1, outcome: 'withheld' });
				continue;
			}
			if (this.switches.dropNext > 0 || this.nextRandom() < this.switches.dropRate) {
				if (this.switches.dropNext > 0) this.switches.dropNext -= 1;
				this.logDelivery({ ...base, attempt: 0, copy: 1, outcome: 'dropped' });
				continue;
			}
			let copies = 1;
			if (this.switches.duplicateNext > 0 || this.nextRandom() < this.switches.duplicateRate) {
				if (this.switches.duplicateNext > 0) this.switches.duplicateNext -= 1;
				copies = 2;
			}
			for (let copy = 1; copy <= copies; copy++) {
				this.schedule(() => this.deliver(entry.data.notificationUrl, { value: [notification] }, { ...base, copy }));
			}
		}
	}

	private sendLifecycle(entry: Entry, lifecycleEvent: LifecycleEvent): void {
		const url = entry.data.lifecycleNotificationUrl ?? entry.data.notificationUrl;
		const notification = {
			subscriptionId: entry.data.id,
			subscriptionExpirationDateTime: entry.data.expirationDateTime,
			tenantId: this.deps.tenantId,
			clientState: entry.data.clientState,
			lifecycleEvent,
		};
		this.schedule(() => this.deliver(url, { value: [notification] }, { kind: 'lifecycle', subscriptionId: entry.data.id, lifecycleEvent, copy: 1 }));
	}

	/** Applies delay and reordering, then runs the delivery. */
	private schedule(send: () => Promise<void>): void {
		const delayed = async (): Promise<void> => {
			if (this.switches.delayMs > 0) await this.wait(this.switches.delayMs);
			await send();
		};
		if (this.switches.reorderWindowMs <= 0) {
			this.track(delayed());
			return;
		}
		this.reorderBuffer.push(delayed);
		if (this.reorderTimer === undefined) {
			this.reorderTimer = setTimeout(() => {
				this.deps.timers.delete(this.reorderTimer!);
				this.reorderTimer = undefined;
				const batch = this.reorderBuffer.reverse();
				this.reorderBuffer = [];
				this.track(
					(async () => {
						for (const run of batch) await run();
					})(),
				);
			}, this.switches.reorderWindowMs);
			this.deps.timers.add(this.reorderTimer);
		}
	}

	private track(work: Promise<void>): void {
		this.inFlight.add(work);
		void work.finally(() => this.inFlight.delete(work));
	}

	private wait(ms: number): Promise<void> {
		return new Promise((resolve) => {
			const timer = setTimeout(() => {
				this.deps.timers.delete(timer);
				resolve();
			}, ms);
			this.deps.timers.add(timer);
		});
	}

	private async deliver(
		target: string,
		payload: unknown,
		base: Omit<DeliveryLogEntry, 'seq' | 'at' | 'attempt' | 'outcome'>,
	): Promise<void> {
		const body = JSON.stringify(payload);
		const attempts = this.switches.retryDelaysMs.length + 1;
		for (let attempt = 1; attempt <= attempts; attempt++) {
			const log = this.logDelivery({ ...base, attempt });
			try {
				const result = await post(new URL(target), body, 'application/json; charset=utf-8', 10_000);
				log.status = result.status;
				log.durationMs = result.durationMs;
				const ok = result.status >= 200 && result.status < 300;
				log.outcome = !ok ? 'failed' : result.durationMs > NOTIFICATION_BUDGET_MS ? 'late' : 'delivered';
			} catch (error) {
				log.outcome = 'failed';
				log.error = (error as Error).message;
			}
			if (log.outcome === 'delivered' || attempt === attempts) return;
			await this.wait(this.switches.retryDelaysMs[attempt - 1]);
		}
	}

	private logDelivery(fields: Omit<DeliveryLogEntry, 'seq' | 'at' | 'outcome'> & { outcome?: DeliveryLogEntry['outcome'] }): DeliveryLogEntry {
		const entry: DeliveryLogEntry = { seq: ++this.deliverySeq, at: Date.now(), outcome: 'pending', ...fields };
		this.deliveries.push(entry);
		if (this.deliveries.length > 100_000) this.deliveries.shift();
		return entry;
	}
}

/** `/v1.0/subscriptions[/{id}[/reauthorize]]`; authentication is checked by the server before this runs. */
export async function handleSubscriptionRequest(
	service: SubscriptionService,
	method: string,
	segments: string[],
	body: Record<string, unknown>,
	origin: string,
	grant: Grant,
): Promise<{ status: number; body?: unknown }> {
	const context = `${origin}/v1.0/$metadata#subscriptions`;
	const [id, action] = segments;
	if (id === undefined) {
		if (method === 'POST') return { status: 201, body: { '@odata.context': `${context}/$entity`, ...(await service.create(body, grant)) } };
		if (method === 'GET') return { status: 200, body: { '@odata.context': context, value: service.list() } };
	} else if (action === undefined) {
		if (method === 'GET') return { status: 200, body: { '@odata.context': `${context}/$entity`, ...service.get(id) } };
		if (method === 'PATCH') return { status: 200, body: { '@odata.context': `${context}/$entity`, ...service.renew(id, body) } };
		if (method === 'DELETE') {
			service.delete(id);
			return { status: 204 };
		}
	} else if (action.toLowerCase() === 'reauthorize' && segments.length === 2 && method === 'POST') {
		service.reauthorize(id);
		return { status: 204 };
	}
	throw new GraphHttpError(405, 'BadRequest', 'Specified HTTP method is not allowed for the request uri.');
}
