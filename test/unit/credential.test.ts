import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { NodeHelpers, Workflow, type ICredentialDataDecryptedObject, type INodeTypes } from 'n8n-workflow';

import { Office365OAuth2Api } from '../../credentials/Office365OAuth2Api.credentials';
import { CLOUD_HOSTS, resolveGraphEndpoints, type CloudSettings } from '../../nodes/Office365/shared/clouds';
import { Office365ConfigError } from '../../nodes/Office365/shared/configError';

const credential = new Office365OAuth2Api();
const property = (name: string) => {
	const found = credential.properties.find((p) => p.name === name);
	assert.ok(found, `credential property ${name}`);
	return found;
};

/** Evaluates a credential expression the way n8n does: through Workflow.expression with $self. */
function evaluate(expression: string, self: Record<string, unknown>): unknown {
	const nodeTypes = { getByName: () => undefined, getByNameAndVersion: () => undefined, getKnownTypes: () => ({}) };
	const workflow = new Workflow({
		nodes: [],
		connections: {},
		active: false,
		nodeTypes: nodeTypes as unknown as INodeTypes,
	});
	return workflow.expression.getParameterValue(expression, null, 0, 0, '', [], 'internal', {}, undefined, false, self);
}

const expected: Record<string, { graph: string; login: string }> = {
	global: { graph: 'https://graph.microsoft.com', login: 'https://login.microsoftonline.com' },
	usGov: { graph: 'https://graph.microsoft.us', login: 'https://login.microsoftonline.us' },
	usGovDod: { graph: 'https://dod-graph.microsoft.us', login: 'https://login.microsoftonline.us' },
	china: { graph: 'https://microsoftgraph.chinacloudapi.cn', login: 'https://login.chinacloudapi.cn' },
};
const tenants = ['common', 'organizations', 'consumers', '72f988bf-86f1-41af-91ab-2d7cd011db47', 'contoso.onmicrosoft.com'];

