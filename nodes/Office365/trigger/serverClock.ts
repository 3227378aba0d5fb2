/**
 * Which clock moves the window. Records are stamped by Microsoft's clock, which the `Date` header of Graph's
 * answer reports; n8n's clock is the other witness. Neither is trusted alone: the window may only move up to the
 * earlier of the two, so a server clock that runs ahead (or a broken Date header in 2100) never skips mail, and
 * n8n's clock running ahead never does either. A disagreement beyond the margin is reported.
 */

/** How far the two clocks may disagree before it is reported (and how far back a first poll reaches). */
export const CLOCK_SKEW_MARGIN_MS = 10 * 60 * 1000;

interface ClockReading {
	/** The instant the window may move up to: the earlier of n8n's clock and the server's. */
	referenceMs: number;
	/** Server minus n8n, when they disagree by more than the margin. */
	disagreementMs?: number;
}

export function readClocks(n8nNowMs: number, serverTimeMs: number | undefined): ClockReading {
	if (serverTimeMs === undefined || !Number.isFinite(serverTimeMs)) return { referenceMs: n8nNowMs };
	const difference = serverTimeMs - n8nNowMs;
	return {
		referenceMs: Math.min(n8nNowMs, serverTimeMs),
		disagreementMs: Math.abs(difference) > CLOCK_SKEW_MARGIN_MS ? difference : undefined,
	};
}

/** One line for n8n's log: what the clocks said and what the trigger did about it. */
export function describeDisagreement(reading: ClockReading, serverTimeMs: number): string {
	const minutes = Math.round(Math.abs(reading.disagreementMs ?? 0) / 60_000);
	const direction = (reading.disagreementMs ?? 0) > 0 ? 'ahead of' : 'behind';
	return (
		`Microsoft Graph's clock (Date header ${new Date(serverTimeMs).toISOString()}) is about ${minutes} min ${direction} n8n's clock. ` +
		`The trigger moves its window only up to the earlier of the two (${new Date(reading.referenceMs).toISOString()}), ` +
		'so no change is skipped; changes may arrive later until the clocks agree. Check the n8n host clock (NTP) or a proxy rewriting the Date header.'
	);
}
