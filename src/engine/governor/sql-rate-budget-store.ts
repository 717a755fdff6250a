import type { GovernorObservation } from '../../ghl/governor/observation.js';
import { DEFAULT_RATE_LIMITS } from '../../ghl/governor/memory-store.js';
import type { Admission, RateBudgetSnapshot, RateBudgetStore, RateLimits } from '../../ghl/governor/types.js';
import type { Database } from '../db/types.js';

export interface SqlRateBudgetStoreOptions {
  db: Database;
  /** Limits assumed before the first answer of a key (default 100 / 10 000 ms / 200 000). */
  defaults?: Partial<RateLimits>;
  /** Pace past half the window, as `MemoryRateBudgetStore` does (default true). */
  pace?: boolean;
  /**
   * A slot without an answer this long after its admission counts as answered then (default
   * 300 000 ms): a worker that died mid-request does not hold its slots for ever. Keep it above the
   * longest request timeout.
   */
  inFlightTtlMs?: number;
}

/** node-postgres answers bigint as a string, PGlite as a number. */
type Int8 = number | string | bigint;

interface AcquireRow {
  granted: boolean;
  ticket: Int8 | null;
  retry_at: number | null;
  scope: 'burst' | 'daily' | null;
}

interface SnapshotRow {
  limit_max: number;
  limit_interval_ms: number;
  limit_daily: number;
  is_learned: boolean;
  in_window: Int8;
  budget_day: string;
  used_today: number;
  paused_until: Int8;
}

/**
 * The `RateBudgetStore` shared by every worker through the database (tables `rate_budgets`,
 * `rate_slots`, `rate_foreign`, migration 002). It follows `MemoryRateBudgetStore` rule for rule
 * (slots in flight or answered within the interval, limits learned from `X-RateLimit-*`, budget
 * others spent, the pause after a 429, the daily count, pacing) with the state in rows.
 *
 * Each of `acquire`, `observe`, `release` and `snapshot` is one statement: the rules run in the
 * database as the functions of migration 006, so a governed call costs three round trips. `acquire`
 * and `observe` lock the key's row before they count: two acquirers of one key, in one process or
 * many, take turns and the second counts the slot of the first, so the store never admits more than
 * `max` per window. That needs READ COMMITTED (PostgreSQL's default), where each statement of a
 * function sees what committed before it started.
 *
 * @example
 * const store = createSqlRateBudgetStore({ db });
 * const ghl = createGhlClient({ auth: { privateIntegrationToken }, locationId, rateBudget: store });
 * // or: compose([retry(), governor({ store }), headers(), auth], transport)
 */
export function createSqlRateBudgetStore(options: SqlRateBudgetStoreOptions): SqlRateBudgetStore {
  return new SqlRateBudgetStore(options);
}

export class SqlRateBudgetStore implements RateBudgetStore {
  private readonly db: Database;
  private readonly defaults: RateLimits;
  private readonly pace: boolean;
  private readonly ttl: number;

  constructor(options: SqlRateBudgetStoreOptions) {
    this.db = options.db;
    this.defaults = { ...DEFAULT_RATE_LIMITS, ...options.defaults };
    this.pace = options.pace ?? true;
    this.ttl = options.inFlightTtlMs ?? 300_000;
  }

  async acquire(key: string, now: number): Promise<Admission> {
    const { max, intervalMs, daily } = this.defaults;
    const { rows } = await this.db.query<AcquireRow>('select granted, ticket, retry_at, scope from ghl_bridge_rate_acquire($1, $2, $3, $4, $5, $6, $7)', [
      key,
      now,
      max,
      intervalMs,
      daily,
      this.pace,
      this.ttl,
    ]);
    const r = rows[0]!;
    return r.granted ? { granted: true, ticket: String(r.ticket) } : { granted: false, retryAt: Number(r.retry_at), scope: r.scope ?? 'burst' };
  }

  async release(key: string, ticket: string, at: number): Promise<void> {
    // a ticket this store did not give out matches no slot; one that is no bigint would fail the query
    if (!/^\d{1,18}$/.test(ticket)) return;
    await this.db.query('update rate_slots set answered_at = $3 where key = $1 and ticket = $2 and answered_at is null', [key, ticket, Math.ceil(at)]);
  }

  async observe(key: string, o: GovernorObservation): Promise<void> {
    const { max, intervalMs, daily } = this.defaults;
    await this.db.query('select ghl_bridge_rate_observe($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)', [
      key,
      o.at,
      o.sentAt ?? null,
      o.max ?? null,
      o.intervalMs ?? null,
      o.daily ?? null,
      o.remaining ?? null,
      o.dailyRemaining ?? null,
      o.refused === true,
      o.retryAfterMs ?? null,
      max,
      intervalMs,
      daily,
      this.ttl,
    ]);
  }

  async snapshot(key: string, now: number): Promise<RateBudgetSnapshot> {
    const { max, intervalMs, daily } = this.defaults;
    const { rows } = await this.db.query<SnapshotRow>('select * from ghl_bridge_rate_snapshot($1, $2, $3, $4, $5, $6)', [key, now, max, intervalMs, daily, this.ttl]);
    const r = rows[0]!;
    return {
      limits: { max: r.limit_max, intervalMs: r.limit_interval_ms, daily: r.limit_daily },
      learned: r.is_learned,
      inWindow: Number(r.in_window),
      day: r.budget_day,
      dailyUsed: r.used_today,
      blockedUntil: Number(r.paused_until),
    };
  }

  async keys(): Promise<string[]> {
    const { rows } = await this.db.query<{ key: string }>('select key from rate_budgets order by key');
    return rows.map((r) => r.key);
  }
}
