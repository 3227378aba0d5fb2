import type { INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { triggerHints, triggerProperties } from './actions/trigger/description';
import { pollTrigger } from './actions/trigger/poll';
import { getMailFolders } from './methods/loadOptions';
import { searchMailboxes, searchMailFolders } from './methods/listSearch';

/** Polls Microsoft Graph for changes; version 1 keeps the first release's behaviour (actions/trigger/description.ts). */
export class Office365Trigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Office 365 Trigger',
		name: 'office365Trigger',
		icon: { light: 'file:office365.svg', dark: 'file:office365.dark.svg' },
		group: ['trigger'],
		version: [1, 2],
		defaultVersion: 2,
		subtitle: '={{"Changes in " + $parameter["resource"]}}',
		description:
			'Starts the workflow when mail, calendar events, contacts or any Microsoft Graph collection change (Open Connectors-style polling events)',
		defaults: { name: 'Office 365 Trigger' },
		credentials: [{ name: 'office365OAuth2Api', required: true }],
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		properties: triggerProperties,
		hints: triggerHints,
	};

	methods = { loadOptions: { getMailFolders }, listSearch: { searchMailboxes, searchMailFolders } };

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return await pollTrigger.call(this);
	}
}
