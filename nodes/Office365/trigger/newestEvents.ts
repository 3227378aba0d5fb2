/**
 * "Fetch Test Event" of a timestamp collection: the newest records as events shaped like a poll's; stores nothing.
 */
import type { StandardEvent } from '../shared/standardEvent';
import { classifyChange, toStandardEvent } from './eventShape';
import { recordPredicate } from './mailFilters';
import type { FolderKeys } from './mailFolders';
import { buildNewestRequest } from './odataQuery';
import { readDate, toCandidate, type Candidate } from './pollCandidate';
import { newestField, type PollConfig } from './triggerConfig';
import type { FetchPage } from './windowReader';

/** Pages "Fetch Test Event" reads looking for a record the per-record filter reports. */
const NEWEST_PAGES = 4;
const NEWEST_PAGE_SIZE = 25;

/**
 * "Fetch Test Event": the newest records (by `newestField(config)`) as events, shaped like a poll's; stores nothing.
 * With a per-record filter (folders, subject, categories) it reads a few pages newest first until one passes.
 */
export async function fetchNewestEvents(
	config: PollConfig,
	fetchPage: FetchPage,
	nowMs: number,
	count = 1,
	folderKeys: FolderKeys = {},
): Promise<StandardEvent[]> {
	const lookBackMs = 30 * 24 * 3600 * 1000;
	const reported = config.recordFilter ? recordPredicate(config.recordFilter, folderKeys) : () => true;
	const found: Candidate[] = [];
	let request = buildNewestRequest(config, config.recordFilter ? NEWEST_PAGE_SIZE : count, nowMs - lookBackMs);
	for (let page = 1; ; page++) {
		const answer = await fetchPage(request);
		found.push(...answer.records.map((raw, index) => toCandidate(config, raw, index)).filter((candidate) => reported(candidate.record)));
		if (found.length >= count || !config.recordFilter || !answer.nextLink || page >= NEWEST_PAGES) break;
		request = { url: answer.nextLink };
	}
	const newest = newestField(config);
	const newestFirst = (candidate: Candidate) => readDate(newest, candidate.record, candidate.objectId, 0, false) ?? candidate.trackedMs;
	found.sort((a, b) => newestFirst(b) - newestFirst(a));
	return found.slice(0, count).map((candidate) => {
		const eventType = classifyChange({
			seenBefore: false,
			createdMs: candidate.createdMs,
			updatedMs: candidate.updatedMs,
			toleranceMs: config.createdToleranceMs,
			trackingCreated: config.trackingCreated,
		});
		return toStandardEvent(eventType, config.objectType, candidate.objectId, candidate.updatedMs ?? candidate.trackedMs, candidate.record);
	});
}
