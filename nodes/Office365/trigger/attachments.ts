/**
 * Download Attachments: for each emitted message that has attachments, its attachment list (metadata only), then
 * the bytes of each file attachment that fits the per-message size limit, stored as n8n binary data by the caller.
 * Item attachments (an attached mail or event) and reference attachments (a link to a cloud file) are reported as
 * metadata. Every request goes through one limiter (Outlook serves 4 at a time per mailbox); any failure fails the
 * whole poll, so a poll never emits a message without the attachments it was asked for. Pure: the caller passes
 * the Graph calls and the binary store.
 */
import { concurrencyLimit } from '../shared/concurrency';

type AttachmentKind = 'file' | 'item' | 'reference';

/** What the item says about one attachment (`binaryProperty` when its bytes are in the item's binary data). */
export interface AttachmentSummary {
	id: string;
	name: string;
	type: AttachmentKind;
	contentType: string | null;
	size: number;
	isInline: boolean;
	binaryProperty?: string;
}

export interface AttachmentSource<Stored> {
	/** Graph's attachment list of a message, metadata only (all pages). */
	list(messageId: string): Promise<unknown[]>;
	/** The bytes of a file attachment. */
	download(messageId: string, attachment: AttachmentSummary): Promise<Buffer>;
	/** Keeps the bytes as binary data (n8n's prepareBinaryData). */
	store(content: Buffer, attachment: AttachmentSummary): Promise<Stored>;
}

interface AttachmentOptions {
	/** Binary property names are `${prefix}0`, `${prefix}1`, … (n8n's convention). */
	prefix: string;
	maxBytesPerMessage: number;
	/** Requests in flight at once. */
	concurrency: number;
}

export interface MessageAttachments<Stored> {
	attachments: AttachmentSummary[];
	binary: Record<string, Stored>;
	/** Set when files were left out for the size limit. */
	notice?: string;
}

const KINDS: Record<string, AttachmentKind> = {
	'#microsoft.graph.fileAttachment': 'file',
	'#microsoft.graph.itemAttachment': 'item',
	'#microsoft.graph.referenceAttachment': 'reference',
};

/** Graph's list fields a summary needs (file bytes come separately, per attachment). */
export const ATTACHMENT_FIELDS = 'id,name,contentType,size,isInline';

function summary(raw: unknown, messageId: string): AttachmentSummary {
	const record = (raw ?? {}) as Record<string, unknown>;
	const kind = KINDS[String(record['@odata.type'])];
	if (typeof record.id !== 'string' || kind === undefined) {
		throw new Error(`Microsoft Graph listed an attachment of message "${messageId}" without an id or a known type (${JSON.stringify(record['@odata.type'])})`);
	}
	return {
		id: record.id,
		name: typeof record.name === 'string' ? record.name : record.id,
		type: kind,
		contentType: typeof record.contentType === 'string' ? record.contentType : null,
		size: typeof record.size === 'number' && record.size >= 0 ? record.size : 0,
		isInline: record.isInline === true,
	};
}

function megabytes(bytes: number): string {
	return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** Attachments of the given messages, keyed by message id. */
export async function collectAttachments<Stored>(
	messageIds: string[],
	source: AttachmentSource<Stored>,
	options: AttachmentOptions,
): Promise<Map<string, MessageAttachments<Stored>>> {
	const limit = concurrencyLimit(options.concurrency);
	const result = new Map<string, MessageAttachments<Stored>>();
	await Promise.all(
		messageIds.map(async (messageId) => {
			const listed = (await limit(async () => await source.list(messageId))).map((raw) => summary(raw, messageId));
			const entry: MessageAttachments<Stored> = { attachments: listed, binary: {} };
			result.set(messageId, entry);
			let budget = options.maxBytesPerMessage;
			const wanted: AttachmentSummary[] = [];
			const left: AttachmentSummary[] = [];
			for (const attachment of listed) {
				if (attachment.type !== 'file') continue;
				if (attachment.size <= budget) {
					budget -= attachment.size;
					wanted.push(attachment);
				} else left.push(attachment);
			}
			wanted.forEach((attachment, index) => (attachment.binaryProperty = `${options.prefix}${index}`));
			const stored = await Promise.all(
				wanted.map(async (attachment) => await source.store(await limit(async () => await source.download(messageId, attachment)), attachment)),
			);
			// In attachment order, however the downloads finished.
			stored.forEach((binary, index) => (entry.binary[wanted[index].binaryProperty!] = binary));
			if (left.length) {
				const total = left.reduce((sum, attachment) => sum + attachment.size, 0);
				entry.notice = `${left.length} file attachment${left.length === 1 ? '' : 's'} (${megabytes(total)}) did not fit Max Attachment Size per message (${megabytes(options.maxBytesPerMessage)}) and ${left.length === 1 ? 'was' : 'were'} not downloaded: ${left.map((attachment) => attachment.name).join(', ')}. See attachments for their details.`;
			}
		}),
	);
	return result;
}
