/**
 * Version 2's mail parameters of the Message resource tracked by timestamp: which folders, the Filters collection
 * and Simplify (which also applies to events and contacts).
 */
import type { INodeProperties } from 'n8n-workflow';

import { NOT_REPORTED_BY_DEFAULT, WELL_KNOWN_FOLDERS } from '../../trigger/mailFolders';
import { folderLocator } from '../locators';

const V2 = { '@version': [2] };
const fieldsMode = { configurationMode: ['fields'] };
const PRESETS = ['messages', 'events', 'contacts'];
/** Folders and filters of version 2 decide per message in timestamp mode (delta reads each folder's own changes). */
const TIMESTAMP_MESSAGES = { configurationMode: ['fields'], resource: ['messages'], trackingMode: ['timestamp'] };

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

export const mailProperties: INodeProperties[] = [
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
];
