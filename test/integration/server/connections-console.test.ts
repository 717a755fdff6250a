import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CONNECTION_KEYS } from '../../../src/connectors/connection-keys.js';
import connectGhlLink from '../../../src/server/routes/api/connect-ghl-link.js';
import connectionsCreate from '../../../src/server/routes/api/connections-create.js';
import connectionsDelete from '../../../src/server/routes/api/connections-delete.js';
import connectionsGet from '../../../src/server/routes/api/connections-get.js';
import connectionsList from '../../../src/server/routes/api/connections-list.js';
import connectionsTest from '../../../src/server/routes/api/connections-test.js';
import connectorsList from '../../../src/server/routes/api/connectors-list.js';
import type { AnyRoute } from '../../../src/server/routes/contract.js';
import { startServerHarness, type ServerHarness } from './harness.js';

/**
 * The console's connections view over real HTTP: the connectors' forms (JSON Schemas from their
 * zod definitions, secrets write-only), a bad field named at its path, the last test kept, the
 * OAuth connect link, and no secret in any answer.
 */
const SIGNING_SECRET = 'whsec_Y29ubmVjdGlvbnMtY29uc29sZS10ZXN0LXNlY3JldA==';
let h: ServerHarness;
let pit: string;
/** every answer body of this file: none may hold a secret */
const answers: string[] = [];

/** Calls and checks the 2xx body against the route's declared response schema. */
async function call(route: AnyRoute, method: string, path: string, body?: unknown) {
  const res = await h.call(method, path, body === undefined ? {} : { body });
  answers.push(res.text);
  const declared = route.responses[res.status]?.body;
  if (res.status < 300 && declared) {
    const parsed = (declared as z.ZodType).safeParse(res.json);
    expect(parsed.success, `${method} ${path}: ${parsed.error?.message}`).toBe(true);
  }
  return res;
}

beforeAll(async () => {
  h = await startServerHarness({ recipes: [] });
  pit = h.sb.info.pit;
}, 60_000);
afterAll(async () => {
  await h?.close();
});

describe('GET /api/v1/connectors', () => {
  it("answers each app's connection form: JSON Schemas of config and secrets with titles, help, required fields and auth kinds", async () => {
    const res = await call(connectorsList, 'GET', '/api/v1/connectors');
    expect(res.status).toBe(200);
    const items = res.json.items as Array<{ app: string; config: { properties: Record<string, Record<string, unknown>> }; secrets: { properties: Record<string, Record<string, unknown>> }; secretFields: string[]; required: string[]; authKinds: Array<{ kind: string; oauth?: boolean }> }>;
    expect(items.map((i) => i.app).sort()).toEqual(Object.keys(CONNECTION_KEYS).sort());
    for (const item of items) {
      // the form offers exactly the names the API takes
      expect(Object.keys(item.config.properties).sort(), item.app).toEqual([...CONNECTION_KEYS[item.app as keyof typeof CONNECTION_KEYS].config].sort());
      expect(Object.keys(item.secrets.properties).sort(), item.app).toEqual([...CONNECTION_KEYS[item.app as keyof typeof CONNECTION_KEYS].secrets].sort());
      for (const s of Object.values(item.secrets.properties)) expect(s).toMatchObject({ writeOnly: true, format: 'password', title: expect.any(String), description: expect.any(String) });
      for (const [k, p] of Object.entries(item.config.properties)) expect(p.title, `${item.app} config.${k}`).toEqual(expect.any(String));
    }
    const webhook = items.find((i) => i.app === 'webhook')!;
    expect(webhook.required).toEqual(['secrets.signingSecret']);
    expect(webhook.config.properties.source).toMatchObject({ title: 'Event source', description: expect.stringContaining('trigger.source') });
    expect(webhook.config.properties.scheme).toMatchObject({ default: 'standard-webhooks', anyOf: expect.any(Array) });
    const ghl = items.find((i) => i.app === 'ghl-location')!;
    expect(ghl.required).toEqual(['config.locationId']);
    expect(ghl.authKinds).toEqual([expect.objectContaining({ kind: 'pit' }), expect.objectContaining({ kind: 'oauth', oauth: true })]);
    expect(ghl.config.properties.auth).toMatchObject({ enum: ['pit', 'oauth'] });
    const erp = items.find((i) => i.app === 'erp')!;
    // nested settings are objects of their own (a fieldset in the form)
    expect(erp.config.properties.customers).toMatchObject({ type: 'object', properties: { path: { title: 'Path' } } });
  });
});

