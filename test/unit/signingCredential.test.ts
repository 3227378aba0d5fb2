/**
 * The Office 365 Event Signing API credential's `authenticate`, alone: n8n calls it for every signed
 * notification, so it alone decides which bytes the Elements-Webhook-Signature covers.
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';

import fc from 'fast-check';
import type { IHttpRequestOptions } from 'n8n-workflow';

import { Office365EventSigningApi } from '../../credentials/Office365EventSigningApi.credentials';
import { SIGNATURE_HEADER, SIGNING_CREDENTIAL_TYPE, verifySignature } from '../../nodes/Office365/forward/signature';

const credential = new Office365EventSigningApi();
const KEY = ' k3y-Δ-with-spaces ';

/** HMAC-SHA256 over `bytes`, base64, computed here independently of the package. */
function expected(bytes: string | Buffer, key = KEY): string {
	return `sha256=${createHmac('sha256', Buffer.from(key, 'utf8')).update(bytes).digest('base64')}`;
}

async function sign(options: IHttpRequestOptions, data: Record<string, unknown> = { signingKey: KEY }): Promise<IHttpRequestOptions> {
	return await credential.authenticate(data as never, options);
}

describe('Office 365 Event Signing API credential: authenticate', () => {
	it('is the credential type Event Forward signs with', () => {
		assert.equal(credential.name, SIGNING_CREDENTIAL_TYPE);
	});

	it('signs a string body: exactly those UTF-8 bytes, which are sent unchanged', async () => {
		const body = '{"message":{"events":[{"objectId":"Réunion ✓"}]}}';
		const options: IHttpRequestOptions = { method: 'POST', url: 'https://r.example/hook', body, headers: { 'Content-Type': 'application/json' } };
		const signed = await sign(options);
		assert.equal(signed.body, body);
		assert.equal((signed.headers as Record<string, string>)[SIGNATURE_HEADER], expected(Buffer.from(body, 'utf8')));
		assert.equal(verifySignature(Buffer.from(body, 'utf8'), (signed.headers as Record<string, string>)[SIGNATURE_HEADER], KEY), true);
	});

	it('for any body and key, the signature verifies against the bytes sent and no other key', async () => {
		await fc.assert(
			fc.asyncProperty(fc.string({ unit: 'grapheme' }), fc.string({ minLength: 1 }), async (body, key) => {
				const signed = await sign({ method: 'POST', url: 'https://r.example/', body }, { signingKey: key });
				const header = (signed.headers as Record<string, string>)[SIGNATURE_HEADER];
				assert.equal(header, expected(Buffer.from(signed.body as string, 'utf8'), key));
				assert.equal(verifySignature(Buffer.from(signed.body as string, 'utf8'), header, `${key}x`), false);
			}),
			{ numRuns: 200 },
		);
	});

	it('signs a binary body as is', async () => {
		const body = Buffer.from([0, 255, 10, 13, 0xe2, 0x82]);
		const signed = await sign({ method: 'POST', url: 'https://r.example/', body });
		assert.equal(signed.body, body);
		assert.equal((signed.headers as Record<string, string>)[SIGNATURE_HEADER], expected(body));
	});

	it('serializes an object body once, sends that text and sets JSON content type unless given', async () => {
		const signed = await sign({ method: 'POST', url: 'https://r.example/', body: { b: 1, a: [true, null] } });
		assert.equal(signed.body, '{"b":1,"a":[true,null]}');
		const headers = signed.headers as Record<string, string>;
		assert.equal(headers['Content-Type'], 'application/json');
		assert.equal(headers[SIGNATURE_HEADER], expected('{"b":1,"a":[true,null]}'));
		const own = await sign({ method: 'POST', url: 'https://r.example/', body: [1], headers: { 'content-type': 'application/vnd.x+json' } });
		assert.deepEqual(Object.keys(own.headers as object).sort(), [SIGNATURE_HEADER, 'content-type'].sort());
	});

	it('an empty body is signed as zero bytes', async () => {
		const signed = await sign({ method: 'POST', url: 'https://r.example/' });
		assert.equal((signed.headers as Record<string, string>)[SIGNATURE_HEADER], expected(''));
	});

	it('replaces a signature header set by anyone else, in any letter case, and keeps other headers', async () => {
		const signed = await sign({
			method: 'POST',
			url: 'https://r.example/',
			body: 'x',
			headers: { 'elements-webhook-signature': 'sha256=forged', 'ELEMENTS-WEBHOOK-SIGNATURE': 'forged', 'X-Tenant': 'contoso' },
		});
		const headers = signed.headers as Record<string, string>;
		assert.deepEqual(Object.keys(headers).sort(), [SIGNATURE_HEADER, 'X-Tenant'].sort());
		assert.equal(headers[SIGNATURE_HEADER], expected('x'));
	});

	it("does not change the caller's request options", async () => {
		const options: IHttpRequestOptions = { method: 'POST', url: 'https://r.example/', body: { a: 1 }, headers: { 'X-A': '1' } };
		const before = structuredClone(options);
		await sign(options);
		assert.deepEqual(options, before);
	});

	it('refuses to sign without a key or a form body, without echoing anything secret', async () => {
		for (const data of [{ signingKey: '' }, {}, { signingKey: 42 }]) {
			await assert.rejects(sign({ method: 'POST', url: 'https://r.example/', body: 'x' }, data), /has no signing key/);
		}
		await assert.rejects(
			sign({ method: 'POST', url: 'https://r.example/', body: new URLSearchParams({ a: KEY }) as never }),
			(error: Error) => {
				assert.match(error.message, /not a form body/);
				assert.ok(!error.message.includes(KEY.trim()));
				return true;
			},
		);
	});

	it('puts the key nowhere but into the HMAC', async () => {
		const signed = await sign({ method: 'POST', url: 'https://r.example/', body: 'x', headers: {} });
		assert.ok(!JSON.stringify(signed).includes(KEY.trim()));
	});
});
