/** The trigger's Options collection (names are a public contract, like the rest of its parameters). */
import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_MAX_ATTACHMENT_MB } from '../../trigger/presetResource';

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

export const triggerOptions: INodeProperties = {
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
};
