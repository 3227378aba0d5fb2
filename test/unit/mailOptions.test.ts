// The pure rules behind version 2's mailbox, folders, filters, Simplify and attachments.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { concurrencyLimit } from '../../nodes/Office365/shared/concurrency';
import { collectAttachments, type AttachmentSummary } from '../../nodes/Office365/trigger/attachments';
import { Office365ConfigError } from '../../nodes/Office365/trigger/errors';
import { resolveMailbox } from '../../nodes/Office365/trigger/mailbox';
import { compileMailFilters, recordPredicate } from '../../nodes/Office365/trigger/mailFilters';
import { folderPredicate, folderScope, resolveFolderKeys } from '../../nodes/Office365/trigger/mailFolders';
import { fingerprint } from '../../nodes/Office365/trigger/pollState';

describe('Mailbox', () => {
	it('My Mailbox is /me; other mailboxes are /users/{address or id} in one spelling', () => {
		for (const value of [undefined, '', 'me', ' ME ', { mode: 'list', value: 'me' }]) {
			assert.deepEqual(resolveMailbox(value as never, false), { key: 'me', path: '/me' });
		}
		assert.deepEqual(resolveMailbox({ mode: 'address', value: ' Support@Contoso.com ' }, false), { key: 'support@contoso.com', path: '/users/support%40contoso.com' });
		const id = '6E5B7F3C-1A2B-4C3D-8E9F-0A1B2C3D4E5F';
		assert.equal(resolveMailbox(id, true).path, `/users/${id.toLowerCase()}`);
	});

	it('refuses My Mailbox without a user, and values that are neither address nor id', () => {
		assert.throws(() => resolveMailbox('me', true), (error: Error) => error instanceof Office365ConfigError && /app-only/.test(error.message));
		for (const value of ['support', 'a@b', 'x@y/z.com', '../me@x.y', '6e5b7f3c-1a2b']) {
			assert.throws(() => resolveMailbox(value, false), (error: Error) => error instanceof Office365ConfigError && error.message.startsWith(`Invalid Mailbox "${value}"`));
		}
	});
});

describe('Folders', () => {
	it('well-known names in one spelling, ids as they are, each once; refuses paths and an empty include list', () => {
		assert.deepEqual(folderScope('F', 'exclude', ['Drafts', 'drafts', ' AAMk+x= ', '']).folders, ['drafts', 'AAMk+x=']);
		assert.throws(() => folderScope('F', 'include', []), /add at least one folder/);
		assert.throws(() => folderScope('F', 'exclude', ['a/b']), /Invalid F "a\/b"/);
	});

	it('decides by the folder\'s id; an unknown well-known folder matches nothing; asks Graph only for names not known yet', async () => {
		const asked: string[] = [];
		const keys = await resolveFolderKeys(['drafts', 'outbox', 'junkemail'], { drafts: fingerprint('D') }, async (name) => {
			asked.push(name);
			return name === 'outbox' ? 'O' : null;
		});
		assert.deepEqual(asked, ['outbox', 'junkemail']);
		assert.deepEqual(keys, { drafts: fingerprint('D'), outbox: fingerprint('O'), junkemail: null });
		const exclude = folderPredicate(folderScope('F', 'exclude', ['drafts', 'outbox', 'junkemail', 'X']), keys);
		assert.deepEqual(['D', 'O', 'X', 'I', undefined].map(exclude), [false, false, false, true, true]);
		const include = folderPredicate(folderScope('F', 'include', ['drafts', 'X', 'junkemail']), keys);
		assert.deepEqual(['D', 'O', 'X', 'I', undefined].map(include), [true, false, true, false, false]);
	});
});

