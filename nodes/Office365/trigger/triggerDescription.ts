/** The trigger's parameters (names are a public contract: workflows and docs depend on them). */
import type { INodeProperties } from 'n8n-workflow';

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

export const triggerProperties: INodeProperties[] = [
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
		displayOptions: { show: { ...fieldsMode, trackingMode: ['timestamp'] } },
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
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
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
				displayOptions: { show: { '/resource': ['messages'] } },
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
				description: 'Comma-separated properties to return ($select). ID and date fields are always added.',
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
