/**
 * What one trigger polls: one resource entered in fields, or every resource of a pasted Open Connectors
 * configuration, each tracked by timestamp or by Graph delta queries. Built and validated once per poll, before
 * any request.
 */
import { buildDeltaConfig, type DeltaConfig } from './deltaConfig';
import { catchConfigError, Office365ConfigError } from './errors';
import { parsePollerConfiguration, type PollerResource } from './openConnectorsConfig';
import { POLLER_CONFIGURATION } from './pastedValues';
import { buildPollConfig, type PollConfig } from './triggerConfig';
import type { Access, TriggerParameters } from './triggerParameters';
import { splitUrl } from './urlParts';

export type ResourcePlan = { mode: 'timestamp'; config: PollConfig } | { mode: 'delta'; config: DeltaConfig };

/** One resource's plan from parameters as the fields mode has them. */
export function buildResourcePlan(parameters: TriggerParameters, access: Access = { appOnly: false }): ResourcePlan {
	if (parameters.resource === 'driveItems' || parameters.trackingMode === 'delta') {
		return { mode: 'delta', config: buildDeltaConfig(parameters, access) };
	}
	// Deletions are seen only by delta; tracked by timestamp, a resource reports the other changes (the value
	// may carry Deleted over from a switch of Tracking Mode, or from a pasted configuration's node settings).
	const eventTypes = parameters.eventTypes?.filter((type) => type !== 'deleted');
	return { mode: 'timestamp', config: buildPollConfig({ ...parameters, eventTypes }, access) };
}

/**
 * One pasted resource under the node's settings: Event Types and Options apply to every resource, the
 * resource's own keys (pollDelay, pageSize, createdCheckTolerance, a where condition) win. Tracking Mode applies
 * to mail, calendar and contacts; files are tracked by delta, Graph paths by timestamp unless they are a delta
 * function.
 */
function pastedResourcePlan(node: TriggerParameters, pasted: PollerResource, access: Access): ResourcePlan {
	const own = pasted.parameters;
	const trackingMode =
		own.trackingMode ?? (own.resource === 'custom' ? (/\/delta(\(\))?$/i.test(splitUrl(own.url ?? '').path) ? 'delta' : 'timestamp') : node.trackingMode);
	const filters = [own.options?.filter, node.options?.filter].filter((filter): filter is string => !!filter?.trim());
	const parameters: TriggerParameters = {
		...own,
		trackingMode,
		eventTypes: own.eventTypes ?? node.eventTypes,
		options: { ...node.options, ...own.options, filter: filters.length > 1 ? filters.map((filter) => `(${filter})`).join(' and ') : filters[0] },
	};
	return catchConfigError(
		() => buildResourcePlan(parameters, access),
		(error) => {
			const key = pasted.keys[error.parameter];
			throw key
				? new Office365ConfigError(`${POLLER_CONFIGURATION} → ${key}`, error.value, error.hint)
				: new Office365ConfigError(`${error.parameter} (resource ${pasted.name})`, error.value, error.hint);
		},
	);
}

/**
 * Everything a trigger polls. With `configurationMode: 'json'` this also checks a pasted Open Connectors
 * configuration: it returns a plan per resource or throws an Office365ConfigError whose parameter names the
 * resource and key at fault (`Poller Configuration → messages.url`).
 */
export function buildTriggerPlan(parameters: TriggerParameters, access: Access = { appOnly: false }): ResourcePlan[] {
	if (parameters.configurationMode !== 'json') return [buildResourcePlan(parameters, access)];
	return parsePollerConfiguration(parameters.pollerConfiguration).map((pasted) => pastedResourcePlan(parameters, pasted, access));
}
