/**
 * Runs the Office 365 Instant Trigger the way n8n does, through n8n-core's real contexts: activation calls the
 * webhook methods (HookContext: checkExists, then create) and trigger() (TriggerContext) on one workflow object;
 * Graph's POSTs reach a loopback HTTP server that runs webhook() in a WebhookContext built for each request from the
 * stored static data; deactivation closes the trigger and calls delete on a workflow read back from storage. Static
 * data is "stored" when n8n stores it: after activation, on every emit, after a webhook that changed it.
 *
 * Replaced: n8n's database (a JSON copy of static data, the credential), its HTTP server (node:http with the query
 * and JSON body parsed as Express does) and its scheduler (the test calls `tick()` instead of waiting for cron).
 */
import './n8nUserFolder';
import { HookContext, LoadOptionsContext, TriggerContext, WebhookContext } from 'n8n-core';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
	NodeHelpers,
	Workflow,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type INode,
	type INodeExecutionData,
	type INodeListSearchResult,
	type INodeParameters,
	type INodeType,
	type INodeTypes,
	type ITriggerResponse,
	type IWebhookData,
	type IWebhookDescription,
	type IWorkflowExecuteAdditionalData,
	type WorkflowActivateMode,
} from 'n8n-workflow';

import { Office365InstantTrigger } from '../../nodes/Office365/Office365InstantTrigger.node.js';
import type { GraphSimulator } from '../graph-simulator';
import { testCredentialsHelper, testAdditionalData } from './additionalData';
import { startLoopbackServer, type LoopbackServer } from './loopbackServer';

export interface Execution {
	/** Wall-clock ms when n8n would have started the execution (the emit). */
	at: number;
	mode: 'trigger' | 'manual';
	items: IDataObject[];
}

export interface WebhookCall {
	at: number;
	mode: 'webhook' | 'manual';
	status: number;
	contentType: string;
	body: string;
	durationMs: number;
}

interface RunningTrigger {
	workflow: Workflow;
	response: ITriggerResponse;
	crons: Array<() => void>;
}

export class InstantHarness {
	readonly nodeType = new Office365InstantTrigger();
	readonly node: INode;
	/** What n8n's database holds for the workflow's static data. */
	storedStaticData: IDataObject = {};
	readonly executions: Execution[] = [];
	readonly webhookCalls: WebhookCall[] = [];
	/** Errors the trigger reported (n8n 2.x saves them as failed executions). */
	readonly failures: Error[] = [];
	tokenUpdates = 0;
	private server: LoopbackServer | undefined;
	private running: RunningTrigger | undefined;
	/** n8n is not running: connections to its webhook are dropped. */
	private down = false;
	/** Replaces how n8n's webhook server answers (a proxy that swallows the validation request, a dead n8n). */
	webhookOverride: ((req: IncomingMessage, res: ServerResponse) => boolean) | undefined;

	constructor(
		readonly sim: GraphSimulator,
		public credential: ICredentialDataDecryptedObject,
		parameters: INodeParameters,
	) {
		this.node = {
			id: 'instant-node-id',
			name: 'Office 365 Instant Trigger',
			type: 'n8n-nodes-office365-events.office365InstantTrigger',
			typeVersion: 1,
			position: [0, 0],
			webhookId: '6f1c2f9e-3b1d-4a8e-9c55-1f0e2d3c4b5a',
			parameters,
			credentials: { office365OAuth2Api: { id: 'cred-1', name: 'Office 365 account' } },
		};
	}

	get webhookBaseUrl(): string {
		if (this.server === undefined) throw new Error('harness not started');
		return this.server.url;
	}

	/** The production notification URL n8n gives this node. */
	get notificationUrl(): string {
		return `${this.webhookBaseUrl}/webhook/${this.node.webhookId}/graph`;
	}

	async start(): Promise<void> {
		this.server = await startLoopbackServer((req, res) => void this.serveWebhook(req, res));
	}

	async dispose(): Promise<void> {
		await this.closeTrigger();
		await this.server?.close();
	}

	/** The user edits the node; takes effect at the next activation (n8n reactivates changed workflows). */
	edit(parameters: INodeParameters): void {
		this.node.parameters = parameters;
	}

	private workflowFromStorage(): Workflow {
		const nodeTypes: INodeTypes = {
			getByName: () => this.nodeType,
			getByNameAndVersion: () => this.nodeType,
			getKnownTypes: () => ({}),
		};
		return new Workflow({
			id: 'wf-instant',
			name: 'instant trigger test',
			nodes: [structuredClone(this.node)],
			connections: {},
			active: true,
			nodeTypes,
			staticData: structuredClone(this.storedStaticData),
		});
	}

	private saveStaticData(workflow: Workflow): void {
		const data = workflow.staticData as IDataObject & { __dataChanged?: boolean };
		if (data.__dataChanged !== true) return;
		this.storedStaticData = JSON.parse(JSON.stringify(data)) as IDataObject;
		data.__dataChanged = false;
	}

