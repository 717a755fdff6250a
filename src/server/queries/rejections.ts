import type { Queryable } from '../../engine/db/types.js';
import type { WebhookRejection as StoredRejection } from '../../engine/index.js';
import { NO_CURSOR } from './page.js';

/** A stored rejection as the API answers it: the engine's record, its time as ISO text. */
export type WebhookRejection = Omit<StoredRejection, 'at'> & { at: string };

/** Refused webhook deliveries newest first, by connection and reason (headers already redacted when stored; never bodies). */
export async function listRejections(db: Queryable, f: { connectionId?: string; reason?: string; before: number | null; limit: number }): Promise<WebhookRejection[]> {
  const { rows } = await db.query<{ id: string; connection_id: string; status: number; reason: string; detail: string | null; headers: Record<string, string>; body_sha256: string; body_bytes: number; at: Date | string }>(
    `select * from webhook_rejections where ($1::text is null or connection_id = $1) and ($4::text is null or reason = $4) and id < $2::bigint order by id desc limit $3`,
    [f.connectionId ?? null, f.before === null ? NO_CURSOR : String(f.before), f.limit, f.reason ?? null],
  );
  return rows.map((r) => ({ id: Number(r.id), connectionId: r.connection_id, status: r.status, reason: r.reason, detail: r.detail, headers: r.headers, bodySha256: r.body_sha256, bodyBytes: r.body_bytes, at: new Date(r.at).toISOString() }));
}
