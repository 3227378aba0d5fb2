/**
 * An Open Connectors hub path (`/hubs/general/messages`) in a pasted configuration: the Graph resource it stands
 * for, with its where query, id and date fields translated to Graph's.
 */
import { compileDateFormat } from './dates/javaDatePattern';
import { graphField, hubResourceOf, SUPPORTED_HUB_PATHS, translateWhere, type HubResource } from './hubMapping';
import { fail, label, POLLER_CONFIGURATION, type DatesSpelled } from './pastedValues';
import type { TriggerParameters } from './triggerParameters';
import { splitUrl } from './urlParts';

/** Presets of the resources hub paths stand for: the Graph collection and its id and date properties. */
const HUB_PRESETS: Record<HubResource, { url: string; id: string; updated: string; created: string }> = {
	messages: { url: '/me/messages', id: 'id', updated: 'lastModifiedDateTime', created: 'receivedDateTime' },
	events: { url: '/me/events', id: 'id', updated: 'lastModifiedDateTime', created: 'createdDateTime' },
	contacts: { url: '/me/contacts', id: 'id', updated: 'lastModifiedDateTime', created: 'createdDateTime' },
	driveItems: { url: '/me/drive/root/delta', id: 'id', updated: 'lastModifiedDateTime', created: 'createdDateTime' },
};

/**
 * A hub path: the Graph resource it stands for. Field names are resolved to Graph properties; their formats
 * described the hub's values and must be valid; Graph's values are ISO 8601 and are read as such. When id and dates are
 * the preset's, the resource is the preset itself (same defaults, same behaviour); otherwise a custom resource on
 * the preset's collection.
 */
export function fromHub(name: string, url: string, idField: string | undefined, dates: DatesSpelled): TriggerParameters {
	const { path, query } = splitUrl(url);
	const resource = hubResourceOf(path);
	if (!resource) fail(`${name}.url`, url, `this hub path has no Office 365 counterpart; use one of ${SUPPORTED_HUB_PATHS.join(', ')}, or a Microsoft Graph path such as /me/messages`);
	const preset = HUB_PRESETS[resource];
	const resolve = (value: string | undefined, key: string, fallback: string) => {
		if (!value) return fallback;
		const field = graphField(resource, value);
		if (!field) fail(key, value, `${resource} in Microsoft Graph have no such field; use ${preset.updated}, ${preset.created} or another Graph property`);
		return field;
	};
	for (const kind of ['updated', 'created']) {
		const format = dates.values[`${kind}Format`];
		if (!format) continue;
		const timezoneKey = dates.keys[`${kind}Timezone`];
		compileDateFormat(format, dates.values[`${kind}Timezone`], label(dates.keys[`${kind}Format`]), {
			timezoneParameter: label(timezoneKey ?? dates.keys[`${kind}Format`]),
		});
	}
	const id = resolve(idField, `${name}.idField`, preset.id);
	const updated = resolve(dates.values.updatedField, dates.keys.updatedField, preset.updated);
	const created = resolve(dates.values.createdField, dates.keys.createdField, preset.created);
	const eventTypes: string[] = [];
	const options: NonNullable<TriggerParameters['options']> = {};
	for (const [option, value] of query) {
		if (option.toLowerCase() !== 'where') fail(`${name}.url`, `${option}=${value}`, 'a hub path takes only a where query');
		const where = translateWhere(resource, value, `${POLLER_CONFIGURATION} → ${name}.url`);
		if (where.dateField && where.dateField !== updated && where.dateField !== created) {
			fail(`${name}.url`, value, `the where date must be the updated (${updated}) or created (${created}) field`);
		}
		// A window on the created date lists new records only.
		if (where.dateField === created && created !== updated) eventTypes.push('created');
		if (where.filter) {
			if (resource === 'driveItems') fail(`${name}.url`, value, 'files are tracked with the drive\'s delta query, which takes no conditions; keep only the date condition');
			options.filter = where.filter;
		}
	}
	if (resource === 'driveItems') {
		if (id !== preset.id || updated !== preset.updated || created !== preset.created) {
			fail(`${name}.datesConfiguration`, `${id}, ${updated}, ${created}`, `files are tracked by id, lastModifiedDateTime and createdDateTime`);
		}
		return { resource, trackingMode: 'delta', options, ...(eventTypes.length ? { eventTypes } : {}) };
	}
	const common = { options, ...(eventTypes.length ? { eventTypes } : {}) };
	if (id === preset.id && updated === preset.updated && created === preset.created) return { resource, ...common };
	return {
		resource: 'custom',
		url: preset.url,
		idField: id,
		datesConfiguration: { updatedAtField: updated, updatedAtFormat: 'ISO', createdAtField: created, createdAtFormat: 'ISO' },
		...common,
	};
}
