/**
 * Which mail folders the messages preset reports. One folder is read through its own list
 * (`/mailFolders/{id}/messages`, filtered by Graph). Several folders, or folders to leave out, are read through the
 * mailbox's one `/messages` window and decided per record on `parentFolderId`: Graph cannot combine a folder
 * restriction with the date order the window needs (400 InefficientFilter), and one window per folder would need one
 * watermark per folder. Records of other folders are remembered as skipped, so they are never read as new again.
 */
import { Office365ConfigError } from './errors';
import { fingerprint } from './pollState';

/** Graph's well-known folder names (accepted wherever a folder id is), with the names Outlook shows. */
export const WELL_KNOWN_FOLDERS: Readonly<Record<string, string>> = {
	inbox: 'Inbox',
	drafts: 'Drafts',
	sentitems: 'Sent Items',
	deleteditems: 'Deleted Items',
	junkemail: 'Junk Email',
	outbox: 'Outbox',
	archive: 'Archive',
	clutter: 'Clutter',
	conversationhistory: 'Conversation History',
	scheduled: 'Scheduled',
	searchfolders: 'Search Folders',
	syncissues: 'Sync Issues',
	msgfolderroot: 'Top of Information Store',
};

/** Mail a person does not mean by "new mail": what they write, delete, and what the server quarantines or queues. */
export const NOT_REPORTED_BY_DEFAULT = ['drafts', 'sentitems', 'deleteditems', 'junkemail', 'outbox'];

/** Graph ids (URL-safe base64) and well-known names: no `/`, `.` or `%`, so a folder can't leave its path. */
export const FOLDER_REF = /^[A-Za-z0-9_=+-]{1,512}$/;
export const FOLDER_REF_HINT = 'pick a folder from the list, or enter a folder ID or a well-known name such as inbox (letters, digits, - _ = + only)';

export type FolderMode = 'include' | 'exclude';

export interface FolderScope {
	mode: FolderMode;
	/** Folder ids, or well-known names in lower case; no duplicates. */
	folders: string[];
}

/**
 * Well-known folders of a mailbox: name → fingerprint of the folder's id (null: the mailbox has no such folder).
 * Fingerprints, not ids, so the state stays small; ids of well-known folders never change.
 */
export type FolderKeys = Record<string, string | null>;

function isWellKnownFolder(ref: string): boolean {
	return Object.prototype.hasOwnProperty.call(WELL_KNOWN_FOLDERS, ref.toLowerCase());
}

/** Validates the folders a user listed (ids from the folder list, or well-known names typed as an ID). */
export function folderScope(parameter: string, mode: FolderMode, refs: string[]): FolderScope {
	const folders: string[] = [];
	for (const raw of refs) {
		const ref = raw.trim();
		if (!ref) continue;
		if (!FOLDER_REF.test(ref)) throw new Office365ConfigError(parameter, ref, FOLDER_REF_HINT);
		const normalized = isWellKnownFolder(ref) ? ref.toLowerCase() : ref;
		if (!folders.includes(normalized)) folders.push(normalized);
	}
	if (mode === 'include' && folders.length === 0) {
		throw new Office365ConfigError(parameter, '', 'add at least one folder, or choose "All Folders Except…" to watch the whole mailbox');
	}
	return { mode, folders };
}

/** Well-known names whose ids the per-record decision needs. */
export function namesToResolve(scope: FolderScope | undefined): string[] {
	return scope ? scope.folders.filter(isWellKnownFolder) : [];
}

/**
 * Folder keys for `names`: what the previous poll found, else asked from Graph once (`fetchId` answers null when
 * the mailbox has no such folder).
 */
export async function resolveFolderKeys(
	names: string[],
	known: FolderKeys | undefined,
	fetchId: (name: string) => Promise<string | null>,
): Promise<FolderKeys> {
	const keys: FolderKeys = {};
	for (const name of names) {
		if (known && Object.prototype.hasOwnProperty.call(known, name)) keys[name] = known[name];
		else {
			const id = await fetchId(name);
			keys[name] = id === null ? null : fingerprint(id);
		}
	}
	return keys;
}

/** Decides a record's folder (its `parentFolderId`) against the scope. */
export function folderPredicate(scope: FolderScope, keys: FolderKeys): (parentFolderId: unknown) => boolean {
	const listed = new Set<string>();
	for (const folder of scope.folders) {
		const key = isWellKnownFolder(folder) ? keys[folder] : fingerprint(folder);
		if (key) listed.add(key);
	}
	// A mailbox has few folders: each id is fingerprinted once per poll.
	const seen = new Map<string, boolean>();
	const isListed = (id: string): boolean => {
		let answer = seen.get(id);
		if (answer === undefined) seen.set(id, (answer = listed.has(fingerprint(id))));
		return answer;
	};
	return scope.mode === 'include'
		? (parentFolderId) => typeof parentFolderId === 'string' && isListed(parentFolderId)
		: (parentFolderId) => typeof parentFolderId !== 'string' || !isListed(parentFolderId);
}
