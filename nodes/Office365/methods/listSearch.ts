/**
 * Searchable lists of the version 2 resource locators: mailboxes (the directory) and mail folders of the chosen
 * mailbox, every depth, paged so a mailbox with thousands of folders still answers quickly.
 */
import type { ILoadOptionsFunctions, INodeListSearchItems, INodeListSearchResult } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { unlessStatus } from '../shared/graphStatus';
import { getGraphEndpoints, graphGet } from '../shared/transport';
import { MY_MAILBOX, resolveMailbox, type LocatorParameter } from '../trigger/mailbox';
import { WELL_KNOWN_FOLDERS } from '../trigger/mailFolders';

interface MailFolder {
	id: string;
	displayName?: string;
	childFolderCount?: number;
}

/** Where a folder walk stands: folders whose children are still to be listed, and a page of a list being read. */
interface FolderWalk {
	/** Folders to expand (id and the label of their path). */
	queue: Array<{ id: string; label: string }>;
	/** A child list being paged: its nextLink and the parent's label. */
	page?: { nextLink: string; label: string };
	/** Ids already listed (the well-known folders shown first). */
	shown: string[];
}

/** Folders listed first, in Outlook's order. */
const FIRST_FOLDERS = ['inbox', 'drafts', 'sentitems', 'deleteditems', 'junkemail', 'outbox', 'archive'];
/** Graph requests one page of the list may make, and the entries it aims at. */
const REQUESTS_PER_PAGE = 12;
const ENTRIES_PER_PAGE = 50;
const FOLDER_FIELDS = 'id,displayName,childFolderCount';

const encodeToken = (walk: FolderWalk) => Buffer.from(JSON.stringify(walk)).toString('base64url');

function decodeToken(token: string): FolderWalk {
	try {
		const walk = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as FolderWalk;
		if (Array.isArray(walk.queue) && Array.isArray(walk.shown)) return walk;
	} catch {
		// Fall through: a token from elsewhere starts the list afresh.
	}
	return { queue: [], shown: [] };
}

/** The mailbox the folder list is for, as the Mailbox parameter says. */
async function mailboxPath(context: ILoadOptionsFunctions): Promise<string> {
	const { appOnly } = await getGraphEndpoints.call(context);
	const parameter = context.getNodeParameter('mailbox', { mode: 'list', value: MY_MAILBOX }) as LocatorParameter;
	try {
		return resolveMailbox(parameter, appOnly).path;
	} catch (error) {
		throw new NodeOperationError(context.getNode(), (error as Error).message, { description: 'Choose the mailbox first.' });
	}
}

const matches = (label: string, filter: string | undefined) => !filter || label.toLowerCase().includes(filter.toLowerCase());

/** Mail folders: the well-known ones first (their well-known names as values), then every folder by path. */
export async function searchMailFolders(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	const base = await mailboxPath(this);
	const results: INodeListSearchItems[] = [];
	let walk: FolderWalk;
	let requests = 0;
	if (paginationToken) {
		walk = decodeToken(paginationToken);
	} else {
		walk = { queue: [{ id: '', label: '' }], shown: [] };
		for (const name of FIRST_FOLDERS) {
			const folder = await wellKnownFolder(this, base, name);
			requests++;
			if (!folder) continue;
			walk.shown.push(folder.id);
			const label = folder.displayName ?? WELL_KNOWN_FOLDERS[name];
			if (matches(label, filter)) results.push({ name: label, value: name });
		}
	}
	while (requests < REQUESTS_PER_PAGE && results.length < ENTRIES_PER_PAGE && (walk.page || walk.queue.length)) {
		let label: string;
		let response;
		if (walk.page) {
			label = walk.page.label;
			response = await graphGet.call(this, { url: walk.page.nextLink });
		} else {
			const parent = walk.queue.shift()!;
			label = parent.label;
			const url = parent.id ? `${base}/mailFolders/${encodeURIComponent(parent.id)}/childFolders` : `${base}/mailFolders`;
			response = await graphGet.call(this, { url, qs: { $top: '100', $select: FOLDER_FIELDS } });
		}
		requests++;
		const nextLink = response.body['@odata.nextLink'];
		walk.page = typeof nextLink === 'string' ? { nextLink, label } : undefined;
		for (const folder of (response.body.value as MailFolder[] | undefined) ?? []) {
			const path = label ? `${label} / ${folder.displayName ?? folder.id}` : (folder.displayName ?? folder.id);
			if ((folder.childFolderCount ?? 0) > 0) walk.queue.push({ id: folder.id, label: path });
			// Shown first already (the top level holds the well-known folders).
			if (!label && walk.shown.includes(folder.id)) continue;
			if (matches(path, filter)) results.push({ name: path, value: folder.id });
		}
	}
	const more = Boolean(walk.page || walk.queue.length);
	return { results, paginationToken: more ? encodeToken(walk) : undefined };
}

/** A well-known folder, or undefined when the mailbox has none (shared mailboxes often lack some). */
async function wellKnownFolder(context: ILoadOptionsFunctions, base: string, name: string): Promise<MailFolder | undefined> {
	const answer = await unlessStatus(['404'], async () => await graphGet.call(context, { url: `${base}/mailFolders/${name}`, qs: { $select: FOLDER_FIELDS } }));
	return 'value' in answer ? (answer.value.body as unknown as MailFolder) : undefined;
}

const quote = (text: string) => `'${text.replace(/'/g, "''")}'`;

/** Mailboxes: yours first (when a user signed in), then the directory's users and shared mailboxes. */
export async function searchMailboxes(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	const { appOnly } = await getGraphEndpoints.call(this);
	const results: INodeListSearchItems[] = [];
	if (!paginationToken && !appOnly && matches('My Mailbox', filter)) results.push({ name: 'My Mailbox', value: MY_MAILBOX });
	const text = (filter ?? '').trim();
	const answer = await unlessStatus(['403'], async () =>
		paginationToken
			? await graphGet.call(this, { url: paginationToken })
			: await graphGet.call(this, {
					url: '/users',
					qs: {
						$select: 'id,displayName,mail,userPrincipalName',
						$top: '50',
						...(text ? { $filter: `startswith(displayName,${quote(text)}) or startswith(mail,${quote(text)})` } : {}),
					},
				}),
	);
	if (!('value' in answer)) {
		if (appOnly) {
			throw new NodeOperationError(this.getNode(), 'The app may not list the directory\'s users', {
				description: 'Grant the application permission User.Read.All (with admin consent), or enter the mailbox By Address.',
			});
		}
		// Without User.ReadBasic.All a user can still type the address.
		return { results };
	}
	const response = answer.value;
	for (const user of (response.body.value as Array<Record<string, unknown>> | undefined) ?? []) {
		const address = typeof user.mail === 'string' && user.mail ? user.mail : String(user.userPrincipalName ?? user.id);
		results.push({ name: `${String(user.displayName ?? address)} (${address})`, value: address });
	}
	const nextLink = response.body['@odata.nextLink'];
	return { results, paginationToken: typeof nextLink === 'string' ? nextLink : undefined };
}
