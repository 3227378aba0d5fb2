/**
 * Download Attachments through n8n-core's real PollContext and n8n's real binary data store (filesystem mode in the
 * tests' temporary n8n folder): file attachments arrive as binary data byte for byte, item and reference attachments
 * as metadata, the size limit leaves a note, at most 4 requests are in flight, and a poll that cannot fetch them
 * emits nothing and stores nothing.
 */
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';

import type { IBinaryData, IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { Office365Trigger } from '../../nodes/Office365/Office365Trigger.node.js';
import { GraphSimulator } from '../graph-simulator';
import { n8nBinaryData } from '../support/n8nBinaryData';
import { TriggerHarness } from '../support/pollHarness';
import { simulatorCredential } from '../support/simulatorCredentials';
import { useSimulator } from '../support/simulatorSuite';

const SECOND = 1000;
const MB = 1024 * 1024;
let clock = Date.now();
const sim = new GraphSimulator({ now: () => clock });
useSimulator(sim, () => clock);

function trigger(options: IDataObject = {}, parameters: INodeParameters = {}): TriggerHarness {
	return new TriggerHarness(
		{ ...parameters, options: { pollDelay: 60, downloadAttachments: true, ...options } },
		simulatorCredential(sim, sim.issueTokens()),
		new Office365Trigger(),
		2,
	);
}

/** Activation, `change`, then the poll a minute later. */
async function poll(harness: TriggerHarness, change: () => void): Promise<INodeExecutionData[]> {
	await harness.poll();
	clock += 5 * SECOND;
	change();
	clock += 55 * SECOND;
	return (await harness.poll())?.[0] ?? [];
}

const attachmentRequests = (since: number) => sim.requestsSince(since).filter((entry) => entry.path.includes('/attachments'));

beforeEach(() => {
	clock += 3600 * SECOND;
	sim.reset();
	sim.latencyMs = 0;
});

describe('Download Attachments', () => {
	it('file attachments become binary data byte for byte (n8n\'s attachment_0, …); item and reference attachments are listed', async () => {
		const store = await n8nBinaryData();
		const pdf = Buffer.from('%PDF-1.7\n' + 'quarterly numbers '.repeat(1000));
		const [item] = await poll(trigger(), () => {
			sim.createMessage(
				{ subject: 'report' },
				{
					attachments: [
						{ kind: 'file', name: 'report.pdf', contentType: 'application/pdf', content: pdf },
						{ kind: 'item', name: 'Forwarded: budget' },
						{ kind: 'file', name: 'scan.png', contentType: 'image/png', size: MB },
						{ kind: 'reference', name: 'Plan.xlsx' },
					],
				},
			);
		});
		const attachments = item.json.attachments as Array<IDataObject>;
		assert.deepEqual(
			attachments.map((a) => [a.name, a.type, a.binaryProperty ?? null]),
			[
				['report.pdf', 'file', 'attachment_0'],
				['Forwarded: budget', 'item', null],
				['scan.png', 'file', 'attachment_1'],
				['Plan.xlsx', 'reference', null],
			],
		);
		const binary = item.binary as Record<string, IBinaryData>;
		assert.deepEqual(Object.keys(binary), ['attachment_0', 'attachment_1']);
		assert.equal(binary.attachment_0.fileName, 'report.pdf');
		assert.equal(binary.attachment_0.mimeType, 'application/pdf');
		assert.equal(binary.attachment_0.bytes, pdf.length);
		assert.match(String(binary.attachment_0.id), /^filesystem/, 'stored by n8n\'s binary data service, not in the item');
		assert.ok((await store.read(binary.attachment_0)).equals(pdf));
		const [, , scan] = sim.attachments(sim.list('messages')[0].id);
		assert.ok((await store.read(binary.attachment_1)).equals(scan.content!));
		assert.equal(binary.attachment_1.bytes, MB);
		assert.equal(item.json.attachmentsNotice, undefined);
	});

	it('only emitted messages that have attachments are asked; a custom prefix names the binary properties', async () => {
		const harness = trigger({ attachmentsPrefix: 'file_' });
		await harness.poll();
		const seq = sim.requests.at(-1)!.seq;
		clock += 5 * SECOND;
		sim.createMessage({ subject: 'plain' });
		sim.createMessage({ subject: 'inline logo only' }, { attachments: [{ kind: 'file', name: 'logo.png', size: 100, isInline: true }] });
		sim.createMessage({ subject: 'draft with a file' }, { folder: 'drafts', attachments: [{ kind: 'file', name: 'd.txt', content: 'd' }] });
		const withFile = sim.createMessage({ subject: 'one file' }, { attachments: [{ kind: 'file', name: 'a.txt', content: 'a' }] });
		clock += 55 * SECOND;
		const items = (await harness.poll())![0];
		assert.equal(items.length, 3);
		const requests = attachmentRequests(seq);
		assert.deepEqual(
			requests.map((entry) => decodeURIComponent(entry.path).split('?')[0].replace(withFile.id, 'ID').replace(/attachments\/[^/]+/, 'attachments/A')),
			['/v1.0/me/messages/ID/attachments', '/v1.0/me/messages/ID/attachments/A/$value'],
		);
		const binary = items.find((entry) => entry.json.objectId === withFile.id)!.binary!;
		assert.deepEqual(Object.keys(binary), ['file_0']);
		assert.equal(items.filter((entry) => entry.binary !== undefined).length, 1);
	});

	it('files beyond the size limit per message are listed, not downloaded, and the item says so', async () => {
		const [item] = await poll(trigger({ maxAttachmentSize: 1.5 }), () => {
			sim.createMessage(
				{ subject: 'big' },
				{
					attachments: [
						{ kind: 'file', name: 'small.txt', size: 200 * 1024 },
						{ kind: 'file', name: 'video.mp4', size: 3 * MB },
						{ kind: 'file', name: 'medium.bin', size: MB },
						{ kind: 'file', name: 'second.bin', size: 400 * 1024 },
					],
				},
			);
		});
		assert.deepEqual(Object.keys(item.binary!), ['attachment_0', 'attachment_1']);
		const attachments = item.json.attachments as Array<IDataObject>;
		assert.deepEqual(attachments.map((a) => a.binaryProperty ?? null), ['attachment_0', null, 'attachment_1', null]);
		assert.equal(
			item.json.attachmentsNotice,
			'2 file attachments (3.4 MB) did not fit Max Attachment Size per message (1.5 MB) and were not downloaded: video.mp4, second.bin. See attachments for their details.',
		);
	});

	it('never more than 4 requests in flight, and several at once when there is work', async () => {
		sim.latencyMs = 30;
		const harness = trigger();
		await harness.poll();
		clock += 5 * SECOND;
		for (let i = 0; i < 6; i++) {
			sim.createMessage({ subject: `m${i}` }, { attachments: [{ kind: 'file', name: 'a.bin', size: 4096 }, { kind: 'file', name: 'b.bin', size: 4096 }] });
		}
		clock += 55 * SECOND;
		sim.clearRequests();
		const items = (await harness.poll())![0];
		assert.equal(items.length, 6);
		assert.ok(items.every((item) => Object.keys(item.binary ?? {}).length === 2));
		assert.equal(attachmentRequests(0).length, 18);
		assert.ok(sim.maxConcurrentRequests <= 4, `${sim.maxConcurrentRequests} in flight`);
		assert.ok(sim.maxConcurrentRequests >= 3, `only ${sim.maxConcurrentRequests} in flight`);
	});

	it('throttled attachment requests are retried after Retry-After', async () => {
		const harness = trigger();
		await harness.poll();
		clock += 5 * SECOND;
		sim.createMessage({ subject: 'throttled' }, { attachments: [{ kind: 'file', name: 'a.txt', content: 'abc' }] });
		clock += 55 * SECOND;
		sim.injectFault({ path: '/$value', kind: 'status', status: 429, retryAfterSeconds: 1, times: 1 });
		const items = (await harness.poll())![0];
		assert.equal(Object.keys(items[0].binary!).length, 1);
		const value = sim.requests.filter((entry) => entry.path.includes('%24value') || entry.path.includes('$value'));
		assert.deepEqual(value.map((entry) => entry.status), [429, 200]);
		assert.ok(value[1].at - value[0].at >= 950);
	});

	it('a poll that cannot fetch the attachments emits nothing and stores nothing; the next one delivers them', async () => {
		const harness = trigger();
		await harness.poll();
		clock += 5 * SECOND;
		const message = sim.createMessage({ subject: 'unlucky' }, { attachments: [{ kind: 'file', name: 'a.txt', content: 'abc' }] });
		clock += 55 * SECOND;
		const before = JSON.stringify(harness.persistedState());
		for (const path of ['/attachments?', '$value']) {
			sim.injectFault({ path, kind: 'status', status: 503, retryAfterSeconds: 0, times: 10 });
			await assert.rejects(harness.poll(), /Microsoft Graph answered 503 .*attachments.* after 5 attempts/);
			sim.clearFaults();
			assert.equal(JSON.stringify(harness.persistedState()), before, 'static data untouched');
		}
		const items = (await harness.poll())![0];
		assert.deepEqual(items.map((item) => item.json.objectId), [message.id]);
		assert.equal(Object.keys(items[0].binary!).length, 1);
	});

	it('Fetch Test Event brings the newest mail\'s attachments too', async () => {
		sim.createMessage({ subject: 'newest' }, { attachments: [{ kind: 'file', name: 'a.txt', content: 'abc' }] });
		const result = await trigger().poll('manual');
		assert.equal(Object.keys(result![0][0].binary!).length, 1);
	});

	it('an out-of-range size limit or prefix is refused naming the option', async () => {
		await assert.rejects(trigger({ maxAttachmentSize: 0 }).poll(), /Invalid Options → Max Attachment Size \(MB\) "0"/);
		await assert.rejects(trigger({ attachmentsPrefix: 'a b' }).poll(), /Invalid Options → Attachment Prefix "a b"/);
	});
});
