/**
 * The instant trigger's trigger(): the reader and the keeper. Reads what changed on notifications (handed over by the
 * webhook in this process) and on the schedule, one read at a time, and emits what it finds; keeps the subscription
 * alive (hourly renewal, recreation, lifecycle events). In a test run it gives the newest record.
 */
import type { CronExpression, ITriggerFunctions, ITriggerResponse } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { readChanges } from '../../instant/changeReader';
import { readChangesHolder, readSubscriptionState, writeChangesHolder, writeSubscriptionState } from '../../instant/instantState';
import type { InstantConfig } from '../../instant/instantConfig';
import { registerLiveTrigger } from '../../instant/liveTriggers';
import { Reconciler } from '../../instant/reconciler';
import { SubscriptionKeeper } from '../../instant/subscriptionKeeper';
import type { StandardEvent } from '../../shared/standardEvent';
import { sampleEvents } from '../../trigger/triggerPoll';
import { deltaFetcher, linkChecker, pageFetcher } from '../graphReads';
import { graphCall, readConfig, toItems, warnTo } from './context';
import { toNodeError } from '../triggerErrors';

/** Time one read may take (n8n gives a trigger no budget of its own). */
const READ_BUDGET_MS = 5 * 60_000;
/** Wait before reading again when a notification's change was not visible yet. */
const FOLLOW_UP_MS = 3_000;

/**
 * A test run (started by a notification to the test URL): the newest record, the one that just changed; no state is
 * read or written.
 */
async function emitSample(context: ITriggerFunctions, config: InstantConfig): Promise<void> {
	const deadlineMs = Date.now() + READ_BUDGET_MS;
	let events: StandardEvent[];
	try {
		events = await sampleEvents({ mode: 'delta', config: config.delta }, pageFetcher(context, deadlineMs), deltaFetcher(context, deadlineMs), Date.now());
	} catch (error) {
		throw toNodeError(context.getNode(), error);
	}
	context.emit(events.length ? [toItems(events)] : []);
}

/**
 * One function: the reader, the notification hook, the schedule and closeFunction share `closed`, the work in flight
 * and the reconciler, and each must see the others' changes at once (closing stops all of them together).
 */
export async function runInstantTrigger(this: ITriggerFunctions): Promise<ITriggerResponse> {
	const config = await readConfig(this);
	const warn = warnTo(this);
	if (this.getMode() === 'manual') return { manualTriggerFunction: async () => await emitSample(this, config) };

	const staticData = this.getWorkflowStaticData('node');
	let closed = false;
	const report = (error: unknown): void => {
		const nodeError = toNodeError(this.getNode(), error);
		// n8n 2.x records a failed execution and keeps the trigger running; 1.x has no such call. A closed trigger
		// has no execution to record: its last work only reaches the log.
		const save = (this as unknown as { saveFailedExecution?: (error: Error) => void }).saveFailedExecution;
		if (typeof save === 'function' && !closed) save.call(this, nodeError);
		else this.logger.error(`Office 365 Instant Trigger "${this.getNode().name}": ${nodeError.message}`);
	};
	/** Subscription work in flight; closing waits for it, so nothing subscribes after the trigger closed. */
	const inFlight = new Set<Promise<unknown>>();
	const track = (work: Promise<unknown>): void => {
		inFlight.add(work);
		void work.finally(() => inFlight.delete(work));
	};
	const read = async (): Promise<number> => {
		const holder = readChangesHolder(staticData);
		const startedAt = Date.now();
		const result = await readChanges({
			config,
			holder,
			fetchPage: pageFetcher(this, startedAt + READ_BUDGET_MS),
			fetchDelta: deltaFetcher(this, startedAt + READ_BUDGET_MS),
			clock: Date.now,
			deadlineMs: startedAt + READ_BUDGET_MS * 0.8,
			linkUsable: await linkChecker(this),
		});
		for (const warning of result.warnings) warn(warning);
		// Closed meanwhile (unpublished, n8n stopping): hand nothing on and keep the state; the next start reads again.
		if (closed) return 0;
		writeChangesHolder(staticData, holder);
		if (result.events.length) this.emit([toItems(result.events)]);
		return result.events.length;
	};

	// Activation notes where to start; a restart delivers what changed while n8n was down. A read error fails a user's
	// activation; at n8n's own start it is reported and the schedule reads again.
	const activation = this.getActivationMode();
	try {
		await read();
	} catch (error) {
		if (activation !== 'init' && activation !== 'leadershipChange') throw toNodeError(this.getNode(), error);
		report(error);
	}

	const reconciler = new Reconciler({ read, onError: report, sleep, followUpMs: FOLLOW_UP_MS });
	const keeper = new SubscriptionKeeper({
		call: graphCall(this),
		config,
		now: Date.now,
		load: () => readSubscriptionState(staticData).state,
		save: (state) => writeSubscriptionState(staticData, state),
		warn,
	});
	const unregister = registerLiveTrigger(this.getWorkflow().id, this.getNode().id, {
		notify: (notifications) => {
			for (const notification of notifications) {
				if (notification.kind === 'change') {
					void reconciler.request('notification');
					continue;
				}
				if (closed) continue;
				track(
					keeper
						.onLifecycle(notification.lifecycleEvent, notification.subscriptionId)
						.then(async (readNow) => readNow && (await reconciler.request(notification.lifecycleEvent === 'missed' ? 'missed' : 'resubscribed')))
						.catch(report),
				);
			}
		},
	});
	this.helpers.registerCron({ expression: config.reconcileCron as CronExpression }, () => {
		// Never subscribed (this activation failed to subscribe): the workflow is not live, read nothing.
		if (closed || readSubscriptionState(staticData).state?.current === undefined) return;
		track(
			keeper
				.maintain()
				.catch((error: unknown) => {
					report(error);
					return false;
				})
				.then(async (resubscribed) => await reconciler.request(resubscribed ? 'resubscribed' : 'schedule')),
		);
	});
	return {
		closeFunction: async () => {
			closed = true;
			unregister();
			reconciler.close();
			await Promise.allSettled([...inFlight]);
			await reconciler.idle();
		},
	};
}
