import { afterEach, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../../src/engine/index.js';
import { createGhlClient } from '../../../src/ghl/index.js';
import { seededRandom } from '../../support/prng.js';
import { DATABASES, type TestDatabase } from '../../support/databases.js';
import { settleRuns } from '../../support/engine.js';
import { startSandbox, type TestSandbox } from '../../support/sandbox.js';
import { userRecipe } from './fixtures/recipes.js';

/**
 * Under injected 429s, 5xx, dropped connections (and the 422-but-created quirk on POST /contacts/,
 * which the engine never uses: it upserts), every event ends applied or dead-lettered with a
 * reason; nothing is dropped silently; replay applies the dead letters; no duplicates anywhere.
 */
describe.each(DATABASES)('engine under faults on %s', (_name, open) => {
  let t: TestDatabase;
  let sb: TestSandbox;
  let engine: Engine;
  afterEach(async () => {
    await engine.close();
    await sb.close();
    await t.drop().catch(() => undefined);
  });

  const settle = () => settleRuns(t.db);

  it('ends every event applied or dead-lettered, and replay completes the rest without duplicates', async () => {
    t = await open();
    // limits off, but injected 429s advertise a short interval so a test run stays short
    sb = await startSandbox({ random: seededRandom(99), config: { rateLimit: { intervalMs: 300 } } });
    for (const rule of [
      { path: '/contacts/**', status: 429, rate: 0.1 },
      { path: '/contacts/**', status: 503, rate: 0.15 },
      { path: '/contacts/*/tasks', method: 'POST', kind: 'drop', rate: 0.2 },
      { path: '/contacts/', method: 'POST', quirk: 'create-422-but-stored', rate: 1 },
    ]) expect((await sb.api('POST', '/_sandbox/faults', { token: null, body: rule })).status).toBe(200);
    const client = createGhlClient({ baseUrl: sb.url, auth: { privateIntegrationToken: sb.info.pit }, locationId: sb.info.locationId, retry: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 100 }, timeoutMs: 2000 });
    engine = await createEngine({ db: t.db, ghl: async () => ({ client, locationId: sb.info.locationId }), maxAttempts: 2 });
    await engine.saveRecipe(userRecipe);
    await engine.startWorker({ concurrency: 3, batchSize: 5 });
    const USERS = 40;
    for (let i = 0; i < USERS; i++) await engine.ingest({ source: 'app', externalId: `e${i}`, type: 'user.created', payload: { user: { id: `u${i}`, email: `f${i}@example.com`, name: `F ${i}`, plan: 'pro' } } });
    const first = await settle();
    expect((first.succeeded ?? 0) + (first.dead ?? 0)).toBe(USERS);
    for (const run of await engine.runs({ status: 'dead', limit: 100 })) expect(run.error?.reason, `run ${run.id}`).toBeTruthy();

    await sb.api('DELETE', '/_sandbox/faults', { token: null });
    await engine.replay();
    const after = await settle();
    expect(after).toEqual({ succeeded: USERS });

    const contacts = (await sb.api<{ contacts: Array<{ id: string; email: string; tags: string[] }> }>('GET', `/_sandbox/locations/${sb.info.locationId}/contacts`, { token: null })).body.contacts.filter((c) => c.email?.startsWith('f'));
    expect(contacts).toHaveLength(USERS);
    for (const c of contacts) {
      expect(c.tags).toContain('plan-pro');
      const tasks = (await sb.api<{ tasks: unknown[] }>('GET', `/contacts/${c.id}/tasks`)).body.tasks;
      expect(tasks, `tasks of ${c.email}`).toHaveLength(1);
    }
  }, 240_000);
});
