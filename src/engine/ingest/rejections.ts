import { createHash } from 'node:crypto';
import type { Queryable } from '../db/types.js';

/** A webhook delivery refused before anything was enqueued: kept for people, without secrets. */
export interface WebhookRejection {
  id: number;
  connectionId: string;
  status: number;
  /** `bad-signature`, `stale`, `malformed`, … */
  reason: string;
  detail: string | null;
  /** the delivery's headers with signatures and credentials redacted */
  headers: Record<string, string>;
  bodySha256: string;
  bodyBytes: number;
  at: Date;
}

const SECRET_HEADER = /signature|authorization|token|secret|api-key|cookie/i;

/** Headers as they may be kept: signature, credential and cookie values replaced. */
export function redactHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined) continue;
    out[k.toLowerCase()] = SECRET_HEADER.test(k) ? '[redacted]' : Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

/**
 * Records a refused delivery: status, reason, redacted headers and the body's hash and size
 * (never the body, which may carry personal data of an unverified sender).
 *
 * @example
 * await recordRejection(db, { connectionId, status: 401, reason: 'bad-signature', headers, rawBody });
 */
export async function recordRejection(
  db: Queryable,
  r: { connectionId: string; status: number; reason: string; detail?: string; headers: Record<string, string | string[] | undefined>; rawBody: Buffer },
): Promise<void> {
  await db.query(
    'insert into webhook_rejections (connection_id, status, reason, detail, headers, body_sha256, body_bytes) values ($1, $2, $3, $4, $5, $6, $7)',
    [r.connectionId, r.status, r.reason, r.detail ?? null, JSON.stringify(redactHeaders(r.headers)), createHash('sha256').update(r.rawBody).digest('hex'), r.rawBody.length],
  );
}

export async function listRejections(db: Queryable, filter: { connectionId?: string; limit?: number } = {}): Promise<WebhookRejection[]> {
  const { rows } = await db.query<{ id: string; connection_id: string; status: number; reason: string; detail: string | null; headers: Record<string, string>; body_sha256: string; body_bytes: number; at: Date | string }>(
    `select * from webhook_rejections where ($1::text is null or connection_id = $1) order by id desc limit $2`,
    [filter.connectionId ?? null, filter.limit ?? 100],
  );
  return rows.map((r) => ({ id: Number(r.id), connectionId: r.connection_id, status: r.status, reason: r.reason, detail: r.detail, headers: r.headers, bodySha256: r.body_sha256, bodyBytes: r.body_bytes, at: new Date(r.at) }));
}

/** A delivery whose events were all stored before (a sender's retry, or a replay). */
export interface WebhookReplay {
  id: number;
  connectionId: string;
  externalIds: string[];
  headers: Record<string, string>;
  at: Date;
}

/**
 * Records a delivery that brought nothing new: acknowledged, not enqueued, kept for people.
 *
 * @example
 * await recordReplay(db, { connectionId, externalIds: ['msg_1'], headers });
 */
export async function recordReplay(db: Queryable, r: { connectionId: string; externalIds: string[]; headers: Record<string, string | string[] | undefined> }): Promise<void> {
  await db.query('insert into webhook_replays (connection_id, external_ids, headers) values ($1, $2, $3)', [r.connectionId, JSON.stringify(r.externalIds), JSON.stringify(redactHeaders(r.headers))]);
}

export async function listReplays(db: Queryable, filter: { connectionId?: string; limit?: number } = {}): Promise<WebhookReplay[]> {
  const { rows } = await db.query<{ id: string; connection_id: string; external_ids: string[]; headers: Record<string, string>; at: Date | string }>(
    `select * from webhook_replays where ($1::text is null or connection_id = $1) order by id desc limit $2`,
    [filter.connectionId ?? null, filter.limit ?? 100],
  );
  return rows.map((r) => ({ id: Number(r.id), connectionId: r.connection_id, externalIds: r.external_ids, headers: r.headers, at: new Date(r.at) }));
}
