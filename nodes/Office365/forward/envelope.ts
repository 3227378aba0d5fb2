import { createHash, randomUUID } from 'node:crypto';

import { Office365ConfigError } from '../shared/configError';
import type { EventType, StandardEvent } from '../shared/standardEvent';
import { checkStandardEvent } from './eventCheck';

/** One entry of `message.events`, in Open Connectors' field order. */
interface EnvelopeEvent {
	elementKey: string;
	eventType: EventType;
	objectType: string;
	objectId: string;
	date: string;
}

/**
 * The Open Connectors callback payload. `raw` holds `objectType` plus one array named after it
 * with the vendor records, in the same order as `events`.
 */
interface Envelope {
	message: {
		eventId: string;
		instanceId: string | number | null;
		instanceName: string | null;
		elementKey: string;
		events: EnvelopeEvent[];
		raw: { objectType: string } & Record<string, unknown>;
	};
}

export interface ForwardInput {
	/** Index of the n8n input item (used for pairedItem). */
	index: number;
	json: unknown;
	/** Callback URL for this item, already validated. Notifications never mix URLs. */
	url: string;
}

export type WebhookIdMode = 'derived' | 'random';

interface BuildOptions {
	/** Events per notification; 1 = one notification per event. Open Connectors used 10. */
	batchSize: number;
	instanceId: string | number | null;
	instanceName: string | null;
	/**
	 * derived (default): Elements-Webhook-Id is computed from the notification's content, so
	 * re-running the node (n8n Retry On Fail, retrying the execution) re-sends the same id and the
	 * receiver can drop the duplicate. random: a fresh UUID per notification and run.
	 */
	webhookIdMode?: WebhookIdMode;
	/** UUID source for eventId (and random webhook ids); injectable for tests. */
	newId?: () => string;
}

export interface Notification {
	url: string;
	elementKey: string;
	objectType: string;
	/** Input item indexes, in event order. */
	itemIndexes: number[];
	eventId: string;
	webhookId: string;
	envelope: Envelope;
	/** The exact JSON text that is signed and sent. */
	body: string;
}

interface RejectedItem {
	index: number;
	missing: string[];
	invalid: string[];
	message: string;
}

interface BuildResult {
	notifications: Notification[];
	rejected: RejectedItem[];
}

export const OPEN_CONNECTORS_BATCH_SIZE = 10;
export const MAX_BATCH_SIZE = 1000;

/** The Batch Size parameter, or a Office365ConfigError saying what would work. */
export function checkBatchSize(batchSize: number): number {
	if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
		throw new Office365ConfigError(
			'Batch Size',
			String(batchSize),
			`expected a whole number from 1 to ${MAX_BATCH_SIZE} (Open Connectors sent up to ${OPEN_CONNECTORS_BATCH_SIZE})`,
		);
	}
	return batchSize;
}

/** The Webhook ID option, or a Office365ConfigError saying what would work. */
export function checkWebhookIdMode(value: unknown): WebhookIdMode {
	const mode = value ?? 'derived';
	if (mode !== 'derived' && mode !== 'random') {
		throw new Office365ConfigError('Webhook ID', String(mode), 'expected "derived" or "random"');
	}
	return mode;
}

/**
 * Turns input items into notifications.
 *
 * Grouping: Open Connectors sent one objectType per notification, so events are grouped by
 * (callback URL, elementKey, objectType). Groups are emitted in the order of their first event;
 * inside a group, events keep input order and are cut into chunks of at most `batchSize`.
 * Items that are not standardized events are returned in `rejected`, never sent.
 */
