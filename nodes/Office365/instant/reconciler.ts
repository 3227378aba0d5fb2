/**
 * Runs the change reads of one instant trigger one at a time. Any number of requests (ten notifications for one
 * change, a lifecycle event, the schedule) while a read runs lead to exactly one more read after it, because that
 * read may have started before the change; requests never run reads side by side, so the change tracker sees one
 * reader and no change is handed on twice.
 *
 * A notification can arrive before the change is visible to reads (Graph replicates): when a read caused by
 * notifications finds nothing, one follow-up read runs a little later.
 */

type ReconcileReason = 'schedule' | 'notification' | 'missed' | 'resubscribed' | 'follow-up';

interface ReconcilerDeps {
	/** Reads what changed, hands it on and returns how many changes it handed on. */
	read(): Promise<number>;
	onError(error: unknown): void;
	/** n8n-workflow's sleep. */
	sleep(ms: number): Promise<void>;
	followUpMs: number;
}

export class Reconciler {
	private requested = 0;
	private completed = 0;
	private pendingReasons: ReconcileReason[] = [];
	/** The running drain loop; cleared by the loop itself the moment it decides to stop. */
	private draining: Promise<void> | undefined;
	private waiters: Array<{ until: number; resolve: () => void }> = [];
	private followUpScheduled = false;
	private closed = false;

	constructor(private readonly deps: ReconcilerDeps) {}

	/** Asks for a read; resolves once a read that started after this call has finished (or the reconciler closed). */
	request(reason: ReconcileReason): Promise<void> {
		if (this.closed) return Promise.resolve();
		const until = ++this.requested;
		this.pendingReasons.push(reason);
		const done = new Promise<void>((resolve) => this.waiters.push({ until, resolve }));
		this.draining ??= this.drain();
		return done;
	}

	/** Stops: no new reads start; waiters are released. A read in progress finishes. */
	close(): void {
		this.closed = true;
		for (const waiter of this.waiters) waiter.resolve();
		this.waiters = [];
	}

	/** Resolves when no read is running or queued. */
	async idle(): Promise<void> {
		while (this.draining) await this.draining;
	}

	private async drain(): Promise<void> {
		// No await between the last check and the reset: a request that finds the loop gone starts a new one.
		try {
			while (!this.closed && this.completed < this.requested) {
				const target = this.requested;
				const reasons = [...new Set(this.pendingReasons)];
				this.pendingReasons = [];
				let handedOn = -1;
				try {
					handedOn = await this.deps.read();
				} catch (error) {
					this.deps.onError(error);
				}
				this.completed = target;
				this.release();
				if (handedOn === 0 && reasons.includes('notification')) this.scheduleFollowUp();
			}
		} finally {
			this.draining = undefined;
		}
	}

	private release(): void {
		const still: typeof this.waiters = [];
		for (const waiter of this.waiters) {
			if (waiter.until <= this.completed) waiter.resolve();
			else still.push(waiter);
		}
		this.waiters = still;
	}

	private scheduleFollowUp(): void {
		if (this.followUpScheduled || this.closed) return;
		this.followUpScheduled = true;
		void this.deps.sleep(this.deps.followUpMs).then(async () => {
			this.followUpScheduled = false;
			await this.request('follow-up');
		});
	}
}
