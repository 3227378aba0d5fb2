/**
 * Runs the trigger's poll() through n8n-core's real PollContext (parameters, credentials, OAuth2
 * signing and refresh, HTTP helpers), with static data that persists across polls like n8n's.
 * Mocked: only the credential store (n8n keeps it in its database).
 */
import assert from 'node:assert/strict';

import {
	NodeHelpers,
	Workflow,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type INode,
	type INodeParameters,
	type INodeExecutionData,
	type INodeType,
	type INodeTypes,
	type IWorkflowExecuteAdditionalData,
	type WorkflowExecuteMode,
} from 'n8n-workflow';

import { Office365Trigger } from '../../nodes/Office365/Office365Trigger.node.js';
import { testCredentialsHelper, testAdditionalData } from './additionalData';
import { pollThroughN8n } from './pollContext';

export class TriggerHarness {
	readonly staticData: IDataObject = {};
	readonly node: INode;
	readonly workflow: Workflow;
	/** How often n8n would have written refreshed tokens back to its database. */
	tokenUpdates = 0;
	/** What n8n's scheduler allows one poll (n8n-core's default when undefined). */
	pollBudgetMs: number | undefined;

	constructor(
		parameters: INodeParameters,
		public credential: ICredentialDataDecryptedObject,
		readonly nodeType: INodeType = new Office365Trigger(),
		/** The node's version as a saved workflow has it (n8n applies that version's defaults). */
		typeVersion = 1,
	) {
		this.node = {
			id: 'trigger-node-id',
			name: 'Office 365 Trigger',
			type: 'n8n-nodes-office365-events.office365Trigger',
			typeVersion,
			position: [0, 0],
			parameters,
			credentials: { office365OAuth2Api: { id: 'cred-1', name: 'Office 365 account' } },
		};
		const nodeTypes: INodeTypes = {
			getByName: () => this.nodeType,
			getByNameAndVersion: () => this.nodeType,
			getKnownTypes: () => ({}),
		};
		this.workflow = new Workflow({
			id: 'wf-1',
			name: 'office365 trigger test',
			nodes: [this.node],
			connections: {},
			active: true,
			nodeTypes,
			staticData: {},
		});
	}

	additionalData(): IWorkflowExecuteAdditionalData {
		const credentialsHelper = testCredentialsHelper(this, { parents: { office365OAuth2Api: ['oAuth2Api'] } });
		return testAdditionalData(credentialsHelper);
	}

	/** One poll as n8n runs it: 'trigger' for an active workflow, 'manual' for "Fetch Test Event". */
	async poll(mode: WorkflowExecuteMode = 'trigger'): Promise<INodeExecutionData[][] | null> {
		return await pollThroughN8n(this.nodeType, this.workflow, this.node, this.additionalData(), this.staticData, mode, this.pollBudgetMs);
	}

	/** The user edits the node's parameters in the editor; the stored state stays. n8n applies the defaults. */
	edit(parameters: INodeParameters): void {
		const node = this.workflow.getNode(this.node.name)!;
		const { description } = this.nodeType;
		node.parameters = NodeHelpers.getNodeParameters(description.properties, parameters, true, false, node, description) ?? {};
	}

	/** Items of one poll as plain JSON (empty when poll returned null). */
	async pollJson(mode: WorkflowExecuteMode = 'trigger'): Promise<IDataObject[]> {
		const result = await this.poll(mode);
		return result ? result[0].map((item) => item.json) : [];
	}

	/** What n8n would persist: static data after a JSON round trip. */
	persistedState(): IDataObject {
		return JSON.parse(JSON.stringify(this.staticData)) as IDataObject;
	}

	/** A poll that must fail with `message` and leave nothing stored (bad input is refused before anything is applied). */
	async pollFailsWithoutState(message: RegExp): Promise<void> {
		await assert.rejects(this.poll(), (error: Error) => {
			assert.match(error.message, message);
			return true;
		});
		assert.deepEqual(this.persistedState(), {});
	}

	/** Simulates a restart: the in-memory object is replaced by the persisted JSON. */
	restart(): void {
		const persisted = this.persistedState();
		for (const key of Object.keys(this.staticData)) delete this.staticData[key];
		Object.assign(this.staticData, persisted);
	}
}
