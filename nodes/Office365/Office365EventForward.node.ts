import {
	NodeApiError,
	NodeConnectionTypes,
	NodeOperationError,
	sleep,
	type ICredentialTestFunctions,
	type ICredentialsDecrypted,
	type IDataObject,
	type IExecuteFunctions,
	type INodeCredentialTestResult,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IPairedItemData,
	type JsonObject,
} from 'n8n-workflow';

import {
	deliverNotification,
	describeDeliveryFailure,
	lastStatus,
	notificationRequest,
	resolveDeliveryPolicy,
} from './forward/delivery';
import {
	MAX_BATCH_SIZE,
	OPEN_CONNECTORS_BATCH_SIZE,
	buildNotifications,
	checkBatchSize,
	checkWebhookIdMode,
	normalizeInstanceId,
	normalizeInstanceName,
	type ForwardInput,
	type WebhookIdMode,
} from './forward/envelope';
import { checkSigningKey } from './forward/signature';
import { describeUrl, validateCallbackUrl, validateExtraHeaders } from './forward/url';
import { Office365ConfigError } from './shared/configError';
import type { RetryPolicy } from './shared/retryPolicy';
import { sendPost } from './shared/transport';


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
		batching === 'perEvent'
			? 1
			: (context.getNodeParameter('batchSize', 0, OPEN_CONNECTORS_BATCH_SIZE) as number);
	const options = context.getNodeParameter('options', 0, {}) as IDataObject;
	const headerRows = ((options.headers as IDataObject | undefined)?.header ?? []) as Array<{
		name?: unknown;
		value?: unknown;
	}>;
	const webhookIdMode = checkWebhookIdMode(options.webhookIdMode);
	return {
		batchSize: checkBatchSize(batchSize),
		instanceId: normalizeInstanceId(context.getNodeParameter('instanceId', 0, '')),
		instanceName: normalizeInstanceName(context.getNodeParameter('instanceName', 0, '')),
		sign: context.getNodeParameter('signNotifications', 0, false) as boolean,
		webhookIdMode,
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

/**
 * n8n's NodeError replaces a message that merely contains a Node error code (ECONNREFUSED, EPERM…)
 * with a generic sentence; a URL, a host name or a response body can contain such a code by chance.
 * The messages built here already say what happened, so they are pinned after construction.
 */
function pinMessage<T extends NodeApiError | NodeOperationError>(error: T, message: string): T {
	error.message = message;
	return error;
}

function pairedItems(indexes: readonly number[]): IPairedItemData[] {
	return indexes.map((item) => ({ item }));
}

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
		defaults: {
			name: 'Office 365 Event Forward',
		},
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		credentials: [
			{
				// Literal (not SIGNING_CREDENTIAL): the lint rules read this array statically.
				name: 'office365EventSigningApi',
				required: true,
				displayOptions: { show: { signNotifications: [true] } },
				testedBy: 'office365EventSigningKeyTest',
			},
		],
		properties: [
			{
				displayName: 'Callback URL',
				name: 'url',
				type: 'string',
				default: '',
				required: true,
				placeholder: 'https://example.com/office365/events',
				description:
					'Where notifications are POSTed (the event notification callback URL of an Open Connectors instance). http:// or https:// only; evaluated per item, items with different URLs never share a notification.',
			},
			{
				displayName: 'Notifications',
				name: 'batching',
				type: 'options',
				options: [
					{
						name: 'Batch Events',
						value: 'batch',
						description:
							'Up to Batch Size events of one object type per notification, like Open Connectors',
					},
					{
						name: 'One Notification per Event',
						value: 'perEvent',
					},
				],
				default: 'batch',
			},
			{
				displayName: 'Batch Size',
				name: 'batchSize',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: MAX_BATCH_SIZE, numberPrecision: 0 },
				default: OPEN_CONNECTORS_BATCH_SIZE,
				description:
					'Maximum events per notification. Open Connectors sent up to 10 for polling events.',
				displayOptions: { show: { batching: ['batch'] } },
			},
			{
				displayName: 'Instance ID',
				name: 'instanceId',
				type: 'string',
				default: '={{ $workflow.id }}',
				description:
					'Sent as message.instanceId. Enter your former Open Connectors instance ID to keep receivers that route on it working; digits only are sent as a number, empty as null.',
			},
			{
				displayName: 'Instance Name',
				name: 'instanceName',
				type: 'string',
				default: '={{ $workflow.name }}',
				description: 'Sent as message.instanceName (empty is sent as null)',
			},
			{
				displayName: 'Sign Notifications',
				name: 'signNotifications',
				type: 'boolean',
				default: false,
				description:
					'Whether to add Elements-Webhook-Signature: sha256=&lt;base64 HMAC-SHA256 of the body&gt;, computed with the key stored in the selected credential (Open Connectors: event.notification.signature.key). Recommended, so the receiver can reject forged notifications.',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add option',
				default: {},
				options: [
					{
						displayName: 'Extra Headers',
						name: 'headers',
						type: 'fixedCollection',
						typeOptions: { multipleValues: true },
						default: {},
						placeholder: 'Add header',
						description:
							'Additional request headers. They are stored as plain workflow parameters, so do not put secrets here. Content-Type, Elements-Webhook-ID and Elements-Webhook-Signature cannot be overridden.',
						options: [
							{
								displayName: 'Header',
								name: 'header',
								values: [
									{
										displayName: 'Name',
										name: 'name',
										type: 'string',
										default: '',
									},
									{
										displayName: 'Value',
										name: 'value',
										type: 'string',
										default: '',
									},
								],
							},
						],
					},
					{
						displayName: 'Initial Retry Delay (Ms)',
						name: 'initialRetryDelay',
						type: 'number',
						typeOptions: { minValue: 0, numberPrecision: 0 },
						default: 1000,
						description:
							'Wait before the first retry; doubles on every further retry (with a little random jitter). A Retry-After header from the receiver takes precedence.',
					},
					{
						displayName: 'Max Attempts',
						name: 'maxAttempts',
						type: 'number',
						typeOptions: { minValue: 1, maxValue: 20, numberPrecision: 0 },
						default: 5,
						description:
							'Attempts per notification, the first one included. Network errors, timeouts, 408, 429 and 5xx are retried; other 4xx and 3xx are not.',
					},
					{
						displayName: 'Max Retry Delay (Ms)',
						name: 'maxRetryDelay',
						type: 'number',
						typeOptions: { minValue: 0, numberPrecision: 0 },
						default: 30000,
						description: 'Upper bound of one back-off wait (a Retry-After header is honoured beyond it)',
					},
					{
						displayName: 'Max Total Time (Ms)',
						name: 'maxTotalTime',
						type: 'number',
						typeOptions: { minValue: 1, numberPrecision: 0 },
						default: 60000,
						description:
							'Time budget per notification, attempts and waits together. No retry is started that would not fit; a Retry-After beyond it fails the delivery at once.',
					},
					{
						displayName: 'Timeout (Ms)',
						name: 'timeout',
						type: 'number',
						typeOptions: { minValue: 1, numberPrecision: 0 },
						default: 10000,
						description: 'How long to wait for the receiver on each attempt',
					},
					{
						displayName: 'Webhook ID',
						name: 'webhookIdMode',
						type: 'options',
						options: [
							{
								name: 'Derived From Events',
								value: 'derived',
								description:
									'Same events give the same Elements-Webhook-ID, also when n8n re-runs the node, so receivers can drop duplicates',
							},
							{
								name: 'Random per Run',
								value: 'random',
								description:
									'A new ID per notification and run (still identical across the retries of one delivery); use it to force a replay',
							},
						],
						default: 'derived',
					},
				],
			},
		],
	};

	methods = {
		credentialTest: {
			async office365EventSigningKeyTest(
				this: ICredentialTestFunctions,
				credential: ICredentialsDecrypted,
			): Promise<INodeCredentialTestResult> {
				const check = checkSigningKey(credential.data?.signingKey);
				return { status: check.ok ? 'OK' : 'Error', message: check.message };
			},
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const output: INodeExecutionData[] = [];
		if (items.length === 0) return [output];
		const node = this.getNode();
		const continueOnFail = this.continueOnFail();

		let settings: ForwardSettings;
		try {
			settings = readSettings(this);
		} catch (error) {
			const { message, description } = errorText(error);
			if (!continueOnFail) {
				throw pinMessage(new NodeOperationError(node, message, { itemIndex: 0, description }), message);
			}
			return [items.map((_, index) => ({ json: { error: message }, pairedItem: { item: index } }))];
		}

		// 1. Everything is checked before the first request: URLs, then the event shape.
		const inputs: ForwardInput[] = [];
		for (let index = 0; index < items.length; index++) {
			try {
				const url = validateCallbackUrl(this.getNodeParameter('url', index));
				inputs.push({ index, json: items[index].json, url: url.toString() });
			} catch (error) {
				const { message, description } = errorText(error);
				if (!continueOnFail) {
					throw pinMessage(new NodeOperationError(node, message, { itemIndex: index, description }), message);
				}
				output.push({ json: { error: message }, pairedItem: { item: index } });
			}
		}

		let built: ReturnType<typeof buildNotifications>;
		try {
			built = buildNotifications(inputs, {
				batchSize: settings.batchSize,
				instanceId: settings.instanceId,
				instanceName: settings.instanceName,
				webhookIdMode: settings.webhookIdMode,
			});
		} catch (error) {
			const { message, description } = errorText(error);
			throw pinMessage(new NodeOperationError(node, message, { itemIndex: 0, description }), message);
		}

		if (built.rejected.length > 0) {
			if (!continueOnFail) {
				const [first, ...others] = built.rejected;
				const more =
					others.length === 0
						? ''
						: ` ${others.length} more item(s) are invalid: ${others
								.slice(0, 5)
								.map((item) => `${item.index} (${[...item.missing, ...item.invalid].join(', ')})`)
								.join('; ')}${others.length > 5 ? '; …' : ''}.`;
				const invalidItemsError = new NodeOperationError(node, first.message, {
					itemIndex: first.index,
					description: `Each input item must be one standardized event { eventType, objectType, objectId, elementKey, date, raw }, as emitted by the Office 365 Trigger. Nothing was sent.${more}`,
				});
				throw pinMessage(invalidItemsError, first.message);
			}
			for (const rejected of built.rejected) {
				output.push({
					json: { error: rejected.message, missing: rejected.missing, invalid: rejected.invalid },
					pairedItem: { item: rejected.index },
				});
			}
		}

		// 2. Deliver the notifications one after another.
		const cancelSignal = this.getExecutionCancelSignal();
		const wait = async (ms: number) => await sleep(ms, cancelSignal);
		const total = built.notifications.length;
		for (let position = 0; position < total; position++) {
			const notification = built.notifications[position];
			const request = notificationRequest(notification, settings);
			const result = await deliverNotification(async (attempt) => await sendPost(this, request, attempt), wait, settings.policy);
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
			if (continueOnFail) {
				output.push({
					json: { delivered: false, error: failure.message, errorDescription: failure.description, ...summary },
					pairedItem: pairedItems(notification.itemIndexes),
				});
				continue;
			}
			const before =
				position === 0
					? ''
					: ` ${position} of ${total} notifications were delivered before this one; a re-run sends them again with the same Elements-Webhook-Id unless Webhook ID is "Random per Run".`;
			const deliveryError = new NodeApiError(
				node,
				{ message: failure.message, statusCode: summary.statusCode } as JsonObject,
				{
					message: failure.message,
					description: `${failure.description}${before}`,
					httpCode: summary.statusCode === null ? undefined : String(summary.statusCode),
					itemIndex: notification.itemIndexes[0],
				},
			);
			throw pinMessage(deliveryError, failure.message);
		}
		return [output];
	}
}
