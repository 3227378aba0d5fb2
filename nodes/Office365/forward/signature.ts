import { createHmac, timingSafeEqual } from 'node:crypto';

/** The credential whose `authenticate` adds the signature (credentials/Office365EventSigningApi). */
export const SIGNING_CREDENTIAL_TYPE = 'office365EventSigningApi';

/** Header carrying the notification id (same value on every retry of one notification). */
export const WEBHOOK_ID_HEADER = 'Elements-Webhook-Id';
/** Header carrying `sha256=<base64 HMAC-SHA256 of the body>` when a signing key is set. */
export const SIGNATURE_HEADER = 'Elements-Webhook-Signature';

type SignatureAlgorithm = 'sha256' | 'sha1';

function toBytes(body: string | Uint8Array): Uint8Array {
	return typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
}

/**
 * Open Connectors' callback signature (`event.notification.signature.key`):
 * `sha256=` + Base64(HMAC-SHA256(key, exact body bytes)). A string body is taken as UTF-8, which is
 * what goes on the wire.
 */
export function signBody(
	body: string | Uint8Array,
	key: string,
	algorithm: SignatureAlgorithm = 'sha256',
): string {
	const mac = createHmac(algorithm, key).update(toBytes(body)).digest('base64');
	return `${algorithm}=${mac}`;
}

const SIGNATURE_FORMAT = /^(sha256|sha1)=([A-Za-z0-9+/]+={0,2})$/;

interface VerifyOptions {
	/**
	 * Also accept `sha1=` signatures (an older Open Connectors revision used HMAC-SHA1).
	 * Off by default: this node only sends sha256.
	 */
	allowSha1?: boolean;
}

/**
 * Receiver-side check: recomputes the HMAC over the raw body bytes and compares it in constant time
 * with the header value. Returns false (never throws) for a missing, malformed or wrong signature.
 * Pass the body exactly as received (a Buffer), not a re-serialized object.
 */
export function verifySignature(
	body: string | Uint8Array,
	header: string | string[] | undefined | null,
	key: string,
	options: VerifyOptions = {},
): boolean {
	const value = Array.isArray(header) ? (header.length === 1 ? header[0] : undefined) : header;
	if (typeof value !== 'string') return false;
	const match = SIGNATURE_FORMAT.exec(value.trim());
	if (match === null) return false;
	const algorithm = match[1] as SignatureAlgorithm;
	if (algorithm === 'sha1' && options.allowSha1 !== true) return false;
	const expected = createHmac(algorithm, key).update(toBytes(body)).digest();
	const received = Buffer.from(match[2], 'base64');
	if (received.length !== expected.length) {
		// Keep the work constant-shaped; the digest length itself is public.
		timingSafeEqual(expected, expected);
		return false;
	}
	return timingSafeEqual(received, expected);
}

/**
 * Local check behind the credential's "Test" button: nothing is sent anywhere (the key only signs
 * bodies), so the test can only confirm that a usable key is set. Never echoes the key.
 */
export function checkSigningKey(key: unknown): { ok: boolean; message: string } {
	if (typeof key !== 'string' || key === '') {
		return { ok: false, message: 'The signing key is empty' };
	}
	const note =
		key.trim() !== key
			? ' Note: it starts or ends with whitespace, which is part of the key; the receiver must use the identical value.'
			: '';
	return {
		ok: true,
		message: `Signing key is set. Notifications will carry ${SIGNATURE_HEADER}: sha256=… (checked locally, no request was made).${note}`,
	};
}
