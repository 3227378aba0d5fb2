/**
 * What one trigger polls: one resource entered in fields, or every resource of a pasted Open Connectors
 * configuration, each tracked by timestamp or by Graph delta queries. Built and validated once per poll, before
 * any request.
 */
import { buildDeltaConfig, type DeltaConfig } from './deltaConfig';
import { Office365ConfigError } from './errors';
import { buildPollConfig, type PollConfig, type TriggerParameters } from './triggerConfig';

export type ResourcePlan = { mode: 'timestamp'; config: PollConfig } | { mode: 'delta'; config: DeltaConfig };

/** One resource's plan from parameters as the fields mode has them. */
export function buildResourcePlan(parameters: TriggerParameters): ResourcePlan {
	if (parameters.resource === 'driveItems' || parameters.trackingMode === 'delta') {
		return { mode: 'delta', config: buildDeltaConfig(parameters) };
	}
	if (parameters.eventTypes?.includes('deleted')) {
		throw new Office365ConfigError('Event Types', 'deleted', 'deletions are seen only with Tracking Mode Delta; choose it, or remove Deleted');
	}
	return { mode: 'timestamp', config: buildPollConfig(parameters) };
}

export function buildTriggerPlan(parameters: TriggerParameters): ResourcePlan[] {
	return [buildResourcePlan(parameters)];
}
