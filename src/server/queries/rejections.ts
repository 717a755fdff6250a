import type { Queryable } from '../../engine/db/types.js';
import { NO_CURSOR } from './page.js';

/** Refused webhook deliveries newest first (headers already redacted when stored; never bodies). */
export async function listRejections(db: Queryable, f: { connectionId?: string; before: number | null; limit: number }) {
  const { rows } = await db.query<{ id: string; connection_id: string; status: number; reason: string; detail: string | null; headers: Record<string, string>; body_sha256: string; body_bytes: number; at: Date | string }>(
    `select * from webhook_rejections where ($1::text is null or connection_id = $1) and id < $2::bigint order by id desc limit $3`,
    [f.connectionId ?? null, f.before === null ? NO_CURSOR : String(f.before), f.limit],
  );
  return rows.map((r) => ({ id: Number(r.id), connectionId: r.connection_id, status: r.status, reason: r.reason, detail: r.detail, headers: r.headers, bodySha256: r.body_sha256, bodyBytes: r.body_bytes, at: new Date(r.at).toISOString() }));
}