describe('connections', () => {
  it('creates a "your app" connection from the form fields: 201 with the summary, never the secret', async () => {
    const res = await call(connectionsCreate, 'POST', '/api/v1/connections', { id: 'app-main', app: 'webhook', name: 'Your app', config: { source: 'my-app' }, secrets: { signingSecret: SIGNING_SECRET } });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ id: 'app-main', app: 'webhook', hasSecrets: true, authKind: 'signing-secret', lastTest: null, oauth: null, config: { source: 'my-app' } });
    expect(res.json).not.toHaveProperty('secrets');
    const ghl = await call(connectionsCreate, 'POST', '/api/v1/connections', { id: 'ghl-main', app: 'ghl-location', name: 'Dental', config: { locationId: h.sb.info.locationId, auth: 'pit' }, secrets: { pit } });
    expect(ghl.status).toBe(201);
    expect(ghl.json).toMatchObject({ authKind: 'pit' });
  });

  it.each([
    ['an empty name', { app: 'webhook', name: '', secrets: { signingSecret: SIGNING_SECRET } }, 400, 'name'],
    ['an unknown app', { app: 'nope', name: 'x' }, 400, 'app'],
    ['a misspelt setting', { app: 'webhook', name: 'x', config: { sorce: 'my-app' }, secrets: { signingSecret: SIGNING_SECRET } }, 400, 'config.sorce'],
    ['a secret in config', { app: 'webhook', name: 'x', config: { signingSecret: 'abc' } }, 400, 'config.signingSecret'],
    ['an empty secret', { app: 'webhook', name: 'x', secrets: { signingSecret: '' } }, 400, 'secrets.signingSecret'],
    ['a missing secret', { app: 'webhook', name: 'x' }, 422, 'secrets.signingSecret'],
    ['a bad nested setting', { app: 'webhook', name: 'x', config: { scheme: { signatureHeader: 'x-sig', format: 'bare', encoding: 'hex', signs: 't.body', key: 'utf8' } }, secrets: { signingSecret: SIGNING_SECRET } }, 422, 'config.scheme.timestampHeader'],
    ['a bad enum value', { app: 'erp', name: 'x', config: { customers: { path: '/c', from: 'ftp' } } }, 422, 'config.customers.from'],
    ['a GHL location without its id', { app: 'ghl-location', name: 'x', config: { auth: 'pit' }, secrets: { pit: 'pit-abc' } }, 422, 'config.locationId'],
    ['a bad connection id', { id: 'bad id!', app: 'webhook', name: 'x', secrets: { signingSecret: SIGNING_SECRET } }, 400, 'id'],
    ['a taken id', { id: 'app-main', app: 'webhook', name: 'again', secrets: { signingSecret: SIGNING_SECRET } }, 409, 'id'],
  ])('refuses %s naming the field at its body path', async (_what, body, status, field) => {
    const res = await call(connectionsCreate, 'POST', '/api/v1/connections', body);
    expect([res.status, res.json.error]).toEqual([status, expect.objectContaining({ field, message: expect.any(String) })]);
    // the message never shows what was typed into a secret
    expect(res.text).not.toContain(SIGNING_SECRET);
  });

  it('lists with auth kind and last test; a test is kept as lastTest; gets one', async () => {
    const before = await call(connectionsList, 'GET', '/api/v1/connections');
    expect((before.json.items as Array<{ id: string }>).map((c) => c.id)).toEqual(['app-main', 'ghl-main']);
    const tested = await call(connectionsTest, 'POST', '/api/v1/connections/ghl-main/test');
    expect(tested.json).toMatchObject({ ok: true });
    expect((await call(connectionsTest, 'POST', '/api/v1/connections/app-main/test')).json).toMatchObject({ ok: true });
    const one = await call(connectionsGet, 'GET', '/api/v1/connections/ghl-main');
    expect(one.json).toMatchObject({ id: 'ghl-main', authKind: 'pit', lastTest: { ok: true, message: tested.json.message, at: expect.any(String) } });
    // a PIT that GHL refuses: the failed test replaces the last one
    await h.bridge.connections.update('ghl-main', { secrets: { pit: 'pit-refused-0000' } });
    h.bridge.ghl.forget('ghl-main');
    const refused = await call(connectionsTest, 'POST', '/api/v1/connections/ghl-main/test');
    expect(refused.json).toMatchObject({ ok: false, message: expect.stringContaining('401') });
    expect((await call(connectionsGet, 'GET', '/api/v1/connections/ghl-main')).json).toMatchObject({ lastTest: { ok: false } });
    await h.bridge.connections.update('ghl-main', { secrets: { pit } });
    h.bridge.ghl.forget('ghl-main');
  });

  it('issues the single-use OAuth link to connect or re-authorize a GHL location (not another app)', async () => {
    const link = await call(connectGhlLink, 'POST', '/api/v1/connect/ghl', { connectionId: 'ghl-main' });
    expect(link.status).toBe(201);
    expect(link.json).toMatchObject({ url: expect.stringMatching(/\/connect\/ghl\?ticket=/), connectionId: 'ghl-main' });
    const fresh = await call(connectGhlLink, 'POST', '/api/v1/connect/ghl', {});
    expect(fresh.json).toMatchObject({ connectionId: null });
    const wrong = await call(connectGhlLink, 'POST', '/api/v1/connect/ghl', { connectionId: 'app-main' });
    expect([wrong.status, wrong.json.error]).toEqual([409, expect.objectContaining({ field: 'connectionId' })]);
  });

  it('deletes a connection with its last test', async () => {
    const del = await call(connectionsDelete, 'DELETE', '/api/v1/connections/app-main');
    expect(del.json).toEqual({ deleted: true, id: 'app-main' });
    expect((await h.bridge.db.query("select 1 from connection_tests where connection_id = 'app-main'")).rows).toEqual([]);
    expect((await call(connectionsDelete, 'DELETE', '/api/v1/connections/app-main')).status).toBe(404);
  });

  it('no answer of this file holds a secret', () => {
    for (const text of answers) {
      for (const secret of [SIGNING_SECRET, pit, 'pit-refused-0000']) expect(text).not.toContain(secret);
    }
    expect(h.logs.join('\n')).not.toContain(SIGNING_SECRET);
  });
});
