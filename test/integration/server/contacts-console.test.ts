import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { standardWebhookHeaders } from '../../../src/connectors/webhook/sign.js';
import contactsAudit from '../../../src/server/routes/api/contacts-audit.js';
import contactsSearch from '../../../src/server/routes/api/contacts-search.js';
import contactsView from '../../../src/server/routes/api/contacts-view.js';
import ledgerFind from '../../../src/server/routes/api/ledger-find.js';
import operationsGet from '../../../src/server/routes/api/operations-get.js';
import operationsList from '../../../src/server/routes/api/operations-list.js';
import type { AnyRoute } from '../../../src/server/routes/contract.js';
import { startServerHarness, type ServerHarness } from './harness.js';

/**
 * The console's contacts and catalog views over real HTTP: a contact a signed webhook made is
 * found by its email, phone, GHL id and source record id (ledger and GHL's own search), its 360°
 * view carries its ledger records, its audit trail the events; the catalog is searchable.
 */
const SIGNING_SECRET = 'whsec_Y29udGFjdHMtY29uc29sZS10ZXN0LXNlY3JldDE=';
let h: ServerHarness;
let contactId: string;
let runId: number;

type Match = { ghlId: string; connectionId: string | null; name: string | null; email: string | null; phone: string | null; matchedBy: string[]; sources: Array<{ source: string; sourceId: string }>; inGhl: boolean };

async function call(route: AnyRoute, path: string) {
  const res = await h.call('GET', path);
  const declared = route.responses[res.status]?.body;
  if (res.status < 300 && declared) {
    const parsed = (declared as z.ZodType).safeParse(res.json);
    expect(parsed.success, `${path}: ${parsed.error?.message}`).toBe(true);
  }
  return res;
}

const search = async (q: string, extra = '') => {
  const res = await call(contactsSearch, `/api/v1/contacts/search?q=${encodeURIComponent(q)}${extra}`);
  expect(res.status, res.text).toBe(200);
  return res.json as { items: Match[]; problems: unknown[] };
};

async function until<T>(fn: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  h = await startServerHarness({ recipes: [] });
  await h.bridge.engine.startWorker({ concurrency: 1, pollingIntervalSeconds: 0.2 });
  expect((await h.call('POST', '/api/v1/connections', { body: { id: 'ghl-main', app: 'ghl-location', name: 'Dental', config: { locationId: h.sb.info.locationId, auth: 'pit' }, secrets: { pit: h.sb.info.pit } } })).status).toBe(201);
  expect((await h.call('POST', '/api/v1/connections', { body: { id: 'app-main', app: 'webhook', name: 'Your app', config: { source: 'my-app' }, secrets: { signingSecret: SIGNING_SECRET } } })).status).toBe(201);
  const recipe = {
    id: 'signup', version: 1, trigger: { source: 'my-app', events: ['user.created'] }, connection: 'ghl-main', recordId: 'data.id',
    mapping: { contact: { email: { path: 'data.email', transforms: ['email'] }, firstName: { path: 'data.name', transforms: ['firstName'] }, lastName: { path: 'data.name', transforms: ['lastName'] }, phone: { path: 'data.phone', transforms: [{ phone: { defaultCountry: 'US' } }] } } },
    actions: [{ type: 'upsertContact' }, { type: 'note', sourceId: { template: 'signup-{{data.id}}' }, body: { template: 'Signed up: {{data.name}}' } }],
  };
  expect((await h.call('POST', '/api/v1/recipes', { body: recipe })).status).toBe(201);
  const body = JSON.stringify({ type: 'user.created', data: { id: 'usr_c1', email: 'Grace.Hopper@Contacts.test', name: 'Grace Hopper', phone: '(201) 555-0123' } });
  const res = await h.call('POST', '/hooks/app-main', { raw: body, token: null, headers: standardWebhookHeaders(SIGNING_SECRET, { id: 'msg_c1', timestamp: Math.floor(Date.now() / 1000), body }) });
  expect(res.status).toBe(200);
  const run = await until(async () => {
    const runs = (await h.call('GET', '/api/v1/runs?recipe=signup')).json.items as Array<{ id: number; status: string }>;
    return runs[0] && ['succeeded', 'dead'].includes(runs[0].status) ? runs[0] : undefined;
  });
  expect(run.status, JSON.stringify((await h.call('GET', `/api/v1/runs/${run.id}`)).json.error)).toBe('succeeded');
  runId = run.id;
  const ledger = (await h.call('GET', '/api/v1/ledger?source=my-app&sourceId=usr_c1')).json.items as Array<{ ghlId: string }>;
  contactId = ledger[0]!.ghlId;
}, 60_000);
afterAll(async () => {
  await h?.close();
});

