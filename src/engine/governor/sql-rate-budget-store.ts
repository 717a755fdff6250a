import type { GovernorObservation } from '../../ghl/governor/observation.js';
import { DEFAULT_RATE_LIMITS } from '../../ghl/governor/memory-store.js';
import type { Admission, RateBudgetSnapshot, RateBudgetStore, RateLimits } from '../../ghl/governor/types.js';
import type { Database, Queryable } from '../db/types.js';
import { applyObservation, decide, foreignDeficit, initialState, rollDay, type BudgetState } from './rules.js';
import { readWindow } from './window.js';

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

interface Row {
  max_requests: number;
  interval_ms: number;
  daily_limit: number;
  learned: boolean;
  blocked_until: number | string;
  tat: number;
  day: string;
  daily_used: number;
}

const stateOf = (r: Row): BudgetState => ({
  limits: { max: r.max_requests, intervalMs: r.interval_ms, daily: r.daily_limit },
  learned: r.learned,
  blockedUntil: Number(r.blocked_until),
  tat: Number(r.tat),
  day: r.day,
  dailyUsed: r.daily_used,
});

const COLUMNS = 'max_requests, interval_ms, daily_limit, learned, blocked_until, tat, day, daily_used';

/**
 * The `RateBudgetStore` shared by every worker through the database (tables `rate_budgets`,
 * `rate_slots`, `rate_foreign`, migration 002). It follows `MemoryRateBudgetStore` rule for rule
 * (slots in flight or answered within the interval, limits learned from `X-RateLimit-*`, budget
 * others spent, the pause after a 429, the daily count, pacing) with the state in rows.
 *
 * `acquire` and `observe` each run as one short transaction that first locks the key's row
 * (`select … for update`): two acquirers of one key, in one process or many, run one after the
 * other and the second counts the slot of the first, so the store never admits more than `max`
 * per window. Every statement after the lock reads a snapshot taken after it (READ COMMITTED).
 * `release` is one update. On PGlite the transactions are serialized anyway.
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
    return this.db.transaction(async (tx) => {
      const locked = await this.lockRow(tx, key, now);
      const s = rollDay(locked, now);
      const { intervalMs } = s.limits;
      const view = await readWindow(tx, { key, t: now, intervalMs, horizon: now - 2 * intervalMs, now, inFlightTtlMs: this.ttl, prune: true });
      const decision = decide(s, view, now, this.pace);
      if (decision.admission !== 'grant') {
        if (s !== locked) await this.write(tx, key, s);
        return decision.admission;
      }
      await this.write(tx, key, decision.next);
      const { rows } = await tx.query<{ ticket: string | number }>('insert into rate_slots (key, admitted_at) values ($1, $2) returning ticket', [key, Math.floor(now)]);
      return { granted: true as const, ticket: String(rows[0]!.ticket) };
    });
  }

  async release(key: string, ticket: string, at: number): Promise<void> {
    if (!/^\d{1,18}$/.test(ticket)) return;
    await this.db.query('update rate_slots set answered_at = $3 where key = $1 and ticket = $2 and answered_at is null', [key, ticket, Math.ceil(at)]);
  }

  async observe(key: string, o: GovernorObservation): Promise<void> {
    await this.db.transaction(async (tx) => {
      const before = rollDay(await this.lockRow(tx, key, o.at), o.at);
      const s = applyObservation(before, o);
      if (o.remaining !== undefined) {
        const t = o.sentAt ?? o.at;
        // pruned as of the answer with the interval known before it, counted with the one it taught
        const view = await readWindow(tx, { key, t, intervalMs: s.limits.intervalMs, horizon: o.at - 2 * before.limits.intervalMs, now: o.at, inFlightTtlMs: this.ttl, prune: true });
        const n = foreignDeficit(s, o, view);
        if (n > 0) await tx.query('insert into rate_foreign (key, at, n) values ($1, $2, $3)', [key, Math.ceil(o.at), n]);
      }
      await this.write(tx, key, s);
    });
  }

  async snapshot(key: string, now: number): Promise<RateBudgetSnapshot> {
    const { rows } = await this.db.query<Row>(`select ${COLUMNS} from rate_budgets where key = $1`, [key]);
    const s = rollDay(rows[0] ? stateOf(rows[0]) : initialState(this.defaults, now), now);
    const { intervalMs } = s.limits;
    const view = await readWindow(this.db, { key, t: now, intervalMs, horizon: now - 2 * intervalMs, now, inFlightTtlMs: this.ttl, prune: false });
    return { limits: { ...s.limits }, learned: s.learned, inWindow: view.inFlight + view.answered + view.foreign, day: s.day, dailyUsed: s.dailyUsed, blockedUntil: s.blockedUntil };
  }

  async keys(): Promise<string[]> {
    const { rows } = await this.db.query<{ key: string }>('select key from rate_budgets order by key');
    return rows.map((r) => r.key);
  }

  /** Locks the key's row for the transaction (creating it with the defaults first) and reads it. */
  private async lockRow(tx: Queryable, key: string, now: number): Promise<BudgetState> {
    const select = `select ${COLUMNS} from rate_budgets where key = $1 for update`;
    let { rows } = await tx.query<Row>(select, [key]);
    if (!rows[0]) {
      const s = initialState(this.defaults, now);
      await tx.query('insert into rate_budgets (key, max_requests, interval_ms, daily_limit, day) values ($1, $2, $3, $4, $5) on conflict (key) do nothing', [
        key,
        s.limits.max,
        s.limits.intervalMs,
        s.limits.daily,
        s.day,
      ]);
      ({ rows } = await tx.query<Row>(select, [key]));
    }
    return stateOf(rows[0]!);
  }

  private async write(tx: Queryable, key: string, s: BudgetState): Promise<void> {
    await tx.query(
      `update rate_budgets set max_requests = $2, interval_ms = $3, daily_limit = $4, learned = $5, blocked_until = $6, tat = $7, day = $8, daily_used = $9 where key = $1`,
      [key, s.limits.max, s.limits.intervalMs, s.limits.daily, s.learned, Math.ceil(s.blockedUntil), s.tat, s.day, s.dailyUsed],
    );
  }
}
