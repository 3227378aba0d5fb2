/** The slice of n8n's per-execution data that node contexts read, outside a server. */
import './n8nUserFolder';
import type { ICredentialDataDecryptedObject, IWorkflowExecuteAdditionalData } from 'n8n-workflow';

export function testAdditionalData(credentialsHelper: object, executionId?: string): IWorkflowExecuteAdditionalData {
	return {
		credentialsHelper,
		currentNodeParameters: undefined,
		executionId,
		restApiUrl: 'http://127.0.0.1/rest',
		instanceBaseUrl: 'http://127.0.0.1/',
		webhookBaseUrl: 'http://127.0.0.1/webhook',
		webhookTestBaseUrl: 'http://127.0.0.1/webhook-test',
		webhookWaitingBaseUrl: 'http://127.0.0.1/webhook-waiting',
		formWaitingBaseUrl: 'http://127.0.0.1/form-waiting',
		variables: {},
		userId: 'user-1',
	} as unknown as IWorkflowExecuteAdditionalData;
}

/** A stored credential as n8n's credential store would hand it out, keeping refreshed OAuth2 tokens. */
export interface CredentialHolder {
	credential: ICredentialDataDecryptedObject;
	tokenUpdates: number;
}

/** n8n's credentials helper for one OAuth2 credential: `parents` maps credential types to their ancestors. */
export function oauthCredentialsHelper(holder: CredentialHolder, parents: Record<string, string[]>): object {
	return {
		isCredentialUsableByNode: () => true,
		getParentTypes: (type: string) => parents[type] ?? [],
		getDecrypted: async () => structuredClone(holder.credential),
		runPreAuthentication: async () => undefined,
		preAuthentication: async () => undefined,
		authenticate: async (_credentials: unknown, _type: string, options: unknown) => options,
		updateCredentialsOauthTokenData: async (_node: unknown, _type: string, data: ICredentialDataDecryptedObject) => {
			holder.tokenUpdates++;
			holder.credential = { ...holder.credential, oauthTokenData: data.oauthTokenData };
		},
		updateCredentials: async () => undefined,
		getCredentialsProperties: () => [],
	};
}
