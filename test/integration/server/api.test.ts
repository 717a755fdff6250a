import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createErpFake, type ErpFake } from '../../../src/connectors/erp/index.js';
import { standardWebhookHeaders } from '../../../src/connectors/webhook/sign.js';
import { API_ROUTES } from '../../../src/server/index.js';
import { startServerHarness, type ServerHarness } from './harness.js';

/**
 * The admin API over real HTTP: the token on every route, real behaviour against the engine, the
 * runtime and the sandbox, secrets never in an answer or a log line, malformed input and body
 * limits on every POST route.
 */
const SIGNING_SECRET = 'whsec_c2VydmVyLXRlc3Qtc2lnbmluZy1zZWNyZXQtMDE=';
const ERP_KEY = 'erp-secret-key-0123456789';
let h: ServerHarness;
let erp: ErpFake;
let secrets: string[];
/** every answer the server gave in this file (any method, success or error): scanned for secrets at the end */
const answers: Array<{ what: string; status: number; text: string; headers: string }> = [];

/** A route's path with placeholder parameters. */
const fill = (path: string) => path.replace('{id}', '1').replace('{runId}', '1').replace('{ghlId}', 'contact-1');

async function deliver(connectionId: string, event: Record<string, unknown>, id: string) {
  const body = JSON.stringify(event);
  return h.call('POST', `/hooks/${connectionId}`, { raw: body, token: null, headers: standardWebhookHeaders(SIGNING_SECRET, { id, timestamp: Math.floor(Date.now() / 1000), body }) });
}

