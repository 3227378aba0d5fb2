/**
 * The instant trigger's webhook methods, which n8n calls when the workflow is published, at every n8n start (and on a
 * new leader), for test runs, and when it is unpublished: find and renew, create, delete the Graph subscription.
 */
import type { IDataObject, IHookFunctions } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { newClientStateKey } from '../../instant/clientState';
import { readSubscriptionState, writeSubscriptionState, type SubscriptionState } from '../../instant/instantState';
import {
	adoptLiveSubscription,
	createSubscription,
	deleteOwnSubscriptions,
	notificationUrlProblem,
	refusedSubscriptionMessage,
	unreachableUrlMessage,
} from '../../instant/subscriptions';
import { operationError } from '../../shared/nodeErrors';
import { getGraphEndpoints } from '../../shared/transport';
import { graphCall, readConfig, warnTo } from './context';
import { toNodeError } from '../triggerErrors';

function loadState(context: IHookFunctions, staticData: IDataObject): SubscriptionState | undefined {
	const stored = readSubscriptionState(staticData);
	if (stored.problem) warnTo(context)(`${stored.problem}; a new subscription will be made`);
	return stored.state;
}

function unreachable(context: IHookFunctions, url: string | undefined, why: string): Error {
	const { message, hint } = unreachableUrlMessage(url, why);
	return operationError(context.getNode(), message, { description: hint });
}

/**
 * Graph answers 400 ValidationError when n8n's webhook did not echo the validation token in time. On n8n 1.x the
 * answer's text can be lost (only the status survives n8n's error wrapping); our request is well-formed, so a 400
 * without text is taken as the same.
 */
function isValidationFailure(error: unknown): error is NodeApiError {
	if (!(error instanceof NodeApiError) || error.httpCode !== '400') return false;
	return !error.description || /validation/i.test(`${error.message} ${error.description}`);
}

/** Adopts and renews the live subscription Graph has for this webhook URL, if any. */
export async function checkSubscription(this: IHookFunctions): Promise<boolean> {
	const config = await readConfig(this);
	const notificationUrl = this.getNodeWebhookUrl('default');
	const staticData = this.getWorkflowStaticData('node');
	const state = loadState(this, staticData);
	if (state === undefined || notificationUrl === undefined) return false;
	const current = await adoptLiveSubscription(graphCall(this), config, notificationUrl, state.clientStateKey, Date.now());
	if (current === undefined) return false;
	writeSubscriptionState(staticData, { ...state, notificationUrl, current });
	return true;
}

/** Subscribes (Graph first checks that it can reach the webhook) and removes older subscriptions of this URL. */
export async function createSubscriptionForWebhook(this: IHookFunctions): Promise<boolean> {
	const config = await readConfig(this);
	const notificationUrl = this.getNodeWebhookUrl('default');
	const problem = notificationUrlProblem(notificationUrl, (await getGraphEndpoints.call(this)).cloud !== 'custom');
	if (problem !== undefined || notificationUrl === undefined) throw unreachable(this, notificationUrl, problem ?? 'no URL');
	const staticData = this.getWorkflowStaticData('node');
	const state: SubscriptionState & { notificationUrl: string } = {
		...(loadState(this, staticData) ?? { version: 1, clientStateKey: newClientStateKey() }),
		notificationUrl,
	};
	let current;
	try {
		current = await createSubscription(graphCall(this), config, state, Date.now(), (error) =>
			warnTo(this)(`could not delete an older subscription: ${(error as Error).message}`),
		);
	} catch (error) {
		if (isValidationFailure(error)) throw unreachable(this, notificationUrl, error.description ?? error.message);
		if (error instanceof NodeApiError && error.httpCode === '403') {
			const { message, hint } = refusedSubscriptionMessage(config, error.description ?? undefined);
			throw operationError(this.getNode(), message, { description: hint });
		}
		throw toNodeError(this.getNode(), error);
	}
	writeSubscriptionState(staticData, { ...state, current });
	return true;
}

/** Deletes every subscription that notifies this webhook; the clientState key stays for the next activation. */
export async function deleteSubscriptions(this: IHookFunctions): Promise<boolean> {
	const notificationUrl = this.getNodeWebhookUrl('default');
	const staticData = this.getWorkflowStaticData('node');
	if (notificationUrl !== undefined) await deleteOwnSubscriptions(graphCall(this), notificationUrl);
	const state = readSubscriptionState(staticData).state;
	if (state !== undefined) writeSubscriptionState(staticData, { version: state.version, clientStateKey: state.clientStateKey });
	return true;
}
