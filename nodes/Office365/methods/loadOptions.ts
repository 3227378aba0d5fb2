/** The Folder list of version 1 of the trigger (version 2 and the instant trigger search with methods/listSearch.ts). */
import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { graphGet } from '../shared/transport';

interface MailFolder {
	id: string;
	displayName?: string;
	childFolderCount?: number;
}

/** Bounds so a mailbox with thousands of folders still answers the dropdown quickly. */
const MAX_FOLDERS = 1000;
const MAX_DEPTH = 4;
/** Pages of one folder list: far more than 1000 folders need; a server that never ends its list is cut off. */
const MAX_PAGES = 50;

async function listFolders(context: ILoadOptionsFunctions, url: string): Promise<MailFolder[]> {
	const folders: MailFolder[] = [];
	const followed = new Set<string>();
	let next: string | undefined = url;
	let qs: Record<string, string> | undefined = { $top: '250', $select: 'id,displayName,childFolderCount' };
	for (let page = 1; next && folders.length < MAX_FOLDERS; page++) {
		if (page > MAX_PAGES || followed.has(next)) {
			throw new NodeOperationError(context.getNode(), `The folder list of ${url} did not end after ${page - 1} pages`, {
				description: 'Microsoft Graph kept answering with another (or the same) @odata.nextLink. Enter the folder id instead.',
			});
		}
		followed.add(next);
		const response = await graphGet.call(context, { url: next, qs });
		folders.push(...((response.body.value as MailFolder[] | undefined) ?? []));
		next = response.body['@odata.nextLink'] as string | undefined;
		qs = undefined;
	}
	return folders;
}

/** Mail folders with their sub-folders (shown as "Inbox / Projects"), level by level in the order Graph lists them. */
export async function getMailFolders(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const options: INodePropertyOptions[] = [{ name: 'All Folders (Whole Mailbox)', value: '' }];
	const queue: Array<{ folder: MailFolder; label: string; depth: number }> = (
		await listFolders(this, '/me/mailFolders')
	).map((folder) => ({ folder, label: folder.displayName ?? folder.id, depth: 1 }));
	while (queue.length && options.length <= MAX_FOLDERS) {
		const { folder, label, depth } = queue.shift()!;
		options.push({ name: label, value: folder.id });
		if ((folder.childFolderCount ?? 0) > 0 && depth < MAX_DEPTH) {
			const children = await listFolders(this, `/me/mailFolders/${encodeURIComponent(folder.id)}/childFolders`);
			for (const child of children) {
				queue.push({ folder: child, label: `${label} / ${child.displayName ?? child.id}`, depth: depth + 1 });
			}
		}
	}
	return options;
}
