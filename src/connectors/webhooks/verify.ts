import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signature verification for inbound webhooks, over the raw bytes (never re-serialised JSON).
 * One configurable HMAC-SHA256 scheme covers Standard Webhooks (the default for "your app"),
 * Stripe-style, GitHub-style and Recruitee; each scheme below is a preset of it.
 */
export type Headers = Record<string, string | string[] | undefined>;

export type Rejection = 'missing-signature' | 'bad-signature' | 'missing-timestamp' | 'stale' | 'malformed';
export type Verification = { ok: true; id: string | null; timestamp: number | null } | { ok: false; reason: Rejection };

export interface HmacScheme {
  /** header carrying the signature(s) */
  signatureHeader: string;
  /** how signatures are listed in the header */
  format: 'standard-webhooks' | 'stripe' | 'prefixed' | 'bare';
  /** prefix before the signature for `prefixed` (e.g. `sha256=`) */
  prefix?: string;
  encoding: 'base64' | 'hex';
  /** what is signed: the body; `t.body` (Stripe); `id.t.body` (Standard Webhooks) */
  signs: 'body' | 't.body' | 'id.t.body';
  /** `whsec_<base64>` decoded (Standard Webhooks) or the secret's UTF-8 bytes as given */
  key: 'whsec-base64' | 'utf8';
  timestampHeader?: string;
  idHeader?: string;
  /** seconds; 0 = no timestamp check */
  toleranceSeconds: number;
  /** Stripe rejects only too-old events; Standard Webhooks rejects both directions */
  rejectFuture: boolean;
}

export const SCHEMES = {
  standardWebhooks: { signatureHeader: 'webhook-signature', format: 'standard-webhooks', encoding: 'base64', signs: 'id.t.body', key: 'whsec-base64', timestampHeader: 'webhook-timestamp', idHeader: 'webhook-id', toleranceSeconds: 300, rejectFuture: true },
  stripe: { signatureHeader: 'stripe-signature', format: 'stripe', encoding: 'hex', signs: 't.body', key: 'utf8', toleranceSeconds: 300, rejectFuture: false },
  github: { signatureHeader: 'x-hub-signature-256', format: 'prefixed', prefix: 'sha256=', encoding: 'hex', signs: 'body', key: 'utf8', idHeader: 'x-github-delivery', toleranceSeconds: 0, rejectFuture: false },
  recruitee: { signatureHeader: 'x-recruitee-signature', format: 'bare', encoding: 'hex', signs: 'body', key: 'utf8', toleranceSeconds: 0, rejectFuture: false },
} satisfies Record<string, HmacScheme>;

function header(headers: Headers, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === wanted) return Array.isArray(v) ? v[0] : v;
  return undefined;
}

function keyBytes(secret: string, kind: HmacScheme['key']): Buffer {
  return kind === 'whsec-base64' ? Buffer.from(secret.replace(/^whsec_/, ''), 'base64') : Buffer.from(secret, 'utf8');
}

/** The signatures a header lists, and the Stripe-style timestamp when the header carries it. */
function parse(value: string, scheme: HmacScheme): { signatures: string[]; t?: string } {
  switch (scheme.format) {
    case 'standard-webhooks':
      return { signatures: value.split(' ').map((e) => e.split(',')).filter(([v, s]) => v === 'v1' && s).map(([, s]) => s!) };
    case 'stripe': {
      const pairs = value.split(',').map((p) => p.split('='));
      return { signatures: pairs.filter(([k]) => k === 'v1').map(([, v]) => v ?? ''), t: pairs.find(([k]) => k === 't')?.[1] };
    }
    case 'prefixed':
      return { signatures: value.startsWith(scheme.prefix ?? '') ? [value.slice((scheme.prefix ?? '').length)] : [] };
    default:
      return { signatures: [value.trim()] };
  }
}

function equal(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Verifies one delivery. Fails closed: no header, no timestamp where the scheme needs one, a
 * timestamp outside the tolerance, or no matching signature (any of several during a rotation).
 *
 * @example
 * const result = verifyHmac(SCHEMES.standardWebhooks, 'whsec_…', { rawBody, headers });
 * if (!result.ok) return new Response(result.reason, { status: 401 });
 */
export function verifyHmac(scheme: HmacScheme, secret: string, delivery: { rawBody: Buffer | string; headers: Headers; now?: number }): Verification {
  const value = header(delivery.headers, scheme.signatureHeader);
  if (!value) return { ok: false, reason: 'missing-signature' };
  const { signatures, t: stripeT } = parse(value, scheme);
  if (signatures.length === 0) return { ok: false, reason: 'malformed' };
  const t = stripeT ?? (scheme.timestampHeader ? header(delivery.headers, scheme.timestampHeader) : undefined);
  const id = scheme.idHeader ? header(delivery.headers, scheme.idHeader) ?? null : null;
  const needsT = scheme.signs !== 'body' || scheme.toleranceSeconds > 0;
  if (needsT && (!t || !/^\d+$/.test(t))) return { ok: false, reason: 'missing-timestamp' };
  if (scheme.signs === 'id.t.body' && !id) return { ok: false, reason: 'malformed' };
  const body = Buffer.isBuffer(delivery.rawBody) ? delivery.rawBody : Buffer.from(delivery.rawBody, 'utf8');
  const prefix = scheme.signs === 'id.t.body' ? `${id}.${t}.` : scheme.signs === 't.body' ? `${t}.` : '';
  const expected = createHmac('sha256', keyBytes(secret, scheme.key)).update(prefix).update(body).digest(scheme.encoding);
  if (!signatures.some((s) => equal(s, expected))) return { ok: false, reason: 'bad-signature' };
  // the window is checked after the signature, so only a sender holding the secret learns of it
  if (t && scheme.toleranceSeconds > 0) {
    const skew = Math.floor((delivery.now ?? Date.now()) / 1000) - Number(t);
    if (skew > scheme.toleranceSeconds || (scheme.rejectFuture && -skew > scheme.toleranceSeconds)) return { ok: false, reason: 'stale' };
  }
  return { ok: true, id, timestamp: t ? Number(t) : null };
}
