import type { Queryable } from '../db/types.js';
import type { WindowView } from './rules.js';

/** Where one key's window is looked at. All times epoch ms. */
export interface WindowQuery {
  key: string;
  /** the window ends here: it counts answers and foreign spends after `t − intervalMs` */
  t: number;
  intervalMs: number;
  /** slots and spends at or before this are forgotten (and not counted) */
  horizon: number;
  /** the present: a slot admitted `inFlightTtlMs` before it without an answer counts as answered then */
  now: number;
  inFlightTtlMs: number;
  /** delete what is past the horizon (only under the key's row lock) */
  prune: boolean;
}

type Num = number | string | null;

/** When a slot counts as answered: its answer, or its admission plus the TTL once that has passed; null while in flight. */
const EFFECTIVE = `(case when answered_at is not null then answered_at when admitted_at <= $3::bigint - $4::bigint then admitted_at + $4::bigint end)`;

/**
 * Counts one key's window in one statement (and, with `prune`, forgets in the same statement the
 * slots and foreign spends past the horizon; the count excludes them either way).
 *
 * @example
 * const view = await readWindow(tx, { key, t: now, intervalMs, horizon: now - 2 * intervalMs, now, inFlightTtlMs, prune: true });
 */
export async function readWindow(q: Queryable, w: WindowQuery): Promise<WindowView> {
  const since = w.t - w.intervalMs;
  const bound = Math.max(since, w.horizon);
  const prune = w.prune
    ? `with pruned_slots as (delete from rate_slots where key = $1 and ${EFFECTIVE} <= $5::bigint returning 1),
       pruned_foreign as (delete from rate_foreign where key = $1 and at <= $5::bigint returning 1) `
    : '';
  const { rows } = await q.query<{ in_flight: Num; answered: Num; oldest_answer: Num; foreign_n: Num; oldest_foreign: Num }>(
    `${prune}select
       (select count(*) from rate_slots where key = $1 and ${EFFECTIVE} is null) as in_flight,
       (select count(*) from rate_slots where key = $1 and ${EFFECTIVE} > $2::bigint) as answered,
       (select min(${EFFECTIVE}) from rate_slots where key = $1 and ${EFFECTIVE} > $2::bigint) as oldest_answer,
       (select coalesce(sum(n), 0) from rate_foreign where key = $1 and at > $2::bigint) as foreign_n,
       (select min(at) from rate_foreign where key = $1 and at > $2::bigint) as oldest_foreign`,
    [w.key, Math.floor(bound), Math.floor(w.now), Math.floor(w.inFlightTtlMs), ...(w.prune ? [Math.floor(w.horizon)] : [])],
  );
  const r = rows[0]!;
  const oldest = [r.oldest_answer, r.oldest_foreign].filter((v): v is number | string => v !== null).map(Number);
  return { inFlight: Number(r.in_flight), answered: Number(r.answered), foreign: Number(r.foreign_n), oldest: oldest.length > 0 ? Math.min(...oldest) : null };
}
