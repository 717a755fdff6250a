/**
 * The digest (`alerts.digest: hourly | daily`): once per hour or UTC day, one message per default
 * channel listing the open incidents (none open: no message). Rows of kind `digest` in the outbox,
 * sent like the others; an advisory lock keeps two processes from making the same one.
 */
import type { AlertsConfig } from '../../config/alerts.js';
import type { Database } from '../../engine/db/types.js';

/** An arbitrary constant: the advisory lock around making a period's digests. */
const DIGEST_LOCK = 7_143_312;
/** The most incidents one digest lists (the console has them all). */
export const DIGEST_MAX_INCIDENTS = 50;

/** The start of the period `now` is in: the hour, or the UTC day. */
export function periodStart(digest: 'hourly' | 'daily', now: Date): Date {
  const d = new Date(now);
  d.setUTCMinutes(0, 0, 0);
  if (digest === 'daily') d.setUTCHours(0);
  return d;
}

/**
 * Adds this period's digest rows that are missing (one per channel of `alerts.default`); answers their ids.
 *
 * @example
 * await enqueueDueDigests(db, { alerts: { digest: 'daily', default: ['ops-mail'] }, now: new Date() }); // [17]
 */
export async function enqueueDueDigests(db: Pick<Database, 'transaction'>, o: { alerts: Pick<AlertsConfig, 'digest' | 'default'>; now: Date }): Promise<number[]> {
  const { digest } = o.alerts;
  if (digest === 'off' || o.alerts.default.length === 0) return [];
  const since = periodStart(digest, o.now);
  return db.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock($1)', [DIGEST_LOCK]);
    const { rows: done } = await tx.query<{ channel: string }>(`select distinct channel from notifications where kind = 'digest' and created_at >= $1 and channel = any($2::text[])`, [since, o.alerts.default]);
    const missing = o.alerts.default.filter((c) => !done.some((d) => d.channel === c));
    if (missing.length === 0) return [];
    const { rows: incidents } = await tx.query(
      `select id, rule, key, status, recipe_id, connection_id, location_id, cause, advice, count, first_run_id, latest_run_id, opened_at, last_seen, resolved_at
         from incidents where status = 'open' and (muted_until is null or muted_until <= $1)
        order by last_seen desc, id desc limit $2`,
      [o.now, DIGEST_MAX_INCIDENTS],
    );
    if (incidents.length === 0) return [];
    const payload = JSON.stringify({ kind: 'digest', period: digest, since: since.toISOString(), incidents });
    const ids: number[] = [];
    for (const channel of missing) {
      const { rows } = await tx.query<{ id: string }>(`insert into notifications (kind, channel, payload, created_at, next_at) values ('digest', $1, $2::jsonb, $3, $3) returning id`, [channel, payload, o.now]);
      ids.push(Number(rows[0]!.id));
    }
    return ids;
  });
}
