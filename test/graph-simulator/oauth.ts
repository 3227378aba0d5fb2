// Microsoft identity platform v2 endpoints (authorize + token) and access-token validation for /v1.0.
// Behaviour follows Entra ID where it matters to a client: codes are single-use and bound to redirect_uri (and
// PKCE when used), refresh tokens rotate on every use (old ones stay valid, as in Entra), a refresh token is only
// issued when `offline_access` was requested, and token errors use AADSTS-style bodies.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Grant } from './access';
import { permissionName } from './access';
import { sendJson } from './httpUtil';

export interface TokenSet {
	access_token: string;
	refresh_token: string;
	expires_in: number;
	token_type: 'Bearer';
	scope: string;
}

export type TokenCheck = 'ok' | 'missing' | 'malformed' | 'expired';

interface Refusal {
	status: number;
	error: string;
	code: number;
	suberror?: string;
	/** Grant types the identity platform refuses for this reason. */
	grants: readonly string[];
	text: (clientId: string, tenant: string) => string;
}

const ALL_GRANTS = ['authorization_code', 'refresh_token', 'client_credentials'] as const;

/**
 * How Entra ID refuses token requests that a client cannot fix by retrying: status, `error`, AADSTS code and
 * wording as the identity platform sends them (learn.microsoft.com/entra/identity-platform/reference-error-codes).
 */
export const TOKEN_REFUSALS = {
	clientSecretExpired: {
		status: 401,
		error: 'invalid_client',
		code: 7000222,
		grants: ALL_GRANTS,
		text: (clientId) =>
			`The provided client secret keys for app '${clientId}' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds.`,
	},
	clientSecretInvalid: {
		status: 401,
		error: 'invalid_client',
		code: 7000215,
		grants: ALL_GRANTS,
		text: (clientId) =>
			`Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
	},
	refreshTokenExpired: {
		status: 400,
		error: 'invalid_grant',
		code: 70008,
		grants: ['refresh_token'],
		text: () =>
			'The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.',
	},
	grantRevoked: {
		status: 400,
		error: 'invalid_grant',
		code: 50173,
		grants: ['refresh_token'],
		text: () =>
			"The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password. The grant was issued on '2026-01-05T09:12:44.0000000Z' and the TokensValidFrom date (before which tokens are not valid) for this user is '2026-03-02T16:40:10.0000000Z'.",
	},
	consentRequired: {
		status: 400,
		error: 'invalid_grant',
		code: 65001,
		suberror: 'consent_required',
		grants: ['refresh_token'],
		text: (clientId) =>
			`The user or administrator has not consented to use the application with ID '${clientId}' named 'n8n'. Send an interactive authorization request for this user and resource.`,
	},
	applicationNotFound: {
		status: 400,
		error: 'unauthorized_client',
		code: 700016,
		grants: ALL_GRANTS,
		text: (clientId, tenant) =>
			`Application with identifier '${clientId}' was not found in the directory '${tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
	},
} satisfies Record<string, Refusal>;

export type TokenRefusal = keyof typeof TOKEN_REFUSALS;

const ACCESS_TOKEN_SECONDS = 3599;
const CODE_LIFETIME_MS = 10 * 60_000;
const DEFAULT_SCOPE = 'offline_access User.Read Mail.Read Calendars.Read Contacts.Read';
const OIDC_SCOPES = new Set(['openid', 'profile', 'email', 'offline_access']);

interface AuthCode {
	clientId: string;
	redirectUri: string;
	scope: string;
	expiresAt: number;
	codeChallenge?: string;
	codeChallengeMethod?: string;
}

function b64url(data: string | Buffer): string {
	return Buffer.from(data).toString('base64url');
}

