/**
 * Office 365 Event Forward's execute(): check everything, build the notifications, deliver them one after
 * another. The envelope, delivery and URL rules live in forward/; this module turns them into n8n items and errors.
 */
import { sleep, type IDataObject, type IExecuteFunctions, type INodeExecutionData, type IPairedItemData } from 'n8n-workflow';

import { deliverNotification, describeDeliveryFailure, lastStatus, notificationRequest, resolveDeliveryPolicy } from '../../forward/delivery';
import {
	OPEN_CONNECTORS_BATCH_SIZE,
	buildNotifications,
	checkBatchSize,
	checkWebhookIdMode,
	normalizeInstanceId,
	normalizeInstanceName,
	type ForwardInput,
	type Notification,
	type WebhookIdMode,
} from '../../forward/envelope';
import { describeUrl, validateCallbackUrl, validateExtraHeaders } from '../../forward/url';
import { Office365ConfigError } from '../../shared/configError';
import { apiError, operationError } from '../../shared/nodeErrors';
import type { RetryPolicy } from '../../shared/retryPolicy';
import { sendPost } from '../../shared/transport';

interface ForwardSettings {
	batchSize: number;
	instanceId: string | number | null;
	instanceName: string | null;
	sign: boolean;
	webhookIdMode: WebhookIdMode;
	extraHeaders: Record<string, string>;
	policy: RetryPolicy;
}

/** Node-level settings, read once (expressions are evaluated for the first item). */
function readSettings(context: IExecuteFunctions): ForwardSettings {
	const batching = context.getNodeParameter('batching', 0, 'batch') as string;
	const batchSize =
		batching === 'perEvent' ? 1 : (context.getNodeParameter('batchSize', 0, OPEN_CONNECTORS_BATCH_SIZE) as number);
	const options = context.getNodeParameter('options', 0, {}) as IDataObject;
	const headerRows = ((options.headers as IDataObject | undefined)?.header ?? []) as Array<{ name?: unknown; value?: unknown }>;
	return {
		batchSize: checkBatchSize(batchSize),
		instanceId: normalizeInstanceId(context.getNodeParameter('instanceId', 0, '')),
		instanceName: normalizeInstanceName(context.getNodeParameter('instanceName', 0, '')),
		sign: context.getNodeParameter('signNotifications', 0, false) as boolean,
		webhookIdMode: checkWebhookIdMode(options.webhookIdMode),
		extraHeaders: validateExtraHeaders(headerRows),
		policy: resolveDeliveryPolicy({
			maxAttempts: options.maxAttempts,
			attemptTimeoutMs: options.timeout,
			initialDelayMs: options.initialRetryDelay,
			maxDelayMs: options.maxRetryDelay,
			maxTotalTimeMs: options.maxTotalTime,
		}),
	};
}

function errorText(error: unknown): { message: string; description?: string } {
	if (error instanceof Office365ConfigError) {
		return { message: error.message, description: `Parameter: ${error.parameter}` };
	}
	return { message: error instanceof Error ? error.message : String(error) };
}

const pairedItems = (indexes: readonly number[]): IPairedItemData[] => indexes.map((item) => ({ item }));

/** Every item's callback URL, checked before anything is sent; bad ones become error items or stop the run. */
function collectInputs(context: IExecuteFunctions, items: INodeExecutionData[], output: INodeExecutionData[]): ForwardInput[] {
	const inputs: ForwardInput[] = [];
	for (let index = 0; index < items.length; index++) {
		try {
			const url = validateCallbackUrl(context.getNodeParameter('url', index));
			inputs.push({ index, json: items[index].json, url: url.toString() });
		} catch (error) {
			const { message, description } = errorText(error);
			if (!context.continueOnFail()) throw operationError(context.getNode(), message, { itemIndex: index, description });
			output.push({ json: { error: message }, pairedItem: { item: index } });
		}
	}
	return inputs;
}

