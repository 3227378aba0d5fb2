import type {
	IDataObject,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { deltaFetcher, linkChecker, pageFetcher } from './actions/graphReads';
import { getMailFolders } from './methods/loadOptions';
import { DeltaCollectionGoneError, DeltaSyncLostError } from './trigger/deltaRound';
import { DateValueError, Office365ConfigError, RecordError } from './trigger/errors';
import type { StandardEvent } from './trigger/eventShape';
import { writeState } from './trigger/pollState';
import type { PollConfig, TriggerParameters } from './trigger/triggerConfig';
import { triggerProperties } from './trigger/triggerDescription';
import { buildTriggerPlan, type ResourcePlan } from './trigger/triggerPlan';
import { runTriggerPoll, sampleEvents } from './trigger/triggerPoll';
import { PagingError } from './trigger/windowReader';

/** n8n versions without a poll budget (1.x) give a poll this long before it is considered abandoned. */
const DEFAULT_POLL_BUDGET_MS = 5 * 60 * 1000;
/** Share of n8n's poll budget spent requesting pages; the rest is for the last answer and the hand-off. */
const READING_SHARE = 0.8;

/**
 * Polls in flight per workflow static data object: a poll started while another runs returns nothing, unless
 * the other has outlived n8n's poll budget (n8n gave up on it); a poll that was taken over stores nothing.
 */
const pollsInFlight = new WeakMap<object, { startedAt: number }>();

function toItems(events: StandardEvent[], output: PollConfig['output']): INodeExecutionData[] {
	return events.map((event) => ({ json: (output === 'raw' ? event.raw : event) as unknown as IDataObject }));
}

function readParameters(context: IPollFunctions): TriggerParameters {
	const configurationMode = context.getNodeParameter('configurationMode', 'fields') as 'fields' | 'json';
	const trackingMode = context.getNodeParameter('trackingMode', 'timestamp') as 'timestamp' | 'delta';
	const common = {
		configurationMode,
		trackingMode,
		eventTypes: context.getNodeParameter('eventTypes', trackingMode === 'timestamp' && configurationMode === 'fields' ? ['created', 'updated'] : ['created', 'updated', 'deleted']) as string[],
		options: context.getNodeParameter('options', {}) as TriggerParameters['options'],
	};
	if (configurationMode === 'json') return { ...common, pollerConfiguration: context.getNodeParameter('pollerConfiguration', '') };
	const resource = context.getNodeParameter('resource') as TriggerParameters['resource'];
	const custom = resource === 'custom';
	return {
		...common,
		resource,
		url: custom ? (context.getNodeParameter('url', '') as string) : undefined,
		idField: custom ? (context.getNodeParameter('idField', 'id') as string) : undefined,
		datesConfiguration: custom
			? (context.getNodeParameter('datesConfiguration', {}) as TriggerParameters['datesConfiguration'])
			: undefined,
	};
}

function toNodeError(context: IPollFunctions, error: unknown): Error {
	if (error instanceof Office365ConfigError) {
		return new NodeOperationError(context.getNode(), error.message, { description: error.hint });
	}
	if (error instanceof PagingError || error instanceof DeltaSyncLostError || error instanceof DeltaCollectionGoneError) {
		return new NodeOperationError(context.getNode(), error.message, {
			description: 'Nothing was emitted and the stored state did not move; the next poll reads the same window again.',
		});
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
		let plans: ResourcePlan[];
		try {
			plans = buildTriggerPlan(readParameters(this));
		} catch (error) {
			throw toNodeError(this, error);
		}
		const output = plans[0].config.output;
		const startedAt = Date.now();
		const budgetMs = this.getPollBudgetMs?.() ?? DEFAULT_POLL_BUDGET_MS;
		const fetchPage = pageFetcher(this, startedAt + budgetMs);
		const fetchDelta = deltaFetcher(this, startedAt + budgetMs);

		if (this.getMode() === 'manual') {
			const events: StandardEvent[] = [];
			try {
				for (const plan of plans) events.push(...(await sampleEvents(plan, fetchPage, fetchDelta, startedAt)));
			} catch (error) {
				throw toNodeError(this, error);
			}
			return events.length ? [toItems(events, output)] : null;
		}

		const staticData = this.getWorkflowStaticData('node');
		const running = pollsInFlight.get(staticData);
		if (running && startedAt - running.startedAt < budgetMs) return null;
		const ticket = { startedAt };
		pollsInFlight.set(staticData, ticket);
		try {
			let result;
			try {
				result = await runTriggerPoll({
					plans,
					staticData,
					fetchPage,
					fetchDelta,
					clock: Date.now,
					nowMs: startedAt,
					deadlineMs: startedAt + budgetMs * READING_SHARE,
					linkUsable: await linkChecker(this),
				});
			} catch (error) {
				// State untouched: the next poll reads the same window again.
				throw toNodeError(this, error);
			}
			for (const warning of result.warnings) this.logger.warn(`Office 365 Trigger "${this.getNode().name}": ${warning}`);
			// n8n gave up on this poll and a later one took over: that one owns the state.
			if (pollsInFlight.get(staticData) !== ticket) return null;
			writeState(staticData, result.trackers, result.folderListings);
			return result.events.length ? [toItems(result.events, output)] : null;
		} finally {
			if (pollsInFlight.get(staticData) === ticket) pollsInFlight.delete(staticData);
		}
	}
}
