/**
 * Keeps the running trigger's subscription alive for as long as the workflow is published: renewed every hour
 * (renewing also reauthorizes, so this holds even when lifecycle notifications reach another n8n process),
 * reauthorized on `reauthorizationRequired`, recreated when Graph removed it or it expired. One operation at a time.
 */
import type { InstantConfig } from './instantConfig';
import type { SubscriptionState } from './instantState';
import type { LifecycleEvent } from './notifications';
import { createSubscription, reauthorizeSubscription, renewSubscription, type GraphCall } from './subscriptions';

const RENEW_EVERY_MS = 60 * 60_000;

interface KeeperDeps {
	call: GraphCall;
	config: InstantConfig;
	now(): number;
	load(): SubscriptionState | undefined;
	save(state: SubscriptionState): void;
	warn(message: string): void;
}

export class SubscriptionKeeper {
	private lastRenewedAt = Number.NEGATIVE_INFINITY;
	private chain: Promise<unknown> = Promise.resolve();

	constructor(private readonly deps: KeeperDeps) {}

	/** The schedule's turn. Resolves true when a new subscription was made (changes may have gone unannounced). */
	maintain(): Promise<boolean> {
		return this.serially(async () => {
			const state = this.deps.load();
			// No URL means activation never subscribed: nothing to keep.
			if (state?.notificationUrl === undefined) return false;
			if (state.current === undefined) return await this.recreate(state, 'none was stored');
			const now = this.deps.now();
			if (now - this.lastRenewedAt < RENEW_EVERY_MS && state.current.expiresAt - now > 2 * RENEW_EVERY_MS) return false;
			const expiresAt = await renewSubscription(this.deps.call, state.current.id, now);
			if (expiresAt === undefined) return await this.recreate(state, `Graph no longer has subscription ${state.current.id} (expired or removed)`);
			this.lastRenewedAt = now;
			this.deps.save({ ...state, current: { ...state.current, expiresAt } });
			return false;
		});
	}

	/** A verified lifecycle notification. Resolves true when the changes should be read. */
	onLifecycle(event: LifecycleEvent, subscriptionId: string): Promise<boolean> {
		return this.serially(async () => {
			const state = this.deps.load();
			if (event === 'missed' || state?.notificationUrl === undefined || state.current?.id !== subscriptionId) return true;
			if (event === 'reauthorizationRequired') {
				if (await reauthorizeSubscription(this.deps.call, subscriptionId)) return true;
				return await this.recreate(state, `Graph no longer has subscription ${subscriptionId}`);
			}
			return await this.recreate(state, `Graph removed subscription ${subscriptionId}`);
		});
	}

	private async recreate(state: SubscriptionState & { notificationUrl?: string }, why: string): Promise<true> {
		const current = await createSubscription(
			this.deps.call,
			this.deps.config,
			{ ...state, notificationUrl: state.notificationUrl! },
			this.deps.now(),
			(error) => this.deps.warn(`could not delete an older subscription: ${(error as Error).message}`),
		);
		this.lastRenewedAt = this.deps.now();
		this.deps.save({ ...state, current });
		this.deps.warn(`subscribed again (${why}); the next read delivers what changed meanwhile`);
		return true;
	}

	private serially<T>(work: () => Promise<T>): Promise<T> {
		const result = this.chain.then(work, work);
		this.chain = result.catch(() => undefined);
		return result;
	}
}
