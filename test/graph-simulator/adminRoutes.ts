// JSON admin API under /_sim so a test or demo in another process can drive a running simulator.
// No auth (loopback only); not logged, not delayed, not subject to injected faults.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaultSpec } from './faults';
import { parseJsonObject, sendJson } from './httpUtil';
import type { GraphSimulator, SimMailbox } from './index';
import { TOKEN_REFUSALS, type TokenRefusal } from './oauth';
import type { AttachmentSpec } from './records';
import { GraphHttpError } from './odataErrors';
import type { CollectionName, DriveName } from './store';
import { COLLECTIONS } from './store';

export const ADMIN_ROUTES = [
	'Item, seed and folder routes take ?mailbox=<id|address> (default: the signed-in user\'s mailbox).',
	'GET    /_sim/health                         → { ok, baseUrl, loginBaseUrl, adminUrl, user }',
	'GET    /_sim/state                          → counts, folders, latencyMs, tokenRequests, faults, maxConcurrent',
	'GET    /_sim/items/{collection}[?fields=a,b] → { value: all items incl. not yet visible (only those fields), notYetVisible: ids }',
	'GET    /_sim/items/{collection}/{id}        → item',
	'POST   /_sim/items/{collection}             { fields?, folder?, drive?, parent?, at?, visibleAt?, visibleAfterMs?, attachments? } → 201 item',
	'POST   /_sim/items/messages/{id}/attachments { kind: file|item|reference, name, contentType?, contentBase64?, size?, isInline?, at? } → 201 attachment (without bytes)',
	'GET    /_sim/mailboxes                      → { value: mailbox owners, the signed-in user first }',
	'POST   /_sim/mailboxes                      { displayName, mail, id?, signedInUserHasAccess? } → 201 owner',
	'PUT    /_sim/app                            { roles?, accessPolicy? (null clears) } → { roles, accessPolicy } (app-only permissions)',
	'PATCH  /_sim/items/{collection}/{id}        { patch, at? } → item',
	'POST   /_sim/items/messages/{id}/move       { folder, at? } → moved item (new id)',
	'DELETE /_sim/items/{collection}/{id}        → 204',
	'POST   /_sim/seed                           { collection?, count, folder?, drive?, startAt?, stepMs? } → { created }',
	'GET    /_sim/drives                         → { me, site }: driveId, rootId (site: siteId)',
	'POST   /_sim/delta/expire                   → 204 (every delta token issued so far answers 410 Gone)',
	'GET    /_sim/folders                        → { value: all mail folders (with wellKnownName) }',
	'POST   /_sim/folders                        { displayName, parent? } → 201 folder',
	'GET    /_sim/faults                         → { value: active faults }',
	'POST   /_sim/faults                         { kind, status?, retryAfterSeconds?, code?, body?, ms?, location?, intervalMs?, bytes?, path?, pathRegex?, method?, times?, afterRequests? } → 201 { id }',
	'DELETE /_sim/faults[/{id}]                  → 204',
	'GET    /_sim/requests?since=SEQ             → { value: request log entries with seq > SEQ }',
	'DELETE /_sim/requests                       → 204',
	'POST   /_sim/tokens                         { scope?, clientId? } → { access_token, refresh_token, expires_in, ... }',
	'POST   /_sim/tokens/expire                  → 204 (current access tokens become invalid)',
	'PUT    /_sim/tokens/refusal                 { reason: clientSecretExpired|clientSecretInvalid|refreshTokenExpired|grantRevoked|consentRequired|applicationNotFound|null } → { reason }',
	'PUT    /_sim/latency                        { ms } → { latencyMs }',
	'PUT    /_sim/behaviour                      { unstableTieOrder?, deltaReplays?, dateHeaderOffsetMs? } → all three (Graph-like awkwardness on demand)',
	'GET    /_sim/clock                          → { offsetMs, now } (now: simulated epoch ms)',
	'PUT    /_sim/clock                          { offsetMs } → { offsetMs, now } (shifts the simulated clock)',
	'POST   /_sim/reset                          { tokens? } → 204 (items, user folders, faults, log, subscriptions; tokens too if asked)',
	'GET    /_sim/subscriptions                  → { value: live subscriptions }',
	'POST   /_sim/subscriptions/{id}/{event}     event: remove | reauthorization-required | missed | expire → 204',
	'GET    /_sim/notifications?since=SEQ        → { value: delivery log entries with seq > SEQ, switches }',
	'PUT    /_sim/notifications                  { dropRate?, duplicateRate?, delayMs?, reorderWindowMs?, dropNext?, duplicateNext?, retryDelaysMs?, seed? } → switches',
];

