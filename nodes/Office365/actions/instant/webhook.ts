/**
 * The instant trigger's webhook: Graph's validation request gets its token back; a notification is answered 202 at
 * once, then its verified entries go to the trigger running in this process (the reader), or start a test run.
 */
import type { IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { verifyClientState } from '../../instant/clientState';
import { readSubscriptionState } from '../../instant/instantState';
import { findLiveTrigger } from '../../instant/liveTriggers';
import { readNotifications, validationTokenOf } from '../../instant/notifications';
import { warnTo } from './context';

export async function receiveNotifications(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const res = this.getResponseObject();
	const token = validationTokenOf(this.getQueryData());
	if (token !== undefined) {
		res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
		res.end(token);
		return { noWebhookResponse: true };
	}
	const key = readSubscriptionState(this.getWorkflowStaticData('node')).state?.clientStateKey;
	const received = readNotifications(this.getBodyData(), (clientState) => key !== undefined && verifyClientState(key, clientState));
	res.writeHead(202);
	res.end();
	if (received.rejected > 0) warnTo(this)(`ignored ${received.rejected} notification(s) without a valid clientState`);
	if (received.accepted.length === 0) return { noWebhookResponse: true };
	// "Listen for test event": starting the test run is enough; n8n then runs trigger() in manual mode for its data.
	if (this.getMode() === 'manual') return { noWebhookResponse: true, workflowData: [[{ json: {} }]] };
	findLiveTrigger(this.getWorkflow().id, this.getNode().id)?.notify(received.accepted);
	return { noWebhookResponse: true };
}
