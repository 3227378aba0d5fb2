import type {
	CronExpression,
	IDataObject,
	IHookFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	ITriggerFunctions,
	ITriggerResponse,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeApiError, NodeConnectionTypes, NodeOperationError, sleep } from 'n8n-workflow';

import { readChanges, trackerConfig } from './instant/changeReader';
import { newClientStateKey, verifyClientState } from './instant/clientState';
import { buildInstantConfig, type InstantConfig, type InstantParameters } from './instant/instantConfig';
import { instantProperties } from './instant/instantDescription';
import { readChangesHolder, readSubscriptionState, writeChangesHolder, writeSubscriptionState, type SubscriptionState } from './instant/instantState';
import { findLiveTrigger, registerLiveTrigger } from './instant/liveTriggers';
import { readNotifications, validationTokenOf } from './instant/notifications';
import { Reconciler } from './instant/reconciler';
import { SubscriptionKeeper } from './instant/subscriptionKeeper';
import {
	adoptLiveSubscription,
	createSubscription,
	deleteOwnSubscriptions,
	notificationUrlProblem,
	unreachableUrlMessage,
	type GraphCall,
} from './instant/subscriptions';
import { getMailFolders } from './methods/loadOptions';
import { getGraphEndpoints, graphPageFetcher, graphRequest } from './shared/transport';
import type { StandardEvent } from './shared/standardEvent';
import { Office365ConfigError } from './shared/configError';
import { fetchNewestEvents } from './trigger/pollCycle';

/** Time one read may take (n8n gives a trigger no budget of its own). */
const READ_BUDGET_MS = 5 * 60_000;
/** Wait before reading again when a notification's change was not visible yet. */
const FOLLOW_UP_MS = 3_000;

type Context = IHookFunctions | ITriggerFunctions | IWebhookFunctions;

/** n8n's errors pass through; the pure modules' errors become NodeOperationErrors with what to do. */
function toNodeError(context: Context, error: unknown): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	if (error instanceof Office365ConfigError) return new NodeOperationError(context.getNode(), error.message, { description: error.hint });
	return new NodeOperationError(context.getNode(), error as Error, {
		description: 'Nothing was handed on and the stored state did not move; the next read covers the same changes.',
	});
}

function readConfig(context: Context): InstantConfig {
	try {
		return buildInstantConfig({
			resource: context.getNodeParameter('resource') as string,
			folder: context.getNodeParameter('folder', '') as string,
			eventTypes: context.getNodeParameter('eventTypes', ['created', 'updated']) as string[],
			reconcileMinutes: context.getNodeParameter('reconcileMinutes', undefined) as InstantParameters['reconcileMinutes'],
		});
	} catch (error) {
		throw toNodeError(context, error);
	}
}

/** Graph calls for the subscription modules: 404 is an answer (the subscription is gone), other failures throw. */
function graphCall(context: Context): GraphCall {
	return async ({ method, url, body }) => {
		try {
			const response = await graphRequest.call(context, { method, url, body: body as IDataObject | undefined });
			return { status: response.statusCode, body: response.body };
		} catch (error) {
			if (error instanceof NodeApiError && error.httpCode === '404') return { status: 404, body: {} };
			throw toNodeError(context, error);
		}
	};
}

function warnTo(context: Context): (message: string) => void {
	return (message) => context.logger.warn(`Office 365 Instant Trigger "${context.getNode().name}": ${message}`);
}

function loadState(context: Context, staticData: IDataObject): SubscriptionState | undefined {
	const stored = readSubscriptionState(staticData);
	if (stored.problem) warnTo(context)(`${stored.problem}; a new subscription will be made`);
	return stored.state;
}

function toItems(events: StandardEvent[]): INodeExecutionData[] {
	return events.map((event) => ({ json: event as unknown as IDataObject }));
}

function unreachable(context: Context, url: string | undefined, why: string): NodeOperationError {
	const { message, hint } = unreachableUrlMessage(url, why);
	return new NodeOperationError(context.getNode(), message, { description: hint });
}

/**
 * Graph answers 400 ValidationError when n8n's webhook did not echo the validation token in time. On n8n 1.x the
 * answer's text is lost (only the status survives n8n's error wrapping); our request is well-formed, so a 400
 * without text is taken as the same.
 */
function isValidationFailure(error: unknown): error is NodeApiError {
	if (!(error instanceof NodeApiError) || error.httpCode !== '400') return false;
	return !error.description || /validation/i.test(`${error.message} ${error.description}`);
}