function asCollection(name: string | undefined): CollectionName {
	if (name !== undefined && (COLLECTIONS as readonly string[]).includes(name)) return name as CollectionName;
	throw new GraphHttpError(404, 'NotFound', `Unknown collection '${name ?? ''}'; use one of ${COLLECTIONS.join(', ')}.`);
}

function asDrive(name: string | undefined): DriveName | undefined {
	if (name === undefined || name === 'me' || name === 'site') return name;
	throw new GraphHttpError(400, 'BadRequest', "'drive' must be 'me' or 'site'.");
}

function optionalNumber(body: Record<string, unknown>, key: string): number | undefined {
	const value = body[key];
	if (value === undefined || value === null) return undefined;
	if (typeof value !== 'number' || !Number.isFinite(value)) throw new GraphHttpError(400, 'BadRequest', `'${key}' must be a finite number.`);
	return value;
}

function optionalString(body: Record<string, unknown>, key: string): string | undefined {
	const value = body[key];
	if (value === undefined || value === null) return undefined;
	if (typeof value !== 'string') throw new GraphHttpError(400, 'BadRequest', `'${key}' must be a string.`);
	return value;
}

function objectField(body: Record<string, unknown>, key: string): Record<string, unknown> {
	const value = body[key] ?? {};
	if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new GraphHttpError(400, 'BadRequest', `'${key}' must be an object.`);
	return value as Record<string, unknown>;
}

/** An attachment as JSON (`contentBase64` for exact bytes, or `size` for generated ones). */
function attachmentFromJson(body: Record<string, unknown>): AttachmentSpec {
	const name = optionalString(body, 'name');
	if (name === undefined) throw new GraphHttpError(400, 'BadRequest', "'name' is required.");
	const size = optionalNumber(body, 'size');
	switch (body.kind) {
		case 'file': {
			const base64 = optionalString(body, 'contentBase64');
			const isInline = body.isInline === true;
			return { kind: 'file', name, contentType: optionalString(body, 'contentType'), content: base64 === undefined ? undefined : Buffer.from(base64, 'base64'), size, isInline };
		}
		case 'item':
			return { kind: 'item', name, size };
		case 'reference':
			return { kind: 'reference', name, contentType: optionalString(body, 'contentType'), size };
		default:
			throw new GraphHttpError(400, 'BadRequest', "'kind' must be 'file', 'item' or 'reference'.");
	}
}

function attachmentList(body: Record<string, unknown>): AttachmentSpec[] | undefined {
	const value = body.attachments;
	if (value === undefined || value === null) return undefined;
	if (!Array.isArray(value)) throw new GraphHttpError(400, 'BadRequest', "'attachments' must be an array.");
	return value.map((entry) => attachmentFromJson(typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>) : {}));
}

function mailboxOf(sim: GraphSimulator, url: URL): SimMailbox {
	const ref = url.searchParams.get('mailbox');
	if (ref === null || ref === '') return sim;
	try {
		return sim.mailbox(ref);
	} catch {
		throw new GraphHttpError(404, 'NotFound', `No mailbox '${ref}'.`);
	}
}

