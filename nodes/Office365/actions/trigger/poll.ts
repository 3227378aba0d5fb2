/**
 * The Office 365 Trigger's poll: reads the parameters, plans what to read, runs the poll engine (trigger/) within
 * n8n's poll budget, fetches attachments and stores the new state only after everything to emit is in hand.
 */
import type { INodeExecutionData, IPollFunctions } from 'n8n-workflow';

import { getGraphEndpoints } from '../../shared/transport';
import type { StandardEvent } from '../../shared/standardEvent';
import { writeState } from '../../trigger/pollState';
import type { TriggerParameters } from '../../trigger/triggerParameters';
import { buildTriggerPlan, type ResourcePlan } from '../../trigger/triggerPlan';
import { runTriggerPoll, sampleEvents } from '../../trigger/triggerPoll';
import { deltaFetcher, linkChecker, pageFetcher } from '../graphReads';
import { toNodeError } from '../triggerErrors';
import { fetchAttachments, folderIdFetcher, toItems } from './graph';

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

/**
 * One poll, kept in one function because the in-flight ticket, the poll budget and the final state write guard each
 * other: state is written only by the poll that still holds the ticket, after every item (attachments too) is ready.
 */
export async function pollTrigger(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	let plans: ResourcePlan[];
	try {
		const { appOnly } = await getGraphEndpoints.call(this);
		plans = buildTriggerPlan(readParameters(this), { appOnly });
	} catch (error) {
		throw toNodeError(this.getNode(), error);
	}
	// Items are shaped like the first resource's (Output, Simplify and attachments are node-wide settings).
	const shape = plans[0].config;
	const startedAt = Date.now();
	const budgetMs = this.getPollBudgetMs?.() ?? DEFAULT_POLL_BUDGET_MS;
	const deadlineMs = startedAt + budgetMs;
	const fetchPage = pageFetcher(this, deadlineMs);
	const fetchDelta = deltaFetcher(this, deadlineMs);
	const fetchFolderId = folderIdFetcher(this, deadlineMs);

	if (this.getMode() === 'manual') {
		try {
			const events: StandardEvent[] = [];
			for (const plan of plans) events.push(...(await sampleEvents(plan, fetchPage, fetchDelta, startedAt, fetchFolderId)));
			const attachments = await fetchAttachments(this, shape, events, deadlineMs);
			return events.length ? [toItems(events, shape, attachments)] : null;
		} catch (error) {
			throw toNodeError(this.getNode(), error);
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
				fetchFolderId,
			});
			// A poll that cannot fetch the attachments it was asked for emits nothing and stores nothing.
			items = toItems(result.events, shape, await fetchAttachments(this, shape, result.events, deadlineMs));
		} catch (error) {
			// State untouched: the next poll reads the same window again.
			throw toNodeError(this.getNode(), error);
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
