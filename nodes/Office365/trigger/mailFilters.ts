/**
 * The Filters collection of the messages preset, as OData where Graph can apply it inside the date window and as a
 * per-record decision where it cannot. Graph sorts the window by its date, and with a sort it accepts equality on
 * plain properties after the date (read status, sender, attachments, importance) but answers 400 InefficientFilter
 * for content searches (`contains(subject,…)`), lambdas over collections (`categories/any(…)`) and folders. Records a
 * per-record filter leaves out are remembered as skipped by the poll cycle, like records of an unwanted event type.
 */
import { Office365ConfigError } from './errors';
import { folderPredicate, type FolderKeys, type FolderScope } from './mailFolders';

/** The Filters parameter as the node declares it. */
export interface MailFilterParameters {
	readStatus?: 'all' | 'unread' | 'read';
	senders?: string;
	hasAttachments?: boolean;
	subjectContains?: string;
	importance?: 'any' | 'low' | 'normal' | 'high';
	categories?: string;
}

/** What is decided per record (JSON, so it can be part of the configuration key). */
export interface RecordFilterSpec {
	folders?: FolderScope;
	subjectContains?: string;
	/** Lower case; a record matches when it has any of them. */
	categories?: string[];
}

interface CompiledMailFilters {
	/** AND-ed into the window's $filter (after the date). */
	serverFilter?: string;
	record?: RecordFilterSpec;
	/** Record properties the per-record decision reads (added to $select). */
	fields: string[];
}

const ADDRESS = /^[^\s@]+@[^\s@]+$/;

const quote = (text: string) => `'${text.replace(/'/g, "''")}'`;

function list(text: string | undefined): string[] {
	return (text ?? '')
		.split(/[,;]/)
		.map((entry) => entry.trim())
		.filter(Boolean);
}

export function compileMailFilters(filters: MailFilterParameters, folders: FolderScope | undefined): CompiledMailFilters {
	const clauses: string[] = [];
	const record: RecordFilterSpec = {};
	const fields = new Set<string>();

	if (filters.readStatus === 'unread') clauses.push('isRead eq false');
	else if (filters.readStatus === 'read') clauses.push('isRead eq true');
	else if (filters.readStatus !== undefined && filters.readStatus !== 'all') {
		throw new Office365ConfigError('Filters → Read Status', String(filters.readStatus), 'choose All, Unread or Read');
	}

	const senders = list(filters.senders);
	for (const sender of senders) {
		if (!ADDRESS.test(sender)) {
			throw new Office365ConfigError('Filters → Sender', sender, 'enter email addresses such as boss@contoso.com, separated by commas');
		}
	}
	if (senders.length) clauses.push(`(${senders.map((sender) => `from/emailAddress/address eq ${quote(sender)}`).join(' or ')})`);

	if (filters.hasAttachments === true) clauses.push('hasAttachments eq true');

	if (filters.importance !== undefined && filters.importance !== 'any') {
		if (!['low', 'normal', 'high'].includes(filters.importance)) {
			throw new Office365ConfigError('Filters → Importance', String(filters.importance), 'choose Any, Low, Normal or High');
		}
		clauses.push(`importance eq ${quote(filters.importance)}`);
	}

	const subject = (filters.subjectContains ?? '').trim();
	if (subject) {
		record.subjectContains = subject.toLowerCase();
		fields.add('subject');
	}
	const categories = list(filters.categories).map((category) => category.toLowerCase());
	if (categories.length) {
		record.categories = categories;
		fields.add('categories');
	}
	if (folders && folders.folders.length) {
		record.folders = folders;
		fields.add('parentFolderId');
	}

	return {
		serverFilter: clauses.length ? clauses.join(' and ') : undefined,
		record: Object.keys(record).length ? record : undefined,
		fields: [...fields],
	};
}

/** The per-record decision: true when the record is reported. */
export function recordPredicate(spec: RecordFilterSpec, folderKeys: FolderKeys): (record: Record<string, unknown>) => boolean {
	const tests: Array<(record: Record<string, unknown>) => boolean> = [];
	if (spec.folders) {
		const inScope = folderPredicate(spec.folders, folderKeys);
		tests.push((record) => inScope(record.parentFolderId));
	}
	if (spec.subjectContains !== undefined) {
		const wanted = spec.subjectContains;
		tests.push((record) => typeof record.subject === 'string' && record.subject.toLowerCase().includes(wanted));
	}
	if (spec.categories !== undefined) {
		const wanted = new Set(spec.categories);
		tests.push((record) => Array.isArray(record.categories) && record.categories.some((c) => typeof c === 'string' && wanted.has(c.toLowerCase())));
	}
	return (record) => tests.every((test) => test(record));
}
