/**
 * The two triggers under test, loaded as compiled JavaScript the way n8n loads them:
 * - ours from this package's dist/ (run `npm run build` first);
 * - the peer, n8n's Microsoft Outlook Trigger, from the n8n-nodes-base of the pinned n8n install
 *   (scripts/n8n/install.sh), not a copy.
 * Both run through the same PollContext (this package's n8n-core, the version that n8n uses).
 */
import path from 'node:path';

import type { ICredentialDataDecryptedObject, INodeExecutionData, INodeParameters, INodeType } from 'n8n-workflow';

import { simulatorCredential } from '../test/support/simulatorCredentials';
import type { PollNodeSetup } from './pollRunner';
import type { SimulatorInfo, Tokens } from './simulatorProcess';

export type TriggerName = 'ours' | 'peer';

/** One emitted item reduced to what the accounting needs. */
export interface EmittedEvent {
	id: string;
	/** CREATED / UPDATED for ours; the peer only announces received mail. */
	type: 'CREATED' | 'UPDATED' | 'RECEIVED';
}

/** How a workload configures the triggers. */
export interface TriggerVariant {
	/** Our trigger's Options collection. */
	options: Record<string, unknown>;
	/** Our trigger's version and parameters besides Options (default: version 1, messages, created and updated). */
	oursVersion?: number;
	oursParameters?: Record<string, unknown>;
	/** The peer's Output (default raw, the full record as ours hands on). */
	peerOutput?: 'raw' | 'simple';
}

export interface TriggerUnderTest {
	name: TriggerName;
	setup(sim: SimulatorInfo, tokens: Tokens, variant: TriggerVariant): PollNodeSetup;
	events(result: INodeExecutionData[][] | null): EmittedEvent[];
}

interface NodeModule {
	[exportName: string]: new () => INodeType;
}

function loadNodeType(file: string, exportName: string): INodeType {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const module = require(file) as NodeModule;
	const NodeClass = module[exportName];
	if (typeof NodeClass !== 'function') throw new Error(`${file} does not export ${exportName}`);
	return new NodeClass();
}

function oauthTokenData(tokens: Tokens): ICredentialDataDecryptedObject['oauthTokenData'] {
	return { token_type: 'Bearer', access_token: tokens.access_token, refresh_token: tokens.refresh_token, expires_in: tokens.expires_in };
}

export function ourTrigger(repoRoot: string): TriggerUnderTest {
	const nodeType = loadNodeType(path.join(repoRoot, 'dist/nodes/Office365/Office365Trigger.node.js'), 'Office365Trigger');
	return {
		name: 'ours',
		setup: (sim, tokens, variant) => ({
			nodeType,
			typeName: 'n8n-nodes-office365-events.office365Trigger',
			typeVersion: variant.oursVersion,
			parameters: { resource: 'messages', eventTypes: ['created', 'updated'], ...variant.oursParameters, options: variant.options } as INodeParameters,
			credentialType: 'office365OAuth2Api',
			// The credential's "Custom" cloud: Graph and login base URLs are fields of the credential.
			credential: simulatorCredential(sim, tokens),
		}),
		events: (result) =>
			(result?.[0] ?? []).map(({ json }) => ({ id: String(json.objectId), type: json.eventType as EmittedEvent['type'] })),
	};
}

/** Where scripts/n8n/install.sh puts n8n-nodes-base under N8N_HOME. */
export function peerNodeFile(n8nHome: string): string {
	return path.join(n8nHome, 'n8n/node_modules/n8n-nodes-base/dist/nodes/Microsoft/Outlook/MicrosoftOutlookTrigger.node.js');
}

/**
 * n8n's Microsoft Outlook Trigger. Its transport builds `${graphApiBaseUrl}/v1.0/me/messages` from
 * the credential's `graphApiBaseUrl` (an options field whose values are the national-cloud Graph
 * URLs; n8n hands the node the stored string), so the simulator's URL goes there: no code of the
 * peer is changed or copied. Output "raw" so both triggers hand on the same full Graph message, or "simple"
 * against ours' Simplify.
 */
export function peerTrigger(n8nHome: string): TriggerUnderTest {
	const nodeType = loadNodeType(peerNodeFile(n8nHome), 'MicrosoftOutlookTrigger');
	return {
		name: 'peer',
		setup: (sim, tokens, variant) => ({
			nodeType,
			typeName: 'n8n-nodes-base.microsoftOutlookTrigger',
			parameters: {
				authentication: 'microsoftOutlookOAuth2Api',
				event: 'messageReceived',
				output: variant.peerOutput ?? 'raw',
				filters: {},
				options: {},
			},
			credentialType: 'microsoftOutlookOAuth2Api',
			credential: {
				grantType: 'authorizationCode',
				clientCredentialType: 'clientSecret',
				authUrl: `${sim.loginBaseUrl}/common/oauth2/v2.0/authorize`,
				accessTokenUrl: `${sim.loginBaseUrl}/common/oauth2/v2.0/token`,
				clientId: 'bench-client',
				clientSecret: 'bench-secret',
				scope: 'openid offline_access Mail.ReadWrite',
				authQueryParameters: 'response_mode=query&prompt=select_account',
				authentication: 'body',
				graphApiBaseUrl: sim.baseUrl,
				useShared: false,
				userPrincipalName: '',
				oauthTokenData: oauthTokenData(tokens),
			},
		}),
		events: (result) => (result?.[0] ?? []).map(({ json }) => ({ id: String(json.id), type: 'RECEIVED' as const })),
	};
}
