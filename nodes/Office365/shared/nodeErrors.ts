/**
 * The package's errors for n8n. n8n's NodeError replaces a message that merely contains a Node error code
 * (ECONNREFUSED, EPERM…) or a well-known HTTP status with generic text; the messages built here already say
 * what happened (URL, status, attempts, parameter), and a URL, host name or response body can contain such a
 * code by chance, so they are kept exactly as written.
 */
import { NodeApiError, NodeOperationError, type INode, type JsonObject } from 'n8n-workflow';

interface ErrorDetails {
	description?: string;
	itemIndex?: number;
}

export function operationError(node: INode, message: string, details: ErrorDetails = {}): NodeOperationError {
	const error = new NodeOperationError(node, message, details);
	error.message = message;
	return error;
}

/** Built from text alone: the thrown error never carries the request (its Authorization or signature header). */
export function apiError(node: INode, message: string, details: ErrorDetails & { httpCode?: string }): NodeApiError {
	const error = new NodeApiError(node, { message } as JsonObject, { message, ...details });
	error.message = message;
	if (details.description) error.description = details.description;
	return error;
}
