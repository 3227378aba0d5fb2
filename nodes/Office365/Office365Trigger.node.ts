import type { INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { getMailFolders } from './methods/loadOptions';
import { searchMailboxes, searchMailFolders } from './methods/listSearch';
import { getGraphEndpoints, graphGet } from './shared/transport';
import { fetchAttachments, folderIdFetcher, retryPolicyUntil, toItems } from './triggerGraph';
import { DateValueError, Office365ConfigError, RecordError } from './trigger/errors';
import { resolveFolderKeys } from './trigger/mailFolders';
import { fetchNewestEvents, runPollCycle } from './trigger/pollCycle';
import { readTracker, trackerKey, writeTracker } from './trigger/pollState';
import { CLOCK_SKEW_MARGIN_MS } from './trigger/serverClock';
import { buildPollConfig, type PollConfig, type TriggerParameters } from './trigger/triggerConfig';
import { triggerHints, triggerProperties } from './trigger/triggerDescription';
import { PagingError, type FetchPage } from './trigger/windowReader';

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
	const resource = context.getNodeParameter('resource') as TriggerParameters['resource'];
	const custom = resource === 'custom';
	const version = context.getNode().typeVersion;
	// Version 2 parameters exist (with n8n's defaults) only where the description shows them.
	const preset = version >= 2 && !custom;
	const messages = version >= 2 && resource === 'messages';
	const folderFilter = messages ? (context.getNodeParameter('folderFilter') as TriggerParameters['folderFilter']) : undefined;
	return {
		version,
		resource,
		mailbox: preset ? (context.getNodeParameter('mailbox') as TriggerParameters['mailbox']) : undefined,
		folderFilter,
		foldersToInclude:
			folderFilter === 'include' ? (context.getNodeParameter('foldersToInclude', {}) as TriggerParameters['foldersToInclude']) : undefined,
		foldersToExclude:
			folderFilter === 'exclude' ? (context.getNodeParameter('foldersToExclude', {}) as TriggerParameters['foldersToExclude']) : undefined,
		filters: messages ? (context.getNodeParameter('filters', {}) as TriggerParameters['filters']) : undefined,
		simplify: preset ? (context.getNodeParameter('simplify') as boolean) : undefined,
		url: custom ? (context.getNodeParameter('url', '') as string) : undefined,
		idField: custom ? (context.getNodeParameter('idField', 'id') as string) : undefined,
		datesConfiguration: custom
			? (context.getNodeParameter('datesConfiguration', {}) as TriggerParameters['datesConfiguration'])
			: undefined,
		eventTypes: context.getNodeParameter('eventTypes', ['created', 'updated']) as string[],
		options: context.getNodeParameter('options', {}) as TriggerParameters['options'],
	};
}

function pageFetcher(context: IPollFunctions, deadlineMs: number): FetchPage {
	return async (request) => {
		const response = await graphGet.call(context, { url: request.url, qs: request.qs, retryPolicy: retryPolicyUntil(deadlineMs) });
		const value = response.body.value;
		if (!Array.isArray(value)) {
			throw new NodeOperationError(
				context.getNode(),
				`The response of ${request.url.split('?')[0]} has no "value" array`,
				{ description: 'The URL must point at a collection (a list of records), such as /me/messages.' },
			);
		}
		const nextLink = response.body['@odata.nextLink'];
		const count = response.body['@odata.count'];
		const date = Date.parse(response.headers.date ?? '');
		return {
			records: value,
			nextLink: typeof nextLink === 'string' ? nextLink : undefined,
			count: typeof count === 'number' ? count : undefined,
			serverTimeMs: Number.isNaN(date) ? undefined : date,
		};
	};
}

function toNodeError(context: IPollFunctions, error: unknown): Error {
	if (error instanceof Office365ConfigError) {
		return new NodeOperationError(context.getNode(), error.message, { description: error.hint });
	}
	if (error instanceof PagingError) {
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
		let config: PollConfig;
		try {
			const { appOnly } = await getGraphEndpoints.call(this);
			config = buildPollConfig(readParameters(this), { appOnly });
		} catch (error) {
			throw toNodeError(this, error);
		}
		const startedAt = Date.now();
		const budgetMs = this.getPollBudgetMs?.() ?? DEFAULT_POLL_BUDGET_MS;
		const deadlineMs = startedAt + budgetMs;
		const fetchPage = pageFetcher(this, deadlineMs);

		if (this.getMode() === 'manual') {
			// "Fetch Test Event": the newest record, shaped like a poll's items; static data untouched.
			try {
				const folderKeys = await resolveFolderKeys(config.folderNames, undefined, folderIdFetcher(this, config, deadlineMs));
				const events = await fetchNewestEvents(config, fetchPage, startedAt, 1, folderKeys);
				const attachments = await fetchAttachments(this, config, events, deadlineMs);
				return events.length ? [toItems(events, config, attachments)] : null;
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
			const key = trackerKey(config.objectType, config.collection);
			const stored = readTracker(staticData, key, config.objectType, startedAt + CLOCK_SKEW_MARGIN_MS);
			if (stored.problem) {
				this.logger.warn(`Office 365 Trigger "${this.getNode().name}": ${stored.problem}. It was replaced: the trigger starts afresh from now, as on activation.`);
			}
			let result;
			let items: INodeExecutionData[];
			try {
				const folderKeys = await resolveFolderKeys(config.folderNames, stored.tracker?.folderKeys, folderIdFetcher(this, config, deadlineMs));
				result = await runPollCycle({
					config,
					previous: stored.tracker,
					fetchPage,
					clock: Date.now,
					nowMs: startedAt,
					deadlineMs: startedAt + budgetMs * READING_SHARE,
					folderKeys,
				});
				// A poll that cannot fetch the attachments it was asked for emits nothing and stores nothing.
				items = toItems(result.events, config, await fetchAttachments(this, config, result.events, deadlineMs));
			} catch (error) {
				// State untouched: the next poll reads the same window again.
				throw toNodeError(this, error);
			}
			for (const warning of result.warnings) this.logger.warn(`Office 365 Trigger "${this.getNode().name}": ${warning}`);
			// n8n gave up on this poll and a later one took over: that one owns the state.
			if (pollsInFlight.get(staticData) !== ticket) return null;
			writeTracker(staticData, key, result.tracker);
			return items.length ? [items] : null;
		} finally {
			if (pollsInFlight.get(staticData) === ticket) pollsInFlight.delete(staticData);
		}
	}
}
