/** One poll() of a polling node through n8n-core's real PollContext, static data kept by the caller. */
import { PollContext } from 'n8n-core';
import type {
	IDataObject,
	INode,
	INodeExecutionData,
	INodeType,
	IWorkflowExecuteAdditionalData,
	Workflow,
	WorkflowExecuteMode,
} from 'n8n-workflow';

export async function pollThroughN8n(
	nodeType: INodeType,
	workflow: Workflow,
	node: INode,
	additionalData: IWorkflowExecuteAdditionalData,
	staticData: IDataObject,
	mode: WorkflowExecuteMode = 'trigger',
	pollBudgetMs?: number,
): Promise<INodeExecutionData[][] | null> {
	const budget = pollBudgetMs === undefined ? undefined : () => pollBudgetMs;
	const context = new PollContext(workflow, node, additionalData, mode, 'activate', undefined, undefined, undefined, undefined, () => staticData, budget);
	return await nodeType.poll!.call(context);
}
