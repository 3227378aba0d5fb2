import {
	NodeConnectionTypes,
	type IHookFunctions,
	type INodeType,
	type INodeTypeDescription,
	type ITriggerFunctions,
	type ITriggerResponse,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { instantProperties } from './actions/instant/description';
import { checkSubscription, createSubscriptionForWebhook, deleteSubscriptions } from './actions/instant/subscribe';
import { runInstantTrigger } from './actions/instant/trigger';
import { receiveNotifications } from './actions/instant/webhook';
import { searchMailboxes, searchMailFolders } from './methods/listSearch';

/**
 * One node with both of n8n's trigger kinds: the webhook side (subscription lifecycle, Graph's POSTs) and a trigger()
 * that reads the changes. n8n registers both for the node; they meet in its static data and, within one process,
 * through the registry of running triggers (instant/liveTriggers.ts).
 */
export class Office365InstantTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Office 365 Instant Trigger',
		name: 'office365InstantTrigger',
		icon: { light: 'file:office365.svg', dark: 'file:office365.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{"Instant changes in " + $parameter["resource"]}}',
		description:
			'Starts the workflow within seconds when mail, calendar events or contacts change (Microsoft Graph change notifications, checked by regular reads)',
		defaults: { name: 'Office 365 Instant Trigger' },
		credentials: [{ name: 'office365OAuth2Api', required: true }],
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'graph' }],
		properties: instantProperties,
	};

	methods = { listSearch: { searchMailboxes, searchMailFolders } };

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return await checkSubscription.call(this);
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return await createSubscriptionForWebhook.call(this);
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return await deleteSubscriptions.call(this);
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await receiveNotifications.call(this);
	}

	async trigger(this: ITriggerFunctions): Promise<ITriggerResponse> {
		return await runInstantTrigger.call(this);
	}
}
