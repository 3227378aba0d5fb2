/** Office 365 Event Forward's parameters (names are a public contract: workflows and docs depend on them). */
import type { INodeProperties } from 'n8n-workflow';

import { MAX_BATCH_SIZE, OPEN_CONNECTORS_BATCH_SIZE } from '../../forward/envelope';

export const forwardProperties: INodeProperties[] = [
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
];
