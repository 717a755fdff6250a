import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../../src/engine/index.js';
import { createGhlClient } from '../../../src/ghl/index.js';
import { seededRandom } from '../../support/prng.js';
import { serverDatabase, type TestDatabase } from '../../support/databases.js';
import { startSandbox, type TestSandbox } from '../../support/sandbox.js';
import { noteRecipe, userRecipe } from './fixtures/recipes.js';

/**
 * Crash safety: two worker processes on the PostgreSQL server, 2 000 events (creates, updates,
 * tag changes, tasks, notes, duplicate deliveries and replays of the same content), workers killed
 * with SIGKILL at random moments and restarted; afterwards every event is applied exactly once in
 * effect: no duplicate contacts, tasks or notes, and the ledger agrees with the sandbox.
 */
const WORKER = resolve(import.meta.dirname, 'fixtures/worker-main.ts');
const USERS = 300;

let sb: TestSandbox;
let t: TestDatabase;
let engine: Engine;
const workers: ChildProcess[] = [];

function startWorker(slot: number): Promise<void> {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER], {
    env: { ...process.env, DATABASE_URL: t.url!, SANDBOX_URL: sb.url, PIT: sb.info.pit, LOCATION_ID: sb.info.locationId, CONCURRENCY: '4' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  workers[slot] = child;
  return new Promise((ready, fail) => {
    child.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && ready());
    child.once('exit', (code, signal) => signal === null && fail(new Error(`worker exited with ${code}`)));
  });
}

beforeAll(async () => {
  sb = await startSandbox();
  t = await serverDatabase();
  const client = createGhlClient({ baseUrl: sb.url, auth: { privateIntegrationToken: sb.info.pit }, locationId: sb.info.locationId });
  engine = await createEngine({ db: t.db, ghl: async () => ({ client, locationId: sb.info.locationId }) });
  await engine.saveRecipe(userRecipe);
  await engine.saveRecipe(noteRecipe);
}, 60_000);

afterAll(async () => {
  for (const w of workers) w?.kill('SIGKILL');
  await engine?.close();
  await sb?.close();
  await t?.drop().catch(() => undefined);
});

describe('crash safety (PostgreSQL server, two worker processes, SIGKILL)', () => {
  it('applies every event exactly once in effect through repeated SIGKILLs', async () => {
    const random = seededRandom(4242);
    const expected = new Map<string, { name: string; plan: string; notes: Set<string> }>();
    const events: Array<{ externalId: string; type: string; payload: Record<string, unknown> }> = [];
    for (let i = 0; i < USERS; i++) {
      const user = { id: `u${i}`, email: `user${i}@example.com`, name: `User Number${i}`, plan: 'free' };
      expected.set(user.id, { name: user.name, plan: user.plan, notes: new Set() });
      events.push({ externalId: `c-${i}`, type: 'user.created', payload: { user } });
    }
    let n = 0;
    while (events.length < 2000) {
      const i = Math.floor(random() * USERS);
      const state = expected.get(`u${i}`)!;
      const roll = random();
      const user = { id: `u${i}`, email: `USER${i}@example.com `, name: state.name, plan: state.plan };
      if (roll < 0.3) {
        state.name = `User Renamed${n}`;
        events.push({ externalId: `r-${n}`, type: 'user.updated', payload: { user: { ...user, name: state.name } } });
      } else if (roll < 0.5) {
        state.plan = state.plan === 'free' ? 'pro' : 'free';
        events.push({ externalId: `p-${n}`, type: 'user.updated', payload: { user: { ...user, plan: state.plan } } });
      } else if (roll < 0.7) {
        state.notes.add(`note ${n}`);
        events.push({ externalId: `n-${n}`, type: 'user.noted', payload: { user, note: { id: `note-${n}`, text: `note ${n}` } } });
      } else if (roll < 0.85) {
        // the same event delivered twice
        const again = events[Math.floor(random() * events.length)]!;
        events.push({ ...again });
      } else {
        // a replay of the current content under a new event id: no write
        events.push({ externalId: `s-${n}`, type: 'user.updated', payload: { user } });
      }
      n++;
    }
    await startWorker(0);
    await startWorker(1);
    let ingested = 0;
    const feeding = (async () => {
      for (const e of events) {
        // creates go first so later events of a user find it; within one user, order is kept
        await engine.ingest({ source: 'app', ...e });
        ingested++;
      }
    })();
    for (let kill = 0; kill < 4; kill++) {
      await new Promise((r) => setTimeout(r, 1500 + random() * 2500));
      const slot = kill % 2;
      workers[slot]!.kill('SIGKILL');
      await new Promise((r) => setTimeout(r, 200));
      await startWorker(slot);
    }
    await feeding;
    expect(ingested).toBe(2000);

    for (let i = 0; i < 900; i++) {
      const runs = await t.db.query<{ status: string; n: string }>('select status, count(*) as n from runs group by status');
      const open = runs.rows.filter((r) => r.status === 'queued' || r.status === 'running').reduce((s, r) => s + Number(r.n), 0);
      if (open === 0) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const statuses = Object.fromEntries((await t.db.query<{ status: string; n: string }>('select status, count(*) as n from runs group by status')).rows.map((r) => [r.status, Number(r.n)]));
    expect(statuses.dead ?? 0).toBe(0);
    expect((statuses.queued ?? 0) + (statuses.running ?? 0)).toBe(0);

    const contacts = (await sb.api<{ contacts: Array<{ id: string; email: string; firstName?: string; lastName?: string; tags: string[] }> }>('GET', `/_sandbox/locations/${sb.info.locationId}/contacts`, { token: null })).body.contacts.filter((c) => /^user\d+@/.test(c.email ?? ''));
    expect(contacts).toHaveLength(USERS);
    expect(new Set(contacts.map((c) => c.email)).size).toBe(USERS);
    const ledger = new Map((await t.db.query<{ source_id: string; ghl_id: string }>(`select source_id, ghl_id from ledger where kind = 'contact'`)).rows.map((r) => [r.source_id, r.ghl_id]));
    expect(ledger.size).toBe(USERS);
    for (const c of contacts) {
      const id = c.email.replace(/^user(\d+)@.*$/, 'u$1');
      const want = expected.get(id)!;
      expect(ledger.get(id), `ledger of ${id}`).toBe(c.id);
      expect(`${c.firstName} ${c.lastName}`, `name of ${id}`).toBe(want.name);
      expect(c.tags.filter((tag) => tag.startsWith('plan-')), `tags of ${id}`).toEqual([`plan-${want.plan}`]);
      const tasks = (await sb.api<{ tasks: unknown[] }>('GET', `/contacts/${c.id}/tasks`)).body.tasks;
      expect(tasks, `tasks of ${id}`).toHaveLength(1);
      const notes = (await sb.api<{ notes: Array<{ body: string }> }>('GET', `/contacts/${c.id}/notes`)).body.notes.map((x) => x.body).sort();
      expect(notes, `notes of ${id}`).toEqual([...want.notes].sort());
    }
  }, 600_000);
});
