/**
 * Runs any polling node's poll() the way n8n's ActiveWorkflows does: through n8n-core's real
 * PollContext (parameter resolution, credential lookup, OAuth2 signing, HTTP helpers), in trigger
 * mode, with node static data that persists from poll to poll. Only n8n's credential store is
 * stood in for (n8n keeps it in its database); both triggers go through the same code.
 */
import {
	Workflow,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type INode,
	type INodeExecutionData,
	type INodeParameters,
	type INodeType,
	type INodeTypes,
	type IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';
import { testCredentialsHelper, testAdditionalData } from '../test/support/additionalData';
import { followClock } from '../test/support/n8nClock';
import { pollThroughN8n } from '../test/support/pollContext';

/** Which credential types each type extends, as n8n's CredentialTypes would answer. */
const CREDENTIAL_PARENTS: Record<string, string[]> = {
	office365OAuth2Api: ['oAuth2Api'],
	microsoftOutlookOAuth2Api: ['microsoftOAuth2Api', 'oAuth2Api'],
	microsoftOAuth2Api: ['oAuth2Api'],
};

export interface PollNodeSetup {
	nodeType: INodeType;
	/** Full node type name as stored in a workflow, e.g. `n8n-nodes-base.microsoftOutlookTrigger`. */
	typeName: string;
	parameters: INodeParameters;
	credentialType: string;
	/** Decrypted credential data as n8n hands it to the node. */
	credential: ICredentialDataDecryptedObject;
	/** The node's version in the workflow (default 1). */
	typeVersion?: number;
}

export class PollRunner {
	/** The node's static data (`getWorkflowStaticData('node')`), kept across polls. */
	readonly staticData: IDataObject = {};
	readonly node: INode;
	private readonly workflow: Workflow;
	/** The stored credential (refreshed tokens are written back here, as n8n would). */
	credential: ICredentialDataDecryptedObject;
	/** Token refreshes n8n would have written back. */
	tokenUpdates = 0;

	/** `n8nClock`: what the node reads as n8n's time (the simulated clock, which the workloads move). */
	constructor(
		private readonly setup: PollNodeSetup,
		private readonly n8nClock: () => number,
	) {
		this.credential = setup.credential;
		this.node = {
			id: `${setup.typeName}-bench`,
			name: setup.nodeType.description.displayName,
			type: setup.typeName,
			typeVersion: setup.typeVersion ?? 1,
			position: [0, 0],
			parameters: setup.parameters,
			credentials: { [setup.credentialType]: { id: 'bench-credential', name: 'bench credential' } },
		};
		const nodeTypes: INodeTypes = {
			getByName: () => setup.nodeType,
			getByNameAndVersion: () => setup.nodeType,
			getKnownTypes: () => ({}),
		};
		this.workflow = new Workflow({
			id: `bench-${setup.typeName}`,
			name: 'poll benchmark',
			nodes: [this.node],
			connections: {},
			active: true,
			nodeTypes,
			staticData: {},
		});
	}

	private additionalData(): IWorkflowExecuteAdditionalData {
		const credentialsHelper = testCredentialsHelper(this, { parents: CREDENTIAL_PARENTS });
		return testAdditionalData(credentialsHelper);
	}

	/** One scheduled poll of an active workflow. */
	async poll(): Promise<INodeExecutionData[][] | null> {
		const restore = followClock(this.n8nClock);
		try {
			return await pollThroughN8n(this.setup.nodeType, this.workflow, this.node, this.additionalData(), this.staticData);
		} finally {
			restore();
		}
	}

	/** Remembered changes in the static data: entries of every tracker's seen / skipped / tags / removed maps. */
	historyEntries(): number {
		const trackers = Object.values((this.staticData.trackers ?? {}) as Record<string, Record<string, unknown>>);
		return trackers.reduce(
			(sum, tracker) => sum + ['seen', 'skipped', 'tags', 'removed'].reduce((count, map) => count + Object.keys((tracker[map] ?? {}) as object).length, 0),
			0,
		);
	}

	/** Bytes n8n would store for the node's static data (JSON, UTF-8). */
	staticDataBytes(): number {
		return Buffer.byteLength(JSON.stringify(this.staticData));
	}
}
