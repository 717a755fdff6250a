import { createSqlRateBudgetStore } from '../../engine/index.js';
import type { Database } from '../../engine/db/types.js';

/** The shared rate budget of one key (a location or an agency), as the governor sees it now. */
export interface RateBudgetState {
  /** the location (or company) id the budget belongs to */
  key: string;
  /** limits learnt from `X-RateLimit-*` (or the defaults until the first answer) */
  limits: { max: number; intervalMs: number; daily: number };
  learned: boolean;
  /** requests in flight or answered within the current window (ours and others') */
  inWindow: number;
  remainingInWindow: number;
  /** UTC day of the daily count */
  day: string;
  dailyUsed: number;
  dailyRemaining: number;
  /** epoch ms until which a 429 paused the key (0: not paused) */
  blockedUntil: number;
}

/**
 * Every key of the SQL rate budget (`rate_budgets`, migration 002) with its window read through
 * the store's own `snapshot`, so the numbers are the governor's.
 *
 * @example
 * const states = await rateBudgetStates(db, Date.now());
 */
export async function rateBudgetStates(db: Database, now: number): Promise<RateBudgetState[]> {
  const store = createSqlRateBudgetStore({ db });
  const { rows } = await db.query<{ key: string; learned: boolean; blocked_until: string | number; day: string }>('select key, learned, blocked_until, day from rate_budgets order by key');
  const out: RateBudgetState[] = [];
  for (const r of rows) {
    const s = await store.snapshot(r.key, now);
    out.push({
      key: r.key,
      limits: s.limits,
      learned: r.learned,
      inWindow: s.inWindow,
      remainingInWindow: Math.max(0, s.limits.max - s.inWindow),
      day: r.day,
      dailyUsed: s.dailyUsed,
      dailyRemaining: Math.max(0, s.limits.daily - s.dailyUsed),
      blockedUntil: Number(r.blocked_until) > now ? Number(r.blocked_until) : 0,
    });
  }
  return out;
}
