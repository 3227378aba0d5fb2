import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IHttpRequestOptions,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

import { SIGNATURE_HEADER, signBody } from '../nodes/Office365/forward/signature';

/**
 * Signing key for Office 365 Event Forward notifications: Open Connectors'
 * `event.notification.signature.key`. It is not sent anywhere; `authenticate` uses it to add
 * `Elements-Webhook-Signature: sha256=<base64 HMAC-SHA256 of the body>` to each request, the way
 * n8n's AWS credential signs requests. The secret therefore never reaches node code, outputs or logs.
 */
export class Office365EventSigningApi implements ICredentialType {
	name = 'office365EventSigningApi';

	displayName = 'Office 365 Event Signing API';

	icon: Icon = { light: 'file:../nodes/Office365/office365.svg', dark: 'file:../nodes/Office365/office365.dark.svg' };

	documentationUrl =
		'https://github.com/n8n-nodes-office365-events/n8n-nodes-office365-events#office-365-event-forward';

	properties: INodeProperties[] = [
		{
			displayName:
				'Receivers verify notifications by recomputing the HMAC-SHA256 of the raw request body with this key. Use the same value as Open Connectors\' "Callback Notification Signature Key" to keep existing receivers working.',
			name: 'signingNotice',
			type: 'notice',
			default: '',
		},
		// The scanner warns (it does not recognize "signingKey" as a secret name); it is one: an HMAC key.
		{
			displayName: 'Signing Key',
			name: 'signingKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'Shared secret used as the HMAC-SHA256 key (UTF-8). Leading and trailing spaces are part of the key.',
		},
	];

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const key = typeof credentials.signingKey === 'string' ? credentials.signingKey : '';
		if (key === '') {
			throw new Error('The Office 365 Event Signing API credential has no signing key');
		}
		const headers: Record<string, string> = {};
		for (const [name, value] of Object.entries(requestOptions.headers ?? {})) {
			if (name.toLowerCase() !== SIGNATURE_HEADER.toLowerCase()) headers[name] = value as string;
		}
		let body = requestOptions.body;
		let signed: string | Buffer;
		if (body === undefined || body === null) {
			signed = '';
		} else if (typeof body === 'string' || Buffer.isBuffer(body)) {
			signed = body;
		} else if (
			Array.isArray(body) ||
			(typeof body === 'object' && Object.getPrototypeOf(body) === Object.prototype)
		) {
			// Serialize once here so that the bytes signed are the bytes sent.
			signed = JSON.stringify(body);
			body = signed;
			if (!Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')) {
				headers['Content-Type'] = 'application/json';
			}
		} else {
			throw new Error(
				'Elements-Webhook-Signature can only be computed for a JSON, text or binary body, not a form body',
			);
		}
		headers[SIGNATURE_HEADER] = signBody(signed, key);
		return { ...requestOptions, body, headers };
	}
}
