/**
 * Inbound "your app" webhooks: signature check with every secret of a rotation, then the body read
 * into one engine event — its type from the payload (`type` by default), its dedupe id from a
 * *signed* place only: the id header when the scheme signs it (`webhook-id` of Standard Webhooks),
 * else `idPath` in the (signed) body, else a hash of the exact bytes. An id header the signature
 * does not cover (`X-GitHub-Delivery`, a custom `idHeader`) is never the dedupe key: a captured body
 * replayed with a fresh delivery id would otherwise be accepted again (and roll a contact back).
 */
import { createHash } from 'node:crypto';
import { verifyHmac, type Verification } from '../webhooks/index.js';
import { WebhookPayloadError, type SourceEvent, type WebhookDelivery, type WebhookSpec } from '../types.js';
import { readPath } from './paths.js';
import type { WebhookConn } from './schemas.js';

/**
 * Verifies one delivery against each accepted secret. A failure that does not depend on the secret
 * (no header) is answered as is; a stale timestamp once a secret matches; otherwise `bad-signature`.
 *
 * @example
 * verifyDelivery(conn, { rawBody, headers, now: Date.now() }); // { ok: true, id: 'msg_…', timestamp: 1700000000 }
 */
export function verifyDelivery(conn: WebhookConn, delivery: WebhookDelivery): Verification {
  if (conn.secrets.length === 0) return { ok: false, reason: 'bad-signature' };
  let first: Verification | undefined;
  for (const secret of conn.secrets) {
    const result = verifyHmac(conn.scheme, secret, delivery);
    if (result.ok) return result;
    if (result.reason !== 'bad-signature') return result;
    first ??= result;
  }
  return first ?? { ok: false, reason: 'bad-signature' };
}

/**
 * The verified body as one event. Throws `WebhookPayloadError` naming the field when the body is
 * not a JSON object, the type is missing, or a configured id/data path holds nothing usable.
 *
 * @example
 * parseDelivery(conn, { type: 'user.created', data: { id: 'u1' } }, 'msg_1'); // [{ externalId: 'msg_1', type: 'user.created', payload: { type: …, data: … } }]
 */
export function parseDelivery(conn: WebhookConn, body: unknown, verifiedId: string | null, rawBody?: Buffer): SourceEvent[] {
  // only an id inside the signed string proves the sender meant it
  const signedId = conn.scheme.signs === 'id.t.body' ? verifiedId : null;
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new WebhookPayloadError('body', `expected a JSON object, got ${body === null ? 'null' : Array.isArray(body) ? 'a list' : typeof body}`);
  }
  const type = readPath(body, conn.eventTypePath);
  if (typeof type !== 'string' || type.trim() === '') {
    throw new WebhookPayloadError(conn.eventTypePath, type === undefined || type === null || type === '' ? 'required: the event type (a non-empty text)' : `expected the event type as text, got ${typeof type}`);
  }
  let externalId = signedId;
  if (!externalId && conn.idPath) {
    const id = readPath(body, conn.idPath);
    if (typeof id === 'number' && Number.isFinite(id)) externalId = String(id);
    else if (typeof id === 'string' && id.trim() !== '') externalId = id;
    else throw new WebhookPayloadError(conn.idPath, 'required: the message id (text or number), used to drop redeliveries');
  }
  // no signed id: the exact (signed) bytes identify the message, so they are stored once however
  // often they come, whatever unsigned delivery id travels with them
  externalId ??= `sha256:${createHash('sha256').update(rawBody ?? JSON.stringify(body)).digest('hex')}`;
  let payload = body as Record<string, unknown>;
  if (conn.dataPath) {
    const data = readPath(body, conn.dataPath);
    if (data === null || typeof data !== 'object' || Array.isArray(data)) throw new WebhookPayloadError(conn.dataPath, 'expected an object (the event data)');
    payload = data as Record<string, unknown>;
  }
  return [{ externalId, type: type.trim(), payload }];
}

/** The connector's `webhook` part. */
export const webhookSpec: WebhookSpec<WebhookConn> = {
  verify: verifyDelivery,
  parse: (conn, body, delivery) => parseDelivery(conn, body, delivery.verification.id, delivery.rawBody),
};
