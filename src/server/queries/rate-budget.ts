import type { RateBudgetStore, RateLimits } from '../../ghl/index.js';

/** The shared rate budget of one key (a location or an agency), as the governor sees it now. */
export interface RateBudgetState {
  /** the location (or company) id the budget belongs to */
  key: string;
  /** limits learnt from `X-RateLimit-*` (or the defaults until the first answer) */
  limits: RateLimits;
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
 * Every key of the engine's rate budget store (in memory on the embedded database, `rate_budgets`
 * on a server) read through the store's own `snapshot`, so the numbers are the governor's.
 *
 * @example
 * const states = await rateBudgetStates(bridge.ghl.budget, Date.now());
 */
export async function rateBudgetStates(store: RateBudgetStore, now: number): Promise<RateBudgetState[]> {
  const out: RateBudgetState[] = [];
  for (const key of await store.keys()) {
    const s = await store.snapshot(key, now);
    out.push({
      key,
      limits: s.limits,
      learned: s.learned,
      inWindow: s.inWindow,
      remainingInWindow: Math.max(0, s.limits.max - s.inWindow),
      day: s.day,
      dailyUsed: s.dailyUsed,
      dailyRemaining: Math.max(0, s.limits.daily - s.dailyUsed),
      blockedUntil: s.blockedUntil > now ? s.blockedUntil : 0,
    });
  }
  return out;
}

/** A key's budget with the connections that spend it and the shares used (0–1), as the console shows it. */
export type RateBudgetView = RateBudgetState & { connections: string[]; windowUsed: number; dailyUsedShare: number };

/**
 * Every key's rate budget with the connections of its location (or agency) and the shares used.
 *
 * @example
 * const items = await rateBudgetView(bridge.ghl.budget, await bridge.connections.list(), Date.now());
 */
export async function rateBudgetView(store: RateBudgetStore, connections: ReadonlyArray<{ id: string; config: Record<string, unknown> }>, now: number): Promise<RateBudgetView[]> {
  const states = await rateBudgetStates(store, now);
  return states.map((s) => ({
    ...s,
    connections: connections.filter((k) => k.config.locationId === s.key || k.config.companyId === s.key).map((k) => k.id),
    windowUsed: s.limits.max > 0 ? Math.min(1, s.inWindow / s.limits.max) : 0,
    dailyUsedShare: s.limits.daily > 0 ? Math.min(1, s.dailyUsed / s.limits.daily) : 0,
  }));
}
