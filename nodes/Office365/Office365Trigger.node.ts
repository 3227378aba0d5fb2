import type {
	IDataObject,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { getMailFolders } from './methods/loadOptions';
import { graphGet } from './shared/transport';
import { DateValueError, Office365ConfigError, RecordError } from './trigger/errors';
import type { StandardEvent } from './trigger/eventShape';
import { fetchNewestEvents, runPollCycle, type FetchPage } from './trigger/pollCycle';
import { readTracker, trackerKey, writeTracker } from './trigger/pollState';
import { buildPollConfig, type PollConfig, type TriggerParameters } from './trigger/triggerConfig';
import { triggerProperties } from './trigger/triggerDescription';

/** Polls in flight per workflow static data object: a poll started twice at once runs once. */
const pollsInFlight = new WeakSet<object>();

function toItems(events: StandardEvent[], output: PollConfig['output']): INodeExecutionData[] {
	return events.map((event) => ({ json: (output === 'raw' ? event.raw : event) as unknown as IDataObject }));
}

function readParameters(context: IPollFunctions): TriggerParameters {
	const resource = context.getNodeParameter('resource') as TriggerParameters['resource'];
	const custom = resource === 'custom';
	return {
		resource,
		url: custom ? (context.getNodeParameter('url', '') as string) : undefined,
		idField: custom ? (context.getNodeParameter('idField', 'id') as string) : undefined,
		datesConfiguration: custom
			? (context.getNodeParameter('datesConfiguration', {}) as TriggerParameters['datesConfiguration'])
			: undefined,
		eventTypes: context.getNodeParameter('eventTypes', ['created', 'updated']) as string[],
		options: context.getNodeParameter('options', {}) as TriggerParameters['options'],
	};
}

function pageFetcher(context: IPollFunctions): FetchPage {
	return async (request) => {
		const response = await graphGet.call(context, { url: request.url, qs: request.qs });
		const value = response.body.value;
		if (!Array.isArray(value)) {
			throw new NodeOperationError(
				context.getNode(),
				`The response of ${request.url.split('?')[0]} has no "value" array`,
				{ description: 'The URL must point at a collection (a list of records), such as /me/messages.' },
			);
		}
		const nextLink = response.body['@odata.nextLink'];
		const date = Date.parse(response.headers.date ?? '');
		return {
			records: value,
			nextLink: typeof nextLink === 'string' ? nextLink : undefined,
			serverTimeMs: Number.isNaN(date) ? undefined : date,
		};
	};
}

function toNodeError(context: IPollFunctions, error: unknown): Error {
	if (error instanceof Office365ConfigError) {
		return new NodeOperationError(context.getNode(), error.message, { description: error.hint });
	}
	if (error instanceof RecordError || error instanceof DateValueError) {
		return new NodeOperationError(context.getNode(), error.message, {
			description: 'Check ID Field and Dates Configuration against the records the URL returns. The watermark did not move.',
		});
	}
	if (error instanceof Error && 'node' in error) return error;
	return new NodeOperationError(context.getNode(), error as Error);
}

export class Office365Trigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Office 365 Trigger',
		name: 'office365Trigger',
		icon: { light: 'file:office365.svg', dark: 'file:office365.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{"Changes in " + $parameter["resource"]}}',
		description:
			'Starts the workflow when mail, calendar events, contacts or any Microsoft Graph collection change (Open Connectors-style polling events)',
		defaults: { name: 'Office 365 Trigger' },
		credentials: [{ name: 'office365OAuth2Api', required: true }],
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		properties: triggerProperties,
	};

	methods = { loadOptions: { getMailFolders } };

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		let config: PollConfig;
		try {
			config = buildPollConfig(readParameters(this));
		} catch (error) {
			throw toNodeError(this, error);
		}
		const fetchPage = pageFetcher(this);

		if (this.getMode() === 'manual') {
			// "Fetch Test Event": newest record, static data untouched.
			let events: StandardEvent[];
			try {
				events = await fetchNewestEvents(config, fetchPage, Date.now());
			} catch (error) {
				throw toNodeError(this, error);
			}
			return events.length ? [toItems(events, config.output)] : null;
		}

		const staticData = this.getWorkflowStaticData('node');
		if (pollsInFlight.has(staticData)) return null;
		pollsInFlight.add(staticData);
		try {
			const key = trackerKey(config.objectType, config.identity);
			let result;
			try {
				result = await runPollCycle(config, readTracker(staticData, key), fetchPage, Date.now());
			} catch (error) {
				// State untouched: the next poll reads the same window again.
				throw toNodeError(this, error);
			}
			writeTracker(staticData, key, result.tracker);
			return result.events.length ? [toItems(result.events, config.output)] : null;
		} finally {
			pollsInFlight.delete(staticData);
		}
	}
}