function faultFromJson(body: Record<string, unknown>): FaultSpec {
	const common = {
		path: body.pathRegex !== undefined ? new RegExp(String(body.pathRegex)) : optionalString(body, 'path'),
		method: optionalString(body, 'method'),
		times: optionalNumber(body, 'times'),
		afterRequests: optionalNumber(body, 'afterRequests'),
	};
	switch (body.kind) {
		case 'status':
			return {
				...common,
				kind: 'status',
				status: optionalNumber(body, 'status') ?? 500,
				retryAfterSeconds: optionalNumber(body, 'retryAfterSeconds'),
				code: optionalString(body, 'code'),
				body: body.body,
				headers: body.headers === undefined ? undefined : (objectField(body, 'headers') as Record<string, string>),
			};
		case 'drop':
			return { ...common, kind: 'drop' };
		case 'delay':
			return { ...common, kind: 'delay', ms: optionalNumber(body, 'ms') ?? 0 };
		case 'redirect':
			return { ...common, kind: 'redirect', location: optionalString(body, 'location') ?? '/', status: optionalNumber(body, 'status') };
		case 'trickle':
			return { ...common, kind: 'trickle', intervalMs: optionalNumber(body, 'intervalMs') ?? 300 };
		case 'oversized':
			return { ...common, kind: 'oversized', bytes: optionalNumber(body, 'bytes') ?? 0 };
		default:
			throw new GraphHttpError(400, 'BadRequest', "'kind' must be 'status', 'drop', 'delay', 'redirect', 'trickle' or 'oversized'.");
	}
}

