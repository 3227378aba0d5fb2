import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { INodeProperties } from 'n8n-workflow';

// `.js`: an extensionless specifier would load the codex Office365EventForward.node.json beside it.
import { Office365EventForward } from '../../nodes/Office365/Office365EventForward.node.js';
import { DEFAULT_DELIVERY_POLICY, resolveDeliveryPolicy } from '../../nodes/Office365/forward/delivery';

/** Option name in the node description → the delivery-policy field it sets (as execute() reads them). */
const POLICY_OPTIONS = {
	maxAttempts: 'maxAttempts',
	timeout: 'attemptTimeoutMs',
	initialRetryDelay: 'initialDelayMs',
	maxRetryDelay: 'maxDelayMs',
	maxTotalTime: 'maxTotalTimeMs',
} as const;

describe('Event Forward description', () => {
	const options = new Office365EventForward().description.properties.find((property) => property.name === 'options');
	const optionDefaults = Object.fromEntries(
		((options?.options ?? []) as INodeProperties[]).map((option) => [option.name, option.default]),
	);

	// n8n's scanner wants literal defaults in descriptions; the delivery module owns the values.
	it('shows the delivery policy defaults as literal defaults', () => {
		for (const [option, field] of Object.entries(POLICY_OPTIONS)) {
			assert.equal(optionDefaults[option], DEFAULT_DELIVERY_POLICY[field], `option ${option}`);
		}
	});

	it('a workflow that sets every option to its shown default gets the default policy', () => {
		const partial = Object.fromEntries(Object.entries(POLICY_OPTIONS).map(([option, field]) => [field, optionDefaults[option]]));
		assert.deepEqual(resolveDeliveryPolicy(partial), DEFAULT_DELIVERY_POLICY);
	});
});