describe('GET /api/v1/contacts/search', () => {
  const expected = () => ({ ghlId: contactId, connectionId: 'ghl-main', name: 'Grace Hopper', email: 'grace.hopper@contacts.test', phone: '+12015550123', inGhl: true, sources: [expect.objectContaining({ source: 'my-app', sourceId: 'usr_c1' })] });

  it.each([
    ['its email, in another case', 'GRACE.HOPPER@contacts.test', 'email'],
    ['its phone as typed in the app', '(201) 555-0123', 'phone'],
    ['its phone in E.164', '+12015550123', 'phone'],
    ['its source record id', 'usr_c1', 'sourceId'],
  ])('finds the contact a webhook made by %s', async (_what, q, by) => {
    const { items, problems } = await search(q);
    expect(problems).toEqual([]);
    expect(items).toEqual([expect.objectContaining({ ...expected(), matchedBy: expect.arrayContaining([by]) })]);
  });

  it('finds it by its GHL contact id (ledger and a read by id)', async () => {
    const { items } = await search(contactId);
    expect(items).toEqual([expect.objectContaining({ ...expected(), matchedBy: expect.arrayContaining(['ghlId']) })]);
  });

  it('the ledger alone (ghl=false) answers without asking GHL', async () => {
    const total = async () => (await h.sb.api<{ total: number }>('GET', '/_sandbox/requests?limit=1', { token: null })).body.total;
    // (the log may count its own reads: the difference of two reads in a row is what nothing adds)
    const idle = -(await total()) + (await total());
    const before = await total();
    const { items } = await search('grace.hopper@contacts.test', '&ghl=false');
    expect(items).toEqual([expect.objectContaining({ ghlId: contactId, inGhl: false, email: 'grace.hopper@contacts.test', matchedBy: ['email'] })]);
    expect(await total()).toBe(before + idle);
  });

  it('finds a contact only GHL knows (no source record linked), by GHL search', async () => {
    const made = await h.sb.api<{ contact: { id: string } }>('POST', '/contacts/', { body: { locationId: h.sb.info.locationId, firstName: 'Ada', lastName: 'Only', email: 'ada.only@contacts.test' } });
    expect(made.status).toBe(201);
    const { items } = await search('ada.only@contacts.test');
    expect(items).toEqual([expect.objectContaining({ ghlId: made.body.contact.id, name: 'Ada Only', inGhl: true, sources: [], matchedBy: ['email'], connectionId: 'ghl-main' })]);
  });

  it('answers no match as an empty list, and an empty search as a 400 naming q', async () => {
    expect((await search('nobody@nowhere.test')).items).toEqual([]);
    const empty = await h.call('GET', '/api/v1/contacts/search?q=%20');
    expect([empty.status, empty.json.error]).toEqual([400, expect.objectContaining({ field: 'q' })]);
  });

  it('a GHL location that cannot be searched is reported, the ledger still answers', async () => {
    await h.call('POST', '/api/v1/connections', { body: { id: 'ghl-broken', app: 'ghl-location', name: 'Broken', config: { locationId: 'loc-none', auth: 'pit' }, secrets: { pit: 'pit-refused-0000' } } });
    const { items, problems } = await search('usr_c1');
    expect(items).toEqual([expect.objectContaining({ ghlId: contactId })]);
    expect(problems).toEqual([{ connectionId: 'ghl-broken', message: expect.stringMatching(/^HighLevel answered 40\d$/) }]);
    await h.call('DELETE', '/api/v1/connections/ghl-broken');
  });
});

describe('a contact', () => {
  it('the 360° view picks the connection from the ledger and lists its linked source records', async () => {
    const res = await call(contactsView, `/api/v1/contacts/${contactId}/view`);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      connectionId: 'ghl-main', locationId: h.sb.info.locationId, contact: { id: contactId, email: 'grace.hopper@contacts.test' },
      notes: [expect.objectContaining({ body: 'Signed up: Grace Hopper' })], tasks: [], appointments: [],
      links: { 'my-app': 'usr_c1' },
      records: [expect.objectContaining({ connectionId: 'ghl-main', source: 'my-app', kind: 'contact', sourceId: 'usr_c1', fields: expect.objectContaining({ email: 'grace.hopper@contacts.test' }) })],
    });
    expect((await call(contactsView, `/api/v1/contacts/${contactId}/view?connection=nope`)).status).toBe(404);
  });

  it('the audit trail names the event, the recipe version, the field, old → new and the run', async () => {
    const res = await call(contactsAudit, `/api/v1/contacts/${contactId}/audit`);
    const items = res.json.items as Array<Record<string, unknown>>;
    expect(items).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'email', oldValue: null, newValue: 'grace.hopper@contacts.test', recipeId: 'signup', recipeVersion: 1, runId, event: { type: 'user.created', source: 'my-app', externalId: 'msg_c1' } })]));
    const page = await call(contactsAudit, `/api/v1/contacts/${contactId}/audit?limit=1`);
    expect(page.json).toMatchObject({ items: [items[0]], next: expect.any(String) });
    expect((await call(contactsAudit, `/api/v1/contacts/${contactId}/audit?limit=1&cursor=${String(page.json.next)}`)).json.items).toEqual([items[1]]);
  });

  it('the ledger lookup answers its declared shape', async () => {
    expect((await call(ledgerFind, `/api/v1/ledger?ghlId=${contactId}`)).json.items).toHaveLength(1);
  });
});

describe('the operations catalog', () => {
  it('is searchable with q (every word, any case) and each entry has its declared shape', async () => {
    const all = await call(operationsList, '/api/v1/operations');
    const found = await call(operationsList, '/api/v1/operations?q=Recruitee%20CANDIDATE%20created');
    const ids = (found.json.items as Array<{ id: string }>).map((e) => e.id);
    expect(ids).toContain('recruitee.candidate.created');
    expect(ids.length).toBeLessThan((all.json.items as unknown[]).length);
    expect(((await call(operationsList, '/api/v1/operations?q=contacts.write')).json.items as Array<{ scope: string }>).every((e) => e.scope.includes('contacts.write'))).toBe(true);
    expect((await call(operationsList, '/api/v1/operations?q=no-such-thing-anywhere')).json.items).toEqual([]);
    const one = await call(operationsGet, '/api/v1/operations/webhook.standard-webhooks');
    expect(one.status).toBe(200);
    expect(one.json).toMatchObject({ kind: 'trigger', sample: { payload: expect.any(Object) } });
  });
});
