/**
 * The limits of one HTTP attempt through n8n: its wall-clock deadline and the cancellations it follows
 * (the execution's and the caller's), and the failure a thrown attempt ended with. Used by transport.ts only.
 */
import type { IExecuteFunctions, IN8nHttpFullResponse } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { classifyHttpError, type HttpFailure, type TransportFailure } from './http';
import { discardBody, parseJson, readAtMost } from './responseBody';

/** Of an error answer, only Graph's error object is used. */
const ERROR_BODY_BYTES = 64 * 1024;

/** The execution's cancel signal (execute contexts have one) and the caller's own, if any. */
export function cancelSignalsOf(context: object, extra?: AbortSignal): AbortSignal[] {
	const execution =
		'getExecutionCancelSignal' in context ? (context as IExecuteFunctions).getExecutionCancelSignal() : undefined;
	return [execution, extra].filter((signal): signal is AbortSignal => signal !== undefined);
}

interface Linked {
	/** Aborts as soon as any of the linked signals does (or `abort` is called). */
	signal: AbortSignal;
	abort: (reason: unknown) => void;
	/** Unhooks from the linked signals; call when done. */
	release: () => void;
}

/**
 * Links signals by hand rather than with AbortSignal.any, whose result holds its sources only
 * weakly: a timeout signal inside it can be collected before it fires.
 */
export function linkSignals(sources: readonly AbortSignal[]): Linked {
	const controller = new AbortController();
	const hooks = sources.map((source) => {
		const onAbort = (): void => controller.abort(source.reason);
		if (source.aborted) onAbort();
		else source.addEventListener('abort', onAbort, { once: true });
		return () => source.removeEventListener('abort', onAbort);
	});
	return {
		signal: controller.signal,
		abort: (reason) => controller.abort(reason),
		release: () => hooks.forEach((unhook) => unhook()),
	};
}

export interface AttemptSignal {
	/** Aborts when the caller cancels or the attempt's deadline passes, whichever comes first. */
	signal: AbortSignal;
	/** Why it aborted: the caller's cancellation wins over the deadline. */
	failure: () => TransportFailure;
	/** Stops the deadline timer and unhooks from the caller's signals; call when the attempt is over. */
	release: () => void;
}

/** The deadline is n8n-workflow's `sleep` (node code may not set timers itself). */
export function attemptSignal(timeoutMs: number, cancels: readonly AbortSignal[]): AttemptSignal {
	const linked = linkSignals(cancels);
	const timer = new AbortController();
	sleep(timeoutMs, timer.signal).then(
		() => linked.abort(new Error(`deadline of ${timeoutMs} ms passed`)),
		() => undefined,
	);
	return {
		signal: linked.signal,
		failure: () => (cancels.some((cancel) => cancel.aborted) ? { kind: 'cancelled' } : { kind: 'timeout', timeoutMs }),
		release: () => {
			timer.abort();
			linked.release();
		},
	};
}

/**
 * n8n-core hands `httpRequestWithAuthentication` the execution's cancel signal in place of the
 * request's `abortSignal` when the context has one; a context whose cancel signal is the attempt's
 * lets the deadline close the connection too.
 */
export function withAttemptSignal<C extends object>(context: C, signal: AbortSignal): C {
	if (!('getExecutionCancelSignal' in context)) return context;
	return Object.create(context, { getExecutionCancelSignal: { value: () => signal } }) as C;
}

/**
 * Settles like `work`, or rejects as soon as `signal` aborts: n8n's token refresh inside a request
 * takes no signal, and the deadline must hold for it too. A response arriving after that is freed.
 */
export async function beforeAbort(work: Promise<IN8nHttpFullResponse>, signal: AbortSignal): Promise<IN8nHttpFullResponse> {
	let onAbort = (): void => undefined;
	const aborted = new Promise<never>((_, reject) => {
		onAbort = () => reject(signal.reason as Error);
		if (signal.aborted) onAbort();
		else signal.addEventListener('abort', onAbort, { once: true });
	});
	try {
		return await Promise.race([work, aborted]);
	} finally {
		signal.removeEventListener('abort', onAbort);
		if (signal.aborted) work.then((late) => discardBody(late.body), () => undefined);
	}
}

/** The failure of a thrown attempt; an error answer's body is read (up to a limit) for Graph's message. */
export async function failureOf(error: unknown, attempt: AttemptSignal): Promise<HttpFailure> {
	if (attempt.signal.aborted) return attempt.failure();
	const failure = classifyHttpError(error);
	if (failure.kind !== 'status') return failure;
	try {
		const { bytes } = await readAtMost(failure.body, ERROR_BODY_BYTES, attempt.signal);
		failure.body = parseJson(bytes) ?? bytes.toString('utf8');
	} catch {
		failure.body = undefined;
	}
	return failure;
}
