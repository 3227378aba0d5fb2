/**
 * What a failed Graph request tells the user: what happened, where, after how many attempts, and
 * what to do. Pure; the transport wraps the text in a NodeApiError.
 */
import type { GraphEndpoints } from './clouds';
import type { HttpFailure } from './http';
import type { RetryPolicy, StopReason } from './retryPolicy';
import { preview } from './text';

interface GraphFailureText {
	message: string;
	description?: string;
	httpCode?: string;
}

interface FailedGraphRequest {
	failure: HttpFailure;
	reason: StopReason;
	attempts: number;
	retryAfterMs?: number;
	/** The URL called; its query string is never shown. */
	url: string;
	/** Default GET. */
	method?: string;
}

const CREDENTIAL = 'the Office 365 OAuth2 API credential';

function graphErrorBody(body: unknown): { code?: string; message?: string } {
	const inner = (body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
	return {
		code: typeof inner?.code === 'string' ? inner.code : undefined,
		message: typeof inner?.message === 'string' ? inner.message : undefined,
	};
}

/** What to do about an OAuth2 `error` from the token endpoint (RFC 6749 §5.2, Entra ID's use of it). */
function identityAdvice(error: string): string {
	switch (error) {
		case 'invalid_client':
			return `The app's client secret is expired or wrong: create a new client secret in the app registration (Certificates & secrets) and enter its Value as Client Secret in ${CREDENTIAL}.`;
		case 'invalid_grant':
			return `The sign-in behind the credential expired or was revoked (password change, consent withdrawn, long inactivity): reconnect ${CREDENTIAL}.`;
		case 'unauthorized_client':
			return `The app registration does not accept this request: check Client ID, Tenant ID and Cloud in ${CREDENTIAL}, then reconnect it.`;
		default:
			return `Check ${CREDENTIAL} (Client ID, Client Secret, Tenant ID, Cloud, Login Base URL) and reconnect it.`;
	}
}

function seconds(ms: number): string {
	return `${Math.round(ms / 100) / 10} s`;
}

/** One function: one branch per kind of failure, each a message and a hint, read best side by side. */
export function describeGraphFailure(
	request: FailedGraphRequest,
	endpoints: GraphEndpoints,
	policy: RetryPolicy,
): GraphFailureText {
	const { failure, reason, attempts } = request;
	const where = `${request.method ?? 'GET'} ${request.url.split('?')[0]}`;
	const after = `after ${attempts} attempt${attempts === 1 ? '' : 's'}`;
	const nextPoll = 'Nothing was emitted; the next poll retries.';
	switch (failure.kind) {
		case 'status': {
			const graph = graphErrorBody(failure.body);
			const fromLogin = failure.url !== undefined && failure.url.startsWith(endpoints.loginBaseUrl);
			const who = fromLogin ? 'The Microsoft identity platform' : 'Microsoft Graph';
			const message = `${who} answered ${failure.status}${graph.code ? ` ${graph.code}` : ''} for ${where} ${after}`;
			let description = graph.message;
			if (failure.status >= 300 && failure.status < 400) {
				description = `Redirects are not followed, so the access token never leaves ${endpoints.graphBaseUrl}. Check the Graph API Base URL of ${CREDENTIAL}.`;
			} else if (reason === 'retryAfterBeyondBudget') {
				description = `It asked to retry after ${seconds(request.retryAfterMs ?? 0)}, more than this request's time budget (${seconds(policy.maxTotalTimeMs)}) allows. ${nextPoll}`;
			} else if (failure.status === 429) {
				description = `Throttled by Microsoft Graph. ${nextPoll}`;
			}
			return { message, description, httpCode: String(failure.status) };
		}
		case 'identity': {
			const aadsts = /\bAADSTS\d+/.exec(failure.description ?? '')?.[0];
			const refused = failure.error.startsWith('HTTP ') ? `answered ${failure.error}` : `refused: ${failure.error}${aadsts ? ` ${aadsts}` : ''}`;
			return {
				message: `Could not renew the access token for ${where}: the Microsoft identity platform ${refused}`,
				description: `${failure.description ? `${preview(failure.description, 600)} ` : ''}${identityAdvice(failure.error)}`,
				httpCode: failure.status === undefined ? undefined : String(failure.status),
			};
		}
		case 'reconnect':
			return {
				message: `Could not renew the access token for ${where}: ${failure.message}`,
				description: failure.description ?? identityAdvice('invalid_grant'),
			};
		case 'timeout':
			return {
				message: `Microsoft Graph did not answer ${where} within ${seconds(failure.timeoutMs ?? policy.attemptTimeoutMs)} ${after}`,
				description: `Each attempt has a ${seconds(policy.attemptTimeoutMs)} deadline and the request ${seconds(policy.maxTotalTimeMs)} in total. ${nextPoll}`,
			};
		case 'network':
			return {
				message: `Microsoft Graph could not be reached (${failure.code}) for ${where} ${after}`,
				description: `${failure.message}. ${nextPoll}`,
			};
		case 'tls':
			return {
				message: `Microsoft Graph could not be reached securely (${failure.code}) for ${where}`,
				description: `${failure.message}. TLS failures are not retried: check the Graph API Base URL of ${CREDENTIAL} and the server's certificate.`,
			};
		case 'tooLarge':
			return {
				message: `Microsoft Graph's answer to ${where} is larger than ${Math.round(failure.limitBytes / 1024 / 1024)} MiB, the most read for one page`,
				description: 'Lower Page Size, or choose fewer fields with Select.',
			};
		case 'cancelled':
			return { message: `The request ${where} was cancelled` };
		case 'other':
			return { message: `Microsoft Graph request ${where} failed: ${failure.code ? `${failure.code} ` : ''}${failure.message}` };
	}
}
