/**
 * The trigger's parameters (names are a public contract: workflows and docs depend on them). Version 1 keeps the
 * first release's parameters and defaults; version 2 adds the mailbox, folders, filters, Simplify and attachments,
 * and watches new mail only by default.
 */
import type { INodeProperties, NodeHint } from 'n8n-workflow';

import { mailboxLocator } from '../locators';
import { mailProperties } from './mailProperties';
import { triggerOptions } from './options';

const fieldsMode = { configurationMode: ['fields'] };
const customOnly = { show: { ...fieldsMode, resource: ['custom'] } };
const trackingModeOptions = [
	{
		name: 'Timestamp',
		value: 'timestamp',
		description: 'Lists what changed since the last poll by its last-modified date (created and updated records)',
	},
	{
		name: 'Delta',
		value: 'delta',
		description: 'Graph delta queries: created, updated and deleted records, without history on activation',
	},
];

const eventTypeOptions = [
	{ name: 'Created', value: 'created', description: 'New records' },
	{ name: 'Deleted', value: 'deleted', description: 'Records deleted (or moved out of the folder, or out of the calendar window); delta only' },
	{ name: 'Updated', value: 'updated', description: 'Changes to existing records (for mail: read, flagged, moved…)' },
];

const V1 = { '@version': [1] };
const V2 = { '@version': [2] };
const PRESETS = ['messages', 'events', 'contacts'];
const README = 'https://github.com/n8n-nodes-office365-events/n8n-nodes-office365-events#readme';

/** Panel hints (n8n shows them beside the output). */
export const triggerHints: NodeHint[] = [
	{
		message: 'The attachments are in the Binary tab of each item (attachment_0, attachment_1, …); their details are in "attachments".',
		type: 'info',
		location: 'outputPane',
		whenToDisplay: 'afterExecution',
		displayCondition: '={{ $parameter["options"] && $parameter["options"]["downloadAttachments"] === true }}',
	},
];

