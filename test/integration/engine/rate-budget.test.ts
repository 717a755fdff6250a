import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate, openPostgres, type Database, type Queryable } from '../../../src/engine/db/index.js';
import { createSqlRateBudgetStore, type SqlRateBudgetStore, type SqlRateBudgetStoreOptions } from '../../../src/engine/governor/index.js';
import { nextUtcMidnight } from '../../../src/ghl/core/errors.js';
import { MemoryRateBudgetStore, type Admission, type GovernorObservation } from '../../../src/ghl/governor/index.js';
import { createGhlClient } from '../../../src/ghl/index.js';
import { DATABASES, type TestDatabase } from '../../support/databases.js';
import { seededRandom } from '../../support/prng.js';
import { startSandbox } from '../../support/sandbox.js';
import { statusCounts } from '../ghl/governed-client.js';

const T0 = Date.UTC(2026, 0, 15, 12, 0, 0);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function ticketOf(a: Admission): string {
  if (!a.granted) throw new Error(`refused until ${a.retryAt} (${a.scope})`);
  return a.ticket;
}

/** How many statements, transactions and dedicated connections the users of `db` start. */
interface Counts {
  queries: number;
  transactions: number;
  connections: number;
}

/** `db`, counting what its users start (statements inside a transaction or a connection included). */
function counting(db: Database): { db: Database; counts: Counts } {
  const counts: Counts = { queries: 0, transactions: 0, connections: 0 };
  const counted = (q: Queryable): Queryable => ({
    query: <T,>(sql: string, params?: unknown[]) => {
      counts.queries++;
      return q.query<T>(sql, params);
    },
  });
  return {
    counts,
    db: {
      kind: db.kind,
      ...counted(db),
      exec: (sql) => {
        counts.queries++;
        return db.exec(sql);
      },
      transaction: (fn) => {
        counts.transactions++;
        return db.transaction((tx) => fn(counted(tx)));
      },
      withConnection: (fn) => {
        counts.connections++;
        return db.withConnection((conn) => fn(counted(conn)));
      },
      close: () => db.close(),
    },
  };
}

/** Most admissions in any window [a, a + intervalMs) of the sorted times. */
function mostPerWindow(times: number[], intervalMs: number): number {
  const sorted = [...times].sort((x, y) => x - y);
  let most = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[j]! < sorted[i]! - intervalMs + 1) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

