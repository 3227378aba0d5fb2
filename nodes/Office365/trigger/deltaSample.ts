/** "Fetch Test Event" of a delta collection: the newest record on the first page of a full round; stores nothing. */
import type { StandardEvent } from '../shared/standardEvent';
import type { DeltaCollection, DeltaConfig } from './deltaConfig';
import type { FetchDelta } from './deltaRound';
import { isRecord, isRemoval } from './deltaPass';
import { classifyChange, toStandardEvent } from './eventShape';
import { readDate, readObjectId } from './pollCandidate';

export async function fetchDeltaSample(config: DeltaConfig, collection: DeltaCollection, fetchDelta: FetchDelta): Promise<StandardEvent[]> {
	const page = await fetchDelta({ ...collection.first, pageSize: Math.min(config.pageSize, 50) });
	let newest: { objectId: string; changedMs: number; createdMs?: number; record: Record<string, unknown> } | undefined;
	page.records.forEach((raw, at) => {
		if (!isRecord(raw) || raw.root !== undefined || isRemoval(raw)) return;
		const objectId = readObjectId(config, raw, at);
		const changedMs = readDate((config.updated ?? config.created)!, raw, objectId, at, true)!;
		if (newest && newest.changedMs >= changedMs) return;
		newest = { objectId, changedMs, createdMs: config.created && readDate(config.created, raw, objectId, at, false), record: raw };
	});
	if (!newest) return [];
	const eventType = classifyChange({
		seenBefore: false,
		createdMs: newest.createdMs,
		updatedMs: config.updated ? newest.changedMs : undefined,
		toleranceMs: config.createdToleranceMs,
		trackingCreated: false,
	});
	return [toStandardEvent(eventType, config.objectType, newest.objectId, newest.changedMs, newest.record)];
}