export const triggerProperties: INodeProperties[] = [
	{
		displayName: `On activation the trigger only notes where to start: mail and records that already exist are not emitted. Each poll then emits what changed since. "Fetch Test Event" shows the newest one. <a href="${README}#office-365-trigger" target="_blank">How it works</a>`,
		name: 'activationNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: V2 },
	},
	{
		displayName: 'Configuration',
		name: 'configurationMode',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Fields', value: 'fields', description: 'Choose a resource and its options' },
			{
				name: 'Open Connectors Configuration (JSON)',
				value: 'json',
				description: 'Paste an Open Connectors poller configuration as it is (JSON, or legacy poller URL lines); one trigger polls all its resources',
			},
		],
		default: 'fields',
	},
	{
		displayName: 'Poller Configuration',
		name: 'pollerConfiguration',
		type: 'json',
		default: '',
		required: true,
		placeholder:
			'{ "messages": { "url": "/hubs/general/messages?where=LastModifiedDateTime>=\'${gmtDate:yyyy-MM-dd\'T\'HH:mm:ss\'Z\'}\'", "datesConfiguration": { … } } }',
		description:
			'Open Connectors\' poller configuration: the event.poller.configuration object of resources (or its JSON text), the instance configuration holding it, or legacy poller URL lines (resource|URL|…). Hub paths (/hubs/general/messages, /hubs/documents/…) and Outlook REST field names (LastModifiedDateTime) are translated to Microsoft Graph.',
		displayOptions: { show: { configurationMode: ['json'] } },
	},
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Contact', value: 'contacts', description: 'Contacts in /me/contacts' },
			{
				name: 'Custom',
				value: 'custom',
				description: 'Any Graph collection, configured like an Open Connectors poller resource',
			},
			{ name: 'Event', value: 'events', description: 'Calendar events in /me/events' },
			{
				name: 'File (OneDrive / SharePoint)',
				value: 'driveItems',
				description: 'Files and folders of a OneDrive or a SharePoint document library (always tracked by delta)',
			},
			{ name: 'Message', value: 'messages', description: 'Mail in /me/messages or one folder' },
		],
		default: 'messages',
		displayOptions: { show: fieldsMode },
	},
	{
		displayName: 'Tracking Mode',
		name: 'trackingMode',
		type: 'options',
		noDataExpression: true,
		options: trackingModeOptions,
		default: 'timestamp',
		displayOptions: { show: { ...fieldsMode, resource: ['messages', 'events', 'contacts', 'custom'] } },
	},
	{
		displayName: 'Tracking Mode',
		name: 'trackingMode',
		type: 'options',
		noDataExpression: true,
		options: trackingModeOptions,
		default: 'timestamp',
		description: 'Applies to the resources that map to mail, calendar, contacts (files are always tracked by delta)',
		displayOptions: { show: { configurationMode: ['json'] } },
	},
	{
		displayName: 'Tracking Mode',
		name: 'trackingMode',
		type: 'options',
		noDataExpression: true,
		options: [trackingModeOptions[1]],
		default: 'delta',
		description: 'Files are tracked with the drive\'s delta query',
		displayOptions: { show: { ...fieldsMode, resource: ['driveItems'] } },
	},
	{ ...mailboxLocator, displayOptions: { show: { ...V2, ...fieldsMode, resource: PRESETS } } },
	{
		displayName: 'URL',
		name: 'url',
		type: 'string',
		default: '',
		required: true,
		placeholder: '/me/mailFolders/inbox/messages',
		description:
			'Collection to poll, relative to the Graph API root (…/v1.0). May carry Open Connectors date placeholders such as ${gmtDate:yyyy-MM-dd\'T\'HH:mm:ss\'Z\'}, ${epoch} or ${epoch:s}, which are replaced by the start of the poll window.',
		displayOptions: customOnly,
	},
	{
		displayName: 'ID Field',
		name: 'idField',
		type: 'string',
		default: 'id',
		required: true,
		description: 'Dot path of the property that identifies a record; it becomes the event\'s objectId',
		displayOptions: customOnly,
	},
	{
		displayName: 'Dates Configuration',
		name: 'datesConfiguration',
		type: 'collection',
		placeholder: 'Add Date Setting',
		default: {
			updatedAtField: 'lastModifiedDateTime',
			updatedAtFormat: 'ISO',
			updatedAtTimezone: 'UTC',
			createdAtField: 'createdDateTime',
			createdAtFormat: 'ISO',
			createdAtTimezone: 'UTC',
		},
		description: 'Which record dates tell a change, in Open Connectors\' datesConfiguration terms',
		displayOptions: customOnly,
		options: [
			{
				displayName: 'Created At Field',
				name: 'createdAtField',
				type: 'string',
				default: 'createdDateTime',
				description: 'Dot path of the creation date. Leave empty when the API has none (every change is then UPDATED).',
			},
			{
				displayName: 'Created At Format',
				name: 'createdAtFormat',
				type: 'string',
				default: 'ISO',
				placeholder: "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'",
				description: 'Java SimpleDateFormat pattern, or ISO, milliseconds (epoch ms) or seconds (epoch s)',
			},
			{
				displayName: 'Created At Timezone',
				name: 'createdAtTimezone',
				type: 'string',
				default: 'UTC',
				placeholder: 'GMT, UTC, Europe/Berlin, +02:00, EST',
				description: 'Zone of created dates that carry no offset themselves',
			},
			{
				displayName: 'Updated At Field',
				name: 'updatedAtField',
				type: 'string',
				default: 'lastModifiedDateTime',
				description: 'Dot path of the last-modified date; the poll window follows it',
			},
			{
				displayName: 'Updated At Format',
				name: 'updatedAtFormat',
				type: 'string',
				default: 'ISO',
				placeholder: "yyyy-MM-dd'T'HH:mm:ss'Z'",
				description: 'Java SimpleDateFormat pattern, or ISO, milliseconds (epoch ms) or seconds (epoch s)',
			},
			{
				displayName: 'Updated At Timezone',
				name: 'updatedAtTimezone',
				type: 'string',
				default: 'UTC',
				placeholder: 'GMT, UTC, Europe/Berlin, +02:00, EST',
				description: 'Zone of updated dates that carry no offset themselves',
			},
		],
	},
	{
		displayName: 'Event Types',
		name: 'eventTypes',
		type: 'multiOptions',
		options: eventTypeOptions.filter((option) => option.value !== 'deleted'),
		default: ['created', 'updated'],
		required: true,
		displayOptions: { show: { ...V1, ...fieldsMode, trackingMode: ['timestamp'] } },
	},
	{
		displayName: 'Event Types',
		name: 'eventTypes',
		type: 'multiOptions',
		options: eventTypeOptions.filter((option) => option.value !== 'deleted'),
		// New mail only: every read or flag is an update.
		default: ['created'],
		required: true,
		displayOptions: { show: { ...V2, ...fieldsMode, trackingMode: ['timestamp'] } },
	},
	{
		displayName: 'Event Types',
		name: 'eventTypes',
		type: 'multiOptions',
		options: eventTypeOptions,
		default: ['created', 'updated', 'deleted'],
		required: true,
		displayOptions: { show: { ...fieldsMode, trackingMode: ['delta'] } },
	},
	{
		displayName: 'Event Types',
		name: 'eventTypes',
		type: 'multiOptions',
		options: eventTypeOptions,
		default: ['created', 'updated', 'deleted'],
		required: true,
		description: 'Deletions are reported for the resources tracked by delta (files always, the others with Tracking Mode Delta)',
		displayOptions: { show: { configurationMode: ['json'] } },
	},
	...mailProperties,
	triggerOptions,
	{
		displayName:
			'Editing keeps the trigger\'s place: a new filter, folder, event type or option applies from the last poll on, and what it now matches is emitted once. A different Resource, custom URL path or Tracking Mode (with Tracking Mode Delta also Folder or Drive) starts afresh: its first poll only notes where to begin.',
		name: 'editingNotice',
		type: 'notice',
		default: '',
	},
];