/** The notifications; items that are not standardized events become error items or stop the run (nothing sent). */
function buildAll(context: IExecuteFunctions, inputs: ForwardInput[], settings: ForwardSettings, output: INodeExecutionData[]): Notification[] {
	let built: ReturnType<typeof buildNotifications>;
	try {
		built = buildNotifications(inputs, settings);
	} catch (error) {
		const { message, description } = errorText(error);
		throw operationError(context.getNode(), message, { itemIndex: 0, description });
	}
	if (built.rejected.length > 0 && !context.continueOnFail()) {
		const [first, ...others] = built.rejected;
		const more =
			others.length === 0
				? ''
				: ` ${others.length} more item(s) are invalid: ${others
						.slice(0, 5)
						.map((item) => `${item.index} (${[...item.missing, ...item.invalid].join(', ')})`)
						.join('; ')}${others.length > 5 ? '; …' : ''}.`;
		throw operationError(context.getNode(), first.message, {
			itemIndex: first.index,
			description: `Each input item must be one standardized event { eventType, objectType, objectId, elementKey, date, raw }, as emitted by the Office 365 Trigger. Nothing was sent.${more}`,
		});
	}
	for (const rejected of built.rejected) {
		output.push({ json: { error: rejected.message, missing: rejected.missing, invalid: rejected.invalid }, pairedItem: { item: rejected.index } });
	}
	return built.notifications;
}

/** Delivers the notifications one after another; a final failure becomes an item or stops the run. */
async function deliverAll(
	context: IExecuteFunctions,
	notifications: Notification[],
	settings: ForwardSettings,
	output: INodeExecutionData[],
): Promise<void> {
	const cancelSignal = context.getExecutionCancelSignal();
	const wait = async (ms: number) => await sleep(ms, cancelSignal);
	for (let position = 0; position < notifications.length; position++) {
		const notification = notifications[position];
		const request = notificationRequest(notification, settings);
		const result = await deliverNotification(async (attempt) => await sendPost(context, request, attempt), wait, settings.policy);
		const displayUrl = describeUrl(new URL(notification.url));
		const summary: IDataObject = {
			url: displayUrl,
			webhookId: notification.webhookId,
			eventId: notification.eventId,
			elementKey: notification.elementKey,
			objectType: notification.objectType,
			eventCount: notification.itemIndexes.length,
			objectIds: notification.envelope.message.events.map((event) => event.objectId),
			attempts: result.attempts,
			statusCode: lastStatus(result) ?? null,
			durationMs: result.durationMs,
		};
		if (result.ok) {
			output.push({ json: { delivered: true, ...summary }, pairedItem: pairedItems(notification.itemIndexes) });
			continue;
		}
		const failure = describeDeliveryFailure(result, displayUrl, settings.policy);
		if (context.continueOnFail()) {
			output.push({
				json: { delivered: false, error: failure.message, errorDescription: failure.description, ...summary },
				pairedItem: pairedItems(notification.itemIndexes),
			});
			continue;
		}
		const before =
			position === 0
				? ''
				: ` ${position} of ${notifications.length} notifications were delivered before this one; a re-run sends them again with the same Elements-Webhook-Id unless Webhook ID is "Random per Run".`;
		throw apiError(context.getNode(), failure.message, {
			description: `${failure.description}${before}`,
			httpCode: summary.statusCode === null ? undefined : String(summary.statusCode),
			itemIndex: notification.itemIndexes[0],
		});
	}
}

export async function executeForward(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const output: INodeExecutionData[] = [];
	if (items.length === 0) return [output];
	let settings: ForwardSettings;
	try {
		settings = readSettings(this);
	} catch (error) {
		const { message, description } = errorText(error);
		if (!this.continueOnFail()) throw operationError(this.getNode(), message, { itemIndex: 0, description });
		return [items.map((_, index) => ({ json: { error: message }, pairedItem: { item: index } }))];
	}
	const notifications = buildAll(this, collectInputs(this, items, output), settings, output);
	await deliverAll(this, notifications, settings, output);
	return [output];
}
