// Workflow and credential payloads for the Office 365 Trigger → Office 365 Event Forward flow,
// shared by the e2e test, the browser test (screenshot) and the demo.
import type { WorkflowDefinition } from './client';
import { CREDENTIAL_TYPE, FORWARD_NODE_TYPE, TRIGGER_NODE_TYPE } from './harness';

export const SIGNING_CREDENTIAL_TYPE = 'office365EventSigningApi';
export const TRIGGER_NAME = 'Office 365 Trigger';
export const FORWARD_NAME = 'Office 365 Event Forward';

export interface GraphEndpoints {
	/** Graph root without /v1.0 (the simulator's baseUrl). */
	graphApiBaseUrl: string;
	/** Identity platform root (the simulator's loginBaseUrl). */
	loginBaseUrl: string;
}

export const TEST_CLIENT = { clientId: 'e2e-client-id', clientSecret: 'e2e-client-secret' };
export const TEST_SCOPE = 'openid offline_access User.Read Mail.Read Calendars.Read Contacts.Read';

/** Data of an `office365OAuth2Api` credential pointing at a custom (simulated) cloud. */
export function oauthCredentialData(endpoints: GraphEndpoints, tokens?: Record<string, unknown>): Record<string, unknown> {
	const data: Record<string, unknown> = {
		cloud: 'custom',
		graphApiBaseUrl: endpoints.graphApiBaseUrl,
		loginBaseUrl: endpoints.loginBaseUrl,
		tenantId: 'common',
		clientId: TEST_CLIENT.clientId,
		clientSecret: TEST_CLIENT.clientSecret,
		delegatedScopes: TEST_SCOPE,
	};
	if (tokens) data.oauthTokenData = tokens;
	return data;
}

export interface FlowOptions {
	name?: string;
	oauthCredential: { id: string; name: string };
	/** Signing credential; without it notifications are sent unsigned. */
	signingCredential?: { id: string; name: string };
	callbackUrl: string;
	resource?: 'messages' | 'events' | 'contacts' | 'driveItems';
	/** Default: created and updated (files: also deleted). */
	eventTypes?: string[];
	/** Trigger options collection (pollDelay, maxEventsPerPoll, ...). */
	triggerOptions?: Record<string, unknown>;
	/** Forward options collection (maxAttempts, timeout, ...). */
	forwardOptions?: Record<string, unknown>;
}

/** Office 365 Trigger (every minute) → Office 365 Event Forward (callback URL, optional signature). */
export function eventForwardWorkflow(options: FlowOptions): WorkflowDefinition {
	const forwardCredentials: Record<string, unknown> = {};
	if (options.signingCredential) forwardCredentials[SIGNING_CREDENTIAL_TYPE] = options.signingCredential;
	return {
		name: options.name ?? 'Office 365 events → callback',
		nodes: [
			{
				id: 'b6f0e1a2-5f51-4f0e-9a33-0f1e2d3c4b5a',
				name: TRIGGER_NAME,
				type: TRIGGER_NODE_TYPE,
				typeVersion: 1,
				position: [240, 300],
				parameters: {
					pollTimes: { item: [{ mode: 'everyMinute' }] },
					resource: options.resource ?? 'messages',
					eventTypes: options.eventTypes ?? (options.resource === 'driveItems' ? ['created', 'updated', 'deleted'] : ['created', 'updated']),
					options: options.triggerOptions ?? {},
				},
				credentials: { [CREDENTIAL_TYPE]: options.oauthCredential },
			},
			{
				id: 'c7a1f2b3-6062-4a1f-8b44-1a2f3e4d5c6b',
				name: FORWARD_NAME,
				type: FORWARD_NODE_TYPE,
				typeVersion: 1,
				position: [520, 300],
				parameters: {
					url: options.callbackUrl,
					batching: 'batch',
					batchSize: 10,
					signNotifications: options.signingCredential !== undefined,
					options: options.forwardOptions ?? {},
				},
				...(options.signingCredential ? { credentials: forwardCredentials } : {}),
			},
		],
		connections: {
			[TRIGGER_NAME]: { main: [[{ node: FORWARD_NAME, type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1', saveDataSuccessExecution: 'all', saveDataErrorExecution: 'all', saveManualExecutions: true },
	};
}
