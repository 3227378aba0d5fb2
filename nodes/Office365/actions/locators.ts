/**
 * The resource locators both triggers offer: whose mailbox, and a mail folder of it. Their searchable lists are
 * methods/listSearch.ts (searchMailboxes, searchMailFolders); the values are resolved by trigger/mailbox.ts.
 */
import type { INodeProperties, INodePropertyModeValidation } from 'n8n-workflow';

import { MY_MAILBOX } from '../trigger/mailbox';

const regex = (pattern: string, errorMessage: string): INodePropertyModeValidation[] => [
	{ type: 'regex', properties: { regex: pattern, errorMessage } },
];

/** Whose mailbox: the signed-in user's, or another one from the directory, by address or by object ID. */
export const mailboxLocator: INodeProperties = {
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
};

/** One folder of a folder list: from a searchable list of the mailbox's folders (all depths), or by ID. */
export const folderLocator: INodeProperties = {
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
