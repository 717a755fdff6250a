import type { Queryable } from '../../engine/db/types.js';
import { NO_CURSOR } from './page.js';

export interface NotificationSummary {
  id: number;
  incidentId: number | null;
  kind: string;
  channel: string;
  status: string;
  attempts: number;
  /** when it is (or was to be) tried next */
  nextAt: string;
  /** the last failure, without secrets (a status or an SMTP code) */
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
  /** the incident's cause as the payload snapshots it */
  cause: string | null;
}

const iso = (v: Date | string | null) => (v === null ? null : new Date(v).toISOString());

/**
 * Notifications newest first, by status, channel or incident (keyset on the id).
 *
 * @example
 * const rows = await listNotifications(db, { status: 'failed', before: null, limit: 101 });
 */
export async function listNotifications(db: Queryable, f: { status?: string; channel?: string; incidentId?: number; before: number | null; limit: number }): Promise<NotificationSummary[]> {
  const { rows } = await db.query<{ id: string; incident_id: string | null; kind: string; channel: string; status: string; attempts: number; next_at: Date | string; last_error: string | null; created_at: Date | string; sent_at: Date | string | null; cause: string | null }>(
    `select id, incident_id, kind, channel, status, attempts, next_at, last_error, created_at, sent_at, payload #>> '{incident,cause}' as cause
       from notifications
      where ($1::text is null or status = $1) and ($2::text is null or channel = $2) and ($3::bigint is null or incident_id = $3)
        and id < $4::bigint
      order by id desc limit $5`,
    [f.status ?? null, f.channel ?? null, f.incidentId ?? null, f.before === null ? NO_CURSOR : String(f.before), f.limit],
  );
  return rows.map((r) => ({ id: Number(r.id), incidentId: r.incident_id === null ? null : Number(r.incident_id), kind: r.kind, channel: r.channel, status: r.status, attempts: r.attempts, nextAt: iso(r.next_at)!, lastError: r.last_error, createdAt: iso(r.created_at)!, sentAt: iso(r.sent_at), cause: r.cause }));
}
