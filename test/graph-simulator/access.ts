// Who may read what, as Graph decides it for Outlook data: the token's grant (delegated scopes of a signed-in user,
// or an app's roles from the client-credentials flow), the mailbox addressed (/me or /users/{id}) and the workload.
//
// - Delegated, own mailbox: the workload's read scope (Mail.Read, Calendars.Read, Contacts.Read or wider).
// - Delegated, another mailbox (shared mailbox, delegate access): the `.Shared` scope of the workload AND a
//   mailbox permission for the signed-in user (`delegates`, what an Exchange admin grants as FullAccess).
// - App-only: the workload's application role (admin-consented) and, when the tenant set an application access
//   policy, the mailbox must be in it. `/me` has no meaning without a user: 400, as Graph answers.
// Every refusal is Graph's 403 `ErrorAccessDenied` body (directory reads: `Authorization_RequestDenied`).

import { GraphHttpError } from './odataErrors';

export type Grant =
	| { kind: 'delegated'; userId: string; scopes: ReadonlySet<string> }
	| { kind: 'app'; clientId: string; roles: ReadonlySet<string> };

export type Workload = 'mail' | 'calendar' | 'contacts';

/** What access decisions need to know about a mailbox. */
export interface MailboxAccess {
	ownerId: string;
	/** Users (ids) with full access to this mailbox besides its owner. */
	delegates: ReadonlySet<string>;
}

const READ_SCOPES: Record<Workload, string[]> = {
	mail: ['mail.read', 'mail.readbasic', 'mail.readwrite'],
	calendar: ['calendars.read', 'calendars.readbasic', 'calendars.readwrite'],
	contacts: ['contacts.read', 'contacts.readwrite'],
};
const SHARED_SCOPES: Record<Workload, string[]> = {
	mail: ['mail.read.shared', 'mail.readwrite.shared'],
	calendar: ['calendars.read.shared', 'calendars.readwrite.shared'],
	contacts: ['contacts.read.shared', 'contacts.readwrite.shared'],
};
const APP_ROLES: Record<Workload, string[]> = {
	mail: ['mail.read', 'mail.readbasic.all', 'mail.readwrite'],
	calendar: ['calendars.read', 'calendars.readwrite'],
	contacts: ['contacts.read', 'contacts.readwrite'],
};
const DIRECTORY_SCOPES = ['user.readbasic.all', 'user.read.all', 'directory.read.all'];
const DIRECTORY_ROLES = ['user.read.all', 'directory.read.all'];

export const ACCESS_DENIED = 'Access is denied. Check credentials and try again.';
export const ME_NEEDS_USER = '/me request is only valid with delegated authentication flow.';
const POLICY_BLOCKED = 'Access to OData is disabled: [RAOP] : Blocked by tenant configured AppOnly AccessPolicy settings.';

/** `https://graph.microsoft.com/Mail.Read` and `Mail.Read` are the same permission; compared case-insensitively. */
export function permissionName(scope: string): string {
	return scope.replace(/^https?:\/\/[^/]+\//i, '').toLowerCase();
}

const holds = (granted: ReadonlySet<string>, wanted: string[]): boolean => wanted.some((name) => granted.has(name));

function denied(message = ACCESS_DENIED): GraphHttpError {
	return new GraphHttpError(403, 'ErrorAccessDenied', message);
}

/** Throws Graph's error when `grant` may not read `workload` data of `mailbox`. */
export function checkMailboxAccess(grant: Grant, mailbox: MailboxAccess, workload: Workload, accessPolicy?: ReadonlySet<string>): void {
	if (grant.kind === 'app') {
		if (!holds(grant.roles, APP_ROLES[workload])) throw denied();
		if (accessPolicy !== undefined && !accessPolicy.has(mailbox.ownerId)) throw denied(POLICY_BLOCKED);
		return;
	}
	if (grant.userId === mailbox.ownerId) {
		if (!holds(grant.scopes, [...READ_SCOPES[workload], ...SHARED_SCOPES[workload]])) throw denied();
		return;
	}
	if (!holds(grant.scopes, SHARED_SCOPES[workload]) || !mailbox.delegates.has(grant.userId)) throw denied();
}

/** Listing users (the mailbox picker): User.ReadBasic.All or wider, delegated or as an app role. */
export function checkDirectoryAccess(grant: Grant): void {
	const ok = grant.kind === 'app' ? holds(grant.roles, DIRECTORY_ROLES) : holds(grant.scopes, DIRECTORY_SCOPES);
	if (!ok) throw new GraphHttpError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
}
