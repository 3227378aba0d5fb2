/**
 * Both triggers' errors for n8n: n8n's own pass through; the pure modules' errors become NodeOperationErrors whose
 * description says what to do. Whatever failed, nothing was emitted and the stored state did not move.
 */
import { NodeApiError, NodeOperationError, type INode } from 'n8n-workflow';

import { Office365ConfigError } from '../shared/configError';
import { operationError } from '../shared/nodeErrors';
import { DateValueError, RecordError } from '../trigger/errors';

export function toNodeError(node: INode, error: unknown): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	if (error instanceof Office365ConfigError) return operationError(node, error.message, { description: error.hint });
	const message = error instanceof Error ? error.message : String(error);
	if (error instanceof RecordError || error instanceof DateValueError) {
		return operationError(node, message, {
			description: 'Check ID Field and Dates Configuration against the records the URL returns. The watermark did not move.',
		});
	}
	return operationError(node, message, {
		description: 'Nothing was emitted and the stored state did not move; the next poll or read covers the same changes again.',
	});
}
