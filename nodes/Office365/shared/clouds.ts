/**
 * Microsoft national clouds: where the identity platform and Microsoft Graph live for each.
 * Pure module: the credential's URL expressions and the transport both follow this table
 * (test/unit/credential.test.ts proves they agree).
 */

type Office365Cloud = 'global' | 'usGov' | 'usGovDod' | 'china' | 'custom';

interface CloudHosts {
	/** Graph root without version segment, e.g. https://graph.microsoft.com */
	graph: string;
	/** Identity platform root, e.g. https://login.microsoftonline.com */
	login: string;
}

export const CLOUD_HOSTS: Readonly<Record<Exclude<Office365Cloud, 'custom'>, CloudHosts>> = {
	global: { graph: 'https://graph.microsoft.com', login: 'https://login.microsoftonline.com' },
	usGov: { graph: 'https://graph.microsoft.us', login: 'https://login.microsoftonline.us' },
	usGovDod: { graph: 'https://dod-graph.microsoft.us', login: 'https://login.microsoftonline.us' },
	china: { graph: 'https://microsoftgraph.chinacloudapi.cn', login: 'https://login.chinacloudapi.cn' },
};

import { Office365ConfigError } from './configError';

const GRAPH_API_VERSION = 'v1.0';

/** The credential's grant type for app-only access (n8n's client-credentials flow). */
export const APP_ONLY_GRANT = 'clientCredentials';
/** Tenants that name no directory: a user's sign-in picks one, an app has none. */
const USER_ONLY_TENANTS = new Set(['common', 'organizations', 'consumers']);

/** The credential fields this module reads (a subset of the stored credential data). */
export interface CloudSettings {
	cloud?: unknown;
	tenantId?: unknown;
	graphApiBaseUrl?: unknown;
	loginBaseUrl?: unknown;
	grantType?: unknown;
	scope?: unknown;
}

export interface GraphEndpoints {
	cloud: Office365Cloud;
	/** Graph root without trailing slash, e.g. https://graph.microsoft.com */
	graphBaseUrl: string;
	/** Versioned API root every relative resource path hangs off, e.g. https://graph.microsoft.com/v1.0 */
	apiBaseUrl: string;
	loginBaseUrl: string;
	authorizationUrl: string;
	tokenUrl: string;
	/** Client-credentials grant: no signed-in user, so no `/me`. */
	appOnly: boolean;
}

/** URL parsing that reports failure as undefined instead of throwing. */
export function parseUrl(text: string): URL | undefined {
	try {
		return new URL(text);
	} catch {
		return undefined;
	}
}

const TENANT_PATTERN = /^[A-Za-z0-9][A-Za-z0-9.-]*$/;

/** Parses an absolute http(s) URL or throws an error naming the parameter and what would work. */
function assertHttpUrl(parameter: string, value: unknown): URL {
	const text = typeof value === 'string' ? value.trim() : '';
	const url = parseUrl(text);
	if (!url) {
		throw new Office365ConfigError(
			parameter,
			String(value ?? ''),
			'expected an absolute URL such as https://graph.example.com',
		);
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:') {
		throw new Office365ConfigError(parameter, text, 'only http:// and https:// URLs are supported');
	}
	if (url.search || url.hash || url.username || url.password) {
		throw new Office365ConfigError(
			parameter,
			text,
			'the base URL must not carry a query string, fragment or user info',
		);
	}
	return url;
}

function stripTrailingSlashes(url: URL): string {
	return url.toString().replace(/\/+$/, '');
}

function normalizeTenant(value: unknown): string {
	const tenant = typeof value === 'string' && value.trim() !== '' ? value.trim() : 'common';
	if (!TENANT_PATTERN.test(tenant)) {
		throw new Office365ConfigError(
			'Tenant ID',
			tenant,
			'use common, organizations, consumers, a directory (tenant) ID GUID or a verified domain such as contoso.onmicrosoft.com',
		);
	}
	return tenant;
}

/** Resolves every endpoint a credential implies; throws Office365ConfigError on bad input. */
export function resolveGraphEndpoints(settings: CloudSettings): GraphEndpoints {
	const cloud = (settings.cloud ?? 'global') as Office365Cloud;
	let hosts: CloudHosts;
	if (cloud === 'custom') {
		hosts = {
			graph: stripTrailingSlashes(assertHttpUrl('Graph API Base URL', settings.graphApiBaseUrl)),
			login: stripTrailingSlashes(assertHttpUrl('Login Base URL', settings.loginBaseUrl)),
		};
	} else if (Object.prototype.hasOwnProperty.call(CLOUD_HOSTS, cloud)) {
		hosts = CLOUD_HOSTS[cloud];
	} else {
		throw new Office365ConfigError(
			'Cloud',
			String(settings.cloud),
			`use one of ${[...Object.keys(CLOUD_HOSTS), 'custom'].join(', ')}`,
		);
	}
	const tenant = normalizeTenant(settings.tenantId);
	const appOnly = settings.grantType === APP_ONLY_GRANT;
	if (appOnly) checkAppOnly(tenant, settings.scope);
	return {
		cloud,
		graphBaseUrl: hosts.graph,
		apiBaseUrl: `${hosts.graph}/${GRAPH_API_VERSION}`,
		loginBaseUrl: hosts.login,
		authorizationUrl: `${hosts.login}/${tenant}/oauth2/v2.0/authorize`,
		tokenUrl: `${hosts.login}/${tenant}/oauth2/v2.0/token`,
		appOnly,
	};
}

/** App-only tokens come from one directory's token endpoint, for the resource's `/.default` scope. */
function checkAppOnly(tenant: string, scope: unknown): void {
	if (USER_ONLY_TENANTS.has(tenant.toLowerCase())) {
		throw new Office365ConfigError(
			'Tenant ID',
			tenant,
			'app-only access (Client Credentials) needs your Directory (tenant) ID or a verified domain such as contoso.onmicrosoft.com; common, organizations and consumers only work when a user signs in',
		);
	}
	if (typeof scope === 'string' && !/\/\.default$/.test(scope.trim())) {
		throw new Office365ConfigError(
			'Scope',
			scope,
			'app-only access uses the Graph resource\'s /.default scope, such as https://graph.microsoft.com/.default; create the credential again with Grant Type "Client Credentials"',
		);
	}
}
