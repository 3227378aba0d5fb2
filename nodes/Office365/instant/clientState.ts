/**
 * The `clientState` of Graph subscriptions: a secret Graph echoes in every notification, so the webhook can tell
 * Graph's notifications from anyone else's POSTs.
 *
 * Each subscription gets its own random value, `<nonce>.<HMAC-SHA256(key, nonce)>`, under one random key per node
 * (stored in the node's static data when the subscription is first created). Any n8n process that can read the
 * workflow's static data can verify a notification, including for a subscription created later by another process
 * and not yet saved; nothing but the key has to be shared. Values are compared in constant time and never logged.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const NONCE_BYTES = 16;
const KEY_BYTES = 32;
const NONCE = /^[A-Za-z0-9_-]{22}$/;
const MAC = /^[A-Za-z0-9_-]{43}$/;

/** A fresh signing key (base64url, 256 bits). */
export function newClientStateKey(): string {
	return randomBytes(KEY_BYTES).toString('base64url');
}

function mac(key: string, nonce: string): Buffer {
	return createHmac('sha256', Buffer.from(key, 'base64url')).update(`clientState.${nonce}`).digest();
}

/** A new clientState for one subscription (66 characters; Graph allows 128). */
export function issueClientState(key: string): string {
	const nonce = randomBytes(NONCE_BYTES).toString('base64url');
	return `${nonce}.${mac(key, nonce).toString('base64url')}`;
}

/** Whether `value` is a clientState issued under `key`. Never throws. */
export function verifyClientState(key: string, value: unknown): boolean {
	if (typeof value !== 'string') return false;
	const [nonce, received, extra] = value.split('.');
	if (extra !== undefined || !NONCE.test(nonce ?? '') || !MAC.test(received ?? '')) return false;
	// Compared as text: base64url's last character carries spare bits, so decoding would accept a second spelling.
	const expected = Buffer.from(mac(key, nonce).toString('base64url'));
	const given = Buffer.from(received);
	return given.length === expected.length && timingSafeEqual(given, expected);
}