export function handleAdminRequest(sim: GraphSimulator, req: IncomingMessage, res: ServerResponse, url: URL, rawBody: string): void {
	const method = (req.method ?? 'GET').toUpperCase();
	let parts: string[];
	try {
		parts = url.pathname.split('/').filter((s) => s !== '').slice(1).map((s) => decodeURIComponent(s));
	} catch {
		throw new GraphHttpError(400, 'BadRequest', 'Malformed percent-encoding in the path.');
	}
	const body = method === 'GET' || method === 'DELETE' ? {} : parseJsonObject(rawBody);
	const route = `${method} ${parts[0] ?? ''}`;
	const box = mailboxOf(sim, url);
	const ok = (status: number, value?: unknown): void => sendJson(res, status, value);
	const noContent = (): void => {
		res.writeHead(204);
		res.end();
	};

	switch (route) {
		case 'GET health':
		case 'GET ':
			return ok(200, { ok: true, baseUrl: sim.baseUrl, loginBaseUrl: sim.loginBaseUrl, adminUrl: sim.adminUrl, user: sim.user, routes: ADMIN_ROUTES });
		case 'GET state':
			return ok(200, sim.state());
		case 'POST seed': {
			const count = optionalNumber(body, 'count') ?? 0;
			const created = box.seed(asCollection(optionalString(body, 'collection') ?? 'messages'), count, {
				folder: optionalString(body, 'folder'),
				drive: asDrive(optionalString(body, 'drive')),
				startAt: optionalNumber(body, 'startAt'),
				stepMs: optionalNumber(body, 'stepMs'),
			});
			return ok(201, { created });
		}
		case 'GET drives':
			return ok(200, { me: sim.drive('me'), site: sim.drive('site') });
		case 'POST delta':
			if (parts[1] !== 'expire') break;
			sim.expireDeltaTokens();
			return noContent();
		case 'GET folders':
			return ok(200, { value: box.folders() });
		case 'POST folders':
			return ok(201, box.createFolder(optionalString(body, 'displayName') ?? '', optionalString(body, 'parent')));
		case 'GET mailboxes':
			return ok(200, { value: sim.users() });
		case 'POST mailboxes': {
			const displayName = optionalString(body, 'displayName');
			const mail = optionalString(body, 'mail');
			if (displayName === undefined || mail === undefined) throw new GraphHttpError(400, 'BadRequest', "'displayName' and 'mail' are required.");
			const mailbox = sim.addMailbox({ displayName, mail, id: optionalString(body, 'id'), signedInUserHasAccess: body.signedInUserHasAccess !== false });
			return ok(201, mailbox.user);
		}
		case 'PUT app': {
			if (body.roles !== undefined) {
				if (!Array.isArray(body.roles) || body.roles.some((role) => typeof role !== 'string')) throw new GraphHttpError(400, 'BadRequest', "'roles' must be an array of strings.");
				sim.appRoles = body.roles as string[];
			}
			if (body.accessPolicy === null) sim.appAccessPolicy = undefined;
			else if (body.accessPolicy !== undefined) {
				if (!Array.isArray(body.accessPolicy)) throw new GraphHttpError(400, 'BadRequest', "'accessPolicy' must be an array of mailbox ids or addresses, or null.");
				sim.appAccessPolicy = (body.accessPolicy as unknown[]).map(String);
			}
			return ok(200, { roles: sim.appRoles, accessPolicy: sim.appAccessPolicy ?? null });
		}
		case 'GET faults':
			return ok(200, { value: sim.activeFaults() });
		case 'POST faults':
			return ok(201, { id: sim.injectFault(faultFromJson(body)) });
		case 'DELETE faults':
			if (parts[1] !== undefined) sim.removeFault(parts[1]);
			else sim.clearFaults();
			return noContent();
		case 'GET requests':
			return ok(200, { value: sim.requestsSince(Number(url.searchParams.get('since') ?? '0')) });
		case 'DELETE requests':
			sim.clearRequests();
			return noContent();
		case 'PUT tokens': {
			if (parts[1] !== 'refusal') break;
			const reason = body.reason ?? undefined;
			if (reason !== undefined && !(typeof reason === 'string' && Object.hasOwn(TOKEN_REFUSALS, reason))) {
				throw new GraphHttpError(400, 'BadRequest', `'reason' must be null or one of ${Object.keys(TOKEN_REFUSALS).join(', ')}.`);
			}
			sim.refuseTokens(reason as TokenRefusal | undefined);
			return ok(200, { reason: reason ?? null });
		}
		case 'POST tokens':
			if (parts[1] === 'expire') {
				sim.expireAccessTokens();
				return noContent();
			}
			return ok(200, sim.issueTokens(optionalString(body, 'scope'), optionalString(body, 'clientId')));
		case 'PUT latency':
		case 'POST latency':
			sim.latencyMs = Math.max(0, optionalNumber(body, 'ms') ?? 0);
			return ok(200, { latencyMs: sim.latencyMs });
		case 'PUT behaviour': {
			if (body.unstableTieOrder !== undefined) {
				if (typeof body.unstableTieOrder !== 'boolean') throw new GraphHttpError(400, 'BadRequest', "'unstableTieOrder' must be a boolean.");
				sim.unstableTieOrder = body.unstableTieOrder;
			}
			if (body.deltaReplays !== undefined) {
				if (typeof body.deltaReplays !== 'boolean') throw new GraphHttpError(400, 'BadRequest', "'deltaReplays' must be a boolean.");
				sim.deltaReplays = body.deltaReplays;
			}
			sim.dateHeaderOffsetMs = optionalNumber(body, 'dateHeaderOffsetMs') ?? sim.dateHeaderOffsetMs;
			return ok(200, { unstableTieOrder: sim.unstableTieOrder, deltaReplays: sim.deltaReplays, dateHeaderOffsetMs: sim.dateHeaderOffsetMs });
		}
		case 'GET clock':
			return ok(200, { offsetMs: sim.clockOffsetMs, now: sim.clock() });
		case 'PUT clock': {
			const offsetMs = optionalNumber(body, 'offsetMs');
			if (offsetMs === undefined) throw new GraphHttpError(400, 'BadRequest', "'offsetMs' is required.");
			sim.clockOffsetMs = offsetMs;
			return ok(200, { offsetMs: sim.clockOffsetMs, now: sim.clock() });
		}
		case 'POST reset':
			sim.reset({ tokens: body.tokens === true });
			return noContent();
		case 'GET subscriptions':
			return ok(200, { value: sim.subscriptions() });
		case 'POST subscriptions': {
			const actions: Record<string, (id: string) => void> = {
				remove: (id) => sim.removeSubscription(id),
				'reauthorization-required': (id) => sim.requireReauthorization(id),
				missed: (id) => sim.announceMissed(id),
				expire: (id) => sim.expireSubscription(id),
			};
			const action = actions[parts[2] ?? ''];
			if (parts[1] === undefined || action === undefined) {
				throw new GraphHttpError(404, 'NotFound', `Use POST /_sim/subscriptions/{id}/{${Object.keys(actions).join('|')}}.`);
			}
			action(parts[1]);
			return noContent();
		}
		case 'GET notifications': {
			const since = Number(url.searchParams.get('since') ?? '0');
			return ok(200, { value: sim.deliveries.filter((d) => d.seq > since), switches: sim.notifier });
		}
		case 'PUT notifications': {
			for (const key of ['dropRate', 'duplicateRate', 'delayMs', 'reorderWindowMs', 'dropNext', 'duplicateNext', 'seed'] as const) {
				const value = optionalNumber(body, key);
				if (value !== undefined) sim.notifier[key] = value;
			}
			if (body.retryDelaysMs !== undefined) {
				const delays = body.retryDelaysMs;
				if (!Array.isArray(delays) || delays.some((d) => typeof d !== 'number' || !(d >= 0))) {
					throw new GraphHttpError(400, 'BadRequest', "'retryDelaysMs' must be an array of non-negative numbers.");
				}
				sim.notifier.retryDelaysMs = delays as number[];
			}
			return ok(200, sim.notifier);
		}
		default:
			break;
	}

	if (parts[0] !== 'items') throw new GraphHttpError(404, 'NotFound', `No admin route ${method} ${url.pathname}. Routes:\n${ADMIN_ROUTES.join('\n')}`);
	const collection = asCollection(parts[1]);
	const id = parts[2];
	if (id === undefined) {
		if (method === 'GET') {
			const fields = url.searchParams.get('fields')?.split(',').filter(Boolean);
			const value = fields === undefined ? box.list(collection) : box.listFields(collection, fields);
			return ok(200, { value, notYetVisible: box.notYetVisible(collection) });
		}
		if (method !== 'POST') throw new GraphHttpError(405, 'BadRequest', `Use GET or POST on /_sim/items/${collection}.`);
		const afterMs = optionalNumber(body, 'visibleAfterMs');
		const created = box.createItem(collection, objectField(body, 'fields'), {
			folder: optionalString(body, 'folder'),
			drive: asDrive(optionalString(body, 'drive')),
			parent: optionalString(body, 'parent'),
			at: optionalNumber(body, 'at'),
			visibleAt: optionalNumber(body, 'visibleAt') ?? (afterMs === undefined ? undefined : sim.clock() + afterMs),
			attachments: attachmentList(body),
		});
		return ok(201, created);
	}
	if (parts[3] === 'move' && method === 'POST' && collection === 'messages') {
		const folder = optionalString(body, 'folder');
		if (folder === undefined) throw new GraphHttpError(400, 'BadRequest', "'folder' is required.");
		return ok(200, box.moveMessage(id, folder, { at: optionalNumber(body, 'at') }));
	}
	if (parts[3] === 'attachments' && method === 'POST' && collection === 'messages') {
		const { content, ...metadata } = box.addAttachment(id, attachmentFromJson(body), { at: optionalNumber(body, 'at') });
		return ok(201, { ...metadata, bytes: content?.length });
	}
	if (parts.length !== 3) throw new GraphHttpError(404, 'NotFound', `No admin route ${method} ${url.pathname}.`);
	switch (method) {
		case 'GET': {
			const item = box.getItem(collection, id);
			if (item === undefined) throw new GraphHttpError(404, 'NotFound', `No ${collection} item '${id}'.`);
			return ok(200, item);
		}
		case 'PATCH':
			return ok(200, box.updateItem(collection, id, objectField(body, 'patch'), { at: optionalNumber(body, 'at') }));
		case 'DELETE':
			if (!box.deleteItem(collection, id)) throw new GraphHttpError(404, 'NotFound', `No ${collection} item '${id}'.`);
			return noContent();
		default:
			throw new GraphHttpError(405, 'BadRequest', `Unsupported method ${method} for an item.`);
	}
}
