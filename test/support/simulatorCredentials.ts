/**
 * Credentials for the project's Graph simulator, as n8n would hand them to a node after resolving defaults and
 * expressions: delegated (authorization code, with tokens the simulator issued) or app-only (client credentials).
 */
import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import { resolveGraphEndpoints } from '../../nodes/Office365/shared/clouds';

export interface SimulatorEndpoints {
	baseUrl: string;
	loginBaseUrl: string;
}

export interface TokenSet {
	access_token: string;
	refresh_token: string;
	expires_in?: number;
	token_type?: string;
}

/** Credential data as n8n would hand it to the node after resolving defaults and expressions. */
export function simulatorCredential(sim: SimulatorEndpoints, tokens: TokenSet): ICredentialDataDecryptedObject {
	const settings = { cloud: 'custom', tenantId: 'common', graphApiBaseUrl: sim.baseUrl, loginBaseUrl: sim.loginBaseUrl };
	const endpoints = resolveGraphEndpoints(settings);
	return {
		...settings,
		grantType: 'authorizationCode',
		authUrl: endpoints.authorizationUrl,
		accessTokenUrl: endpoints.tokenUrl,
		// The client the simulator's issueTokens() binds its refresh tokens to.
		clientId: 'graph-simulator-client',
		clientSecret: 'test-client-secret',
		scope: 'openid offline_access Mail.Read',
		authQueryParameters: 'response_mode=query',
		authentication: 'body',
		oauthTokenData: { token_type: 'Bearer', ...tokens } as unknown as IDataObject,
	};
}

/** An app-only credential (client-credentials grant) of a tenant, as n8n would hand it over before its first token. */
export function simulatorAppCredential(sim: SimulatorEndpoints, tenantId = 'contoso.example'): ICredentialDataDecryptedObject {
	const settings = { cloud: 'custom', tenantId, graphApiBaseUrl: sim.baseUrl, loginBaseUrl: sim.loginBaseUrl };
	const endpoints = resolveGraphEndpoints(settings);
	return {
		...settings,
		grantType: 'clientCredentials',
		accessTokenUrl: endpoints.tokenUrl,
		clientId: 'graph-simulator-app',
		clientSecret: 'test-app-secret',
		scope: `${sim.baseUrl}/.default`,
		authentication: 'body',
	};
}