export function buildNotifications(
	items: readonly ForwardInput[],
	options: BuildOptions,
): BuildResult {
	const batchSize = checkBatchSize(options.batchSize);
	const newId = options.newId ?? randomUUID;
	const mode: WebhookIdMode = options.webhookIdMode ?? 'derived';

	const rejected: RejectedItem[] = [];
	const groups = new Map<string, Array<{ index: number; event: StandardEvent }>>();
	for (const item of items) {
		const check = checkStandardEvent(item.json);
		if (!check.ok) {
			rejected.push({
				index: item.index,
				missing: check.missing,
				invalid: check.invalid,
				message: `Item ${item.index} is ${check.message}`,
			});
			continue;
		}
		const key = JSON.stringify([item.url, check.event.elementKey, check.event.objectType]);
		let group = groups.get(key);
		if (group === undefined) {
			group = [];
			groups.set(key, group);
		}
		group.push({ index: item.index, event: check.event });
	}

	const notifications: Notification[] = [];
	for (const [key, group] of groups) {
		const [url] = JSON.parse(key) as [string];
		for (let start = 0; start < group.length; start += batchSize) {
			const chunk = group.slice(start, start + batchSize);
			const serializable = chunk.filter(({ index, event }) => {
				const problem = jsonProblem(event.raw);
				if (problem === undefined) return true;
				rejected.push({
					index,
					missing: [],
					invalid: ['raw'],
					message: `Item ${index} is not a standardized event: raw cannot be sent as JSON (${problem})`,
				});
				return false;
			});
			if (serializable.length === 0) continue;
			notifications.push(makeNotification(url, serializable, options, newId, mode));
		}
	}
	rejected.sort((a, b) => a.index - b.index);
	return { notifications, rejected };
}

function makeNotification(
	url: string,
	chunk: ReadonlyArray<{ index: number; event: StandardEvent }>,
	options: BuildOptions,
	newId: () => string,
	mode: WebhookIdMode,
): Notification {
	const first = chunk[0].event;
	const events: EnvelopeEvent[] = chunk.map(({ event }) => ({
		elementKey: event.elementKey,
		eventType: event.eventType,
		objectType: event.objectType,
		objectId: event.objectId,
		date: event.date,
	}));
	const raw = { objectType: first.objectType } as { objectType: string } & Record<string, unknown>;
	// defineProperty: an objectType such as "__proto__" must become a plain key, not a prototype.
	Object.defineProperty(raw, first.objectType, {
		value: chunk.map(({ event }) => event.raw),
		enumerable: true,
		writable: true,
		configurable: true,
	});
	const eventId = newId();
	const envelope: Envelope = {
		message: {
			eventId,
			instanceId: options.instanceId,
			instanceName: options.instanceName,
			elementKey: first.elementKey,
			events,
			raw,
		},
	};
	const webhookId =
		mode === 'random' ? newId() : deriveWebhookId(options.instanceId, first.elementKey, events);
	return {
		url,
		elementKey: first.elementKey,
		objectType: first.objectType,
		itemIndexes: chunk.map(({ index }) => index),
		eventId,
		webhookId,
		envelope,
		body: JSON.stringify(envelope),
	};
}

/** Why a value cannot be serialized with JSON.stringify (BigInt, cycles), or undefined if it can. */
function jsonProblem(value: unknown): string | undefined {
	try {
		JSON.stringify(value);
		return undefined;
	} catch (error) {
		return error instanceof Error ? error.message : String(error);
	}
}

/**
 * A UUID (version 8, RFC 9562 "custom") from SHA-256 of the notification's identity: instance id,
 * element key and each event's (eventType, objectType, objectId, date). Identical notifications get
 * identical ids, so a receiver that deduplicates on Elements-Webhook-Id also drops re-sends caused by
 * n8n-level retries. The random eventId is deliberately not part of it.
 */
export function deriveWebhookId(
	instanceId: string | number | null,
	elementKey: string,
	events: readonly EnvelopeEvent[],
): string {
	const identity = JSON.stringify([
		'office365EventForward/webhook-id/v1',
		instanceId,
		elementKey,
		events.map((event) => [event.eventType, event.objectType, event.objectId, event.date]),
	]);
	const bytes = createHash('sha256').update(identity, 'utf8').digest().subarray(0, 16);
	bytes[6] = (bytes[6] & 0x0f) | 0x80;
	bytes[8] = (bytes[8] & 0x3f) | 0x80;
	const hex = bytes.toString('hex');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * instanceId as sent: a value of digits only becomes a number (Open Connectors instance ids were
 * numeric and typed receivers expect a number); anything else stays a string; empty becomes null.
 */
export function normalizeInstanceId(value: unknown): string | number | null {
	if (typeof value === 'number' && Number.isFinite(value)) return value;
	const text = value === undefined || value === null ? '' : String(value as string).trim();
	if (text === '') return null;
	if (/^\d+$/.test(text)) {
		const asNumber = Number(text);
		if (Number.isSafeInteger(asNumber)) return asNumber;
	}
	return text;
}

export function normalizeInstanceName(value: unknown): string | null {
	const text = value === undefined || value === null ? '' : String(value as string).trim();
	return text === '' ? null : text;
}
