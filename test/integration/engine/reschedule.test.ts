import { afterEach, describe, expect, it } from 'vitest';
import { createEngine, rescheduleLongWaits, type Engine } from '../../../src/engine/index.js';
import { createGhlClient, MemoryRateBudgetStore } from '../../../src/ghl/index.js';
import { DATABASES, type TestDatabase } from '../../support/databases.js';
import { settleRuns } from '../../support/engine.js';
import { startSandbox, type TestSandbox } from '../../support/sandbox.js';
import { userRecipe } from './fixtures/recipes.js';

/** No rate budget → the run goes back to the queue with a start time; no 429 reaches GHL. */
describe.each(DATABASES)('rate budget in the engine on %s', (_name, open) => {
  let t: TestDatabase;
  let sb: TestSandbox;
  let engine: Engine;
  afterEach(async () => {
    await engine.close();
    await sb.close();
    await t.drop().catch(() => undefined);
  });

  it('reschedules runs that find no budget instead of sleeping in a worker, and all apply with zero 429s', async () => {
    t = await open();
    sb = await startSandbox({ config: { rateLimit: { enabled: true, max: 4, intervalMs: 1000 } } });
    const waits: number[] = [];
    const inner = rescheduleLongWaits(100);
    const client = createGhlClient({
      baseUrl: sb.url,
      auth: { privateIntegrationToken: sb.info.pit },
      locationId: sb.info.locationId,
      rateBudget: new MemoryRateBudgetStore({ pace: false }),
      rateWait: async (ms, signal) => {
        waits.push(ms);
        await inner(ms, signal);
      },
    });
    engine = await createEngine({ db: t.db, ghl: async () => ({ client, locationId: sb.info.locationId }) });
    await engine.saveRecipe(userRecipe);
    await engine.startWorker({ concurrency: 2, batchSize: 5 });
    for (let i = 0; i < 10; i++) await engine.ingest({ source: 'app', externalId: `e${i}`, type: 'user.created', payload: { user: { id: `u${i}`, email: `u${i}@example.com`, name: `U ${i}`, plan: 'free' } } });
    await settleRuns(t.db);
    const runs = await engine.runs({ limit: 100 });
    expect(runs.map((r) => r.status)).toEqual(Array(10).fill('succeeded'));
    expect(waits.some((ms) => ms > 100)).toBe(true); // some runs found no budget and were rescheduled
    const stats = (await sb.api<{ byRoute: Record<string, Record<string, number>> }>('GET', '/_sandbox/requests/stats', { token: null })).body.byRoute;
    const refused = Object.values(stats).reduce((n, byStatus) => n + (byStatus['429'] ?? 0), 0);
    expect(refused).toBe(0);
    // a run that had to wait sent nothing twice: exactly upsert, tags and task per user
    expect(stats['upsert-contact']).toEqual({ '200': 10 });
    expect(stats['create-task']).toEqual({ '201': 10 });
    expect(stats['get-all-tasks']).toBeUndefined();
  }, 120_000);
});