	private additionalData(extra: Partial<IWorkflowExecuteAdditionalData> = {}): IWorkflowExecuteAdditionalData {
		const helper = testCredentialsHelper(this, { parents: { office365OAuth2Api: ['oAuth2Api'] } });
		return {
			...testAdditionalData(helper),
			webhookBaseUrl: `${this.webhookBaseUrl}/webhook`,
			webhookTestBaseUrl: `${this.webhookBaseUrl}/webhook-test`,
			...extra,
		} as IWorkflowExecuteAdditionalData;
	}

	private webhookData(workflow: Workflow, additionalData: IWorkflowExecuteAdditionalData, isTest: boolean): IWebhookData {
		const description = this.nodeType.description.webhooks![0] as IWebhookDescription;
		const node = workflow.getNode(this.node.name)!;
		return {
			httpMethod: 'POST',
			node: node.name,
			path: NodeHelpers.getNodeWebhookPath(workflow.id, node, 'graph', false, false),
			webhookDescription: description,
			workflowId: workflow.id,
			workflowExecuteAdditionalData: additionalData,
			webhookId: node.webhookId,
			isTest,
		};
	}

	private hookContext(workflow: Workflow, mode: 'trigger' | 'manual', activation: WorkflowActivateMode): HookContext {
		const additionalData = this.additionalData();
		const node = workflow.getNode(this.node.name)!;
		return new HookContext(workflow, node, additionalData, mode, activation, this.webhookData(workflow, additionalData, mode === 'manual'));
	}

	/**
	 * Publishing (`activate`), n8n starting with the workflow published (`init`), or republishing (`update`): the webhook
	 * methods, then trigger(), on one workflow object; static data stored afterwards. Throws what n8n would report.
	 */
	async activate(activation: WorkflowActivateMode = 'activate'): Promise<void> {
		if (this.running) throw new Error('already active; deactivate() or stop() first');
		this.down = false;
		const workflow = this.workflowFromStorage();
		const hook = this.hookContext(workflow, 'trigger', activation);
		const methods = this.nodeType.webhookMethods!.default;
		if (!(await methods.checkExists.call(hook))) await methods.create.call(hook);
		const crons: Array<() => void> = [];
		const node = workflow.getNode(this.node.name)!;
		const context = new TriggerContext(
			workflow,
			node,
			this.additionalData(),
			'trigger',
			activation,
			(data: INodeExecutionData[][]) => {
				this.saveStaticData(workflow);
				this.executions.push({ at: Date.now(), mode: 'trigger', items: data[0].map((item) => item.json) });
			},
			(error: Error) => this.failures.push(error),
			(error: Error) => this.failures.push(error),
			{ registerCron: (_cron: unknown, onTick: () => void) => crons.push(onTick) } as never,
		);
		const response = await this.nodeType.trigger!.call(context);
		this.running = { workflow, response, crons };
		this.saveStaticData(workflow);
	}

	/** n8n stops: the trigger closes, subscriptions stay, the webhook stops answering until the next activate(). */
	async stop(): Promise<void> {
		await this.closeTrigger();
		this.down = true;
	}

	/** The node's static data as stored. */
	get storedNodeState(): IDataObject {
		return (this.storedStaticData[`node:${this.node.name}`] ?? {}) as IDataObject;
	}

	/** Unpublishing: the trigger closes and delete runs on the workflow as stored. */
	async deactivate(): Promise<void> {
		await this.closeTrigger();
		const workflow = this.workflowFromStorage();
		await this.nodeType.webhookMethods!.default.delete.call(this.hookContext(workflow, 'trigger', 'manual'));
		this.saveStaticData(workflow);
	}

	private async closeTrigger(): Promise<void> {
		const running = this.running;
		this.running = undefined;
		if (running === undefined) return;
		await running.response.closeFunction?.();
		this.saveStaticData(running.workflow);
	}

	/** The schedule fires (the cron registered by trigger()). */
	tick(): void {
		if (!this.running) throw new Error('not active');
		for (const onTick of this.running.crons) onTick();
	}

	/** How many crons trigger() registered with n8n's scheduler. */
	get cronCount(): number {
		return this.running?.crons.length ?? 0;
	}

	/** A searchable list of the node's resource locators, as the editor loads it (n8n-core's LoadOptionsContext). */
	async listSearch(method: string, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
		const search = (this.nodeType as INodeType).methods?.listSearch?.[method];
		if (search === undefined) throw new Error(`the node has no searchable list ${method}`);
		const workflow = this.workflowFromStorage();
		return await search.call(new LoadOptionsContext(workflow, workflow.getNode(this.node.name)!, this.additionalData(), ''), filter, paginationToken);
	}

