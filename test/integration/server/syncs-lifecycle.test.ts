import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createErpFake, type ErpFake } from '../../../src/connectors/erp/index.js';
import { createApp, startServer } from '../../../src/server/index.js';
import { createSyncManager } from '../../../src/server/syncs/index.js';
import { gateProxy, type GateProxy } from './gate-proxy.js';
import { ADMIN_TOKEN, startServerHarness, type ServerHarness } from './harness.js';

/**
 * Full syncs across a server restart and under races, and the server's shutdown: a sync left
 * `running` by a dead server is taken over on resume, one claim wins between racing resumes, one
 * sync of a connection + recipe at a time, requests in flight finish before the server closes,
 * and syncs are stopped with their rows saved. The ERP sits behind a gate the test opens, so a
 * listing stays mid-way for exactly as long as a test needs.
 */
const ERP_KEY = 'erp-secret-key-syncs-0123456789';
let h: ServerHarness;
let erp: ErpFake;
let gate: GateProxy;

async function until<T>(fn: () => Promise<T | undefined>, what: string): Promise<T> {
  const end = Date.now() + 60_000;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const finished = (id: number) => until(async () => {
  const s = await h.call('GET', `/api/v1/syncs/${id}`);
  return s.json.running === false ? s.json : undefined;
}, `sync ${id} to end`);

/** A sync row as a server that died mid-sync leaves it: `running`, its progress fresh. */
async function orphanedRow(status = 'running'): Promise<number> {
  const { rows } = await h.bridge.db.query<{ id: string }>(`insert into syncs (connection_id, recipe_id, status, filter, updated_at) values ('erp-gated', 'erp-customers', $1, 'null', now()) returning id`, [status]);
  return Number(rows[0]!.id);
}

const syncStatus = async (id: number) => (await h.bridge.db.query<{ status: string }>('select status from syncs where id = $1', [id])).rows[0]!.status;

beforeAll(async () => {
  erp = await createErpFake({ apiKey: ERP_KEY });
  for (let i = 1; i <= 5; i++) erp.upsertCustomer({ id: `G${i}`, name: `Gated Customer${i}`, email: `g${i}@syncs.test` });
  gate = await gateProxy(erp.url);
  h = await startServerHarness({ recipes: ['erp-customers'] });
  await h.bridge.engine.startWorker({ concurrency: 1, pollingIntervalSeconds: 0.5 });
  expect((await h.call('POST', '/api/v1/connections', { body: { id: 'ghl-main', app: 'ghl-location', name: 'GHL', config: { locationId: h.sb.info.locationId, auth: 'pit' }, secrets: { pit: h.sb.info.pit } } })).status).toBe(201);
  expect((await h.call('POST', '/api/v1/connections', { body: { id: 'erp-gated', app: 'erp', name: 'ERP', config: { baseUrl: gate.url, pageSize: 2 }, secrets: { apiKey: ERP_KEY } } })).status).toBe(201);
}, 60_000);

afterAll(async () => {
  gate?.release();
  await h?.close();
  await gate?.close();
  await erp?.close();
});

describe('resume', () => {
  it('takes over a sync left running by a server that stopped (no waiting for it to go stale)', async () => {
    const id = await orphanedRow('running');
    const res = await h.call('POST', `/api/v1/syncs/${id}/resume`);
    expect(res.status).toBe(202);
    const summary = await finished(id);
    expect(summary).toMatchObject({ syncId: id, status: 'done', records: 5, matched: 5, error: null });
  });

  it('resumes at once: one 202, the others 409; the sync runs once', async () => {
    const id = await orphanedRow('running');
    gate.hold();
    // several at once through one app: their reads interleave before any of them claims
    const { app, close } = createApp(h.bridge);
    const resume = () => app.request(`/api/v1/syncs/${id}/resume`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    const answers = await Promise.all([resume(), resume(), resume(), resume()]);
    expect(answers.map((a) => a.status).sort()).toEqual([202, 409, 409, 409]);
    const refused = answers.find((a) => a.status === 409)!;
    expect(await refused.json()).toMatchObject({ error: { code: 'conflict', message: `sync ${id} is running` } });
    await gate.waitHeld();
    // the manager of this app runs it: the harness's server does not see it as running
    gate.release();
    await until(async () => ((await syncStatus(id)) === 'done' ? true : undefined), `sync ${id} done`);
    await close();
  });

  it('the sync manager claims synchronously: a second resume of the same id throws 409 before any await', async () => {
    const id = await orphanedRow('cancelled');
    gate.hold();
    const syncs = createSyncManager(h.bridge, h.bridge.logger);
    const target = { connectionId: 'erp-gated', recipeId: 'erp-customers', status: 'cancelled' };
    syncs.resume(id, target);
    expect(() => syncs.resume(id, target)).toThrow(expect.objectContaining({ status: 409 }));
    expect(syncs.isRunning(id)).toBe(true);
    gate.release();
    await syncs.close();
  });
});

describe('one full sync per connection and recipe', () => {
  it('a second sync of the same pair is refused (409) while the first runs, a resume of another too; free again once it ended', async () => {
    gate.hold();
    const first = await h.call('POST', '/api/v1/syncs', { body: { connection: 'erp-gated', recipe: 'erp-customers' } });
    expect(first.status).toBe(202);
    const id = first.json.id as number;
    await gate.waitHeld();
    const second = await h.call('POST', '/api/v1/syncs', { body: { connection: 'erp-gated', recipe: 'erp-customers' } });
    expect(second.status).toBe(409);
    expect(second.json).toMatchObject({ error: { code: 'conflict', message: expect.stringContaining(`sync ${id}`) } });
    const other = await orphanedRow('cancelled');
    expect((await h.call('POST', `/api/v1/syncs/${other}/resume`)).status).toBe(409);
    // cancelled while its page waits at the gate: the runtime stops, the row says so
    const cancel = await h.call('POST', `/api/v1/syncs/${id}/cancel`);
    expect(cancel.json).toEqual({ id, status: 'cancelled' });
    gate.release();
    const again = await h.call('POST', '/api/v1/syncs', { body: { connection: 'erp-gated', recipe: 'erp-customers' } });
    expect(again.status).toBe(202);
    expect(await finished(again.json.id as number)).toMatchObject({ status: 'done', records: 5 });
  });
});

describe('server shutdown', () => {
  it('lets a request in flight finish, then stops listening', async () => {
    const second = await startServer(h.bridge, { host: '127.0.0.1', port: 0 });
    gate.hold();
    // a connection test reads the ERP: it waits at the gate, in flight
    const inFlight = fetch(`${second.url}/api/v1/connections/erp-gated/test`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    await gate.waitHeld();
    let closed = false;
    const closing = second.close().then(() => (closed = true));
    // no new connection is accepted once closing started
    await expect(fetch(`${second.url}/healthz`)).rejects.toThrow();
    expect(closed).toBe(false);
    gate.release();
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true });
    await closing;
    expect(closed).toBe(true);
  });

  it('stops the full syncs it runs and waits until their rows are saved (resumable)', async () => {
    const second = await startServer(h.bridge, { host: '127.0.0.1', port: 0 });
    gate.hold();
    const start = await fetch(`${second.url}/api/v1/syncs`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ connection: 'erp-gated', recipe: 'erp-customers' }) });
    expect(start.status).toBe(202);
    const id = ((await start.json()) as { id: number }).id;
    await gate.waitHeld();
    await second.close();
    expect(await syncStatus(id)).toBe('cancelled');
    gate.release();
    expect((await h.call('POST', `/api/v1/syncs/${id}/resume`)).status).toBe(202);
    expect(await finished(id)).toMatchObject({ status: 'done', records: 5 });
  });
});
