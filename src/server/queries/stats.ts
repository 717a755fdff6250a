/**
 * Runs over time for the console's chart: outcome counts per bucket over the last hour (per minute),
 * day (per 15 minutes) or week (per hour), grouped in SQL on `runs_created_at` (migration 013).
 */
import type { Queryable } from '../../engine/db/types.js';

export const STATS_RANGES = { '1h': { seconds: 3600, step: 60 }, '24h': { seconds: 86_400, step: 900 }, '7d': { seconds: 604_800, step: 3600 } } as const;
export type StatsRange = keyof typeof STATS_RANGES;

export const OUTCOMES = ['succeeded', 'skipped', 'dead', 'dismissed', 'queued', 'running'] as const;
export type Outcome = (typeof OUTCOMES)[number];
export type OutcomeCounts = Record<Outcome, number>;

export interface RunStats {
  range: StatsRange;
  /** bucket width in seconds */
  step: number;
  /** start of the first bucket and end of the last (ISO) */
  from: string;
  to: string;
  /** one per step, oldest first, empty ones included; `at` is the bucket's start; runs counted by when they were created, with their status now */
  buckets: Array<{ at: string } & OutcomeCounts>;
  totals: OutcomeCounts & { all: number };
}

const zero = (): OutcomeCounts => ({ succeeded: 0, skipped: 0, dead: 0, dismissed: 0, queued: 0, running: 0 });

/**
 * @example
 * const s = await runStats(db, '24h', Date.now()); // 96 buckets of 15 minutes
 */
export async function runStats(db: Queryable, range: StatsRange, now: number): Promise<RunStats> {
  const { seconds, step } = STATS_RANGES[range];
  const count = seconds / step;
  const stepMs = step * 1000;
  // buckets aligned on the step (UTC), the last one holding now
  const first = Math.floor(now / stepMs) * stepMs - (count - 1) * stepMs;
  const { rows } = await db.query<{ i: number; status: string; n: string }>(
    `select floor((extract(epoch from created_at) * 1000 - $1::double precision) / $2::double precision)::int as i, status, count(*) as n
       from runs
      where dry_run = false and created_at >= to_timestamp($1::double precision / 1000)
      group by 1, 2`,
    [first, stepMs],
  );
  const buckets = Array.from({ length: count }, (_, i) => ({ at: new Date(first + i * stepMs).toISOString(), ...zero() }));
  const totals = { ...zero(), all: 0 };
  for (const r of rows) {
    const b = buckets[r.i];
    if (!b || !(OUTCOMES as readonly string[]).includes(r.status)) continue;
    const n = Number(r.n);
    b[r.status as Outcome] += n;
    totals[r.status as Outcome] += n;
    totals.all += n;
  }
  return { range, step, from: buckets[0]!.at, to: new Date(first + count * stepMs).toISOString(), buckets, totals };
}
