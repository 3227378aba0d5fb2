/** The instant trigger's parameters (names are a public contract: workflows and docs depend on them). */
import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_RECONCILE_MINUTES, MAILBOX_RESOURCES, RECONCILE_MINUTES } from '../../instant/instantConfig';
import { folderLocator, mailboxLocator } from '../locators';

export const instantProperties: INodeProperties[] = [
	{
		displayName:
			"Microsoft Graph must reach this n8n at a public HTTPS address (n8n's WEBHOOK_URL). Changes arrive within seconds; a read on the schedule below catches anything Graph never announced.",
		name: 'publicUrlNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Contact', value: 'contacts', description: 'Contacts of the default contacts folder' },
			{ name: 'Event', value: 'events', description: 'Events of the primary calendar, from 30 days back to a year ahead' },
			{ name: 'File', value: 'driveItems', description: 'Files and folders of your OneDrive or a SharePoint document library' },
			{ name: 'Message', value: 'messages', description: 'Mail in the whole mailbox or one folder' },
		],
		default: 'messages',
	},
	{ ...mailboxLocator, displayOptions: { show: { resource: [...MAILBOX_RESOURCES] } } },
	{
		...folderLocator,
		description: 'Mail of this folder only (not its sub-folders); the whole mailbox when empty',
		displayOptions: { show: { resource: ['messages'] } },
	},
	{
		displayName: 'Drive',
		name: 'drive',
		type: 'string',
		default: '',
		placeholder: 'b!… or contoso.sharepoint.com,{site ID},{web ID}',
		description:
			'Your OneDrive when empty (needs a signed-in user, not app-only access); or a drive ID, or a SharePoint site ID for its document library',
		displayOptions: { show: { resource: ['driveItems'] } },
	},
	{
		displayName: 'Event Types',
		name: 'eventTypes',
		type: 'multiOptions',
		options: [
			{ name: 'Created', value: 'created' },
			{ name: 'Deleted', value: 'deleted' },
			{ name: 'Updated', value: 'updated' },
		],
		default: ['created', 'updated', 'deleted'],
		description: 'Which changes start the workflow',
	},
	{
		displayName: 'Reconcile Every (Minutes)',
		name: 'reconcileMinutes',
		type: 'options',
		options: RECONCILE_MINUTES.map((minutes) => ({ name: String(minutes), value: minutes })),
		default: DEFAULT_RECONCILE_MINUTES,
		description:
			'How often the trigger also reads the changes without being notified, which catches any change whose notification Graph dropped. Each read is one request when nothing changed.',
	},
];
