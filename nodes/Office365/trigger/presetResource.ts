/**
 * The preset resources (Message, Event, Contact): whose mailbox, and for version 2 messages which folders,
 * which filters and whether attachments are downloaded. Version 1 keeps its one optional folder.
 */
import { Office365ConfigError } from './errors';
import { locatorValue, resolveMailbox } from './mailbox';
import { compileMailFilters, type RecordFilterSpec } from './mailFilters';
import { FOLDER_REF, FOLDER_REF_HINT, folderScope } from './mailFolders';
import { RESOURCE_PRESETS, type PresetResource } from './resourcePresets';
import { dateField, type ResourceScope } from './resourceScope';
import type { Access, FolderListParameter, TriggerParameters } from './triggerParameters';

export const DEFAULT_MAX_ATTACHMENT_MB = 25;
/** n8n binary property names: the prefix plus an index. */
const BINARY_PREFIX = /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/;

export function presetResource(parameters: TriggerParameters, access: Access, version: number): ResourceScope {
	const options = parameters.options ?? {};
	const preset = RESOURCE_PRESETS[parameters.resource as PresetResource];
	if (!preset) {
		throw new Office365ConfigError('Resource', String(parameters.resource), 'choose Message, Event, Contact or Custom');
	}
	const mailbox = resolveMailbox(version >= 2 ? parameters.mailbox : undefined, access.appOnly);
	let url = `${mailbox.path}${preset.url.replace(/^\/me/, '')}`;
	let scopeFilter: string | undefined;
	let recordFilter: RecordFilterSpec | undefined;
	let requiredFields: string[] = [];
	let attachments: ResourceScope['attachments'];
	if (parameters.resource === 'messages' && version >= 2) {
		const scope = mailScope(parameters, mailbox.path);
		url = scope.url;
		scopeFilter = scope.userFilter;
		recordFilter = scope.recordFilter;
		requiredFields = scope.fields;
		attachments = attachmentOptions(options);
	} else if (parameters.resource === 'messages') {
		// Version 1: one optional folder, in the path as entered.
		const folder = (options.folder ?? '').trim();
		if (folder) {
			if (!FOLDER_REF.test(folder)) throw new Office365ConfigError('Options → Folder', folder, FOLDER_REF_HINT);
			url = `/me/mailFolders/${encodeURIComponent(folder)}/messages`;
		}
	}
	return {
		objectType: preset.objectType,
		url,
		idField: preset.idField,
		updated: dateField('Updated At Field', preset.updatedField, 'ISO', 'UTC'),
		created: dateField('Created At Field', preset.createdField, 'ISO', 'UTC'),
		maxPageSize: preset.maxPageSize,
		defaultPollDelay: preset.pollDelaySeconds,
		collection: { resource: parameters.resource, mailbox: mailbox.key },
		scopeFilter,
		recordFilter,
		requiredFields,
		simplify: version >= 2 && parameters.simplify === true ? (parameters.resource as PresetResource) : undefined,
		attachments,
		mailboxPath: mailbox.path,
	};
}

function folderRefs(list: FolderListParameter | undefined): string[] {
	return (list?.folders ?? []).map(({ folder }) => locatorValue(folder));
}

/** Version 2 messages: folders and filters of the mailbox `base` path; one included folder is read through its own list. */
function mailScope(parameters: TriggerParameters, base: string): { url: string; userFilter?: string; recordFilter?: RecordFilterSpec; fields: string[] } {
	const mode = parameters.folderFilter ?? 'exclude';
	if (mode !== 'include' && mode !== 'exclude') {
		throw new Office365ConfigError('Folders', String(mode), 'choose "All Folders Except…" or "Only These Folders"');
	}
	const scope =
		mode === 'include'
			? folderScope('Folders to Include', 'include', folderRefs(parameters.foldersToInclude))
			: folderScope('Folders to Exclude', 'exclude', folderRefs(parameters.foldersToExclude));
	const single = scope.mode === 'include' && scope.folders.length === 1;
	const compiled = compileMailFilters(parameters.filters ?? {}, single ? undefined : scope);
	return {
		url: single ? `${base}/mailFolders/${encodeURIComponent(scope.folders[0])}/messages` : `${base}/messages`,
		userFilter: compiled.serverFilter,
		recordFilter: compiled.record,
		fields: compiled.fields,
	};
}

function attachmentOptions(options: NonNullable<TriggerParameters['options']>): ResourceScope['attachments'] {
	if (options.downloadAttachments !== true) return undefined;
	const prefix = (options.attachmentsPrefix ?? 'attachment_').trim();
	if (!BINARY_PREFIX.test(prefix)) {
		throw new Office365ConfigError('Options → Attachment Prefix', prefix, 'use letters, digits, _ and - (starting with a letter or _), such as attachment_');
	}
	const megabytes = options.maxAttachmentSize ?? DEFAULT_MAX_ATTACHMENT_MB;
	if (typeof megabytes !== 'number' || !Number.isFinite(megabytes) || megabytes <= 0 || megabytes > 1024) {
		throw new Office365ConfigError('Options → Max Attachment Size (MB)', String(megabytes), 'use a number of megabytes above 0 and up to 1024');
	}
	return { prefix, maxBytesPerMessage: Math.floor(megabytes * 1024 * 1024) };
}
