/** Runs the trigger's dynamic-list methods through n8n-core's real LoadOptionsContext. */
import { LoadOptionsContext } from 'n8n-core';
import type { ICredentialDataDecryptedObject, INodeListSearchResult, INodeParameters, INodePropertyOptions } from 'n8n-workflow';

import { getMailFolders } from '../../nodes/Office365/methods/loadOptions';
import { searchMailboxes, searchMailFolders } from '../../nodes/Office365/methods/listSearch';
import { Office365Trigger } from '../../nodes/Office365/Office365Trigger.node.js';
import { TriggerHarness } from './pollHarness';

export class LoadOptionsHarness {
	/** `parameters`: the node as the editor has it when the list is opened (version 2 for the searchable lists). */
	constructor(
		private readonly credential: ICredentialDataDecryptedObject,
		private readonly parameters: INodeParameters = { resource: 'messages' },
	) {}

	private context(typeVersion: number): LoadOptionsContext {
		const trigger = new TriggerHarness(this.parameters, this.credential, new Office365Trigger(), typeVersion);
		return new LoadOptionsContext(trigger.workflow, trigger.node, trigger.additionalData(), '');
	}

	async getMailFolders(): Promise<INodePropertyOptions[]> {
		return await getMailFolders.call(this.context(1));
	}

	async searchMailFolders(filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
		return await searchMailFolders.call(this.context(2), filter, paginationToken);
	}

	async searchMailboxes(filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
		return await searchMailboxes.call(this.context(2), filter, paginationToken);
	}
}
