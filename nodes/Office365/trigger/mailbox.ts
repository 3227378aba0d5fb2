/**
 * Whose mailbox the presets read: the signed-in user's (`/me`) or another one by address or object id
 * (`/users/{address|id}`: shared mailboxes, delegated access, app-only access).
 */
import { Office365ConfigError } from './errors';

/** The signed-in user's mailbox, as stored in the Mailbox parameter. */
export const MY_MAILBOX = 'me';

/** A resource locator parameter (Mailbox, Folder): n8n's locator object, or a plain string in older or hand-written workflows. */
export type LocatorParameter = string | { mode?: string; value?: unknown } | undefined;

interface Mailbox {
	/** `me`, or the address / id in lower case (the same mailbox however it is spelled). */
	key: string;
	/** Path prefix under {graph}/v1.0: `/me` or `/users/{encoded}`. */
	path: string;
}

/** The text of a resource locator (Mailbox, Folder), or of the plain string such a parameter held before; '' when unset. */
export function locatorValue(parameter: LocatorParameter): string {
	const value = typeof parameter === 'object' && parameter !== null ? parameter.value : parameter;
	return typeof value === 'string' ? value : '';
}

const ADDRESS = /^[^\s@/\\?#%]+@[^\s@/\\?#%]+\.[^\s@/\\?#%]+$/;
const OBJECT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Resolves the Mailbox parameter. With app-only access there is no signed-in user, so `/me` is refused here, at
 * activation, rather than by Graph on every poll.
 */
export function resolveMailbox(parameter: LocatorParameter, appOnly: boolean): Mailbox {
	const value = locatorValue(parameter).trim();
	if (value === '' || value.toLowerCase() === MY_MAILBOX) {
		if (appOnly) {
			throw new Office365ConfigError(
				'Mailbox',
				'My Mailbox',
				'the credential uses app-only access (Client Credentials), which has no signed-in user; choose the mailbox by address (such as support@contoso.com) or by ID',
			);
		}
		return { key: MY_MAILBOX, path: '/me' };
	}
	if (!ADDRESS.test(value) && !OBJECT_ID.test(value)) {
		throw new Office365ConfigError('Mailbox', value, 'enter an email address such as support@contoso.com, or the user\'s object ID (a GUID)');
	}
	const key = value.toLowerCase();
	return { key, path: `/users/${encodeURIComponent(key)}` };
}