	/** "Listen for test event": the webhook methods in manual mode, against the test webhook URL. */
	async listenForTestEvent(): Promise<{ stop: () => Promise<void> }> {
		const workflow = this.workflowFromStorage();
		const methods = this.nodeType.webhookMethods!.default;
		const hook = this.hookContext(workflow, 'manual', 'manual');
		if (!(await methods.checkExists.call(hook))) await methods.create.call(hook);
		this.testStaticData = workflow.staticData as IDataObject;
		return {
			stop: async () => {
				await methods.delete.call(this.hookContext(workflow, 'manual', 'manual'));
				this.testStaticData = undefined;
			},
		};
	}

	private testStaticData: IDataObject | undefined;

	private async serveWebhook(req: IncomingMessage, res: ServerResponse): Promise<void> {
		if (this.down) {
			req.socket.destroy();
			return;
		}
		const started = Date.now();
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		const url = new URL(req.url ?? '/', 'http://127.0.0.1');
		const test = url.pathname.startsWith('/webhook-test/');
		const call: WebhookCall = { at: started, mode: test ? 'manual' : 'webhook', status: 0, contentType: '', body: '', durationMs: 0 };
		this.webhookCalls.push(call);
		const writeHead = res.writeHead.bind(res) as (status: number, headers?: Record<string, string>) => ServerResponse;
		res.writeHead = ((status: number, headers?: Record<string, string>) => {
			call.status = status;
			call.contentType = headers?.['Content-Type'] ?? '';
			return writeHead(status, headers);
		}) as typeof res.writeHead;
		const end = res.end.bind(res) as (chunk?: unknown) => ServerResponse;
		res.end = ((chunk?: unknown) => {
			call.durationMs = Date.now() - started;
			if (typeof chunk === 'string') call.body = chunk;
			return end(chunk);
		}) as typeof res.end;
		if (this.webhookOverride?.(req, res)) return;
		if (req.method !== 'POST' || !(url.pathname.startsWith('/webhook/') || test)) {
			res.writeHead(404).end();
			return;
		}

		const text = Buffer.concat(chunks).toString('utf8');
		const workflow = this.workflowFromStorage();
		if (test && this.testStaticData) workflow.setTestStaticData(this.testStaticData);
		const request = Object.assign(req, {
			query: Object.fromEntries(url.searchParams),
			body: /json/i.test(String(req.headers['content-type'])) && text ? (JSON.parse(text) as unknown) : {},
			params: {},
		});
		const additionalData = this.additionalData({ httpRequest: request as never, httpResponse: res as never });
		const context = new WebhookContext(workflow, workflow.getNode(this.node.name)!, additionalData, call.mode, this.webhookData(workflow, additionalData, test), [], null);
		try {
			const result = await this.nodeType.webhook!.call(context);
			if (!res.headersSent) res.writeHead(200).end();
			if (!test) this.saveStaticData(workflow);
			// n8n starts a test run at this node, which has a trigger(): it runs trigger() in manual mode for the data.
			if (result.workflowData && test) this.executions.push({ at: Date.now(), mode: 'manual', items: await this.runTestTrigger(workflow) });
		} catch (error) {
			this.failures.push(error as Error);
			if (!res.headersSent) res.writeHead(500).end();
		}
	}

	/** What n8n's WorkflowExecute does for a trigger node in a manual run (TriggersAndPollers.runTriggerFunction). */
	private async runTestTrigger(workflow: Workflow): Promise<IDataObject[]> {
		const context = new TriggerContext(workflow, workflow.getNode(this.node.name)!, this.additionalData(), 'manual', 'manual');
		const response = await this.nodeType.trigger!.call(context);
		const emitted = new Promise<INodeExecutionData[][]>((resolve, reject) => {
			// n8n swaps these in after trigger() returned, as here.
			Object.assign(context, { emit: (data: INodeExecutionData[][]) => resolve(data), emitError: (error: Error) => reject(error) });
		});
		try {
			await response.manualTriggerFunction?.();
			const data = await emitted;
			return data.length === 0 ? [] : data[0].map((item) => item.json);
		} finally {
			await response.closeFunction?.();
		}
	}

	/** Resolves once nothing has happened for `quietMs`: no notification in flight, no Graph request, no new execution. */
	async quiet(quietMs = 300, timeoutMs = 30_000): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		let last = '';
		let since = Date.now();
		for (;;) {
			await this.sim.notificationsSettled();
			const inFlight = this.sim.requests.some((r) => r.status === undefined);
			const now = `${this.sim.requests.length}/${this.executions.length}/${this.webhookCalls.length}/${inFlight}`;
			if (now !== last) {
				last = now;
				since = Date.now();
			} else if (!inFlight && Date.now() - since >= quietMs) return;
			if (Date.now() > deadline) throw new Error(`not quiet after ${timeoutMs} ms (${now})`);
			await new Promise((resolve) => setTimeout(resolve, 25));
		}
	}

	/** Items of the executions the running trigger started (not test runs), in order. */
	events(): IDataObject[] {
		return this.executions.filter((e) => e.mode === 'trigger').flatMap((e) => e.items);
	}
}
