import type { Icon, ICredentialType, INodeProperties } from 'n8n-workflow';

import { APP_ONLY_GRANT, CLOUD_HOSTS } from '../nodes/Office365/shared/clouds';

/**
 * n8n evaluates these expressions when it starts the OAuth2 flow, fetches app-only tokens and refreshes tokens, so
 * the hosts follow the chosen cloud and tenant. Built from the same table the transport uses.
 */
function hostExpression(kind: 'graph' | 'login'): string {
	const hosts = JSON.stringify(Object.fromEntries(Object.entries(CLOUD_HOSTS).map(([cloud, entry]) => [cloud, entry[kind]])));
	const custom = kind === 'graph' ? 'graphApiBaseUrl' : 'loginBaseUrl';
	return `($self["cloud"] === "custom" ? String($self["${custom}"] || "").trim().replace(/\\/+$/, "") : ${hosts}[$self["cloud"] || "global"])`;
}

function oauthUrlExpression(endpoint: 'authorize' | 'token'): string {
	const tenant = `(String($self["tenantId"] || "").trim() || "common")`;
	return `={{ ${hostExpression('login')} + "/" + ${tenant} + "/oauth2/v2.0/${endpoint}" }}`;
}

const DEFAULT_SCOPES = 'openid offline_access User.Read Mail.Read Calendars.Read Contacts.Read';

/** App-only tokens carry the app's consented application permissions: the scope is always `{graph}/.default`. */
const SCOPE_EXPRESSION = `={{ $self["grantType"] === "${APP_ONLY_GRANT}" ? ${hostExpression('graph')} + "/.default" : (String($self["delegatedScopes"] || "").trim() || "${DEFAULT_SCOPES}") }}`;

export class Office365OAuth2Api implements ICredentialType {
	name = 'office365OAuth2Api';

	extends = ['oAuth2Api'];

	displayName = 'Office 365 OAuth2 API';

	icon: Icon = { light: 'file:../nodes/Office365/office365.svg', dark: 'file:../nodes/Office365/office365.dark.svg' };

	documentationUrl =
		'https://github.com/n8n-nodes-office365-events/n8n-nodes-office365-events#credential-setup-in-azure';

	properties: INodeProperties[] = [
		{
			displayName:
				'Register an app in Microsoft Entra ID (App registrations → New registration), or reuse the one you made for n8n\'s Microsoft credentials. Copy its Application (client) ID and a client secret below, and add the OAuth Redirect URL shown above as a "Web" redirect URI.',
			name: 'setupNotice',
			type: 'notice',
			default: '',
			displayOptions: { show: { grantType: ['authorizationCode'] } },
		},
		{
			displayName:
				'App-only access reads mailboxes without a signed-in user. In the app registration, add Microsoft Graph <b>Application</b> permissions (Mail.Read, Calendars.Read, Contacts.Read as needed; User.Read.All to pick mailboxes from a list) and grant admin consent. Enter your Directory (tenant) ID below. The trigger then needs a Mailbox (not "My Mailbox").',
			name: 'appOnlyNotice',
			type: 'notice',
			default: '',
			displayOptions: { show: { grantType: [APP_ONLY_GRANT] } },
		},
		{
			displayName: 'Grant Type',
			name: 'grantType',
			type: 'options',
			options: [
				{
					name: 'Authorization Code (Signed-In User)',
					value: 'authorizationCode',
					description: 'Delegated access: a user signs in and the trigger reads what that user may read',
				},
				{
					name: 'Client Credentials (App-Only)',
					value: APP_ONLY_GRANT,
					description: 'No user: the app reads the mailboxes its application permissions allow (service and shared mailboxes)',
				},
			],
			default: 'authorizationCode',
		},
		{
			displayName: 'Cloud',
			name: 'cloud',
			type: 'options',
			options: [
				{ name: 'Global (Microsoft 365)', value: 'global', description: 'graph.microsoft.com' },
				{ name: 'US Government L4 (GCC High)', value: 'usGov', description: 'graph.microsoft.us' },
				{ name: 'US Government L5 (DoD)', value: 'usGovDod', description: 'dod-graph.microsoft.us' },
				{ name: 'China (21Vianet)', value: 'china', description: 'microsoftgraph.chinacloudapi.cn' },
				{
					name: 'Custom',
					value: 'custom',
					description: 'Your own Graph and login base URLs (sovereign proxy, local Graph simulator)',
				},
			],
			default: 'global',
			description:
				'Microsoft cloud your tenant lives in. The app registration must be created in the same cloud.',
		},
		{
			displayName: 'Tenant ID',
			name: 'tenantId',
			type: 'string',
			default: 'common',
			placeholder: 'common, organizations, consumers, a Directory (tenant) ID or contoso.onmicrosoft.com',
			description:
				'"common" lets any work or personal account sign in (multi-tenant apps). For a single-tenant app, and always for app-only access, copy "Directory (tenant) ID" from the app\'s Overview page.',
		},
		{
			displayName: 'Graph API Base URL',
			name: 'graphApiBaseUrl',
			type: 'string',
			default: '',
			placeholder: 'https://graph.example.com',
			description: 'Microsoft Graph root without the version segment (the node adds /v1.0)',
			displayOptions: { show: { cloud: ['custom'] } },
			required: true,
		},
		{
			displayName: 'Login Base URL',
			name: 'loginBaseUrl',
			type: 'string',
			default: '',
			placeholder: 'https://login.example.com',
			description: 'Identity platform root; /{tenant}/oauth2/v2.0/authorize and /token are appended',
			displayOptions: { show: { cloud: ['custom'] } },
			required: true,
		},
		{
			displayName: 'Authorization URL',
			name: 'authUrl',
			type: 'hidden',
			default: oauthUrlExpression('authorize'),
		},
		{
			displayName: 'Access Token URL',
			name: 'accessTokenUrl',
			type: 'hidden',
			default: oauthUrlExpression('token'),
		},
		{
			displayName: 'Scope',
			name: 'delegatedScopes',
			type: 'string',
			default: DEFAULT_SCOPES,
			description:
				'Space-separated delegated permissions. Keep offline_access (refresh tokens). Shared mailboxes need Mail.Read.Shared (Calendars.Read.Shared, Contacts.Read.Shared). Add them under "API permissions" in the app registration too; use fully qualified names (https://graph.microsoft.us/Mail.Read) for national clouds.',
			displayOptions: { show: { grantType: ['authorizationCode'] } },
		},
		{
			displayName: 'Scope',
			name: 'scope',
			type: 'hidden',
			default: SCOPE_EXPRESSION,
		},
		{
			displayName: 'Auth URI Query Parameters',
			name: 'authQueryParameters',
			type: 'hidden',
			default: 'response_mode=query',
		},
		{
			displayName: 'Authentication',
			name: 'authentication',
			type: 'hidden',
			default: 'body',
		},
	];
}
