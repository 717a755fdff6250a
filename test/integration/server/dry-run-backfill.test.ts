import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createErpFake, type ErpFake } from '../../../src/connectors/erp/index.js';
import { startServerHarness, type ServerHarness } from './harness.js';

/**
 * `POST /api/v1/recipes/{id}/dry-run-backfill` over real HTTP: a real ERP fake listed through its
 * connector, a real full sync first (so the ledger knows some customers), then the backfill dry
 * run must tell create / update / unchanged / skipped per record, and write nothing anywhere.
 */
const ERP_KEY = 'erp-backfill-key-0123456789';
const SIGNING_SECRET = 'whsec_YmFja2ZpbGwtdGVzdC1zaWduaW5nLXNlY3JldC0w';
const PATH = '/api/v1/recipes/erp-customers/dry-run-backfill';
let h: ServerHarness;
let erp: ErpFake;
/** the sandbox's seeded contacts plus the six the full sync created */
let contactsAfterSync: number;

interface Item { recordId: string; outcome: string; calls: Array<{ operationId: string; method: string; path: string; diff: Array<{ field: string; from: unknown; to: unknown }> }>; errors?: Array<{ field: string; message: string }> }

async function until<T>(fn: () => Promise<T | undefined>, timeoutMs = 30_000, show?: () => Promise<unknown>): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`condition not reached: ${JSON.stringify(await show?.())}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Everything a dry run must leave as it was: the bridge's tables, GHL's contacts, GHL requests seen. */
async function footprint() {
  const count = async (table: string) => Number((await h.bridge.db.query<{ n: string }>(`select count(*) as n from ${table}`)).rows[0]!.n);
  const ledger = (await h.bridge.db.query<{ source_id: string; ghl_id: string; fields_hash: string | null }>('select source_id, ghl_id, fields_hash from ledger order by source_id')).rows;
  return {
    contacts: h.sb.sandbox.core.store.countContacts(h.sb.info.locationId),
    ghlRequests: h.sb.sandbox.core.log.total,
    events: await count('events'),
    runs: await count('runs'),
    syncs: await count('syncs'),
    ledger,
  };
}

beforeAll(async () => {
  erp = await createErpFake({ apiKey: ERP_KEY });
  for (let i = 1; i <= 6; i++) erp.upsertCustomer({ id: `C${i}`, name: `Customer Number${i}`, email: `c${i}@backfill.test`, city: 'Bergen' });
  h = await startServerHarness({ recipes: ['erp-customers'] });
  await h.bridge.engine.startWorker({ concurrency: 1, pollingIntervalSeconds: 0.5 });
  const connections = [
    { id: 'ghl-main', app: 'ghl-location', name: 'GHL', config: { locationId: h.sb.info.locationId, auth: 'pit' }, secrets: { pit: h.sb.info.pit } },
    { id: 'erp-main', app: 'erp', name: 'ERP', config: { baseUrl: erp.url, pageSize: 2 }, secrets: { apiKey: ERP_KEY } },
    { id: 'app-main', app: 'webhook', name: 'My app', secrets: { signingSecret: SIGNING_SECRET } },
  ];
  for (const body of connections) {
    const res = await h.call('POST', '/api/v1/connections', { body });
    if (res.status !== 201) throw new Error(`connection ${body.id}: ${res.status} ${res.text}`);
  }
  // a real full sync: C1..C6 become GHL contacts and ledger rows
  const seeded = h.sb.sandbox.core.store.countContacts(h.sb.info.locationId);
  const start = await h.call('POST', '/api/v1/syncs', { body: { connection: 'erp-main', recipe: 'erp-customers' } });
  expect(start.status).toBe(202);
  const id = start.json.id as number;
  const synced = await until(async () => {
    const s = (await h.call('GET', `/api/v1/syncs/${id}`)).json;
    return s.running === false && (s.runs as Record<string, number>).succeeded === 6 ? s : undefined;
  }, 30_000, async () => (await h.call('GET', `/api/v1/syncs/${id}`)).json);
  expect(synced).toMatchObject({ records: 6, matched: 6, created: 6, failed: 0 });
  contactsAfterSync = h.sb.sandbox.core.store.countContacts(h.sb.info.locationId);
  expect(contactsAfterSync).toBe(seeded + 6);
  // since then: two changed, two new, one without email or phone (the recipe's filter), one task (another event type)
  erp.upsertCustomer({ id: 'C2', city: 'Oslo' });
  erp.upsertCustomer({ id: 'C3', companyName: 'Fjord AS' });
  erp.upsertCustomer({ id: 'C7', name: 'New Seven', email: 'c7@backfill.test', city: 'Oslo' });
  erp.upsertCustomer({ id: 'C8', name: 'New Eight', phone: '+1 415 555 0108' });
  erp.upsertCustomer({ id: 'C9', name: 'No Contact Details' });
  erp.upsertTask({ id: 'T1', customerId: 'C1', subject: 'Call back', dueDate: '2030-01-01', completed: false });
}, 90_000);

afterAll(async () => {
  await h?.close();
  await erp?.close();
});

describe('POST /api/v1/recipes/{id}/dry-run-backfill', () => {
  it('plans every customer: new ones create, changed ones update, the rest unchanged or skipped; nothing is written', async () => {
    const before = await footprint();
    expect(before.contacts).toBe(contactsAfterSync);
    expect(before.ledger.length).toBe(6);
    const res = await h.call('POST', PATH, { body: { connection: 'erp-main' } });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ recipeId: 'erp-customers', version: 1, connection: 'erp-main', listed: 10, considered: 9, truncated: false, summary: { create: 2, update: 2, unchanged: 4, skipped: 1, errors: 0 } });
    const items = res.json.items as Item[];
    const byId = Object.fromEntries(items.map((i) => [i.recordId, i]));
    expect(items.map((i) => i.recordId).sort()).toEqual(['C1', 'C2', 'C3', 'C4', 'C5', 'C6', 'C7', 'C8', 'C9']);
    for (const id of ['C1', 'C4', 'C5', 'C6']) expect(byId[id], id).toEqual({ recordId: id, outcome: 'unchanged', calls: [] });
    expect(byId.C9).toEqual({ recordId: 'C9', outcome: 'skipped', calls: [] });
    expect(byId.C2).toEqual({ recordId: 'C2', outcome: 'update', calls: [{ operationId: 'update-contact', method: 'PUT', path: '/contacts/{contactId}', diff: [{ field: 'city', from: 'Bergen', to: 'Oslo' }] }] });
    // a changed firm goes through POST /contacts/upsert (PUT /contacts/{id} does not take companyName)
    expect(byId.C3).toEqual({
      recordId: 'C3',
      outcome: 'update',
      calls: [
        { operationId: 'update-contact', method: 'PUT', path: '/contacts/{contactId}', diff: [] },
        { operationId: 'upsert-contact', method: 'POST', path: '/contacts/upsert', diff: [{ field: 'companyName', to: 'Fjord AS' }] },
      ],
    });
    const tags = { operationId: 'add-tags', method: 'POST', path: '/contacts/{contactId}/tags', diff: [{ field: 'tags', from: [], to: ['customer'] }] };
    const created = (diff: Array<{ field: string; to: unknown }>) => ({ outcome: 'create', calls: [{ operationId: 'upsert-contact', method: 'POST', path: '/contacts/upsert', diff }, tags] });
    expect(byId.C7).toEqual({ recordId: 'C7', ...created([{ field: 'city', to: 'Oslo' }, { field: 'email', to: 'c7@backfill.test' }, { field: 'source', to: 'ERP' }, { field: 'lastName', to: 'Seven' }, { field: 'firstName', to: 'New' }]) });
    expect(byId.C8).toEqual({ recordId: 'C8', ...created([{ field: 'phone', to: '+14155550108' }, { field: 'source', to: 'ERP' }, { field: 'lastName', to: 'Eight' }, { field: 'firstName', to: 'New' }]) });
    expect(res.text.includes(ERP_KEY)).toBe(false);
    // no contact, no GHL request, no event, run, sync or ledger row
    expect(await footprint()).toEqual(before);
  });

  it('stops after `limit` considered records (truncated) and keeps only records that pass the filter', async () => {
    const before = await footprint();
    const limited = await h.call('POST', PATH, { body: { connection: 'erp-main', limit: 3 } });
    expect(limited.status).toBe(200);
    expect(limited.json).toMatchObject({ listed: 3, considered: 3, truncated: true });
    // listed by last change: the three customers untouched since the sync come first
    expect((limited.json.items as Item[]).map((i) => i.recordId)).toEqual(['C1', 'C4', 'C5']);
    expect(limited.json.summary).toEqual({ create: 0, update: 0, unchanged: 3, skipped: 0, errors: 0 });
    const exact = await h.call('POST', PATH, { body: { connection: 'erp-main', limit: 9 } });
    expect(exact.json).toMatchObject({ listed: 10, considered: 9, truncated: false });
    const oslo = await h.call('POST', PATH, { body: { connection: 'erp-main', filter: { path: 'customer.city', equals: 'Oslo' } } });
    expect(oslo.status).toBe(200);
    expect(oslo.json).toMatchObject({ listed: 10, considered: 2, truncated: false, summary: { create: 1, update: 1, unchanged: 0, skipped: 0, errors: 0 } });
    expect((oslo.json.items as Item[]).map((i) => [i.recordId, i.outcome]).sort()).toEqual([['C2', 'update'], ['C7', 'create']]);
    expect(await footprint()).toEqual(before);
  });

  it('an unknown connection is 404, one whose app cannot list everything 409, a misconfigured one 422, an unknown recipe 404', async () => {
    const unknown = await h.call('POST', PATH, { body: { connection: 'nope' } });
    expect(unknown.status).toBe(404);
    expect(unknown.json).toMatchObject({ error: { code: 'not-found', field: 'connection', message: 'no connection "nope"' } });
    const cannot = await h.call('POST', PATH, { body: { connection: 'app-main' } });
    expect(cannot.status).toBe(409);
    expect(cannot.json).toMatchObject({ error: { code: 'conflict', field: 'connection', message: 'webhook connections cannot list all their records' } });
    // GHL connections can list their contacts, but this one lacks what the ghl connector needs (its webhook key)
    const misconfigured = await h.call('POST', PATH, { body: { connection: 'ghl-main' } });
    expect(misconfigured.status).toBe(422);
    expect(misconfigured.json).toMatchObject({ error: { code: 'misconfigured', field: 'connection' } });
    expect(misconfigured.text.includes(h.sb.info.pit)).toBe(false);
    expect((await h.call('POST', '/api/v1/recipes/no-such-recipe/dry-run-backfill', { body: { connection: 'erp-main' } })).status).toBe(404);
  });

  it('a bad body is 400 naming the field; no token is 401', async () => {
    const cases: Array<[unknown, string]> = [
      [{}, 'connection'],
      [{ connection: 7 }, 'connection'],
      [{ connection: 'erp-main', limit: 0 }, 'limit'],
      [{ connection: 'erp-main', limit: 1001 }, 'limit'],
      [{ connection: 'erp-main', limit: 2.5 }, 'limit'],
      [{ connection: 'erp-main', color: 'red' }, 'color'],
    ];
    for (const [body, field] of cases) {
      const res = await h.call('POST', PATH, { body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.json, JSON.stringify(body)).toMatchObject({ error: { field } });
    }
    const badFilter = await h.call('POST', PATH, { body: { connection: 'erp-main', filter: { path: 'customer.city', equal: 'Oslo' } } });
    expect(badFilter.status).toBe(400);
    expect((badFilter.json.error as { field: string }).field).toMatch(/^filter/);
    const noToken = await h.call('POST', PATH, { body: { connection: 'erp-main' }, token: null });
    expect(noToken.status).toBe(401);
    expect(noToken.headers.get('www-authenticate')).toMatch(/^Bearer /);
  });

  it('an app that fails to list is 502 without its key in the answer', async () => {
    const created = await h.call('POST', '/api/v1/connections', { body: { id: 'erp-down', app: 'erp', name: 'ERP down', config: { baseUrl: `${erp.url}/nowhere` }, secrets: { apiKey: ERP_KEY } } });
    expect(created.status).toBe(201);
    const res = await h.call('POST', PATH, { body: { connection: 'erp-down' } });
    expect(res.status, res.text).toBe(502);
    expect(res.json).toMatchObject({ error: { code: 'app-error' } });
    expect(res.text.includes(ERP_KEY)).toBe(false);
  });
});
