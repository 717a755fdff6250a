import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine, type Engine, type Recipe } from '../../../src/engine/index.js';
import { serverDatabase, type TestDatabase } from '../../support/databases.js';
import { settleRuns } from '../../support/engine.js';
import { startSandbox, type TestSandbox } from '../../support/sandbox.js';

/**
 * A worker killed with SIGKILL mid-backlog: the runs it held are taken again by the surviving
 * worker within two leases, and a burst survives the kill with every contact written exactly once.
 */
const WORKER = resolve(import.meta.dirname, 'fixtures/worker-main.ts');
const LEASE_SECONDS = 5;

const contactRecipe: Recipe = {
  id: 'burst-contacts',
  version: 1,
  trigger: { source: 'app', events: ['user.created'] },
  connection: 'ghl-a',
  recordId: 'user.id',
  mapping: { contact: { email: { path: 'user.email', transforms: ['email'] }, firstName: 'user.name' } },
  actions: [{ type: 'upsertContact' }],
};

let sb: TestSandbox;
let t: TestDatabase;
let engine: Engine;
let workers: ChildProcess[] = [];

afterEach(async () => {
  for (const w of workers) w.kill('SIGKILL');
  workers = [];
  await engine?.close();
  await sb?.close();
  await t?.drop().catch(() => undefined);
});

/** A worker process; answers its pid once it works. */
function startWorker(env: Record<string, string> = {}): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER], {
    env: { ...process.env, DATABASE_URL: t.url!, SANDBOX_URL: sb.url, PIT: sb.info.pit, LOCATION_ID: sb.info.locationId, LEASE_SECONDS: String(LEASE_SECONDS), ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  workers.push(child);
  return new Promise((ready, fail) => {
    child.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && ready(child));
    child.once('exit', (code, signal) => signal === null && fail(new Error(`worker exited with ${code}`)));
  });
}

async function setUp(sandboxConfig: Record<string, unknown> = {}) {
  sb = await startSandbox({ config: sandboxConfig });
  t = await serverDatabase();
  engine = await createEngine({ db: t.db, ghl: async () => Promise.reject(new Error('the test process only ingests')) });
  await engine.saveRecipe(contactRecipe);
}

const user = (i: number) => ({ source: 'app', externalId: `e${i}`, type: 'user.created', payload: { user: { id: `u${i}`, email: `burst${i}@example.com`, name: `B${i}` } } });
const claimedBy = async (pid: number) =>
  (await t.db.query<{ id: string }>(`select id from runs where status = 'running' and claimed_by like $1`, [`%:${pid}`])).rows.map((r) => Number(r.id));

describe('kill -9 recovery (PostgreSQL server)', () => {
  it(`resumes a killed worker's runs within 2 × the lease (${LEASE_SECONDS} s)`, async () => {
    await setUp();
    // every answer slow, so the runs are held mid-request when the worker dies
    expect((await sb.api('POST', '/_sandbox/faults', { token: null, body: { path: '/contacts/**', kind: 'latency', latencyMs: 300, rate: 1 } })).status).toBe(200);
    const doomed = await startWorker({ CONCURRENCY: '8', BATCH_SIZE: '8' });
    for (let i = 0; i < 200; i++) await engine.ingest(user(i));
    let held: number[] = [];
    for (let i = 0; i < 200 && held.length === 0; i++) {
      held = await claimedBy(doomed.pid!);
      if (held.length === 0) await new Promise((r) => setTimeout(r, 25));
    }
    expect(held.length).toBeGreaterThan(0);
    doomed.kill('SIGKILL');
    const killedAt = Date.now();
    await startWorker({ CONCURRENCY: '8', BATCH_SIZE: '8' });
    // the held runs leave 'running' under the dead worker's name only when the survivor takes them
    let resumedAfter = Infinity;
    for (;;) {
      const { rows } = await t.db.query<{ n: string }>(`select count(*) as n from runs where id = any($1::bigint[]) and status = 'running' and claimed_by like $2`, [held, `%:${doomed.pid}`]);
      if (Number(rows[0]!.n) === 0) {
        resumedAfter = Date.now() - killedAt;
        break;
      }
      if (Date.now() - killedAt > 4 * LEASE_SECONDS * 1000) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(resumedAfter, `held runs resumed after ${resumedAfter} ms`).toBeLessThanOrEqual(2 * LEASE_SECONDS * 1000);
    expect(await settleRuns(t.db, 120_000)).toEqual({ succeeded: 200 });
  }, 120_000);

  it('a burst of 5,000 events with 2 workers and a SIGKILL of one mid-burst ends with every contact exactly once', async () => {
    const EVENTS = 5000;
    await setUp();
    const first = await startWorker({ CONCURRENCY: '16', BATCH_SIZE: '16' });
    await startWorker({ CONCURRENCY: '16', BATCH_SIZE: '16' });
    let killed = false;
    for (let i = 0; i < EVENTS; i++) {
      await engine.ingest(user(i));
      if (!killed && i === EVENTS / 2) {
        first.kill('SIGKILL');
        killed = true;
        await startWorker({ CONCURRENCY: '16', BATCH_SIZE: '16' });
      }
    }
    expect(await settleRuns(t.db, 300_000)).toEqual({ succeeded: EVENTS });
    const contacts = (await sb.api<{ contacts: Array<{ id: string; email: string }> }>('GET', `/_sandbox/locations/${sb.info.locationId}/contacts`, { token: null })).body.contacts.filter((c) => c.email?.startsWith('burst'));
    expect(contacts).toHaveLength(EVENTS);
    expect(new Set(contacts.map((c) => c.email)).size).toBe(EVENTS);
    const ledger = new Map((await t.db.query<{ source_id: string; ghl_id: string }>(`select source_id, ghl_id from ledger where kind = 'contact'`)).rows.map((r) => [r.source_id, r.ghl_id]));
    expect(ledger.size).toBe(EVENTS);
    for (const c of contacts) expect(ledger.get(c.email.replace(/^burst(\d+)@.*$/, 'u$1')), c.email).toBe(c.id);
  }, 420_000);
});
