/**
 * n8n's clock, for tests that let time pass. n8n gives nodes no clock to inject: the trigger reads n8n's time
 * with `Date.now()`. While installed, `Date.now()` answers `read()` (the test's clock, usually the simulator's),
 * so n8n's clock and the server's can agree, or disagree on purpose (the simulator's `dateHeaderOffsetMs`).
 */
export function followClock(read: () => number): () => void {
	const real = Date.now;
	Date.now = () => read();
	return () => {
		Date.now = real;
	};
}