async function until<T>(fn: () => Promise<T | undefined>, timeoutMs = 20_000, show?: () => Promise<unknown>): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`condition not reached: ${JSON.stringify(await show?.())}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  erp = await createErpFake({ apiKey: ERP_KEY });
  for (let i = 1; i <= 6; i++) erp.upsertCustomer({ id: `C${i}`, name: `Customer Number${i}`, email: `c${i}@server.test`, businessId: 'b-1' });
  h = await startServerHarness({ recipes: ['app-signup', 'erp-customers'] });
  const call = h.call.bind(h);
  h.call = async (method, path, o) => {
    const res = await call(method, path, o);
    answers.push({ what: `${method} ${path} → ${res.status}`, status: res.status, text: res.text, headers: JSON.stringify([...res.headers]) });
    return res;
  };
  // the runs queue exists once a worker started: before anything is ingested
  await h.bridge.engine.startWorker({ concurrency: 1, pollingIntervalSeconds: 0.5 });
  secrets = [SIGNING_SECRET, ERP_KEY, h.sb.info.pit, h.sb.info.clientSecret, 'gbat_test-admin-token-0123456789abcdef'];
}, 60_000);

afterAll(async () => {
  await h?.close();
  await erp?.close();
});

describe('admin token', () => {
  it('every /api/v1 route but the spec answers 401 with WWW-Authenticate without a token or with a wrong one', async () => {
    const routes = API_ROUTES.filter((r) => r.auth);
    // only the console's sign-in itself is reached without the token (it takes a session cookie)
    expect(API_ROUTES.filter((r) => !r.auth).map((r) => `${r.method} ${r.path}`).sort()).toEqual(['DELETE /api/v1/session', 'GET /api/v1/session', 'POST /api/v1/session']);
    expect(routes.length).toBeGreaterThanOrEqual(59);
    for (const r of routes) {
      for (const token of [null, 'gbat_wrong-token-0123456789abcdefgh', '']) {
        const res = await h.call(r.method, fill(r.path), { token, ...(r.method === 'POST' ? { body: {} } : {}) });
        expect(res.status, `${r.method} ${r.path} token=${String(token)}`).toBe(401);
        expect(res.headers.get('www-authenticate')).toMatch(/^Bearer /);
        expect(res.json).toMatchObject({ error: { code: 'unauthorized' } });
      }
    }
    expect((await h.call('GET', '/api/v1/no-such-route', { token: null })).status).toBe(401);
    expect((await h.call('GET', '/api/v1/no-such-route')).status).toBe(404);
    expect((await h.call('GET', '/api/v1/openapi.json', { token: null })).status).toBe(200);
  });
});

describe('with the admin token', () => {
  it('creates connections (201, no secrets in the summary) and refuses a duplicate id (409) and a bad one (422)', async () => {
    const ghl = await h.call('POST', '/api/v1/connections', { body: { id: 'ghl-main', app: 'ghl-location', name: 'Dental', config: { locationId: h.sb.info.locationId, auth: 'pit' }, secrets: { pit: h.sb.info.pit } } });
    expect(ghl.status).toBe(201);
    expect(ghl.json).toMatchObject({ id: 'ghl-main', app: 'ghl-location', hasSecrets: true, config: { locationId: h.sb.info.locationId } });
    expect(ghl.json).not.toHaveProperty('secrets');
    expect((await h.call('POST', '/api/v1/connections', { body: { id: 'app-main', app: 'webhook', name: 'My app', secrets: { signingSecret: SIGNING_SECRET } } })).status).toBe(201);
    expect((await h.call('POST', '/api/v1/connections', { body: { id: 'erp-main', app: 'erp', name: 'ERP', config: { baseUrl: erp.url, pageSize: 2 }, secrets: { apiKey: ERP_KEY } } })).status).toBe(201);
    const dup = await h.call('POST', '/api/v1/connections', { body: { id: 'app-main', app: 'webhook', name: 'again', secrets: { signingSecret: SIGNING_SECRET } } });
    expect(dup.status).toBe(409);
    const bad = await h.call('POST', '/api/v1/connections', { body: { id: 'app-bad', app: 'webhook', name: 'no secret' } });
    expect(bad.status).toBe(422);
    expect(bad.json).toMatchObject({ error: { code: 'invalid-connection', field: 'secrets.signingSecret' } });
    const inConfig = await h.call('POST', '/api/v1/connections', { body: { app: 'recruitee', name: 'R', config: { companyId: 1, apiToken: 'abc' } } });
    expect(inConfig.status).toBeGreaterThanOrEqual(400);
    const list = await h.call('GET', '/api/v1/connections');
    expect((list.json.items as Array<{ id: string }>).map((c) => c.id)).toEqual(['ghl-main', 'app-main', 'erp-main']);
    expect((await h.call('GET', '/api/v1/connections?limit=2')).json).toMatchObject({ items: [{ id: 'ghl-main' }, { id: 'app-main' }], next: expect.any(String) });
    expect((await h.call('GET', '/api/v1/connections/erp-main')).json).toMatchObject({ id: 'erp-main', app: 'erp' });
    expect((await h.call('GET', '/api/v1/connections/nope')).status).toBe(404);
  });

  it('tests connections with a real call: the GHL location (sandbox), the ERP, a webhook connection', async () => {
    const ghl = await h.call('POST', '/api/v1/connections/ghl-main/test');
    expect(ghl.status).toBe(200);
    expect(ghl.json).toMatchObject({ ok: true, details: { locationId: h.sb.info.locationId } });
    const erpTest = await h.call('POST', '/api/v1/connections/erp-main/test');
    expect(erpTest.json).toMatchObject({ ok: true, message: 'erp answered erp.listCustomers' });
    expect((await h.call('POST', '/api/v1/connections/app-main/test')).json).toMatchObject({ ok: true });
    expect((await h.call('POST', '/api/v1/connections/nope/test')).status).toBe(404);
  });

  it('lists, validates, saves, disables, enables and dry-runs recipes', async () => {
    const list = await h.call('GET', '/api/v1/recipes');
    expect(list.json.items).toEqual([
      expect.objectContaining({ id: 'app-signup', version: 1, enabled: true, connection: 'ghl-main', trigger: { source: 'my-app', events: ['user.created'] } }),
      expect.objectContaining({ id: 'erp-customers', enabled: true }),
    ]);
    const invalid = await h.call('POST', '/api/v1/recipes/validate', { body: { text: 'id: x\nversion: 1\ntrigger: { source: a }\nconnection: ghl-main\nrecordId: id\nmapping: { contact: { emial: id } }\nactions: [{ type: upsertContact }]' } });
    expect(invalid.status).toBe(200);
    expect(invalid.json.ok).toBe(false);
    expect((invalid.json.errors as Array<{ path: string }>)[0]!.path).toBe('mapping.contact.emial');
    const recipe = { id: 'api-recipe', version: 1, trigger: { source: 'webhook', events: ['user.created'] }, connection: 'ghl-main', recordId: 'data.id', mapping: { contact: { email: 'data.email' } }, actions: [{ type: 'upsertContact' }] };
    expect((await h.call('POST', '/api/v1/recipes/validate', { body: recipe })).json).toEqual({ ok: true, errors: [] });
    expect((await h.call('POST', '/api/v1/recipes', { body: recipe })).status).toBe(201);
    expect((await h.call('POST', '/api/v1/recipes', { body: { ...recipe, name: 'changed' } })).status).toBe(409);
    const unsaved = await h.call('POST', '/api/v1/recipes', { body: { ...recipe, version: 0 } });
    expect(unsaved.status).toBe(422);
    expect(unsaved.json).toMatchObject({ error: { code: 'invalid-recipe', field: 'version' } });
    expect((await h.call('POST', '/api/v1/recipes/api-recipe/disable')).json).toEqual({ id: 'api-recipe', enabled: false });
    expect(((await h.call('GET', '/api/v1/recipes')).json.items as Array<{ id: string; enabled: boolean }>).find((r) => r.id === 'api-recipe')!.enabled).toBe(false);
    expect((await h.call('POST', '/api/v1/recipes/api-recipe/enable')).json).toEqual({ id: 'api-recipe', enabled: true });
    expect((await h.call('POST', '/api/v1/recipes/nope/enable')).status).toBe(404);
    const dry = await h.call('POST', '/api/v1/recipes/api-recipe/dry-run', { body: { type: 'user.created', payload: { data: { id: 'u-dry', email: 'dry@run.test' } } } });
    expect(dry.status).toBe(200);
    expect(dry.json).toMatchObject({ recipeId: 'api-recipe', locationId: h.sb.info.locationId, plan: { calls: [expect.objectContaining({ operationId: 'upsert-contact' })] } });
    expect((await h.call('GET', '/api/v1/events')).json.items).toEqual([]);
  });

  it('a stored event, its run, the events and runs lists, dead letters and ledger lookups', async () => {
    const res = await deliver('app-main', { type: 'user.created', data: { id: 'usr_api_1', email: 'ada@api.test', name: 'Ada Lovelace' } }, 'msg_api_1');
    expect(res.status).toBe(200);
    const events = await h.call('GET', '/api/v1/events?source=webhook');
    expect(events.json.items).toEqual([expect.objectContaining({ source: 'webhook', externalId: 'msg_api_1', type: 'user.created', connectionId: 'app-main' })]);
    const eventId = (events.json.items as Array<{ id: number }>)[0]!.id;
    const event = await h.call('GET', `/api/v1/events/${eventId}`);
    expect(event.json).toMatchObject({ id: eventId, payload: { data: { id: 'usr_api_1' } }, runs: [{ recipeId: 'api-recipe' }] });
    expect((await h.call('GET', '/api/v1/events/999999')).status).toBe(404);
    const runs = await h.call('GET', '/api/v1/runs?recipe=api-recipe');
    expect(runs.json.items).toEqual([expect.objectContaining({ recipeId: 'api-recipe', eventId })]);
    const runId = (runs.json.items as Array<{ id: number }>)[0]!.id;
    expect((await h.call('GET', `/api/v1/runs/${runId}`)).json).toMatchObject({ id: runId, recipeId: 'api-recipe', steps: expect.any(Array) });
    expect((await h.call('GET', '/api/v1/runs?status=dead')).json.items).toEqual([]);
    expect((await h.call('GET', '/api/v1/dead-letters')).json.items).toEqual([]);
    // a bulk replay or dismissal without a filter must say all: true (a forgotten filter never acts on everything)
    for (const [path, body] of [['/api/v1/dead-letters/replay', undefined], ['/api/v1/dead-letters/replay', {}], ['/api/v1/dead-letters/dismiss', { reason: 'x' }]] as const) {
      const empty = await h.call('POST', path, { body });
      expect([empty.status, empty.json]).toEqual([400, { error: { code: 'invalid-input', field: 'all', message: expect.stringContaining('all: true') } }]);
    }
    expect((await h.call('POST', '/api/v1/dead-letters/replay', { body: { all: true } })).json).toEqual({ replayed: [], runs: [] });
    expect((await h.call('POST', '/api/v1/dead-letters/dismiss', { body: { recipe: 'api-recipe', reason: 'x' } })).json).toEqual({ dismissed: [] });
    expect((await h.call('POST', `/api/v1/dead-letters/${runId}/dismiss`, { body: { reason: 'x' } })).status).toBe(409);
    expect((await h.call('POST', `/api/v1/dead-letters/${runId}/dismiss`, { body: { reason: '  ' } })).json).toMatchObject({ error: { field: 'reason' } });
    expect((await h.call('POST', `/api/v1/dead-letters/${runId}/replay`)).status).toBe(409);
    expect((await h.call('POST', '/api/v1/dead-letters/999999/replay')).status).toBe(404);
    // the worker applies it: the contact, its ledger entry, the audit trail and the runs by contact
    const done = await until(async () => {
      const r = await h.call('GET', `/api/v1/runs/${runId}`);
      return r.json.status === 'succeeded' || r.json.status === 'dead' ? r.json : undefined;
    }, 20_000, async () => (await h.call('GET', `/api/v1/runs/${runId}`)).json);
    expect(done).toMatchObject({ status: 'succeeded' });
    const ledger = await h.call('GET', '/api/v1/ledger?source=webhook&sourceId=usr_api_1');
    expect(ledger.json.items).toEqual([expect.objectContaining({ connectionId: 'ghl-main', kind: 'contact', sourceId: 'usr_api_1' })]);
    const contactId = (ledger.json.items as Array<{ ghlId: string }>)[0]!.ghlId;
    expect((await h.call('GET', `/api/v1/ledger?ghlId=${contactId}`)).json.items).toHaveLength(1);
    expect((await h.call('GET', '/api/v1/ledger')).json).toMatchObject({ error: { field: 'ghlId' } });
    expect(((await h.call('GET', `/api/v1/runs?contact=${contactId}`)).json.items as Array<{ id: number }>).map((r) => r.id)).toEqual([runId]);
    const audit = await h.call('GET', `/api/v1/contacts/${contactId}/audit`);
    expect(audit.json.items).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'email', newValue: 'ada@api.test', recipeId: 'api-recipe' })]));
    const view = await h.call('GET', `/api/v1/contacts/${contactId}/view`);
    expect(view.status).toBe(200);
    expect(view.json).toMatchObject({ contact: { id: contactId, email: 'ada@api.test' }, tasks: [], notes: [], appointments: [], links: { webhook: 'usr_api_1' } });
    expect((await h.call('GET', '/api/v1/contacts/nope-contact/view')).status).toBe(404);
    expect((await h.call('GET', `/api/v1/contacts/${contactId}/view?connection=nope`)).status).toBe(404);
  });

  it('the operations catalog and the rate budget per location', async () => {
    const ops = await h.call('GET', '/api/v1/operations?app=erp');
    expect((ops.json.items as Array<{ id: string }>).map((o) => o.id)).toContain('erp.listCustomers');
    expect((ops.json.items as Array<{ app: string }>).every((o) => o.app === 'erp')).toBe(true);
    // the list carries the samples too; one entry answers with its samples, a typo with the closest id
    expect((ops.json.items as Array<{ id: string; sample?: { type: string } }>).find((o) => o.id === 'erp.customers.changed')?.sample).toMatchObject({ type: 'customer.changed', payload: { entity: 'customer' } });
    const one = await h.call('GET', '/api/v1/operations/recruitee.candidate.stageChanged');
    expect(one.status).toBe(200);
    expect(one.json).toMatchObject({ id: 'recruitee.candidate.stageChanged', kind: 'trigger', payload: { type: 'object' }, sample: { type: 'candidate.stage_changed', payload: { toStage: { category: 'phone_screen' } } } });
    expect((await h.call('GET', '/api/v1/operations/ghl.tasks.create')).json).toMatchObject({ kind: 'action', example: { contactId: expect.any(String), body: { title: expect.any(String) } } });
    const typo = await h.call('GET', '/api/v1/operations/recruitee.candidate.create');
    expect(typo.status).toBe(404);
    expect(typo.json).toMatchObject({ error: { code: 'not-found', message: 'no operation "recruitee.candidate.create" (did you mean "recruitee.candidate.created"?)' } });
    const budget = await h.call('GET', '/api/v1/rate-budget');
    const mine = (budget.json.items as Array<Record<string, unknown>>).find((b) => b.key === h.sb.info.locationId);
    expect(mine).toMatchObject({ connections: ['ghl-main'], limits: { max: expect.any(Number), intervalMs: expect.any(Number), daily: expect.any(Number) }, dailyUsed: expect.any(Number), remainingInWindow: expect.any(Number) });
    expect(mine!.dailyUsed as number).toBeGreaterThan(0);
  });

  it('a full sync runs in the server: 202, summary with progress; cancel of a finished sync is 409; resume refuses a done one', async () => {
    const start = await h.call('POST', '/api/v1/syncs', { body: { connection: 'erp-main', recipe: 'erp-customers', filter: { path: 'customer.businessId', equals: 'b-1' } } });
    expect(start.status).toBe(202);
    const id = start.json.id as number;
    const summary = await until(async () => {
      const s = await h.call('GET', `/api/v1/syncs/${id}`);
      return s.json.running === false ? s.json : undefined;
    });
    expect(summary, JSON.stringify(summary)).toMatchObject({ syncId: id, connection: 'erp-main', recipe: 'erp-customers', records: 6, matched: 6, ingested: 6, running: false, progress: { records: 6 } });
    expect((await h.call('POST', `/api/v1/syncs/${id}/cancel`)).status).toBe(409);
    expect((await h.call('POST', `/api/v1/syncs/${id}/resume`)).status).toBe(409);
    expect((await h.call('GET', '/api/v1/syncs/999999')).status).toBe(404);
    // a connection whose events the recipe never sees: refused, naming the connection
    expect((await h.call('POST', '/api/v1/syncs', { body: { connection: 'app-main', recipe: 'erp-customers' } })).json).toMatchObject({ error: { code: 'invalid-input', field: 'connection' } });
    expect((await h.call('POST', '/api/v1/syncs', { body: { connection: 'erp-main', recipe: 'nope' } })).json).toMatchObject({ error: { code: 'not-found', field: 'recipe' } });
  });

  it('webhook rejections are listed with redacted headers', async () => {
    const body = JSON.stringify({ type: 'user.created', data: { id: 'x' } });
    const res = await h.call('POST', '/hooks/app-main', { raw: body, token: null, headers: standardWebhookHeaders('whsec_d3JvbmctZGVmaW5pdGVseS13cm9uZy1zZWNyZXQ=', { id: 'msg_bad', timestamp: Math.floor(Date.now() / 1000), body }) });
    expect(res.status).toBe(401);
    const list = await h.call('GET', '/api/v1/webhook-rejections?connection=app-main');
    expect(list.json.items).toEqual([expect.objectContaining({ connectionId: 'app-main', status: 401, reason: 'bad-signature', headers: expect.objectContaining({ 'webhook-signature': '[redacted]' }) })]);
  });

  it('deletes a connection', async () => {
    expect((await h.call('POST', '/api/v1/connections', { body: { id: 'to-delete', app: 'webhook', name: 'x', secrets: { signingSecret: SIGNING_SECRET } } })).status).toBe(201);
    expect((await h.call('DELETE', '/api/v1/connections/to-delete')).json).toEqual({ deleted: true, id: 'to-delete' });
    expect((await h.call('DELETE', '/api/v1/connections/to-delete')).status).toBe(404);
  });
});

describe('secrets', () => {
  it('appear in no GET answer of any route (each answering 200 with a real id) and in no log line', async () => {
    const contact = ((await h.call('GET', '/api/v1/ledger?source=webhook&sourceId=usr_api_1')).json.items as Array<{ ghlId: string }>)[0]!.ghlId;
    const first = async (table: string) => String((await h.bridge.db.query<{ id: string }>(`select min(id) as id from ${table}`)).rows[0]!.id);
    // an incident, from a connection whose credentials were refused (the row the workers write)
    await h.bridge.db.query(`insert into connection_health (connection_id, status, reason) values ('ghl-main', 'needs-reauth', 'invalid_grant')`);
    await h.bridge.startIncidentMonitor().check();
    const realId: Record<string, string> = { '/api/v1/events/{id}': await first('events'), '/api/v1/runs/{id}': await first('runs'), '/api/v1/dead-letters/{runId}': await first('runs'), '/api/v1/syncs/{id}': await first('syncs'), '/api/v1/incidents/{id}': await first('incidents'), '/api/v1/operations/{id}': 'recruitee.candidate.created', '/api/v1/recipes/{id}': 'app-signup', '/api/v1/recipes/{id}/versions': 'app-signup' };
    // GET /api/v1/session reads the cookie, not the bearer (tested in console-session.test.ts)
    const paths = API_ROUTES.filter((r) => r.method === 'GET' && r.auth).flatMap((r) => {
      const base = r.path.replace(/\{(\w+)\}/g, (_m, k: string) => (k === 'ghlId' ? contact : realId[r.path]!));
      if (r.path === '/api/v1/connections/{id}') return ['app-main', 'erp-main', 'ghl-main'].map((i) => `/api/v1/connections/${i}`);
      if (r.path === '/api/v1/ledger') return [`${base}?ghlId=${contact}`];
      if (r.path === '/api/v1/contacts/search') return [`${base}?q=usr_api_1`];
      return [base];
    });
    paths.push('/metrics', '/readyz', '/healthz', '/api/v1/openapi.json');
    expect(paths.length).toBeGreaterThanOrEqual(20);
    expect(paths.some((p) => p.includes('undefined'))).toBe(false);
    for (const p of paths) {
      const res = await h.call('GET', p);
      // an error answer would not show what the route shows: every one must answer for real
      expect(res.status, p).toBe(200);
      for (const s of secrets) expect(res.text.includes(s), `${p} shows a secret`).toBe(false);
    }
    const logs = h.logs.join('');
    expect(logs).toContain('"requestId"');
    for (const s of secrets) expect(logs.includes(s), 'a log line shows a secret').toBe(false);
  });
});

const DRAFT = { name: 'x', source: { app: 'webhook', connection: 'my-app', trigger: 'webhook.standard-webhooks' }, ghlConnection: 'ghl-main', fields: [], actions: [{ kind: 'upsertContact' }] };

describe('malformed input on every POST route', () => {
  /** Per route: a wrong-typed body (and the field it names), and a path that exists. */
  const CASES: Record<string, { path: string; wrongType?: [unknown, string]; valid?: Record<string, unknown> }> = {
    'POST /api/v1/connections': { path: '/api/v1/connections', wrongType: [{ app: 'webhook', name: 5 }, 'name'], valid: { app: 'webhook', name: 'x' } },
    'POST /api/v1/connections/{id}/test': { path: '/api/v1/connections/app-main/test' },
    'POST /api/v1/connections/{id}/webhook-test': { path: '/api/v1/connections/app-main/webhook-test', wrongType: [{ payload: 'text' }, 'payload'], valid: { payload: { type: 'x' }, deliver: false } },
    'POST /api/v1/connect/ghl': { path: '/api/v1/connect/ghl', wrongType: [{ connectionId: 5 }, 'connectionId'], valid: { connectionId: 'ghl-main' } },
    'POST /api/v1/recipes/validate': { path: '/api/v1/recipes/validate', wrongType: [{ text: 5 }, 'text'], valid: { text: 'x' } },
    'POST /api/v1/recipes': { path: '/api/v1/recipes', wrongType: [{ text: ['a'] }, 'text'], valid: { text: 'x' } },
    'POST /api/v1/recipes/{id}/enable': { path: '/api/v1/recipes/app-signup/enable' },
    'POST /api/v1/recipes/{id}/disable': { path: '/api/v1/recipes/app-signup/disable' },
    'POST /api/v1/recipes/{id}/pause': { path: '/api/v1/recipes/app-signup/pause', wrongType: [{ reason: 5 }, 'reason'], valid: { reason: 'x' } },
    'POST /api/v1/recipes/{id}/resume': { path: '/api/v1/recipes/app-signup/resume' },
    'POST /api/v1/recipes/{id}/dry-run': { path: '/api/v1/recipes/app-signup/dry-run', wrongType: [{ type: 'user.created', payload: 'text' }, 'payload'], valid: { type: 'user.created', payload: {} } },
    'POST /api/v1/recipes/{id}/versions': { path: '/api/v1/recipes/app-signup/versions', wrongType: [{ text: 5 }, 'text'], valid: { text: 'x' } },
    'POST /api/v1/recipes/{id}/dry-run-backfill': { path: '/api/v1/recipes/erp-customers/dry-run-backfill', wrongType: [{ connection: 'erp-main', limit: '10' }, 'limit'], valid: { connection: 'erp-main' } },
    'POST /api/v1/dead-letters/replay': { path: '/api/v1/dead-letters/replay', wrongType: [{ all: true, originalVersion: 'yes' }, 'originalVersion'], valid: { all: true } },
    'POST /api/v1/dead-letters/{runId}/replay': { path: '/api/v1/dead-letters/1/replay', wrongType: [{ originalVersion: 1 }, 'originalVersion'] },
    'POST /api/v1/dead-letters/dismiss': { path: '/api/v1/dead-letters/dismiss', wrongType: [{ all: true, reason: 5 }, 'reason'], valid: { all: true, reason: 'x' } },
    'POST /api/v1/dead-letters/{runId}/dismiss': { path: '/api/v1/dead-letters/1/dismiss', wrongType: [{ reason: ['x'] }, 'reason'], valid: { reason: 'x' } },
    'POST /api/v1/syncs': { path: '/api/v1/syncs', wrongType: [{ connection: 7, recipe: 'erp-customers' }, 'connection'], valid: { connection: 'erp-main', recipe: 'erp-customers' } },
    'POST /api/v1/syncs/{id}/cancel': { path: '/api/v1/syncs/1/cancel' },
    'POST /api/v1/syncs/{id}/resume': { path: '/api/v1/syncs/1/resume' },
    'POST /api/v1/incidents/{id}/acknowledge': { path: '/api/v1/incidents/1/acknowledge', wrongType: [{ by: 5 }, 'by'], valid: {} },
    'POST /api/v1/incidents/{id}/mute': { path: '/api/v1/incidents/1/mute', wrongType: [{ minutes: 'ten' }, 'minutes'], valid: { minutes: 5 } },
    'POST /api/v1/alerts/test': { path: '/api/v1/alerts/test', wrongType: [{ channel: 5 }, 'channel'], valid: { channel: 'ops' } },
    'POST /api/v1/session': { path: '/api/v1/session', wrongType: [{ token: 5 }, 'token'], valid: { token: 'x' } },
    'POST /api/v1/login-links': { path: '/api/v1/login-links', wrongType: [{ next: 5 }, 'next'], valid: { next: '/runs' } },
    'POST /api/v1/recipes/preview': { path: '/api/v1/recipes/preview', wrongType: [{ text: 5 }, 'text'], valid: { text: 'x', event: { sample: true } } },
    'POST /api/v1/recipes/draft': { path: '/api/v1/recipes/draft', wrongType: [{ ...DRAFT, fields: 'x' }, 'fields'], valid: DRAFT },
  };

  it('covers every POST route of the API', () => {
    expect(API_ROUTES.filter((r) => r.method === 'POST').map((r) => `${r.method} ${r.path}`).sort()).toEqual(Object.keys(CASES).sort());
  });

  it.each(Object.entries(CASES))('%s: bad JSON, unknown field, wrong type → 400 naming the field; over the limit → 413', async (_name, c) => {
    const badJson = await h.call('POST', c.path, { raw: '{"app": ' });
    expect(badJson.status).toBe(400);
    expect(badJson.json).toMatchObject({ error: { code: 'bad-json', field: 'body' } });
    const unknown = await h.call('POST', c.path, { body: { ...c.valid, surprise: 1 } });
    expect(unknown.status).toBe(400);
    expect(unknown.json).toMatchObject({ error: { field: 'surprise', message: expect.stringContaining('surprise') } });
    if (c.wrongType) {
      const wrong = await h.call('POST', c.path, { body: c.wrongType[0] });
      expect(wrong.status).toBe(400);
      expect(wrong.json).toMatchObject({ error: { field: c.wrongType[1] } });
    }
    const big = await h.call('POST', c.path, { raw: JSON.stringify({ text: 'x'.repeat(5000) }) });
    expect(big.status).toBe(413);
    expect(big.json).toMatchObject({ error: { code: 'too-large' } });
  });

  it('bad JSON: the answer says where, never the body text (it may hold a secret)', async () => {
    const pit = h.sb.info.pit;
    // V8's own message would quote the text around the error: `Unexpected token 'p', "{"pit": pit-0123"... is not valid JSON`
    for (const raw of [`{"secrets": {"pit": ${pit}}}`, pit, `{"app": "ghl-location", "secrets": {"pit": "${pit}"} oops}`, `"${pit}`, `{"secrets": {"pit": "${pit}"}} trailing`]) {
      const res = await h.call('POST', '/api/v1/connections', { raw });
      expect(res.status).toBe(400);
      expect(res.json).toMatchObject({ error: { code: 'bad-json', field: 'body', message: expect.stringMatching(/^body: not valid JSON \(/) } });
      expect(res.text).not.toContain(pit);
      expect(res.text).not.toContain(pit.slice(0, 8));
    }
    const where = await h.call('POST', '/api/v1/connections', { raw: '{"name": "x"\n "app": "erp"}' });
    expect((where.json.error as { message: string }).message).toBe('body: not valid JSON (at position 14, line 2 column 2)');
  });

  it('path parameters and queries are checked too', async () => {
    expect((await h.call('POST', '/api/v1/dead-letters/abc/replay')).json).toMatchObject({ error: { field: 'runId' } });
    expect((await h.call('GET', '/api/v1/runs?status=nope')).json).toMatchObject({ error: { field: 'status' } });
    expect((await h.call('GET', '/api/v1/events?limit=501')).json).toMatchObject({ error: { field: 'limit' } });
    expect((await h.call('GET', '/api/v1/events?colour=red')).json).toMatchObject({ error: { code: 'unknown-field', field: 'colour' } });
    expect((await h.call('GET', '/api/v1/events?cursor=bogus')).json).toMatchObject({ error: { field: 'cursor' } });
  });
});

describe('secrets in every answer', () => {
  it('no answer of this file (GET, POST, DELETE; successes and errors, headers included) shows a secret', () => {
    expect(answers.length).toBeGreaterThan(150);
    for (const method of ['GET', 'POST', 'DELETE']) expect(answers.some((a) => a.what.startsWith(`${method} `)), method).toBe(true);
    for (const status of [200, 201, 202, 400, 401, 404, 409, 413, 422]) expect(answers.some((a) => a.status === status), String(status)).toBe(true);
    for (const a of answers) for (const s of secrets) expect(a.text.includes(s) || a.headers.includes(s), `${a.what} shows a secret`).toBe(false);
  });
});
