/**
 * What the instant trigger's n8n entry points share: its parameters, Graph calls for the subscription modules,
 * log lines and items.
 */
import type { IDataObject, IHookFunctions, INodeExecutionData, ITriggerFunctions, IWebhookFunctions } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { buildInstantConfig, MAILBOX_RESOURCES, type InstantConfig, type InstantParameters, type InstantResource } from '../../instant/instantConfig';
import type { GraphCall } from '../../instant/subscriptions';
import type { StandardEvent } from '../../shared/standardEvent';
import { getGraphEndpoints, graphRequest } from '../../shared/transport';
import { toNodeError } from '../triggerErrors';

type InstantContext = IHookFunctions | ITriggerFunctions | IWebhookFunctions;

/** The node's parameters, validated for the credential's kind of access (app-only has no signed-in user). */
export async function readConfig(context: InstantContext): Promise<InstantConfig> {
	const { appOnly } = await getGraphEndpoints.call(context);
	const resource = context.getNodeParameter('resource') as string;
	try {
		return buildInstantConfig(
			{
				resource,
				mailbox: MAILBOX_RESOURCES.includes(resource as InstantResource) ? (context.getNodeParameter('mailbox', undefined) as InstantParameters['mailbox']) : undefined,
				folder: resource === 'messages' ? (context.getNodeParameter('folder', '') as InstantParameters['folder']) : undefined,
				drive: resource === 'driveItems' ? (context.getNodeParameter('drive', '') as string) : undefined,
				eventTypes: context.getNodeParameter('eventTypes', ['created', 'updated', 'deleted']) as string[],
				reconcileMinutes: context.getNodeParameter('reconcileMinutes', undefined) as InstantParameters['reconcileMinutes'],
			},
			{ appOnly },
		);
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