describe('Filters', () => {
	it('sends what Graph sorts (read status, senders, attachments, importance) and decides the rest per record', () => {
		const compiled = compileMailFilters(
			{ readStatus: 'read', senders: "o'brien@x.example; b@y.example", hasAttachments: true, importance: 'low', subjectContains: ' Invoice ', categories: 'Red, Blue' },
			folderScope('F', 'exclude', ['drafts']),
		);
		assert.equal(compiled.serverFilter, "isRead eq true and (from/emailAddress/address eq 'o''brien@x.example' or from/emailAddress/address eq 'b@y.example') and hasAttachments eq true and importance eq 'low'");
		assert.deepEqual(compiled.record, { subjectContains: 'invoice', categories: ['red', 'blue'], folders: { mode: 'exclude', folders: ['drafts'] } });
		assert.deepEqual(compiled.fields.sort(), ['categories', 'parentFolderId', 'subject']);
		assert.deepEqual(compileMailFilters({ readStatus: 'all', importance: 'any', hasAttachments: false }, undefined), { serverFilter: undefined, record: undefined, fields: [] });
	});

	it('per record: subject and categories without regard to case, every rule must hold', () => {
		const reported = recordPredicate({ subjectContains: 'invoice', categories: ['red'] }, {});
		assert.equal(reported({ subject: 'INVOICE 7', categories: ['Red'] }), true);
		assert.equal(reported({ subject: 'INVOICE 7', categories: ['Blue'] }), false);
		assert.equal(reported({ subject: 'Lunch', categories: ['red'] }), false);
		assert.equal(reported({ categories: ['red'] }), false);
	});
});

describe('Attachments', () => {
	const listing = [
		{ '@odata.type': '#microsoft.graph.fileAttachment', id: 'a', name: 'a.bin', size: 600, contentType: 'application/octet-stream', isInline: false },
		{ '@odata.type': '#microsoft.graph.itemAttachment', id: 'b', name: 'mail', size: 5000 },
		{ '@odata.type': '#microsoft.graph.fileAttachment', id: 'c', name: 'c.bin', size: 500, isInline: true },
		{ '@odata.type': '#microsoft.graph.fileAttachment', id: 'd', name: 'd.bin', size: 300 },
		{ '@odata.type': '#microsoft.graph.referenceAttachment', id: 'e', name: 'link', size: 10 },
	];

	it('downloads the files that fit the limit in order, names them prefix0…, lists the rest with a note', async () => {
		const downloaded: string[] = [];
		const result = await collectAttachments(['m1'], {
			list: async () => listing,
			download: async (_, attachment) => {
				downloaded.push(attachment.id);
				return Buffer.alloc(attachment.size);
			},
			store: async (content, attachment: AttachmentSummary) => `${attachment.name}:${content.length}`,
		}, { prefix: 'f_', maxBytesPerMessage: 1000, concurrency: 4 });
		const entry = result.get('m1')!;
		assert.deepEqual(downloaded.sort(), ['a', 'd']);
		assert.deepEqual(entry.binary, { f_0: 'a.bin:600', f_1: 'd.bin:300' });
		assert.deepEqual(entry.attachments.map((a) => [a.id, a.type, a.binaryProperty ?? null]), [
			['a', 'file', 'f_0'],
			['b', 'item', null],
			['c', 'file', null],
			['d', 'file', 'f_1'],
			['e', 'reference', null],
		]);
		assert.match(entry.notice!, /^1 file attachment \(0\.0 MB\) did not fit .* and was not downloaded: c\.bin\./);
	});

	it('an attachment Graph lists without an id or a known type fails the whole fetch', async () => {
		const source = { list: async () => [{ '@odata.type': '#microsoft.graph.somethingElse', id: 'x' }], download: async () => Buffer.alloc(0), store: async () => 0 };
		await assert.rejects(collectAttachments(['m'], source, { prefix: 'a', maxBytesPerMessage: 1, concurrency: 1 }), /without an id or a known type/);
	});
});

describe('concurrencyLimit', () => {
	it('never runs more than the limit at once, and uses the limit when there is work', async () => {
		for (const limit of [1, 2, 4]) {
			const run = concurrencyLimit(limit);
			let running = 0;
			let peak = 0;
			const task = async (turns: number) => {
				running++;
				peak = Math.max(peak, running);
				for (let i = 0; i < turns; i++) await Promise.resolve();
				running--;
				return turns;
			};
			const results = await Promise.all(Array.from({ length: 25 }, (_, i) => run(() => task(((i * 7) % 5) + 1))));
			assert.deepEqual(results, Array.from({ length: 25 }, (_, i) => ((i * 7) % 5) + 1));
			assert.equal(peak, limit);
		}
	});

	it('a failing task frees its slot', async () => {
		const run = concurrencyLimit(1);
		await assert.rejects(run(async () => Promise.reject(new Error('boom'))), /boom/);
		assert.equal(await run(async () => 'next'), 'next');
	});
});