describe('Office 365 OAuth2 API credential', () => {
	it('is an authorization-code OAuth2 credential with the n8n naming rules', () => {
		assert.equal(credential.name, 'office365OAuth2Api');
		assert.equal(credential.displayName, 'Office 365 OAuth2 API');
		assert.deepEqual(credential.extends, ['oAuth2Api']);
		assert.equal(property('grantType').default, 'authorizationCode');
		assert.equal(property('authQueryParameters').default, 'response_mode=query');
		assert.equal(property('tenantId').default, 'common');
		assert.equal(property('delegatedScopes').default, 'openid offline_access User.Read Mail.Read Calendars.Read Contacts.Read');
		assert.deepEqual((property('grantType').options as Array<{ value: string }>).map((o) => o.value), ['authorizationCode', 'clientCredentials']);
		assert.deepEqual(
			(property('cloud').options as Array<{ value: string }>).map((o) => o.value),
			['global', 'usGov', 'usGovDod', 'china', 'custom'],
		);
	});

	for (const [cloud, hosts] of Object.entries(expected)) {
		for (const tenant of tenants) {
			it(`derives ${cloud} URLs for tenant ${tenant} in the credential and the transport alike`, () => {
				const self = { cloud, tenantId: tenant };
				const authUrl = `${hosts.login}/${tenant}/oauth2/v2.0/authorize`;
				const tokenUrl = `${hosts.login}/${tenant}/oauth2/v2.0/token`;
				assert.equal(evaluate(property('authUrl').default as string, self), authUrl);
				assert.equal(evaluate(property('accessTokenUrl').default as string, self), tokenUrl);
				const endpoints = resolveGraphEndpoints(self);
				assert.equal(endpoints.authorizationUrl, authUrl);
				assert.equal(endpoints.tokenUrl, tokenUrl);
				assert.equal(endpoints.graphBaseUrl, hosts.graph);
				assert.equal(endpoints.apiBaseUrl, `${hosts.graph}/v1.0`);
			});
		}
	}

	it('falls back to the common tenant when the tenant is blank', () => {
		const self = { cloud: 'global', tenantId: '  ' };
		assert.equal(
			evaluate(property('authUrl').default as string, self),
			'https://login.microsoftonline.com/common/oauth2/v2.0/authorize',
		);
		assert.equal(resolveGraphEndpoints(self).tokenUrl, 'https://login.microsoftonline.com/common/oauth2/v2.0/token');
	});

	it('uses custom base URLs (trailing slashes trimmed) for sovereign proxies and the simulator', () => {
		const self = {
			cloud: 'custom',
			tenantId: 'contoso.com',
			graphApiBaseUrl: 'http://127.0.0.1:4100/',
			loginBaseUrl: 'http://127.0.0.1:4100/login/',
		};
		assert.equal(
			evaluate(property('accessTokenUrl').default as string, self),
			'http://127.0.0.1:4100/login/contoso.com/oauth2/v2.0/token',
		);
		const endpoints = resolveGraphEndpoints(self);
		assert.equal(endpoints.apiBaseUrl, 'http://127.0.0.1:4100/v1.0');
		assert.equal(endpoints.tokenUrl, 'http://127.0.0.1:4100/login/contoso.com/oauth2/v2.0/token');
	});

	const badCustom: Array<[string, CloudSettings, RegExp]> = [
		['a non-http scheme', { cloud: 'custom', graphApiBaseUrl: 'ftp://graph.example.com', loginBaseUrl: 'https://l.example.com' }, /Graph API Base URL "ftp:\/\/graph\.example\.com": only http:\/\/ and https:\/\//],
		['a malformed URL', { cloud: 'custom', graphApiBaseUrl: 'https://g.example.com', loginBaseUrl: 'not a url' }, /Login Base URL "not a url": expected an absolute URL/],
		['an empty URL', { cloud: 'custom', graphApiBaseUrl: '', loginBaseUrl: 'https://l.example.com' }, /Graph API Base URL: expected an absolute URL/],
		['a query string', { cloud: 'custom', graphApiBaseUrl: 'https://g.example.com/?x=1', loginBaseUrl: 'https://l.example.com' }, /must not carry a query string/],
		['an unknown cloud', { cloud: 'mars' }, /Cloud "mars": use one of global, usGov, usGovDod, china, custom/],
		['a tenant with a slash', { cloud: 'global', tenantId: 'common/../evil' }, /Tenant ID "common\/..\/evil"/],
	];
	for (const [what, settings, message] of badCustom) {
		it(`rejects ${what} with an error naming the field and the value`, () => {
			assert.throws(
				() => resolveGraphEndpoints(settings),
				(error: unknown) => error instanceof Office365ConfigError && message.test(error.message),
			);
		});
	}

	/** What n8n hands a node: stored data with defaults for the displayed fields, expressions resolved with $self. */
	function resolved(data: Record<string, unknown>): ICredentialDataDecryptedObject {
		const withDefaults = NodeHelpers.getNodeParameters(credential.properties, data as never, true, false, null, null) as Record<string, unknown>;
		const out: Record<string, unknown> = {};
		for (const [name, value] of Object.entries(withDefaults)) {
			out[name] = typeof value === 'string' && value.startsWith('=') ? evaluate(value, withDefaults) : value;
		}
		return out as ICredentialDataDecryptedObject;
	}

	it('asks a signed-in user for the delegated scopes; an app for {graph}/.default of its cloud', () => {
		assert.equal(resolved({}).scope, 'openid offline_access User.Read Mail.Read Calendars.Read Contacts.Read');
		assert.equal(resolved({ delegatedScopes: 'offline_access Mail.Read.Shared' }).scope, 'offline_access Mail.Read.Shared');
		for (const [cloud, hosts] of Object.entries(expected)) {
			const data = resolved({ grantType: 'clientCredentials', cloud, tenantId: 'contoso.onmicrosoft.com', delegatedScopes: 'Mail.Read' });
			assert.equal(data.scope, `${hosts.graph}/.default`, cloud);
			assert.equal(data.delegatedScopes, undefined, 'the delegated scopes field is not shown for app-only access');
			assert.equal(data.accessTokenUrl, `${hosts.login}/contoso.onmicrosoft.com/oauth2/v2.0/token`);
			assert.equal(resolveGraphEndpoints(data).appOnly, true);
		}
		const custom = resolved({ grantType: 'clientCredentials', cloud: 'custom', graphApiBaseUrl: 'http://127.0.0.1:4100/ ', loginBaseUrl: 'http://127.0.0.1:4100/login', tenantId: 'contoso.example' });
		assert.equal(custom.scope, 'http://127.0.0.1:4100/.default');
		assert.equal(resolveGraphEndpoints(resolved({})).appOnly, false);
	});

	const badAppOnly: Array<[string, Record<string, unknown>, RegExp]> = [
		['the common tenant', { tenantId: 'common' }, /Tenant ID "common": app-only access \(Client Credentials\) needs your Directory \(tenant\) ID/],
		['the organizations tenant', { tenantId: 'Organizations' }, /Tenant ID "Organizations"/],
		['a blank tenant (common)', { tenantId: ' ' }, /Tenant ID "common"/],
		['a delegated scope kept from before', { tenantId: 'contoso.example', scope: 'openid Mail.Read' }, /Scope "openid Mail.Read": app-only access uses .*\/\.default/],
	];
	for (const [what, settings, message] of badAppOnly) {
		it(`refuses app-only access with ${what}, naming the field and what works`, () => {
			assert.throws(
				() => resolveGraphEndpoints({ cloud: 'global', grantType: 'clientCredentials', ...settings }),
				(error: unknown) => error instanceof Office365ConfigError && message.test(error.message),
			);
		});
	}

	it('covers every cloud of the table', () => {
		assert.deepEqual(Object.keys(CLOUD_HOSTS).sort(), Object.keys(expected).sort());
	});
});
