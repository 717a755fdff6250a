import { afterEach, describe, expect, it } from 'vitest';
import { createEngine, type Engine, type Recipe } from '../../../src/engine/index.js';
import { createGhlClient } from '../../../src/ghl/index.js';
import { DATABASES, type TestDatabase } from '../../support/databases.js';
import { settleRuns } from '../../support/engine.js';
import { seededRandom } from '../../support/prng.js';
import { startSandbox, type TestSandbox } from '../../support/sandbox.js';

/**
 * Attempts count real faults only. Under GHL's faults (dropped connections, 429s, 5xx, answers
 * slower than the client's timeout) every run ends applied, or dead-lettered after exactly
 * `maxAttempts` failed turns; a wait for rate budget or a 429 is never charged. Nothing is written
 * twice, and what was applied is complete (contact, tag, task and note).
 */
const MAX_ATTEMPTS = 5;
const EVENTS = 500;

const welcomeRecipe: Recipe = {
  id: 'app-welcome',
  version: 1,
  trigger: { source: 'app', events: ['user.created'] },
  connection: 'ghl-a',
  recordId: 'user.id',
  mapping: { contact: { email: { path: 'user.email', transforms: ['email'] }, firstName: 'user.name' } },
  actions: [
    { type: 'upsertContact' },
    { type: 'tags', add: { value: 'welcomed' } },
    { type: 'task', sourceId: { template: 'onboard-{{user.id}}' }, title: { template: 'Onboard {{user.name}}' }, dueDate: { value: '2026-12-01T10:00:00.000Z' } },
    { type: 'note', sourceId: { template: 'welcome-{{user.id}}' }, body: { template: 'Welcome, {{user.name}}' } },
  ],
};

describe.each(DATABASES)('fault accounting on %s', (_name, open) => {
  let t: TestDatabase;
  let sb: TestSandbox;
  let engine: Engine | undefined;
  afterEach(async () => {
    await engine?.close();
    await sb.close();
    await t.drop().catch(() => undefined);
  });

  async function run(faults: Array<Record<string, unknown>>, timeoutMs = 400) {
    t = await open();
    // limits off; injected 429s advertise a short interval so a test run stays short
    sb = await startSandbox({ random: seededRandom(7), config: { rateLimit: { intervalMs: 100 } } });
    for (const rule of faults) expect((await sb.api('POST', '/_sandbox/faults', { token: null, body: rule })).status).toBe(200);
    const client = createGhlClient({ baseUrl: sb.url, auth: { privateIntegrationToken: sb.info.pit }, locationId: sb.info.locationId, retry: { maxAttempts: 2, baseDelayMs: 5, maxDelayMs: 50 }, timeoutMs });
    engine = await createEngine({ db: t.db, ghl: async () => ({ client, locationId: sb.info.locationId }), maxAttempts: MAX_ATTEMPTS });
    await engine.saveRecipe(welcomeRecipe);
    await engine.startWorker({ concurrency: 16 });
    for (let i = 0; i < EVENTS; i++) await engine.ingest({ source: 'app', externalId: `e${i}`, type: 'user.created', payload: { user: { id: `u${i}`, email: `w${i}@example.com`, name: `W${i}` } } });
    const counts = await settleRuns(t.db, 300_000);
    await sb.api('DELETE', '/_sandbox/faults', { token: null });
    const { rows } = await t.db.query<{ id: number; status: string; attempts: number; error: { reason?: string } | null; payload: { user: { email: string } } }>(
      `select r.id, r.status, r.attempts, r.error, e.payload from runs r join events e on e.id = r.event_id order by r.id`,
    );
    return { counts, runs: rows };
  }

  /** Every contact of the test once, each with the tag, one task and one note when its run succeeded. */
  async function expectAppliedOnce(succeeded: Set<string>) {
    const all = (await sb.api<{ contacts: Array<{ id: string; email: string; tags: string[] }> }>('GET', `/_sandbox/locations/${sb.info.locationId}/contacts`, { token: null })).body.contacts;
    const byEmail = new Map<string, number>();
    for (const c of all) byEmail.set(c.email, (byEmail.get(c.email) ?? 0) + 1);
    expect([...byEmail].filter(([, n]) => n > 1), 'duplicated contacts').toEqual([]);
    const problems: string[] = [];
    for (const c of all) {
      const tasks = (await sb.api<{ tasks: unknown[] }>('GET', `/contacts/${c.id}/tasks`)).body.tasks;
      const notes = (await sb.api<{ notes: unknown[] }>('GET', `/contacts/${c.id}/notes`)).body.notes;
      if (tasks.length > 1 || notes.length > 1) problems.push(`${c.email}: ${tasks.length} tasks, ${notes.length} notes`);
      if (succeeded.has(c.email) && (tasks.length !== 1 || notes.length !== 1 || !c.tags.includes('welcomed'))) problems.push(`${c.email} incomplete: ${tasks.length} tasks, ${notes.length} notes, tags ${c.tags.join(',')}`);
    }
    expect(problems).toEqual([]);
    for (const email of succeeded) expect(byEmail.get(email), email).toBe(1);
  }

  it('under resets, 429s, 5xx and slow answers: applied, or dead only after maxAttempts real faults; nothing twice', async () => {
    const { counts, runs } = await run([
      { path: '/contacts/**', kind: 'drop', rate: 0.05 },
      { path: '/contacts/**', status: 429, rate: 0.02 },
      { path: '/contacts/**', status: 500, rate: 0.06 },
      { path: '/contacts/**', status: 502, rate: 0.06 },
      { path: '/contacts/**', status: 503, rate: 0.05 },
      { path: '/contacts/**', status: 504, rate: 0.05 },
      { path: '/contacts/**', kind: 'latency', latencyMs: 700, rate: 0.02 },
    ]);
    expect((counts.succeeded ?? 0) + (counts.dead ?? 0)).toBe(EVENTS);
    for (const r of runs) {
      expect(r.attempts, `run ${r.id} charged more than maxAttempts`).toBeLessThanOrEqual(MAX_ATTEMPTS);
      if (r.status === 'dead') {
        expect(r.attempts, `run ${r.id} dead after ${r.attempts} faults`).toBe(MAX_ATTEMPTS);
        expect(r.error?.reason, `run ${r.id}`).toBeTruthy();
      }
    }
    // faults were met and retried: some runs needed more than one turn
    expect(runs.some((r) => r.status === 'succeeded' && r.attempts > 0)).toBe(true);
    await expectAppliedOnce(new Set(runs.filter((r) => r.status === 'succeeded').map((r) => r.payload.user.email)));
  }, 600_000);

  it('with 10% 429s every run drains applied: a 429 is a wait, never a failed attempt', async () => {
    // no slow faults here: a timeout long enough that a loaded machine's slow answer is not a fault either
    const { counts, runs } = await run([{ path: '/contacts/**', status: 429, rate: 0.1 }], 30_000);
    expect(counts).toEqual({ succeeded: EVENTS });
    expect(runs.filter((r) => r.attempts > 0).map((r) => r.id)).toEqual([]);
    await expectAppliedOnce(new Set(runs.map((r) => r.payload.user.email)));
  }, 600_000);
});
