/**
 * Some Graph refusals are answers, not failures: a mailbox without a Junk Email folder (404), a user who may not
 * list the directory (403). This runs a Graph call and hands back those statuses; any other error is thrown as is
 * (the transport already made it a NodeApiError naming URL, status and attempts).
 */
export async function unlessStatus<T>(statuses: string[], call: () => Promise<T>): Promise<{ value: T } | { status: string }> {
	let failure: unknown;
	try {
		return { value: await call() };
	} catch (error) {
		failure = error;
	}
	const status = (failure as { httpCode?: unknown } | undefined)?.httpCode;
	if (typeof status === 'string' && statuses.includes(status)) return { status };
	throw failure;
}