describe.each(DATABASES)('SQL rate budget store on %s', (_name, open) => {
  let t: TestDatabase;
  const extra: Database[] = [];
  const storeOn = (db: Database, o: Omit<SqlRateBudgetStoreOptions, 'db'> = {}) => createSqlRateBudgetStore({ db, ...o });
  /** A second handle, as another worker process has (the same one on PGlite: one process). */
  function otherHandle(): Database {
    if (!t.url) return t.db;
    const db = openPostgres(t.url);
    extra.push(db);
    return db;
  }
  /** A store that has learned `limits` for key `k`. */
  async function learned(limits: { max: number; intervalMs: number; daily: number }, o: Omit<SqlRateBudgetStoreOptions, 'db'> = { pace: false }): Promise<SqlRateBudgetStore> {
    const store = storeOn(t.db, o);
    await store.observe('k', { at: T0 - 10_000, ...limits });
    return store;
  }

  beforeEach(async () => {
    t = await open();
    await migrate(t.db);
  });
  afterEach(async () => {
    for (const db of extra.splice(0)) await db.close();
    await t.drop();
  });

  it('sends one probe, learns the limits from its answer, then admits up to them', async () => {
    const store = storeOn(t.db, { pace: false });
    expect((await store.snapshot('k', T0)).limits).toEqual({ max: 100, intervalMs: 10_000, daily: 200_000 });
    const probe = ticketOf(await store.acquire('k', T0));
    expect(await store.acquire('k', T0)).toEqual({ granted: false, retryAt: T0 + 250, scope: 'burst' });
    await store.release('k', probe, T0 + 5);
    await store.observe('k', { at: T0 + 5, sentAt: T0, max: 3, intervalMs: 1000, remaining: 2, daily: 1000, dailyRemaining: 999 });
    expect(await store.snapshot('k', T0 + 5)).toEqual({ limits: { max: 3, intervalMs: 1000, daily: 1000 }, learned: true, inWindow: 1, day: '2026-01-15', dailyUsed: 1, blockedUntil: 0 });
    ticketOf(await store.acquire('k', T0 + 5));
    ticketOf(await store.acquire('k', T0 + 5));
    expect(await store.acquire('k', T0 + 5)).toEqual({ granted: false, retryAt: T0 + 1005, scope: 'burst' });
    // another worker sees the same budget
    expect(await storeOn(otherHandle()).acquire('k', T0 + 6)).toEqual({ granted: false, retryAt: T0 + 1005, scope: 'burst' });
    expect((await store.acquire('other', T0 + 5)).granted).toBe(true);
  });

  it('frees a slot one interval after the answer; ignores tickets it does not know', async () => {
    const store = await learned({ max: 3, intervalMs: 1000, daily: 1000 });
    const tickets = [await store.acquire('k', T0), await store.acquire('k', T0), await store.acquire('k', T0)].map(ticketOf);
    expect(await store.acquire('k', T0 + 100)).toEqual({ granted: false, retryAt: T0 + 1100, scope: 'burst' });
    await store.release('k', tickets[0]!, T0 + 400);
    await store.release('k', tickets[1]!, T0 + 200);
    await store.release('k', 'nope', T0);
    await store.release('k', '999999', T0);
    await store.release('other', tickets[2]!, T0);
    expect(await store.acquire('k', T0 + 500)).toEqual({ granted: false, retryAt: T0 + 1200, scope: 'burst' });
    expect((await store.acquire('k', T0 + 1199)).granted).toBe(false);
    expect((await store.acquire('k', T0 + 1200)).granted).toBe(true);
    expect((await store.acquire('k', T0 + 1200)).granted).toBe(false);
    expect((await store.acquire('k', T0 + 1400)).granted).toBe(true);
  });

  it('never admits more than max among 20 concurrent acquirers, on one handle and across two', async () => {
    const store = await learned({ max: 5, intervalMs: 1000, daily: 100_000 });
    const one = await Promise.all(Array.from({ length: 20 }, () => store.acquire('k', T0)));
    expect(one.filter((a) => a.granted)).toHaveLength(5);
    const tickets = one.filter((a) => a.granted).map(ticketOf);
    expect(new Set(tickets).size).toBe(5);
    for (const ticket of tickets) await store.release('k', ticket, T0 + 10);
    const [a, b] = [storeOn(t.db, { pace: false }), storeOn(otherHandle(), { pace: false })];
    const later = T0 + 5000;
    const two = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? a : b).acquire('k', later)));
    expect(two.filter((x) => x.granted)).toHaveLength(5);
    expect((await a.snapshot('k', later)).inWindow).toBe(5);
  });

  it('keeps every window at or under max while 20 workers on two handles send as fast as admitted', async () => {
    const limits = { max: 6, intervalMs: 400, daily: 100_000 };
    const setup = storeOn(t.db);
    await setup.observe('k', { at: Date.now() - 1000, ...limits });
    const stores = [storeOn(t.db), storeOn(otherHandle())];
    const admitted: number[] = [];
    const until = Date.now() + 1500;
    await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const store = stores[i % 2]!;
        while (Date.now() < until) {
          const now = Date.now();
          const a = await store.acquire('k', now);
          if (!a.granted) {
            await sleep(Math.max(1, Math.min(a.retryAt - Date.now(), 50)));
            continue;
          }
          admitted.push(now);
          await sleep(2); // the request
          await store.release('k', a.ticket, Date.now());
        }
      }),
    );
    expect(admitted.length).toBeGreaterThanOrEqual(limits.max * 2);
    expect(mostPerWindow(admitted, limits.intervalMs)).toBeLessThanOrEqual(limits.max);
  });

  it('paces past half the window', async () => {
    const store = await learned({ max: 10, intervalMs: 1000, daily: 1000 }, { pace: true });
    for (let i = 0; i < 5; i++) ticketOf(await store.acquire('k', T0));
    expect(await store.acquire('k', T0)).toEqual({ granted: false, retryAt: T0 + 400, scope: 'burst' });
    ticketOf(await store.acquire('k', T0 + 400));
    expect(await store.acquire('k', T0 + 450)).toEqual({ granted: false, retryAt: T0 + 500, scope: 'burst' });
  });

  it('pauses after a refusal until Retry-After, or one interval without it', async () => {
    const store = await learned({ max: 10, intervalMs: 1000, daily: 1000 });
    await store.observe('k', { at: T0, refused: true, retryAfterMs: 300 });
    expect(await store.acquire('k', T0 + 1)).toEqual({ granted: false, retryAt: T0 + 300, scope: 'burst' });
    expect((await store.acquire('k', T0 + 300)).granted).toBe(true);
    await store.observe('k', { at: T0 + 400, refused: true });
    expect(await storeOn(otherHandle()).acquire('k', T0 + 401)).toEqual({ granted: false, retryAt: T0 + 1400, scope: 'burst' });
  });

  it('learns the limits, the daily count and the pause from one answer (the pause lasts the interval it taught)', async () => {
    const store = storeOn(t.db);
    await store.observe('k', { at: T0, max: 10, intervalMs: 2000, daily: 50, dailyRemaining: 20, refused: true });
    expect(await store.snapshot('k', T0)).toEqual({ limits: { max: 10, intervalMs: 2000, daily: 50 }, learned: true, inWindow: 0, day: '2026-01-15', dailyUsed: 30, blockedUntil: T0 + 2000 });
    expect(await store.acquire('k', T0 + 1999)).toEqual({ granted: false, retryAt: T0 + 2000, scope: 'burst' });
    expect((await store.acquire('k', T0 + 2000)).granted).toBe(true);
    // an answer that teaches nothing of the limits keeps them
    await store.observe('k', { at: T0 + 2001, max: 0 });
    expect((await store.snapshot('k', T0 + 2001)).limits).toEqual({ max: 10, intervalMs: 2000, daily: 50 });
  });

  it('counts budget someone else spent, from X-RateLimit-Remaining', async () => {
    const store = await learned({ max: 10, intervalMs: 1000, daily: 1000 });
    const ticket = ticketOf(await store.acquire('k', T0));
    await store.release('k', ticket, T0 + 10);
    await store.observe('k', { at: T0 + 10, sentAt: T0, max: 10, remaining: 4 });
    expect((await store.snapshot('k', T0 + 10)).inWindow).toBe(6);
    for (let i = 0; i < 4; i++) ticketOf(await store.acquire('k', T0 + 10));
    expect(await store.acquire('k', T0 + 10)).toEqual({ granted: false, retryAt: T0 + 1010, scope: 'burst' });
    expect((await store.snapshot('k', T0 + 1010)).inWindow).toBe(4);
  });

  it('answers scope daily once the day is spent, by its own count or by HighLevel’s, until UTC midnight', async () => {
    const store = await learned({ max: 100, intervalMs: 1000, daily: 2 });
    ticketOf(await store.acquire('k', T0));
    ticketOf(await store.acquire('k', T0));
    expect(await store.acquire('k', T0)).toEqual({ granted: false, retryAt: nextUtcMidnight(T0), scope: 'daily' });
    expect((await store.snapshot('k', T0)).dailyUsed).toBe(2);
    expect((await store.acquire('k', nextUtcMidnight(T0))).granted).toBe(true);

    const other = storeOn(otherHandle());
    await other.observe('j', { at: T0, max: 100, intervalMs: 1000, daily: 1000, dailyRemaining: 0 });
    expect(await store.acquire('j', T0 + 1)).toEqual({ granted: false, retryAt: nextUtcMidnight(T0), scope: 'daily' });
    // an answer of yesterday does not spend today's budget
    await other.observe('y', { at: T0 - 86_400_000, daily: 1000, dailyRemaining: 0 });
    expect((await store.acquire('y', T0)).granted).toBe(true);
  });

  it('frees the slots of a worker that died mid-request after the in-flight TTL', async () => {
    const store = await learned({ max: 2, intervalMs: 1000, daily: 1000 }, { pace: false, inFlightTtlMs: 5000 });
    ticketOf(await store.acquire('k', T0));
    ticketOf(await store.acquire('k', T0)); // never released: the worker died
    expect(await store.acquire('k', T0 + 4000)).toMatchObject({ granted: false, scope: 'burst' });
    expect(await store.acquire('k', T0 + 5999)).toMatchObject({ granted: false, scope: 'burst' });
    expect((await store.acquire('k', T0 + 6000)).granted).toBe(true);
  });

  it('keeps two clients of one location (two workers) inside the sandbox limit: no 429', async () => {
    const sb = await startSandbox({ config: { rateLimit: { enabled: true, max: 4, intervalMs: 500 } } });
    try {
      const { pit, locationId } = sb.info;
      const clients = [t.db, otherHandle()].map((db) => createGhlClient({ auth: { privateIntegrationToken: pit }, locationId, baseUrl: sb.url, rateBudget: storeOn(db, { defaults: { intervalMs: 500 } }) }));
      const started = Date.now();
      const answers = await Promise.all(
        Array.from({ length: 12 }, (_, i) => clients[i % 2]!.call({ method: 'GET', path: '/contacts/', query: { locationId, limit: 1 }, idempotent: true, resourceId: locationId })),
      );
      expect(answers).toHaveLength(12);
      expect(await statusCounts(sb)).toEqual({ '200': 12 });
      expect(Date.now() - started).toBeGreaterThanOrEqual(2 * 500);
    } finally {
      await sb.close();
    }
  });

  /**
   * Plays one random run of acquires, releases with observations, and snapshots on a memory store
   * and on the SQL store, and expects the same answers at every step.
   */
  async function compareWithMemory(seed: number, start: number, observationAt: (random: () => number, at: number, sentAt: number) => GovernorObservation): Promise<void> {
    const random = seededRandom(seed);
    const memory = new MemoryRateBudgetStore();
    const sql = storeOn(t.db);
    const keys = ['a', 'b'];
    const outstanding: Array<{ key: string; m: string; s: string }> = [];
    let now = start;
    for (let step = 0; step < 250; step++) {
      now += Math.floor(random() * 120);
      const key = keys[Math.floor(random() * keys.length)]!;
      const r = random();
      if (r < 0.5) {
        const [m, s] = [await memory.acquire(key, now), await sql.acquire(key, now)];
        expect({ step, ...s, ticket: undefined }).toEqual({ step, ...m, ticket: undefined });
        if (m.granted && s.granted) outstanding.push({ key, m: m.ticket, s: s.ticket });
      } else if (r < 0.8 && outstanding.length > 0) {
        const [o] = outstanding.splice(Math.floor(random() * outstanding.length), 1);
        const at = now + Math.floor(random() * 50);
        await memory.release(o!.key, o!.m, at);
        await sql.release(o!.key, o!.s, at);
        const observation = observationAt(random, at, now - 20);
        await memory.observe(o!.key, observation);
        await sql.observe(o!.key, observation);
      } else {
        expect({ step, ...(await sql.snapshot(key, now)) }).toEqual({ step, ...(await memory.snapshot(key, now)) });
      }
    }
  }

  it('answers exactly as the memory store does over a random run', async () => {
    await compareWithMemory(20_260_115, T0, (random, at, sentAt) => {
      const observation: GovernorObservation = { at, sentAt, max: 6, intervalMs: 1000, daily: 150 };
      if (random() < 0.6) observation.remaining = Math.floor(random() * 7);
      if (random() < 0.3) observation.dailyRemaining = Math.floor(random() * 150);
      if (random() < 0.1) Object.assign(observation, { refused: true, retryAfterMs: Math.floor(random() * 500) });
      return observation;
    });
  });

  it('answers exactly as the memory store does while the limits change, across a UTC midnight', async () => {
    const beforeMidnight = nextUtcMidnight(T0) - 5000;
    await compareWithMemory(7_041_983, beforeMidnight, (random, at, sentAt) => {
      const observation: GovernorObservation = { at };
      if (random() < 0.7) observation.sentAt = sentAt;
      if (random() < 0.5) observation.max = 3 + Math.floor(random() * 6);
      if (random() < 0.3) observation.intervalMs = 400 + Math.floor(random() * 1200);
      if (random() < 0.4) observation.daily = 60 + Math.floor(random() * 100);
      if (random() < 0.6) observation.remaining = Math.floor(random() * 9);
      if (random() < 0.3) observation.dailyRemaining = Math.floor(random() * 160);
      if (random() < 0.1) {
        observation.refused = true;
        if (random() < 0.5) observation.retryAfterMs = Math.floor(random() * 500);
      }
      return observation;
    });
  });

  it('spends one statement, outside any transaction, on each acquire, release and observe', async () => {
    const { db, counts } = counting(t.db);
    const store = storeOn(db, { pace: false });
    const one = async <T,>(call: () => Promise<T>): Promise<T> => {
      Object.assign(counts, { queries: 0, transactions: 0, connections: 0 });
      const answer = await call();
      expect(counts).toEqual({ queries: 1, transactions: 0, connections: 0 });
      return answer;
    };
    const probe = ticketOf(await one(() => store.acquire('k', T0))); // creates the key's row
    await one(() => store.acquire('k', T0)); // refused: one probe before the first answer
    await one(() => store.release('k', probe, T0 + 5));
    await one(() => store.observe('k', { at: T0 + 5, sentAt: T0, max: 2, intervalMs: 1000, remaining: 0, daily: 100, dailyRemaining: 99 })); // spent by others too
    await one(() => store.observe('new', { at: T0 + 5, refused: true, retryAfterMs: 100 })); // creates the key's row
    const ticket = ticketOf(await one(() => store.acquire('k', T0 + 3000))); // prunes the slot and the spend
    await one(() => store.release('k', ticket, T0 + 3010));
    await one(() => store.snapshot('k', T0 + 3010));
    await one(() => store.keys());
    expect(await store.keys()).toEqual(['k', 'new']);
  });
});
