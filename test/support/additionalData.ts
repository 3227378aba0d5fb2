/** The slice of n8n's per-execution data that node contexts read, outside a server. */
import './n8nUserFolder';
import type { ICredentialDataDecryptedObject, ICredentialType, IHttpRequestOptions, IWorkflowExecuteAdditionalData } from 'n8n-workflow';

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

/**
 * n8n's credentials helper over one stored credential, as its credential store behaves: `parents` maps credential
 * types to their ancestors (the OAuth2 credential extends oAuth2Api), a type with an authenticate function (the
 * signing credential) is applied the way n8n applies it, and refreshed OAuth2 tokens are kept in `holder`.
 */
export function testCredentialsHelper(
	holder: CredentialHolder,
	options: { parents?: Record<string, string[]>; types?: Record<string, ICredentialType> } = {},
): object {
	const { parents = {}, types = {} } = options;
	return {
		isCredentialUsableByNode: () => true,
		getParentTypes: (type: string) => parents[type] ?? [],
		getDecrypted: async () => structuredClone(holder.credential),
		runPreAuthentication: async () => undefined,
		preAuthentication: async () => undefined,
		authenticate: async (credentials: ICredentialDataDecryptedObject, type: string, request: IHttpRequestOptions) => {
			const authenticate = types[type]?.authenticate;
			return typeof authenticate === 'function' ? await authenticate(credentials, request) : request;
		},
		updateCredentialsOauthTokenData: async (_node: unknown, _type: string, data: ICredentialDataDecryptedObject) => {
			holder.tokenUpdates++;
			holder.credential = { ...holder.credential, oauthTokenData: data.oauthTokenData };
		},
		updateCredentials: async () => undefined,
		getCredentialsProperties: (type: string) => types[type]?.properties ?? [],
	};
}