export class Office365InstantTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Office 365 Instant Trigger',
		name: 'office365InstantTrigger',
		icon: { light: 'file:office365.svg', dark: 'file:office365.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{"Instant changes in " + $parameter["resource"]}}',
		description:
			'Starts the workflow within seconds when mail, calendar events or contacts change (Microsoft Graph change notifications, checked by regular reads)',
		defaults: { name: 'Office 365 Instant Trigger' },
		credentials: [{ name: 'office365OAuth2Api', required: true }],
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'graph' }],
		properties: instantProperties,
	};

	methods = { loadOptions: { getMailFolders } };

	webhookMethods = {
		default: {
			/** Activation and every n8n start: adopt and renew the live subscription Graph has for this URL, if any. */
			async checkExists(this: IHookFunctions): Promise<boolean> {
				const config = readConfig(this);
				const notificationUrl = this.getNodeWebhookUrl('default');
				const staticData = this.getWorkflowStaticData('node');
				const state = loadState(this, staticData);
				if (state === undefined || notificationUrl === undefined) return false;
				const current = await adoptLiveSubscription(graphCall(this), config, notificationUrl, state.clientStateKey, Date.now());
				if (current === undefined) return false;
				writeSubscriptionState(staticData, { ...state, notificationUrl, current });
				return true;
			},

			/** Subscribes (Graph first checks that it can reach the webhook) and removes older subscriptions of this URL. */
			async create(this: IHookFunctions): Promise<boolean> {
				const config = readConfig(this);
				const notificationUrl = this.getNodeWebhookUrl('default');
				const problem = notificationUrlProblem(notificationUrl, (await getGraphEndpoints.call(this)).cloud !== 'custom');
				if (problem !== undefined) throw unreachable(this, notificationUrl, problem);
				const staticData = this.getWorkflowStaticData('node');
				const state: SubscriptionState = {
					...(loadState(this, staticData) ?? { version: 1, clientStateKey: newClientStateKey() }),
					notificationUrl,
				};
				let current;
				try {
					current = await createSubscription(graphCall(this), config, { ...state, notificationUrl: notificationUrl! }, Date.now(), (error) =>
						warnTo(this)(`could not delete an older subscription: ${(error as Error).message}`),
					);
				} catch (error) {
					throw isValidationFailure(error) ? unreachable(this, notificationUrl, error.description ?? error.message) : toNodeError(this, error);
				}
				writeSubscriptionState(staticData, { ...state, current });
				return true;
			},

			/** Deactivation: deletes every subscription that notifies this webhook. */
			async delete(this: IHookFunctions): Promise<boolean> {
				const notificationUrl = this.getNodeWebhookUrl('default');
				const staticData = this.getWorkflowStaticData('node');
				if (notificationUrl !== undefined) await deleteOwnSubscriptions(graphCall(this), notificationUrl);
				const state = readSubscriptionState(staticData).state;
				if (state !== undefined) writeSubscriptionState(staticData, { version: state.version, clientStateKey: state.clientStateKey });
				return true;
			},
		},
	};

	/** Graph's validation request and notifications: answered at once; verified ones go to the running trigger. */
	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
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

	/** The reader and keeper: reads on notifications and on the schedule, renews and recreates the subscription. */
	async trigger(this: ITriggerFunctions): Promise<ITriggerResponse> {
		const config = readConfig(this);
		const warn = warnTo(this);
		// A test run (started by a notification to the test URL): the newest record, the one that just changed; no
		// state is read or written.
		if (this.getMode() === 'manual') {
			return {
				manualTriggerFunction: async () => {
					let events: StandardEvent[];
					try {
						events = await fetchNewestEvents(trackerConfig(config), graphPageFetcher(this, Date.now() + READ_BUDGET_MS), Date.now());
					} catch (error) {
						throw toNodeError(this, error);
					}
					this.emit(events.length ? [toItems(events)] : []);
				},
			};
		}

		const staticData = this.getWorkflowStaticData('node');
		const report = (error: unknown): void => {
			const nodeError = toNodeError(this, error);
			// n8n 2.x records a failed execution and keeps the trigger running; 1.x has no such call.
			const save = (this as unknown as { saveFailedExecution?: (error: Error) => void }).saveFailedExecution;
			if (typeof save === 'function') save.call(this, nodeError);
			else this.logger.error(`Office 365 Instant Trigger "${this.getNode().name}": ${nodeError.message}`);
		};
		let closed = false;
		const read = async (): Promise<number> => {
			const holder = readChangesHolder(staticData);
			const startedAt = Date.now();
			const result = await readChanges({
				config,
				holder,
				fetchPage: graphPageFetcher(this, startedAt + READ_BUDGET_MS),
				clock: Date.now,
				deadlineMs: startedAt + READ_BUDGET_MS * 0.8,
			});
			for (const warning of result.warnings) warn(warning);
			// Closed meanwhile (unpublished, n8n stopping): hand nothing on and keep the state; the next start reads again.
			if (closed) return 0;
			writeChangesHolder(staticData, holder);
			if (result.events.length) this.emit([toItems(result.events)]);
			return result.events.length;
		};
		// Activation notes where to start; a restart delivers what changed while n8n was down. A read error fails a
		// user's activation; at n8n's own start it is reported and the schedule reads again.
		const activation = this.getActivationMode();
		try {
			await read();
		} catch (error) {
			if (activation !== 'init' && activation !== 'leadershipChange') throw toNodeError(this, error);
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
					void keeper
						.onLifecycle(notification.lifecycleEvent, notification.subscriptionId)
						.then(async (readNow) => readNow && (await reconciler.request(notification.lifecycleEvent === 'missed' ? 'missed' : 'resubscribed')))
						.catch(report);
				}
			},
		});
		this.helpers.registerCron({ expression: config.reconcileCron as CronExpression }, () => {
			// Never subscribed (this activation failed to subscribe): the workflow is not live, read nothing.
			if (readSubscriptionState(staticData).state?.current === undefined) return;
			void keeper
				.maintain()
				.catch((error: unknown) => {
					report(error);
					return false;
				})
				.then(async (resubscribed) => await reconciler.request(resubscribed ? 'resubscribed' : 'schedule'));
		});
		return {
			closeFunction: async () => {
				closed = true;
				unregister();
				reconciler.close();
				await reconciler.idle();
			},
		};
	}
}
