/**
 * The instant triggers running in this n8n process, by workflow and node, so the webhook (which n8n calls with a
 * fresh context per request) can hand verified notifications to the trigger that reads the changes. In a process
 * without the trigger (a queue-mode webhook process) nothing is found; the trigger's schedule catches the change.
 */
import type { GraphNotification } from './notifications';

interface LiveTrigger {
	/** Must return at once: the webhook answers Graph within 3 s. */
	notify(notifications: GraphNotification[]): void;
}

const live = new Map<string, LiveTrigger>();

const keyOf = (workflowId: string | undefined, nodeId: string): string => `${workflowId ?? ''}\u0000${nodeId}`;

/** Registers the trigger; the returned function unregisters it (only if it is still the registered one). */
export function registerLiveTrigger(workflowId: string | undefined, nodeId: string, trigger: LiveTrigger): () => void {
	const key = keyOf(workflowId, nodeId);
	live.set(key, trigger);
	return () => {
		if (live.get(key) === trigger) live.delete(key);
	};
}

export function findLiveTrigger(workflowId: string | undefined, nodeId: string): LiveTrigger | undefined {
	return live.get(keyOf(workflowId, nodeId));
}
