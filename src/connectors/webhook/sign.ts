/**
 * Signing outbound messages the way senders do, so the fake app and `webhook.send` produce exactly
 * what `verifyHmac` checks: Standard Webhooks (`webhook-id/-timestamp/-signature`, `whsec_` base64
 * key) or Stripe-style (`Stripe-Signature: t=…,v1=…`, key = the secret's UTF-8 bytes).
 */
import { createHmac } from 'node:crypto';
import type { HmacScheme } from '../webhooks/index.js';

export interface SignInput {
  /** the exact bytes that will be sent */
  body: string;
  /** message id (stable across retries: the receiver dedupes on it) */
  id: string;
  /** Unix seconds of this attempt */
  timestamp: number;
}

/**
 * Headers of a Standard Webhooks message; several secrets give several `v1` entries (rotation).
 *
 * @example
 * const headers = standardWebhookHeaders('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', { id: 'msg_1', timestamp: 1700000000, body });
 * // { 'webhook-id': 'msg_1', 'webhook-timestamp': '1700000000', 'webhook-signature': 'v1,…' }
 */
export function standardWebhookHeaders(secret: string | string[], input: SignInput): Record<string, string> {
  const secrets = Array.isArray(secret) ? secret : [secret];
  const signatures = secrets.map((s) => {
    const key = Buffer.from(s.replace(/^whsec_/, ''), 'base64');
    return `v1,${createHmac('sha256', key).update(`${input.id}.${input.timestamp}.${input.body}`).digest('base64')}`;
  });
  return { 'webhook-id': input.id, 'webhook-timestamp': String(input.timestamp), 'webhook-signature': signatures.join(' ') };
}

/**
 * The `Stripe-Signature` header (the id travels in the body, as Stripe's `evt_…`).
 *
 * @example
 * stripeHeaders('whsec_test_secret', { id: 'evt_1', timestamp: 1700000000, body }); // { 'stripe-signature': 't=1700000000,v1=…' }
 */
export function stripeHeaders(secret: string, input: SignInput): Record<string, string> {
  const sig = createHmac('sha256', Buffer.from(secret, 'utf8')).update(`${input.timestamp}.${input.body}`).digest('hex');
  return { 'stripe-signature': `t=${input.timestamp},v1=${sig}` };
}

/**
 * Headers that make `verifyHmac(scheme, secret, …)` accept `input.body`, for any scheme (a preset
 * or a custom one): the signature in the scheme's format and encoding, plus the timestamp and id
 * headers the scheme reads. What `webhook send` uses, so it signs as each connection expects.
 *
 * @example
 * signForScheme(SCHEMES.github, 'secret', { id: 'msg_1', timestamp: 1700000000, body }); // { 'x-hub-signature-256': 'sha256=…', 'x-github-delivery': 'msg_1' }
 */
export function signForScheme(scheme: HmacScheme, secret: string, input: SignInput): Record<string, string> {
  const key = scheme.key === 'whsec-base64' ? Buffer.from(secret.replace(/^whsec_/, ''), 'base64') : Buffer.from(secret, 'utf8');
  const t = String(input.timestamp);
  const prefix = scheme.signs === 'id.t.body' ? `${input.id}.${t}.` : scheme.signs === 't.body' ? `${t}.` : '';
  const sig = createHmac('sha256', key).update(prefix).update(input.body).digest(scheme.encoding);
  const value = scheme.format === 'standard-webhooks' ? `v1,${sig}` : scheme.format === 'stripe' ? `t=${t},v1=${sig}` : scheme.format === 'prefixed' ? `${scheme.prefix ?? ''}${sig}` : sig;
  const headers: Record<string, string> = { [scheme.signatureHeader.toLowerCase()]: value };
  if (scheme.timestampHeader) headers[scheme.timestampHeader.toLowerCase()] = t;
  if (scheme.idHeader) headers[scheme.idHeader.toLowerCase()] = input.id;
  return headers;
}
