/**
 * The trigger's parameters (names are a public contract: workflows and docs depend on them). Version 1 keeps the
 * first release's parameters and defaults; version 2 adds the mailbox, folders, filters, Simplify and attachments,
 * and watches new mail only by default.
 */
import type { INodeProperties, INodePropertyModeValidation, NodeHint } from 'n8n-workflow';

import { NOT_REPORTED_BY_DEFAULT, WELL_KNOWN_FOLDERS } from './mailFolders';
import { MY_MAILBOX } from './mailbox';
import { DEFAULT_MAX_ATTACHMENT_MB } from './triggerConfig';

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

/** One edge of the calendarView window (delta mode, events). */
function calendarDays(displayName: string, name: string, days: number, description: string): INodeProperties {
	return {
		displayName,
		name,
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 3650 },
		default: days,
		description,
		displayOptions: { show: { '/resource': ['events'], '/trackingMode': ['delta'] } },
	};
}

const eventTypeOptions = [
	{ name: 'Created', value: 'created', description: 'New records' },
	{ name: 'Deleted', value: 'deleted', description: 'Records deleted (or moved out of the folder, or out of the calendar window); delta only' },
	{ name: 'Updated', value: 'updated', description: 'Changes to existing records (for mail: read, flagged, moved…)' },
];

const V1 = { '@version': [1] };
const V2 = { '@version': [2] };
const PRESETS = ['messages', 'events', 'contacts'];
/** Folders and filters of version 2 decide per message in timestamp mode (delta reads each folder's own changes). */
const TIMESTAMP_MESSAGES = { configurationMode: ['fields'], resource: ['messages'], trackingMode: ['timestamp'] };
const README = 'https://github.com/n8n-nodes-office365-events/n8n-nodes-office365-events#readme';

const regex = (pattern: string, errorMessage: string): INodePropertyModeValidation[] => [
	{ type: 'regex', properties: { regex: pattern, errorMessage } },
];

/** One folder of a folder list: from a searchable list of the mailbox's folders (all depths), or by ID. */
const folderLocator: INodeProperties = {
	displayName: 'Folder',
	name: 'folder',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	typeOptions: { loadOptionsDependsOn: ['mailbox.value'] },
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			typeOptions: { searchListMethod: 'searchMailFolders', searchable: true },
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'AAMkAGI2… or a well-known name such as inbox',
			validation: regex('^[A-Za-z0-9_=+-]{1,512}$', 'A folder ID or a well-known name such as inbox (letters, digits, - _ = + only)'),
		},
	],
};

