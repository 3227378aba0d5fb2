/** Runs the trigger's dynamic-list methods through n8n-core's real LoadOptionsContext. */
import { LoadOptionsContext } from 'n8n-core';
import type { ICredentialDataDecryptedObject, INodePropertyOptions } from 'n8n-workflow';

import { getMailFolders } from '../../nodes/Office365/methods/loadOptions';
import { TriggerHarness } from './pollHarness';

export class LoadOptionsHarness {
	constructor(private readonly credential: ICredentialDataDecryptedObject) {}

	async getMailFolders(): Promise<INodePropertyOptions[]> {
		const trigger = new TriggerHarness({ resource: 'messages' }, this.credential);
		const additionalData = trigger.additionalData();
		const context = new LoadOptionsContext(trigger.workflow, trigger.node, additionalData, '');
		return await getMailFolders.call(context);
	}
}
