// The simulator's transport-level switches: the token endpoint refusing like Entra ID, and the redirect, trickle and
// oversized faults, each checked over plain HTTP (fetch), independently of the package's transport.

import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, beforeEach, describe, it } from 'node:test';

import { GraphSimulator, TOKEN_REFUSALS, type TokenRefusal } from '../graph-simulator/index';

const sim = new GraphSimulator();
let token = '';

before(async () => {
	await sim.start();
});
after(async () => {
	await sim.stop();
});
beforeEach(() => {
	sim.reset();
	token = sim.issueTokens().access_token;
});

async function redeem(grant: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }> {
	const res = await fetch(`${sim.loginBaseUrl}/contoso.onmicrosoft.com/oauth2/v2.0/token`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ client_id: 'app-1', client_secret: 's3cret', ...grant }),
	});
	return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('Graph simulator: token endpoint refusals', () => {
	for (const [reason, refusal] of Object.entries(TOKEN_REFUSALS) as Array<[TokenRefusal, (typeof TOKEN_REFUSALS)[TokenRefusal]]>) {
		it(`${reason}: ${refusal.status} ${refusal.error} AADSTS${refusal.code} for a refresh, until switched off`, async () => {
			const { refresh_token } = sim.issueTokens();
			sim.refuseTokens(reason);
			const refused = await redeem({ grant_type: 'refresh_token', refresh_token });
			assert.equal(refused.status, refusal.status);
			assert.equal(refused.body.error, refusal.error);
			assert.deepEqual(refused.body.error_codes, [refusal.code]);
			assert.match(String(refused.body.error_description), new RegExp(`^AADSTS${refusal.code}: .+ Trace ID: [0-9a-f-]{36} Correlation ID: [0-9a-f-]{36} Timestamp: `));
			assert.equal(refused.body.access_token, undefined);
			sim.refuseTokens(undefined);
			const renewed = await redeem({ grant_type: 'refresh_token', refresh_token });
			assert.equal(renewed.status, 200);
			assert.equal(typeof renewed.body.access_token, 'string');
		});
	}

	it('client secret refusals also refuse client credentials; refresh-token refusals do not', async () => {
		sim.refuseTokens('clientSecretExpired');
		assert.equal((await redeem({ grant_type: 'client_credentials', scope: 'https://graph.microsoft.com/.default' })).status, 401);
		sim.refuseTokens('grantRevoked');
		assert.equal((await redeem({ grant_type: 'client_credentials', scope: 'https://graph.microsoft.com/.default' })).status, 200);
	});

	it('PUT /_sim/tokens/refusal switches it from another process; reset() clears it', async () => {
		const put = async (reason: unknown) =>
			await fetch(`${sim.adminUrl}/tokens/refusal`, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ reason }) });
		assert.deepEqual(await (await put('clientSecretExpired')).json(), { reason: 'clientSecretExpired' });
		assert.equal((await redeem({ grant_type: 'client_credentials', scope: 'https://graph.microsoft.com/.default' })).status, 401);
		assert.equal((await put('nonsense')).status, 400);
		sim.reset();
		assert.equal((await redeem({ grant_type: 'client_credentials', scope: 'https://graph.microsoft.com/.default' })).status, 200);
	});
});

describe('Graph simulator: redirect, trickle and oversized faults', () => {
	const get = (path: string) => fetch(`${sim.graphUrl}${path}`, { headers: { Authorization: `Bearer ${token}` }, redirect: 'manual' });

	it('redirect answers the 3xx and Location instead of the resource', async () => {
		sim.injectFault({ kind: 'redirect', status: 307, location: 'http://127.0.0.1:9/elsewhere', path: '/me/messages' });
		const res = await get('/me/messages');
		assert.equal(res.status, 307);
		assert.equal(res.headers.get('location'), 'http://127.0.0.1:9/elsewhere');
		assert.equal((await get('/me/messages')).status, 200, 'one use only');
		assert.throws(() => sim.injectFault({ kind: 'redirect', status: 200, location: '/' }), /301, 302, 303, 307 or 308/);
	});

	it('trickle sends one byte per interval and never ends; the log marks the request abandoned when the client leaves', async () => {
		sim.injectFault({ kind: 'trickle', intervalMs: 50, path: '/me/messages' });
		const received = await new Promise<number>((resolve, reject) => {
			const req = http.get(`${sim.graphUrl}/me/messages`, { headers: { Authorization: `Bearer ${token}` } }, (res) => {
				let bytes = 0;
				res.on('data', (chunk: Buffer) => (bytes += chunk.length));
				setTimeout(() => {
					req.destroy();
					resolve(bytes);
				}, 420);
			});
			req.on('error', reject);
		});
		assert.ok(received >= 4 && received <= 10, `${received} bytes in 420 ms`);
		await new Promise((resolve) => setTimeout(resolve, 50));
		const entry = sim.requests.at(-1);
		assert.equal(entry?.status, 200);
		assert.equal(entry?.abandoned, true);
	});

	it('oversized answers a valid JSON body of exactly the given size', async () => {
		sim.injectFault({ kind: 'oversized', bytes: 300_000, path: '/me/messages' });
		const res = await get('/me/messages');
		const text = await res.text();
		assert.equal(Buffer.byteLength(text), 300_000);
		assert.deepEqual((JSON.parse(text) as { value: unknown[] }).value, []);
		assert.equal(sim.requests.at(-1)?.abandoned, undefined);
	});
});