function folderList(displayName: string, name: string, folders: string[], show: Record<string, unknown>): INodeProperties {
	return {
		displayName,
		name,
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Folder',
		default: {
			folders: folders.map((folder) => ({ folder: { __rl: true, mode: 'list', value: folder, cachedResultName: WELL_KNOWN_FOLDERS[folder] } })),
		},
		displayOptions: { show: { ...V2, ...TIMESTAMP_MESSAGES, ...show } },
		options: [{ displayName: 'Folders', name: 'folders', values: [folderLocator] }],
	};
}

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
	{
		displayName: 'Mailbox',
		name: 'mailbox',
		type: 'resourceLocator',
		default: { mode: 'list', value: MY_MAILBOX, cachedResultName: 'My Mailbox' },
		required: true,
		description: 'Whose mail, calendar or contacts: yours, a shared mailbox or another user\'s (needs Mail.Read.Shared, Calendars.Read.Shared or Contacts.Read.Shared, or app-only access)',
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: 'searchMailboxes', searchable: true },
			},
			{
				displayName: 'By Address',
				name: 'address',
				type: 'string',
				placeholder: 'support@contoso.com',
				validation: regex('^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$', 'Not an email address such as support@contoso.com'),
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: '6e5b7f3c-1a2b-4c3d-8e9f-0a1b2c3d4e5f',
				validation: regex('^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$', 'Not a user object ID (a GUID)'),
			},
		],
		displayOptions: { show: { ...V2, ...fieldsMode, resource: PRESETS } },
	},
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
	{
		displayName:
			'Mail changes whenever it is read, flagged, categorized or moved, so Updated fires often. Choose only Created to be told about new mail.',
		name: 'updatesNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { ...V2, ...fieldsMode, resource: ['messages'], eventTypes: ['updated'] } },
	},
	{
		displayName: 'Folders',
		name: 'folderFilter',
		type: 'options',
		options: [
			{
				name: 'All Folders Except…',
				value: 'exclude',
				description: 'The whole mailbox (every depth) without the folders listed below',
			},
			{ name: 'Only These Folders', value: 'include', description: 'Mail directly in the folders listed below' },
		],
		default: 'exclude',
		displayOptions: { show: { ...V2, ...TIMESTAMP_MESSAGES } },
	},
	folderList('Folders to Exclude', 'foldersToExclude', NOT_REPORTED_BY_DEFAULT, { folderFilter: ['exclude'] }),
	folderList('Folders to Include', 'foldersToInclude', [], { folderFilter: ['include'] }),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions: { show: { ...V2, ...TIMESTAMP_MESSAGES } },
		options: [
			{
				displayName: 'Categories',
				name: 'categories',
				type: 'string',
				default: '',
				placeholder: 'Red category, Invoices',
				description: 'Only mail with at least one of these categories (comma-separated)',
			},
			{
				displayName: 'Has Attachments',
				name: 'hasAttachments',
				type: 'boolean',
				default: true,
				description: 'Whether to report only mail with attachments',
			},
			{
				displayName: 'Importance',
				name: 'importance',
				type: 'options',
				options: [
					{ name: 'Any', value: 'any' },
					{ name: 'High', value: 'high' },
					{ name: 'Low', value: 'low' },
					{ name: 'Normal', value: 'normal' },
				],
				default: 'high',
			},
			{
				displayName: 'Read Status',
				name: 'readStatus',
				type: 'options',
				options: [
					{ name: 'All', value: 'all' },
					{ name: 'Read', value: 'read' },
					{ name: 'Unread', value: 'unread' },
				],
				default: 'unread',
			},
			{
				displayName: 'Sender',
				name: 'senders',
				type: 'string',
				default: '',
				placeholder: 'boss@contoso.com, alerts@fabrikam.com',
				description: 'Only mail from these addresses (comma-separated)',
			},
			{
				displayName: 'Subject Contains',
				name: 'subjectContains',
				type: 'string',
				default: '',
				placeholder: 'invoice',
				description: 'Only mail whose subject contains this text (not case-sensitive)',
			},
		],
	},
	{
		displayName: 'Simplify',
		name: 'simplify',
		type: 'boolean',
		default: true,
		description:
			'Whether raw holds a compact record (for mail: subject, from, to, cc, times, preview, read, importance, attachments, categories, conversation, link, folder) instead of the full Graph record; fetches far less',
		displayOptions: { show: { ...V2, ...fieldsMode, resource: PRESETS } },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Attachment Prefix',
				name: 'attachmentsPrefix',
				type: 'string',
				default: 'attachment_',
				description: 'Binary property names of the attachments: the prefix and a number (attachment_0, attachment_1, …)',
				displayOptions: { show: { '@version': [2], '/resource': ['messages'] } },
			},
			calendarDays('Calendar Days Ahead', 'calendarDaysAhead', 365, 'How far ahead of today the tracked calendar window reaches (calendarView delta)'),
			calendarDays('Calendar Days Back', 'calendarDaysBack', 30, 'How far back from today the tracked calendar window reaches; it moves along every day'),
			{
				displayName: 'Created Check Tolerance (Seconds)',
				name: 'createdCheckTolerance',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 2,
				description:
					'Created and updated dates this close together mean CREATED (Open Connectors\' createdCheckTolerance). Records created after the previous poll are CREATED regardless.',
			},
			{
				displayName: 'Date Filter',
				name: 'dateFilter',
				type: 'options',
				options: [
					{
						name: 'Server (Filter and Sort by Date)',
						value: 'server',
						description: 'Graph filters and sorts by the date: fewest requests',
					},
					{
						name: 'Client (Read Every Page)',
						value: 'client',
						description: 'For collections that cannot filter by date; every page is read each poll',
					},
				],
				default: 'server',
				description: 'How the poll window is applied when the URL has no date placeholder',
				displayOptions: { show: { '/resource': ['custom'] } },
			},
			{
				displayName: 'Download Attachments',
				name: 'downloadAttachments',
				type: 'boolean',
				default: false,
				description: 'Whether file attachments of emitted mail become binary data (attached mail and cloud links are listed in "attachments")',
				displayOptions: { show: { '@version': [2], '/resource': ['messages'] } },
			},
			{
				displayName: 'Drive',
				name: 'drive',
				type: 'string',
				default: '',
				placeholder: 'b!t18F8ybsHUq1z3LTz8xvZqP8zaSWjkFNhsME-Fepo75dTf9vQKfeRblBZjoSQrd7',
				description:
					'Empty for your OneDrive; a drive ID (b!…) for another drive or document library, or a SharePoint site ID (contoso.sharepoint.com,{site GUID},{web GUID}) for its default document library',
				displayOptions: { show: { '/resource': ['driveItems'] } },
			},
			{
				displayName: 'Emit Existing Records on First Poll',
				name: 'emitExistingOnFirstPoll',
				type: 'boolean',
				default: false,
				description: 'Whether the first poll after activation emits every existing record instead of only noting where to start',
			},
			{
				displayName: 'Filter',
				name: 'filter',
				type: 'string',
				default: '',
				placeholder: "isRead eq false and from/emailAddress/address eq 'boss@contoso.com'",
				description: 'Extra OData $filter condition, AND-ed with the date window',
			},
			{
				displayName: 'Folder Name or ID',
				name: 'folder',
				type: 'options',
				typeOptions: { loadOptionsMethod: 'getMailFolders' },
				default: '',
				description:
					'Only mail in this folder (sub-folders not included). Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
				displayOptions: { show: { '@version': [1], '/resource': ['messages'] } },
			},
			{
				displayName: 'Folder Name or ID',
				name: 'folder',
				type: 'options',
				typeOptions: { loadOptionsMethod: 'getMailFolders' },
				default: '',
				description:
					'Only mail in this folder (sub-folders not included). Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
				displayOptions: { show: { '@version': [2], '/resource': ['messages'], '/trackingMode': ['delta'] } },
			},
			{
				displayName: 'Max Attachment Size (MB)',
				name: 'maxAttachmentSize',
				type: 'number',
				typeOptions: { minValue: 0.001, maxValue: 1024, numberPrecision: 3 },
				default: DEFAULT_MAX_ATTACHMENT_MB,
				description: 'Per message: file attachments beyond this total are listed but not downloaded, and the item says so',
				displayOptions: { show: { '@version': [2], '/resource': ['messages'] } },
			},
			{
				displayName: 'Max Events Per Poll',
				name: 'maxEventsPerPoll',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 10000,
				description: 'A larger backlog is emitted oldest first over the following polls, never dropped',
			},
			{
				displayName: 'Output',
				name: 'output',
				type: 'options',
				options: [
					{ name: 'Standardized Event', value: 'event', description: '{ eventType, objectType, objectId, elementKey, date, raw }' },
					{ name: 'Raw Record', value: 'raw', description: 'The Graph record as it is' },
				],
				default: 'event',
			},
			{
				displayName: 'Page Size',
				name: 'pageSize',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 1000 },
				default: 1000,
				description: 'Records per Graph request ($top). The default is the largest Graph accepts.',
			},
			{
				displayName: 'Poll Delay (Seconds)',
				name: 'pollDelay',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 120,
				description:
					'Look-back for records that become visible after their timestamp (Exchange indexing, replication). Records seen again inside it are not emitted twice.',
			},
			{
				displayName: 'Select',
				name: 'select',
				type: 'string',
				default: '',
				placeholder: 'subject,from,receivedDateTime',
				description: 'Comma-separated properties to return ($select). ID and date fields are always added. Not used while Simplify is on.',
			},
		],
	},
	{
		displayName:
			'Editing keeps the trigger\'s place: a new filter, folder, event type or option applies from the last poll on, and what it now matches is emitted once. A different Resource, custom URL path or Tracking Mode (with Tracking Mode Delta also Folder or Drive) starts afresh: its first poll only notes where to begin.',
		name: 'editingNotice',
		type: 'notice',
		default: '',
	},
];
