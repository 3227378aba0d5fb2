import type { INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { deltaFetcher, linkChecker, pageFetcher } from './actions/graphReads';
import { fetchAttachments, folderIdFetcher, toItems } from './actions/triggerGraph';
import { getMailFolders } from './methods/loadOptions';
import { searchMailboxes, searchMailFolders } from './methods/listSearch';
import { getGraphEndpoints } from './shared/transport';
import { DeltaCollectionGoneError, DeltaSyncLostError } from './trigger/deltaRound';
import { DateValueError, Office365ConfigError, RecordError } from './trigger/errors';
import type { StandardEvent } from './trigger/eventShape';
import { writeState } from './trigger/pollState';
import type { TriggerParameters } from './trigger/triggerConfig';
import { triggerHints, triggerProperties } from './trigger/triggerDescription';
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
	const version = context.getNode().typeVersion;
	// Version 2 parameters exist (with n8n's defaults) only where the description shows them.
	const preset = version >= 2 && (resource === 'messages' || resource === 'events' || resource === 'contacts');
	const mailScope = version >= 2 && resource === 'messages' && trackingMode === 'timestamp';
	const folderFilter = mailScope ? (context.getNodeParameter('folderFilter') as TriggerParameters['folderFilter']) : undefined;
	return {
		...common,
		version,
		resource,
		mailbox: preset ? (context.getNodeParameter('mailbox') as TriggerParameters['mailbox']) : undefined,
		folderFilter,
		foldersToInclude:
			folderFilter === 'include' ? (context.getNodeParameter('foldersToInclude', {}) as TriggerParameters['foldersToInclude']) : undefined,
		foldersToExclude:
			folderFilter === 'exclude' ? (context.getNodeParameter('foldersToExclude', {}) as TriggerParameters['foldersToExclude']) : undefined,
		filters: mailScope ? (context.getNodeParameter('filters', {}) as TriggerParameters['filters']) : undefined,
		simplify: preset ? (context.getNodeParameter('simplify') as boolean) : undefined,
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
		let plans: ResourcePlan[];
		try {
			const { appOnly } = await getGraphEndpoints.call(this);
			plans = buildTriggerPlan(readParameters(this), { appOnly });
		} catch (error) {
			throw toNodeError(this, error);
		}
		// Items are shaped like the first resource's (Output, Simplify and attachments are node-wide settings).
		const shape = plans[0].config;
		const startedAt = Date.now();
		const budgetMs = this.getPollBudgetMs?.() ?? DEFAULT_POLL_BUDGET_MS;
		const deadlineMs = startedAt + budgetMs;
		const fetchPage = pageFetcher(this, deadlineMs);
		const fetchDelta = deltaFetcher(this, deadlineMs);

		if (this.getMode() === 'manual') {
			try {
				const events: StandardEvent[] = [];
				for (const plan of plans) events.push(...(await sampleEvents(plan, fetchPage, fetchDelta, startedAt, folderIdFetcher(this, deadlineMs))));
				const attachments = await fetchAttachments(this, shape, events, deadlineMs);
				return events.length ? [toItems(events, shape, attachments)] : null;
			} catch (error) {
				throw toNodeError(this, error);
			}
		}

		const staticData = this.getWorkflowStaticData('node');
		const running = pollsInFlight.get(staticData);
		if (running && startedAt - running.startedAt < budgetMs) return null;
		const ticket = { startedAt };
		pollsInFlight.set(staticData, ticket);
		try {
			let result;
			let items: INodeExecutionData[];
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
					fetchFolderId: folderIdFetcher(this, deadlineMs),
				});
				// A poll that cannot fetch the attachments it was asked for emits nothing and stores nothing.
				items = toItems(result.events, shape, await fetchAttachments(this, shape, result.events, deadlineMs));
			} catch (error) {
				// State untouched: the next poll reads the same window again.
				throw toNodeError(this, error);
			}
			for (const warning of result.warnings) this.logger.warn(`Office 365 Trigger "${this.getNode().name}": ${warning}`);
			// n8n gave up on this poll and a later one took over: that one owns the state.
			if (pollsInFlight.get(staticData) !== ticket) return null;
			writeState(staticData, result.trackers, result.folderListings);
			return items.length ? [items] : null;
		} finally {
			if (pollsInFlight.get(staticData) === ticket) pollsInFlight.delete(staticData);
		}
	}
}
