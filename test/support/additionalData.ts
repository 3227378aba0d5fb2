/** The slice of n8n's per-execution data that node contexts read, outside a server. */
import type { IWorkflowExecuteAdditionalData } from 'n8n-workflow';

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
