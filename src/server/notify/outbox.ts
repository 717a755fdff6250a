/**
 * The notifications outbox as the sender sees it: claim due rows (a lease, not a lock), mark them
 * sent, retried later or failed. Every statement is on its own, never around a send.
 */
import { randomUUID } from 'node:crypto';
import type { Queryable } from '../../engine/db/types.js';

export type NotificationKind = 'opened' | 'reminder' | 'resolved' | 'digest' | 'test';
export type NotificationStatus = 'pending' | 'sent' | 'failed';

export interface ClaimedNotification {
  id: number;
  incidentId: number | null;
  kind: NotificationKind;
  channel: string;
  /** failed attempts so far */
  attempts: number;
  payload: Record<string, unknown>;
  createdAt: Date;
  /** this sender's token: only it may settle the row */
  claim: string;
}

interface Raw {
  id: string | number;
  incident_id: string | number | null;
  kind: NotificationKind;
  channel: string;
  attempts: number;
  payload: Record<string, unknown>;
  created_at: Date | string;
  claimed_by: string;
}

const RETURNING = 'returning n.id, n.incident_id, n.kind, n.channel, n.attempts, n.payload, n.created_at, n.claimed_by';

function toClaimed(r: Raw): ClaimedNotification {
  return { id: Number(r.id), incidentId: r.incident_id === null ? null : Number(r.incident_id), kind: r.kind, channel: r.channel, attempts: r.attempts, payload: r.payload ?? {}, createdAt: new Date(r.created_at), claim: r.claimed_by };
}

/**
 * Takes up to `limit` due pending rows for this sender: their `next_at` moves `leaseMs` ahead, so no
 * other sender (in this process or another) takes them meanwhile, and if this one dies they are
 * due again when the lease ends. `skip locked` keeps concurrent claims from waiting on each other.
 *
 * @example
 * const rows = await claimDue(db, { now: new Date(), limit: 10, leaseMs: 120_000 });
 */
export async function claimDue(db: Queryable, o: { now: Date; limit: number; leaseMs: number }): Promise<ClaimedNotification[]> {
  const { rows } = await db.query<Raw>(
    `with picked as (
       select id from notifications
        where status = 'pending' and next_at <= $1
        order by next_at, id
        limit $2
        for update skip locked
     )
     update notifications n set claimed_by = $3, next_at = $1::timestamptz + make_interval(secs => $4)
       from picked p where n.id = p.id
     ${RETURNING}`,
    [o.now, o.limit, randomUUID(), o.leaseMs / 1000],
  );
  return rows.map(toClaimed).sort((a, b) => a.id - b.id);
}

/**
 * A new row already claimed by the caller (for `alerts test`: sent at once, never by the loop).
 *
 * @example
 * const row = await insertClaimed(db, { kind: 'test', channel: 'ops-mail', payload: { kind: 'test' }, now, leaseMs: 120_000 });
 */
export async function insertClaimed(db: Queryable, o: { kind: NotificationKind; channel: string; payload: Record<string, unknown>; now: Date; leaseMs: number }): Promise<ClaimedNotification> {
  const { rows } = await db.query<Raw>(
    `insert into notifications as n (kind, channel, payload, claimed_by, next_at, created_at)
     values ($1, $2, $3::jsonb, $4, $5::timestamptz + make_interval(secs => $6), $5)
     ${RETURNING}`,
    [o.kind, o.channel, JSON.stringify(o.payload), randomUUID(), o.now, o.leaseMs / 1000],
  );
  return toClaimed(rows[0]!);
}

/** Marks a claimed row sent; false when the claim was lost (the lease lapsed and another sender took it). */
export async function markSent(db: Queryable, row: ClaimedNotification, now: Date): Promise<boolean> {
  const { rowCount } = await db.query(
    `update notifications set status = 'sent', sent_at = $3, last_error = null, claimed_by = null
      where id = $1 and claimed_by = $2 and status = 'pending'`,
    [row.id, row.claim, now],
  );
  return rowCount === 1;
}

/**
 * Records a failed attempt: pending again at `retryAt`, or `failed` for good when `retryAt` is null.
 * `error` must already be free of secrets.
 */
export async function markAttemptFailed(db: Queryable, row: ClaimedNotification, o: { error: string; retryAt: Date | null; countsAsAttempt?: boolean }): Promise<boolean> {
  const { rowCount } = await db.query(
    `update notifications
        set attempts = attempts + $5, last_error = $3, claimed_by = null,
            status = case when $4::timestamptz is null then 'failed' else 'pending' end,
            next_at = coalesce($4::timestamptz, next_at)
      where id = $1 and claimed_by = $2 and status = 'pending'`,
    [row.id, row.claim, o.error.slice(0, 1000), o.retryAt, o.countsAsAttempt === false ? 0 : 1],
  );
  return rowCount === 1;
}
