import { verify as verifySignature, type KeyObject } from 'node:crypto';
import { parsePublicKey, type PublicKeyInput } from './keys.js';
import { MemorySeenStore, type SeenStore } from './seen-store.js';

export { MemorySeenStore, type MemorySeenStoreOptions, type SeenStore } from './seen-store.js';
export { parsePublicKey, type PublicKeyInput } from './keys.js';

/**
 * Verification of HighLevel webhook deliveries (ghl-api.md §7.2): the Ed25519 `x-ghl-signature`
 * over the raw body bytes, optionally the legacy RSA-SHA256 `x-wh-signature`, the payload's
 * `timestamp` within a window, and its `webhookId` seen once. It fails closed: whatever is
 * missing or unreadable is a rejection with a reason, never a pass. No secret is compared here:
 * signatures are checked by `crypto.verify` with public keys, so there is no byte comparison
 * whose timing could leak anything; the signature is checked before the body is even parsed.
 */

export type WebhookRejection =
  /** No public key is configured (e.g. an unset environment variable). */
  | 'missing-key'
  /** Neither signature header, or only `x-wh-signature` with no RSA key configured. */
  | 'missing-signature'
  | 'bad-signature'
  /** The signed body is not a JSON object. */
  | 'malformed'
  | 'missing-timestamp'
  /** `timestamp` is further than `toleranceMs` from now (past or future). */
  | 'stale'
  | 'missing-webhook-id'
  /** This `webhookId` was already accepted. */
  | 'replay';

/** A verified payload: HighLevel's event fields plus the signed envelope. */
export interface WebhookEvent {
  type: string;
  webhookId: string;
  timestamp: string | number;
  appId?: string;
  locationId?: string;
  companyId?: string;
  [field: string]: unknown;
}

export type WebhookVerification =
  | { ok: true; event: WebhookEvent; scheme: 'ed25519' | 'rsa-sha256' }
  | { ok: false; reason: WebhookRejection };

/** Node's `IncomingHttpHeaders`, a plain record, or a fetch `Headers`. */
export type WebhookHeaders = Headers | Record<string, string | string[] | undefined>;

export interface WebhookVerifierOptions {
  /** HighLevel's Ed25519 key: PEM, raw 32 bytes (base64 or hex) or SPKI DER base64. Absent → every delivery is refused with `missing-key`. */
  publicKey: PublicKeyInput | null | undefined;
  /** HighLevel's RSA key (PEM) for the legacy `x-wh-signature`; without it that header is not trusted. */
  legacyRsaPublicKey?: PublicKeyInput | null;
  /** Largest distance between the payload's `timestamp` and now (default 300 000 ms). */
  toleranceMs?: number;
  /** Webhook ids already accepted (default an in-process `MemorySeenStore`). */
  seen?: SeenStore;
  now?: () => number;
}

export interface WebhookVerifier {
  /** Throws only if the seen store fails; answer such a delivery with a 5xx. */
  verify(delivery: { rawBody: Uint8Array | string; headers: WebhookHeaders }): Promise<WebhookVerification>;
}

const ED25519_SIGNATURE_BYTES = 64;
const BASE64_SIGNATURE = /^[A-Za-z0-9+/]+={0,2}$/;

function header(headers: WebhookHeaders, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const entry = Object.entries(headers).find(([k]) => k.toLowerCase() === name);
  const value = Array.isArray(entry?.[1]) ? entry[1][0] : entry?.[1];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function decodeSignature(value: string): Buffer | null {
  return BASE64_SIGNATURE.test(value) ? Buffer.from(value, 'base64') : null;
}

function checkSignature(raw: Buffer, headers: WebhookHeaders, ed: KeyObject, rsa: KeyObject | null): WebhookVerification | 'ed25519' | 'rsa-sha256' {
  const ghl = header(headers, 'x-ghl-signature');
  if (ghl !== undefined) {
    const signature = decodeSignature(ghl);
    if (!signature || signature.length !== ED25519_SIGNATURE_BYTES) return { ok: false, reason: 'bad-signature' };
    return verifySignature(null, raw, ed, signature) ? 'ed25519' : { ok: false, reason: 'bad-signature' };
  }
  const legacy = header(headers, 'x-wh-signature');
  if (legacy === undefined || rsa === null) return { ok: false, reason: 'missing-signature' };
  const signature = decodeSignature(legacy);
  if (!signature) return { ok: false, reason: 'bad-signature' };
  return verifySignature('sha256', raw, rsa, signature) ? 'rsa-sha256' : { ok: false, reason: 'bad-signature' };
}

/** Epoch ms of the payload's `timestamp`: an ISO string, or a number in ms (or s when < 1e11). */
function epochOf(timestamp: unknown): number | null {
  if (typeof timestamp === 'number' && Number.isFinite(timestamp)) return timestamp < 1e11 ? timestamp * 1000 : timestamp;
  if (typeof timestamp === 'string' && timestamp.trim() !== '') {
    const parsed = /^\d+$/.test(timestamp) ? epochOf(Number(timestamp)) : Date.parse(timestamp);
    return parsed !== null && Number.isFinite(parsed) ? parsed : null;
  }
  return null;
}

function parse(raw: Buffer): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(raw.toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/**
 * Creates a verifier for webhook deliveries. Give it the raw body bytes exactly as received
 * (not a re-serialised JSON object: the signature covers the bytes).
 *
 * @example
 * const verifier = createWebhookVerifier({ publicKey: process.env.GHL_WEBHOOK_PUBLIC_KEY });
 * const result = await verifier.verify({ rawBody, headers: req.headers });
 * if (!result.ok) return res.writeHead(401).end(result.reason);
 * handle(result.event);
 */
export function createWebhookVerifier(options: WebhookVerifierOptions): WebhookVerifier {
  const ed = options.publicKey ? parsePublicKey(options.publicKey, 'ed25519') : null;
  const rsa = options.legacyRsaPublicKey ? parsePublicKey(options.legacyRsaPublicKey, 'rsa') : null;
  const toleranceMs = options.toleranceMs ?? 300_000;
  if (!(toleranceMs > 0)) throw new TypeError('toleranceMs must be positive');
  const seen = options.seen ?? new MemorySeenStore({ now: options.now });
  const now = options.now ?? Date.now;

  return {
    async verify({ rawBody, headers }) {
      if (!ed) return { ok: false, reason: 'missing-key' };
      const raw = typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : Buffer.from(rawBody.buffer, rawBody.byteOffset, rawBody.byteLength);
      const scheme = checkSignature(raw, headers, ed, rsa);
      if (typeof scheme !== 'string') return scheme;
      const payload = parse(raw);
      if (!payload || typeof payload.type !== 'string') return { ok: false, reason: 'malformed' };
      const at = epochOf(payload.timestamp);
      if (at === null) return { ok: false, reason: 'missing-timestamp' };
      if (Math.abs(now() - at) > toleranceMs) return { ok: false, reason: 'stale' };
      if (typeof payload.webhookId !== 'string' || payload.webhookId === '') return { ok: false, reason: 'missing-webhook-id' };
      // an id can only come back while its timestamp is inside the window: keep it that long
      if (!(await seen.claim(payload.webhookId, 2 * toleranceMs))) return { ok: false, reason: 'replay' };
      return { ok: true, event: payload as WebhookEvent, scheme };
    },
  };
}
