import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { office365EventSigningKeyTest } from './actions/forward/credentialTest';
import { forwardProperties } from './actions/forward/description';
import { executeForward } from './actions/forward/execute';

export class Office365EventForward implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Office 365 Event Forward',
		name: 'office365EventForward',
		icon: { light: 'file:office365.svg', dark: 'file:office365.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle:
			'={{ $parameter["batching"] === "perEvent" ? "One notification per event" : "Up to " + $parameter["batchSize"] + " events per notification" }}',
		description:
			'Deliver standardized Office 365 events to a callback URL the way Open Connectors did (same envelope, headers and signature)',
		defaults: { name: 'Office 365 Event Forward' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		credentials: [
			{
				name: 'office365EventSigningApi',
				required: true,
				displayOptions: { show: { signNotifications: [true] } },
				testedBy: 'office365EventSigningKeyTest',
			},
		],
		properties: forwardProperties,
	};

	methods = { credentialTest: { office365EventSigningKeyTest } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeForward.call(this);
	}
}
