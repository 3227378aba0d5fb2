/** The signing credential's Test button: there is no server to ask, so it checks that a usable key is set. */
import type { ICredentialTestFunctions, ICredentialsDecrypted, INodeCredentialTestResult } from 'n8n-workflow';

import { checkSigningKey } from '../../forward/signature';

export async function office365EventSigningKeyTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const check = checkSigningKey(credential.data?.signingKey);
	return { status: check.ok ? 'OK' : 'Error', message: check.message };
}
