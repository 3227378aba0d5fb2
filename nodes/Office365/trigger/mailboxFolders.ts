/**
 * The mail folders a whole-mailbox delta tracks: Graph has no mailbox-wide message delta, so each folder has its
 * own delta link. The list (top-level folders and their sub-folders, depth first) is read again at most every
 * FOLDER_LIST_REFRESH_MS; a folder created in between is picked up then and reports what changed in it since the
 * previous list was read. Pure: the caller passes the page fetcher.
 */
import { PagingError } from './errors';
import type { FetchPage } from './windowReader';

/** How long a folder list is used before it is read again (a new folder's mail arrives at most this late). */
export const FOLDER_LIST_REFRESH_MS = 15 * 60 * 1000;
/** Bounds: far beyond real mailboxes; a server that lists folders without end is cut off with an error. */
const MAX_FOLDERS = 2000;
const MAX_DEPTH = 10;
const MAX_PAGES_PER_LIST = 50;

interface FolderRecord {
	id?: unknown;
	childFolderCount?: unknown;
}

async function listLevel(fetchPage: FetchPage, url: string): Promise<FolderRecord[]> {
	const folders: FolderRecord[] = [];
	const followed = new Set<string>();
	let page = await fetchPage({ url, qs: { $top: '250', $select: 'id,childFolderCount' } });
	for (let pages = 1; ; pages++) {
		folders.push(...(page.records as FolderRecord[]));
		if (!page.nextLink) return folders;
		if (pages >= MAX_PAGES_PER_LIST || followed.has(page.nextLink)) {
			throw new PagingError(`The folder list ${url} did not end after ${pages} pages`);
		}
		followed.add(page.nextLink);
		page = await fetchPage({ url: page.nextLink });
	}
}

/** Ids of every mail folder of `mailbox` (`/me`, `/users/{id}`). */
export async function listMailFolders(fetchPage: FetchPage, mailbox: string): Promise<string[]> {
	const ids: string[] = [];
	const visit = async (url: string, depth: number): Promise<void> => {
		for (const folder of await listLevel(fetchPage, url)) {
			if (typeof folder.id !== 'string' || !folder.id) continue;
			if (ids.length >= MAX_FOLDERS) throw new PagingError(`The mailbox lists more than ${MAX_FOLDERS} mail folders; choose one folder`);
			ids.push(folder.id);
			if (Number(folder.childFolderCount) > 0 && depth < MAX_DEPTH) {
				await visit(`${mailbox}/mailFolders/${encodeURIComponent(folder.id)}/childFolders`, depth + 1);
			}
		}
	};
	await visit(`${mailbox}/mailFolders`, 1);
	return ids;
}
