/**
 * What the instant trigger's n8n entry points share: its parameters, Graph calls for the subscription modules,
 * log lines and items.
 */
import type { IDataObject, IHookFunctions, INodeExecutionData, ITriggerFunctions, IWebhookFunctions } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { buildInstantConfig, type InstantConfig, type InstantParameters } from '../../instant/instantConfig';
import type { GraphCall } from '../../instant/subscriptions';
import type { StandardEvent } from '../../shared/standardEvent';
import { graphRequest } from '../../shared/transport';
import { toNodeError } from '../triggerErrors';

export type InstantContext = IHookFunctions | ITriggerFunctions | IWebhookFunctions;

export function readConfig(context: InstantContext): InstantConfig {
	try {
		return buildInstantConfig({
			resource: context.getNodeParameter('resource') as string,
			folder: context.getNodeParameter('folder', '') as string,
			drive: context.getNodeParameter('drive', '') as string,
			eventTypes: context.getNodeParameter('eventTypes', ['created', 'updated', 'deleted']) as string[],
			reconcileMinutes: context.getNodeParameter('reconcileMinutes', undefined) as InstantParameters['reconcileMinutes'],
		});
	} catch (error) {
		throw toNodeError(context.getNode(), error);
	}
}

/** Graph calls for the subscription modules: 404 is an answer (the subscription is gone), other failures throw. */
export function graphCall(context: InstantContext): GraphCall {
	return async ({ method, url, body }) => {
		try {
			const response = await graphRequest.call(context, { method, url, body: body as IDataObject | undefined });
			return { status: response.statusCode, body: response.body };
		} catch (error) {
			if (error instanceof NodeApiError && error.httpCode === '404') return { status: 404, body: {} };
			throw toNodeError(context.getNode(), error);
		}
	};
}

export function warnTo(context: InstantContext): (message: string) => void {
	return (message) => context.logger.warn(`Office 365 Instant Trigger "${context.getNode().name}": ${message}`);
}

export function toItems(events: StandardEvent[]): INodeExecutionData[] {
	return events.map((event) => ({ json: event as unknown as IDataObject }));
}
