/**
 * The Custom resource: the URL to poll (placeholders checked, no `/me` under app-only access), its ID Field and
 * its Dates Configuration.
 */
import { validateUrlPlaceholders } from './dates/urlPlaceholders';
import { Office365ConfigError } from './errors';
import { dateField, requireFieldPath, type DateField, type ResourceScope } from './resourceScope';
import type { Access, TriggerParameters } from './triggerParameters';
import { splitUrl } from './urlParts';

export function customResource(parameters: TriggerParameters, access: Access): ResourceScope {
	const url = (parameters.url ?? '').trim();
	if (!url) throw new Office365ConfigError('URL', '', 'enter the path to poll, relative to the Graph API root, such as /me/mailFolders/inbox/messages');
	validateUrlPlaceholders(url, 'URL');
	const idField = requireFieldPath('ID Field', parameters.idField, 'id');
	let updated: DateField | undefined;
	let created: DateField | undefined;
	const dates = parameters.datesConfiguration ?? {};
	if ((dates.updatedAtField ?? '').trim()) {
		updated = dateField('Updated At Field', dates.updatedAtField!, dates.updatedAtFormat, dates.updatedAtTimezone);
	}
	if ((dates.createdAtField ?? '').trim()) {
		created = dateField('Created At Field', dates.createdAtField!, dates.createdAtFormat, dates.createdAtTimezone);
	}
	if (!updated && !created) {
		throw new Office365ConfigError('Dates Configuration', '', 'set Updated At Field (and Created At Field) so the trigger knows which date tells a change');
	}
	const customPath = splitUrl(url).path;
	if (access.appOnly && /^\/?me(\/|$)/i.test(customPath)) {
		throw new Office365ConfigError('URL', url, 'the credential uses app-only access, which has no signed-in user: address the mailbox as /users/{address or id}/… instead of /me/…');
	}
	// A delta function is named after the collection it tracks (`…/contacts/delta` → contacts).
	const segments = customPath.split('/').filter((segment) => segment && !/^delta(\(\))?$/i.test(segment));
	const objectType = (segments.pop() ?? 'records').replace(/[^\w-]/g, '') || 'records';
	const collection = { resource: 'custom', path: customPath };
	return { objectType, url, idField, updated, created, maxPageSize: 1000, defaultPollDelay: 60, collection, requiredFields: [] };
}