/** Entra returns Graph scopes fully qualified and drops the OIDC ones from `scope`. */
function grantedScope(requested: string): string {
	return requested
		.split(/\s+/)
		.filter((s) => s !== '' && !OIDC_SCOPES.has(s.toLowerCase()))
		.map((s) => (/^https?:\/\//i.test(s) ? s : `https://graph.microsoft.com/${s}`))
		.join(' ');
}

export class OAuthService {
	/** POSTs to the token endpoint (any outcome). */
	tokenRequests = 0;
	/** While set, the token endpoint refuses the grants this reason covers, as Entra ID does. */
	refusal: TokenRefusal | undefined;
	private readonly accessTokens = new Map<string, { expiresAt: number; grant: Grant }>();
	private readonly refreshTokens = new Map<string, { scope: string; clientId?: string }>();
	private readonly codes = new Map<string, AuthCode>();

	/** Client-credentials tokens: how many were issued. */
	appTokensIssued = 0;

	constructor(
		private readonly now: () => number,
		private readonly userId: () => string,
		/** Application permissions an admin consented to for the app (what client-credentials tokens carry). */
		private readonly appRoles: () => readonly string[],
	) {}

	/** JWT-looking opaque token (clients sometimes split on '.', so keep that shape). */
	private newAccessToken(grant: Grant, claims: Record<string, unknown>): string {
		const header = b64url(JSON.stringify({ typ: 'JWT', alg: 'RS256', kid: 'graph-simulator' }));
		const payload = b64url(JSON.stringify({ aud: 'https://graph.microsoft.com', ...claims, jti: randomUUID() }));
		const token = `${header}.${payload}.${b64url(randomBytes(32))}`;
		this.accessTokens.set(token, { expiresAt: this.now() + ACCESS_TOKEN_SECONDS * 1000, grant });
		return token;
	}

	/** `clientId` binds the refresh token to that client (as Entra does); undefined = any client may redeem it. */
	issue(requestedScope = DEFAULT_SCOPE, clientId?: string, withRefresh = true): TokenSet {
		const scope = grantedScope(requestedScope);
		const refresh = withRefresh ? `0.A${b64url(randomBytes(96))}` : '';
		if (withRefresh) this.refreshTokens.set(refresh, { scope: requestedScope, clientId });
		const grant: Grant = { kind: 'delegated', userId: this.userId(), scopes: new Set(scope.split(' ').filter(Boolean).map(permissionName)) };
		const accessToken = this.newAccessToken(grant, { oid: this.userId(), scp: scope });
		return { access_token: accessToken, refresh_token: refresh, expires_in: ACCESS_TOKEN_SECONDS, token_type: 'Bearer', scope };
	}

	/** An app-only token: the app's consented roles, no user, no refresh token. */
	issueAppToken(clientId: string): TokenSet {
		this.appTokensIssued += 1;
		const roles = [...this.appRoles()];
		const grant: Grant = { kind: 'app', clientId, roles: new Set(roles.map(permissionName)) };
		const accessToken = this.newAccessToken(grant, { appid: clientId, roles });
		return { access_token: accessToken, refresh_token: '', expires_in: ACCESS_TOKEN_SECONDS, token_type: 'Bearer', scope: '' };
	}

	check(authorization: string | undefined): TokenCheck {
		const token = this.tokenOf(authorization);
		if (token === 'missing' || token === 'malformed') return token;
		return this.now() < token.expiresAt ? 'ok' : 'expired';
	}

	/** Who a valid token speaks for (call after check() said 'ok'). */
	grantOf(authorization: string | undefined): Grant {
		const token = this.tokenOf(authorization);
		if (typeof token === 'string') throw new Error('grantOf() needs a valid token');
		return token.grant;
	}

	private tokenOf(authorization: string | undefined): { expiresAt: number; grant: Grant } | 'missing' | 'malformed' {
		const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
		if (m === null) return 'missing';
		return this.accessTokens.get(m[1]) ?? 'malformed';
	}

	/** Every access token issued so far stops working; refresh tokens keep working. */
	expireAccessTokens(): void {
		for (const token of this.accessTokens.values()) token.expiresAt = Number.NEGATIVE_INFINITY;
	}

	reset(): void {
		this.accessTokens.clear();
		this.refreshTokens.clear();
		this.codes.clear();
	}

	/** GET /login/{tenant}/oauth2/v2.0/authorize → 302 to redirect_uri with code and state (consent is implied). */
	authorize(url: URL, res: ServerResponse): void {
		const q = url.searchParams;
		const clientId = q.get('client_id') ?? '';
		const redirectUri = q.get('redirect_uri') ?? '';
		const missing = ['client_id', 'redirect_uri', 'response_type', 'scope'].filter((p) => (q.get(p) ?? '') === '');
		if (missing.length > 0) {
			aadError(res, 400, 'invalid_request', 900144, `The request body must contain the following parameter: '${missing[0]}'.`);
			return;
		}
		if (q.get('response_type') !== 'code') {
			aadError(res, 400, 'unsupported_response_type', 700054, "response_type 'code' is the only one the simulator supports.");
			return;
		}
		let target: URL;
		try {
			target = new URL(redirectUri);
		} catch {
			aadError(res, 400, 'invalid_request', 50011, `The redirect URI '${redirectUri}' is not a valid absolute URL.`);
			return;
		}
		const code = `1.A${b64url(randomBytes(48))}`;
		this.codes.set(code, {
			clientId,
			redirectUri,
			scope: q.get('scope') ?? '',
			expiresAt: this.now() + CODE_LIFETIME_MS,
			codeChallenge: q.get('code_challenge') ?? undefined,
			codeChallengeMethod: q.get('code_challenge_method') ?? undefined,
		});
		target.searchParams.set('code', code);
		const state = q.get('state');
		if (state !== null) target.searchParams.set('state', state);
		target.searchParams.set('session_state', randomUUID());
		res.writeHead(302, { Location: target.toString(), 'Content-Length': 0 });
		res.end();
	}

	/** POST /login/{tenant}/oauth2/v2.0/token (form-encoded; client credentials in the body or Basic auth). */
	token(req: IncomingMessage, rawBody: string, res: ServerResponse, tenant: string): void {
		this.tokenRequests += 1;
		const form = new URLSearchParams(rawBody);
		let clientId = form.get('client_id') ?? '';
		let clientSecret = form.get('client_secret') ?? '';
		const basic = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? '');
		if (basic !== null) {
			const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
			const colon = decoded.indexOf(':');
			clientId = safeDecode(decoded.slice(0, Math.max(0, colon)));
			clientSecret = colon < 0 ? '' : safeDecode(decoded.slice(colon + 1));
		}
		if (clientId === '') {
			aadError(res, 400, 'invalid_request', 900144, "The request body must contain the following parameter: 'client_id'.");
			return;
		}
		const grantType = form.get('grant_type') ?? '';
		if (clientSecret === '' && grantType !== '') {
			aadError(res, 401, 'invalid_client', 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
			return;
		}
		const refusal = this.refusal === undefined ? undefined : (TOKEN_REFUSALS[this.refusal] as Refusal);
		if (refusal !== undefined && refusal.grants.includes(grantType)) {
			aadError(res, refusal.status, refusal.error, refusal.code, refusal.text(clientId, tenant), refusal.suberror);
			return;
		}
		switch (grantType) {
			case 'authorization_code':
				this.redeemCode(form, clientId, res);
				return;
			case 'refresh_token': {
				const old = this.refreshTokens.get(form.get('refresh_token') ?? '');
				if (old === undefined || (old.clientId !== undefined && old.clientId !== clientId)) {
					aadError(res, 400, 'invalid_grant', 9002313, 'Invalid request. Request is malformed or invalid.');
					return;
				}
				sendTokens(res, this.issue(form.get('scope') ?? old.scope, old.clientId ?? clientId, true));
				return;
			}
			case 'client_credentials': {
				// Entra: app-only tokens carry the app's consented roles; the scope must name the resource's /.default.
				const scope = form.get('scope') ?? '';
				if (!/^\S+\/\.default$/.test(scope.trim())) {
					aadError(
						res,
						400,
						'invalid_scope',
						1002012,
						`The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
					);
					return;
				}
				sendTokens(res, this.issueAppToken(clientId));
				return;
			}
			case '':
				aadError(res, 400, 'invalid_request', 900144, "The request body must contain the following parameter: 'grant_type'.");
				return;
			default:
				aadError(res, 400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grantType}'.`);
		}
	}

	private redeemCode(form: URLSearchParams, clientId: string, res: ServerResponse): void {
		const codeText = form.get('code') ?? '';
		const code = this.codes.get(codeText);
		this.codes.delete(codeText); // single use, even when the redemption fails
		if (code === undefined || code.expiresAt <= this.now()) {
			aadError(res, 400, 'invalid_grant', 70008, 'The provided authorization code or refresh token has expired due to inactivity, or was already redeemed.');
			return;
		}
		if (code.clientId !== clientId) {
			aadError(res, 400, 'invalid_grant', 70002, 'The authorization code was issued to a different client.');
			return;
		}
		if ((form.get('redirect_uri') ?? '') !== code.redirectUri) {
			aadError(res, 400, 'invalid_grant', 50148, 'The redirect_uri does not match the one used in the authorization request.');
			return;
		}
		if (code.codeChallenge !== undefined) {
			const verifier = form.get('code_verifier') ?? '';
			const expected = code.codeChallengeMethod === 'S256' ? createHash('sha256').update(verifier).digest('base64url') : verifier;
			if (expected !== code.codeChallenge) {
				aadError(res, 400, 'invalid_grant', 501481, 'The Code_Verifier does not match the code_challenge supplied in the authorization request.');
				return;
			}
		}
		const wantsRefresh = code.scope.split(/\s+/).some((s) => s.toLowerCase() === 'offline_access');
		sendTokens(res, this.issue(code.scope, clientId, wantsRefresh));
	}
}

/** RFC 6749 says Basic credentials are form-encoded; tolerate clients that skip that. */
function safeDecode(text: string): string {
	try {
		return decodeURIComponent(text.replace(/\+/g, ' '));
	} catch {
		return text;
	}
}

function sendTokens(res: ServerResponse, tokens: TokenSet): void {
	// App-only answers carry no scope (the roles are in the token).
	const body: Record<string, unknown> = { token_type: tokens.token_type };
	if (tokens.scope !== '') body.scope = tokens.scope;
	Object.assign(body, { expires_in: tokens.expires_in, ext_expires_in: tokens.expires_in, access_token: tokens.access_token });
	if (tokens.refresh_token !== '') body.refresh_token = tokens.refresh_token;
	sendJson(res, 200, body, { 'Cache-Control': 'no-store', Pragma: 'no-cache' });
}

function aadError(res: ServerResponse, status: number, error: string, code: number, text: string, suberror?: string): void {
	const traceId = randomUUID();
	const correlationId = randomUUID();
	const timestamp = `${new Date().toISOString().replace('T', ' ').slice(0, 19)}Z`;
	const body: Record<string, unknown> = {
		error,
		error_description: `AADSTS${code}: ${text} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
		error_codes: [code],
		timestamp,
		trace_id: traceId,
		correlation_id: correlationId,
		error_uri: `https://login.microsoftonline.com/error?code=${code}`,
	};
	if (suberror !== undefined) body.suberror = suberror;
	sendJson(res, status, body, { 'Cache-Control': 'no-store', Pragma: 'no-cache' });
}
