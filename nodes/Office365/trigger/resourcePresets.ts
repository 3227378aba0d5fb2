/**
 * What Microsoft Graph offers for the resources the trigger knows by name. Every list here accepts
 * `$filter=<date> ge <instant>` with `$orderby=<date> asc` on the listed date fields (the ordered
 * property first in the filter, as Graph's InefficientFilter rule demands), `$top` up to the page
 * size given, `$select`, and pages with `@odata.nextLink`.
 */

export type PresetResource = 'messages' | 'events' | 'contacts';

interface ResourcePreset {
	objectType: string;
	/** Path relative to {graph}/v1.0. */
	url: string;
	idField: string;
	updatedField: string;
	createdField: string;
	/** Largest $top Graph accepts for the list. */
	maxPageSize: number;
	/** Default look-back for records that become visible late (seconds). */
	pollDelaySeconds: number;
}

export const RESOURCE_PRESETS: Readonly<Record<PresetResource, ResourcePreset>> = {
	messages: {
		objectType: 'messages',
		url: '/me/messages',
		idField: 'id',
		updatedField: 'lastModifiedDateTime',
		// Arrival time: indexed, and what users mean by "new mail" (createdDateTime is when the
		// item was written to this folder's store, which also moves on copies).
		createdField: 'receivedDateTime',
		maxPageSize: 1000,
		// Exchange can index new mail a little after stamping it.
		pollDelaySeconds: 120,
	},
	events: {
		objectType: 'events',
		url: '/me/events',
		idField: 'id',
		updatedField: 'lastModifiedDateTime',
		createdField: 'createdDateTime',
		maxPageSize: 1000,
		pollDelaySeconds: 60,
	},
	contacts: {
		objectType: 'contacts',
		url: '/me/contacts',
		idField: 'id',
		updatedField: 'lastModifiedDateTime',
		createdField: 'createdDateTime',
		maxPageSize: 1000,
		pollDelaySeconds: 60,
	},
};
