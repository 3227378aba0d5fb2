/**
 * The trigger's Graph calls and n8n hand-offs beyond list pages: well-known folder ids, attachments (list, bytes,
 * binary data) and the items n8n receives. The pure modules under trigger/ decide; this file only fetches and shapes.
 */
import type { IBinaryData, IDataObject, INodeExecutionData, IPollFunctions } from 'n8n-workflow';

import { unlessStatus } from '../../shared/graphStatus';
import { graphGet, graphGetBytes, type GraphResponse } from '../../shared/transport';
import { ATTACHMENT_FIELDS, collectAttachments, type AttachmentSource, type MessageAttachments } from '../../trigger/attachments';
import type { StandardEvent } from '../../shared/standardEvent';
import { simplifyRecord } from '../../trigger/simplify';
import type { PollConfig } from '../../trigger/triggerConfig';
import type { FetchFolderId } from '../../trigger/triggerPoll';
import { pageRetryPolicy } from '../graphReads';

/** What shapes the items (both tracking modes' configurations carry it). */
type ItemShape = Pick<PollConfig, 'output' | 'simplify' | 'attachments' | 'objectType'> & { mailboxPath?: string; mailbox?: string };

/** Outlook serves 4 concurrent requests per mailbox and app. */
const MAILBOX_CONCURRENCY = 4;
/** Pages of one attachment list (a message has at most a few hundred attachments). */
const MAX_ATTACHMENT_PAGES = 20;

/** The mailbox path (`/me` or `/users/{id}`) of a timestamp (`mailboxPath`) or delta (`mailbox`) configuration. */
const mailboxBase = (shape: ItemShape): string => shape.mailboxPath ?? shape.mailbox ?? '/me';

/** The id of a well-known folder (drafts, sentitems…) of a mailbox, or null when the mailbox has none. */
export function folderIdFetcher(context: IPollFunctions, deadlineMs: number): FetchFolderId {
	return async (mailboxPath, name) => {
		const answer = await unlessStatus(['404'], async () =>
			await graphGet.call(context, {
				url: `${mailboxPath}/mailFolders/${encodeURIComponent(name)}`,
				qs: { $select: 'id' },
				retryPolicy: pageRetryPolicy(deadlineMs),
			}),
		);
		return 'value' in answer && typeof answer.value.body.id === 'string' ? answer.value.body.id : null;
	};
}

function attachmentSource(context: IPollFunctions, config: ItemShape, deadlineMs: number): AttachmentSource<IBinaryData> {
	const messageUrl = (id: string) => `${mailboxBase(config)}/messages/${encodeURIComponent(id)}`;
	return {
		async list(messageId) {
			const records: unknown[] = [];
			let next: string | undefined = `${messageUrl(messageId)}/attachments`;
			let qs: Record<string, string> | undefined = { $select: ATTACHMENT_FIELDS };
			for (let page = 1; next; page++) {
				if (page > MAX_ATTACHMENT_PAGES) throw new Error(`The attachment list of message "${messageId}" did not end after ${MAX_ATTACHMENT_PAGES} pages`);
				const response: GraphResponse = await graphGet.call(context, { url: next, qs, retryPolicy: pageRetryPolicy(deadlineMs) });
				records.push(...((response.body.value as unknown[] | undefined) ?? []));
				const link: unknown = response.body['@odata.nextLink'];
				next = typeof link === 'string' ? link : undefined;
				qs = undefined;
			}
			return records;
		},
		async download(messageId, attachment) {
			return await graphGetBytes.call(context, {
				url: `${messageUrl(messageId)}/attachments/${encodeURIComponent(attachment.id)}/$value`,
				retryPolicy: pageRetryPolicy(deadlineMs),
				// Graph's size of a file attachment includes its metadata; the margin only keeps a runaway answer out.
				maxBytes: Math.ceil(attachment.size * 1.25) + 65_536,
			});
		},
		async store(content, attachment) {
			return await context.helpers.prepareBinaryData(content, attachment.name, attachment.contentType ?? undefined);
		},
	};
}

/** Attachments of the emitted messages that have any (`hasAttachments`), keyed by message id. */
export async function fetchAttachments(
	context: IPollFunctions,
	config: ItemShape,
	events: StandardEvent[],
	deadlineMs: number,
): Promise<Map<string, MessageAttachments<IBinaryData>>> {
	if (!config.attachments) return new Map();
	// A deleted message (delta mode) has nothing left to fetch.
	const ids = events.filter((event) => event.eventType !== 'DELETED' && event.raw.hasAttachments === true).map((event) => event.objectId);
	return await collectAttachments(ids, attachmentSource(context, config, deadlineMs), {
		...config.attachments,
		concurrency: MAILBOX_CONCURRENCY,
	});
}

/** The items n8n receives: the event or the record, simplified on request, with attachments when downloaded. */
export function toItems(
	events: StandardEvent[],
	config: ItemShape,
	attachments: Map<string, MessageAttachments<IBinaryData>>,
): INodeExecutionData[] {
	return events.map((event) => {
		// A deleted record (delta mode) is only its id: nothing to simplify.
		const record = config.simplify && event.eventType !== 'DELETED' ? simplifyRecord(config.simplify, event.raw) : event.raw;
		const json = (config.output === 'raw' ? { ...record } : { ...event, raw: record }) as IDataObject;
		const item: INodeExecutionData = { json };
		const found = attachments.get(event.objectId);
		if (found) {
			json.attachments = found.attachments as unknown as IDataObject[];
			if (found.notice) json.attachmentsNotice = found.notice;
			if (Object.keys(found.binary).length) item.binary = found.binary;
		}
		return item;
	});
}
