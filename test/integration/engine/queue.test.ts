import { afterEach, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../../src/engine/index.js';
import { claimRuns, finishRun, reapLapsedClaims, renewClaims, requeueRun } from '../../../src/engine/queue/index.js';
import { DATABASES, type TestDatabase } from '../../support/databases.js';
import { userRecipe } from './fixtures/recipes.js';

/**
 * The runs table as the queue, on both databases: claims never overlap, a record's runs go in
 * order, a lane waiting for budget is passed over, a run put back waits for its time, and a claim
 * that is not renewed lapses (its old holder can no longer finish it).
 */
describe.each(DATABASES)('runs queue on %s', (_name, open) => {
  let t: TestDatabase;
  let engine: Engine;
  afterEach(async () => {
    await engine.close();
    await t.drop().catch(() => undefined);
  });

  async function setUp() {
    t = await open();
    engine = await createEngine({ db: t.db, ghl: async () => Promise.reject(new Error('no GHL in this test')) });
    await engine.saveRecipe(userRecipe);
    await engine.saveRecipe({ ...userRecipe, id: 'app-users-b', connection: 'ghl-b', trigger: { source: 'app', events: ['user.moved'] } });
  }
  const ingest = (i: number, user = `u${i}`, type = 'user.created') => engine.ingest({ source: 'app', externalId: `e${i}`, type, payload: { user: { id: user, email: `${user}@example.com`, name: 'Q R', plan: 'free' } } });

  it('hands every run to exactly one of two concurrent claimers', async () => {
    await setUp();
    for (let i = 0; i < 60; i++) await ingest(i);
    const [a, b] = await Promise.all([claimRuns(t.db, { limit: 40, workerId: 'w1', blockedLanes: [] }), claimRuns(t.db, { limit: 40, workerId: 'w2', blockedLanes: [] })]);
    const ids = [...a, ...b].map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(60);
    expect(a[0]!.event.payload).toMatchObject({ user: { id: expect.any(String) } });
    expect(await claimRuns(t.db, { limit: 10, workerId: 'w3', blockedLanes: [] })).toEqual([]);
  });

  it("keeps a record's runs in order and passes over a blocked lane", async () => {
    await setUp();
    await ingest(1, 'same');
    await ingest(2, 'same', 'user.updated');
    await ingest(3, 'other-lane', 'user.moved');
    const blocked = await claimRuns(t.db, { limit: 10, workerId: 'w1', blockedLanes: ['ghl-b'] });
    expect(blocked.map((r) => [r.event.type, r.lane])).toEqual([['user.created', 'ghl-a']]);
    // the second run of the record waits for the first, however often it is asked
    expect(await claimRuns(t.db, { limit: 10, workerId: 'w2', blockedLanes: ['ghl-b'] })).toEqual([]);
    expect(await finishRun(t.db, blocked[0]!.id, 'w1', 'succeeded')).toBe(true);
    const next = await claimRuns(t.db, { limit: 10, workerId: 'w2', blockedLanes: [] });
    expect(next.map((r) => r.event.type).sort()).toEqual(['user.moved', 'user.updated']);
  });

  it('a run put back waits for its time; only a fault counts an attempt', async () => {
    await setUp();
    await ingest(1);
    const [run] = await claimRuns(t.db, { limit: 1, workerId: 'w1', blockedLanes: [] });
    expect(await requeueRun(t.db, run!.id, 'w1', Date.now() + 1500)).toBe(true);
    expect(await claimRuns(t.db, { limit: 1, workerId: 'w1', blockedLanes: [] })).toEqual([]);
    await new Promise((r) => setTimeout(r, 1600));
    const [again] = await claimRuns(t.db, { limit: 1, workerId: 'w1', blockedLanes: [] });
    expect(again).toMatchObject({ id: run!.id, attempts: 0 });
    expect(await requeueRun(t.db, run!.id, 'w1', Date.now(), { fault: true, error: { reason: 'GHL answered 503', retryable: true } })).toBe(true);
    const [third] = await claimRuns(t.db, { limit: 1, workerId: 'w1', blockedLanes: [] });
    expect(third).toMatchObject({ id: run!.id, attempts: 1 });
  });

  it('a renewed claim holds; a lapsed one is taken again and its old holder cannot finish it', async () => {
    await setUp();
    await ingest(1);
    await ingest(2);
    const held = await claimRuns(t.db, { limit: 2, workerId: 'w1', blockedLanes: [] });
    expect(held).toHaveLength(2);
    await new Promise((r) => setTimeout(r, 1200));
    // w1 renews one claim only: the other lapses after a 1 s lease
    await renewClaims(t.db, [held[0]!.id], 'w1');
    expect(await reapLapsedClaims(t.db, { leaseSeconds: 1 })).toEqual([held[1]!.id]);
    const [taken] = await claimRuns(t.db, { limit: 5, workerId: 'w2', blockedLanes: [] });
    expect(taken!.id).toBe(held[1]!.id);
    expect(await finishRun(t.db, held[1]!.id, 'w1', 'succeeded')).toBe(false);
    expect(await finishRun(t.db, held[1]!.id, 'w2', 'succeeded')).toBe(true);
    // at start, the embedded database takes back every run not held under this worker's id
    expect(await reapLapsedClaims(t.db, { leaseSeconds: 3600, allBut: 'w1' })).toEqual([]);
    expect(await reapLapsedClaims(t.db, { leaseSeconds: 3600, allBut: 'w9' })).toEqual([held[0]!.id]);
  });
});
