import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { standardWebhookHeaders } from '../../../src/connectors/webhook/sign.js';
import { createSqlTokenStore } from '../../../src/engine/index.js';
import { API_ROUTES, createApp, WEB_ROUTES } from '../../../src/server/index.js';
import { ADMIN_TOKEN, startServerHarness, type ServerHarness } from './harness.js';

/**
 * Outside the admin API: webhook ingress end to end, GHL OAuth connect against the sandbox's
 * authorize page, started only from an admin-issued single-use link (state bound to the browser,
 * single use), readiness, metrics and the spec.
 */
const SECRET = 'whsec_aW5ncmVzcy10ZXN0LXNpZ25pbmctc2VjcmV0LTAx';
let h: ServerHarness;

beforeAll(async () => {
  h = await startServerHarness({ bodyLimit: 2048 });
  await h.bridge.engine.startWorker({ concurrency: 1, pollingIntervalSeconds: 0.5 });
  expect((await h.call('POST', '/api/v1/connections', { body: { id: 'app-main', app: 'webhook', name: 'My app', secrets: { signingSecret: SECRET } } })).status).toBe(201);
}, 60_000);
afterAll(async () => {
  await h?.close();
});

function signed(body: string, id: string, timestamp = Math.floor(Date.now() / 1000), secret = SECRET) {
  return standardWebhookHeaders(secret, { id, timestamp, body });
}

async function eventCount(): Promise<number> {
  const { rows } = await h.bridge.db.query<{ n: string }>('select count(*) as n from events');
  return Number(rows[0]!.n);
}

describe('webhook ingress', () => {
  const body = JSON.stringify({ type: 'user.created', data: { id: 'usr_1', email: 'ada@hooks.test' } });

  it('a signed Standard Webhooks delivery → 200 and the event stored; a duplicate → 2xx, not stored or enqueued again', async () => {
    const first = await h.call('POST', '/hooks/app-main', { raw: body, token: null, headers: { ...signed(body, 'msg_1'), 'x-request-id': 'req-hook-1' } });
    expect(first.status).toBe(200);
    expect(first.json).toEqual({ ok: true, accepted: 1, duplicates: 0 });
    expect(first.headers.get('x-request-id')).toBe('req-hook-1');
    expect(await eventCount()).toBe(1);
    const { rows: runsBefore } = await h.bridge.db.query<{ n: string }>('select count(*) as n from runs');
    const again = await h.call('POST', '/hooks/app-main', { raw: body, token: null, headers: signed(body, 'msg_1') });
    expect(again.status).toBe(200);
    expect(again.json).toEqual({ ok: true, accepted: 0, duplicates: 1 });
    expect(await eventCount()).toBe(1);
    const { rows: runsAfter } = await h.bridge.db.query<{ n: string }>('select count(*) as n from runs');
    expect(runsAfter[0]!.n).toBe(runsBefore[0]!.n);
    expect(h.logs.some((l) => l.includes('"requestId":"req-hook-1"') && l.includes('"route":"/hooks/{connectionId}"'))).toBe(true);
  });

  it('a bad signature → 401, a stale timestamp → 400, a malformed body → 400 naming the field; none stored', async () => {
    const bad = await h.call('POST', '/hooks/app-main', { raw: body, token: null, headers: signed(body, 'msg_2', undefined, 'whsec_b3RoZXItc2VjcmV0LW5vdC1vdXJzLTAxMjM0NTY3') });
    expect(bad.status).toBe(401);
    expect(bad.json).toMatchObject({ ok: false, error: 'unverified' });
    const stale = await h.call('POST', '/hooks/app-main', { raw: body, token: null, headers: signed(body, 'msg_3', Math.floor(Date.now() / 1000) - 3600) });
    expect(stale.status).toBe(400);
    expect(stale.json).toMatchObject({ ok: false, error: 'stale' });
    const noType = JSON.stringify({ data: { id: 'x' } });
    const malformed = await h.call('POST', '/hooks/app-main', { raw: noType, token: null, headers: signed(noType, 'msg_4') });
    expect(malformed.status).toBe(400);
    expect(malformed.json).toMatchObject({ ok: false, error: 'malformed', field: 'type' });
    expect(await eventCount()).toBe(1);
    // an unknown id answers exactly as a bad signature does: which ids exist is not told
    const unknown = await h.call('POST', '/hooks/nope', { raw: body, token: null, headers: signed(body, 'msg_5') });
    expect([unknown.status, unknown.json]).toEqual([bad.status, bad.json]);
    expect((await h.call('POST', '/hooks/bad id!', { raw: body, token: null })).status).toBe(400);
  });

  it('a body over the limit → 413 without being read, declared or streamed', async () => {
    const big = JSON.stringify({ type: 'user.created', data: { blob: 'x'.repeat(4000) } });
    const declared = await h.call('POST', '/hooks/app-main', { raw: big, token: null, headers: signed(big, 'msg_big') });
    expect(declared.status).toBe(413);
    expect(declared.json).toMatchObject({ error: { code: 'too-large' } });
    const chunks = [Buffer.from(big.slice(0, 1500)), Buffer.from(big.slice(1500))];
    const stream = new ReadableStream<Uint8Array>({ pull(c) { const next = chunks.shift(); if (next) c.enqueue(next); else c.close(); } });
    const streamed = await fetch(`${h.url}/hooks/app-main`, { method: 'POST', body: stream, duplex: 'half', headers: { 'content-type': 'application/json', ...signed(big, 'msg_big2') } } as RequestInit);
    expect(streamed.status).toBe(413);
    expect(await eventCount()).toBe(1);
  });
});

describe('GHL OAuth connect', () => {
  /** An admin-issued connect link (single use, short-lived). */
  async function link(connectionId?: string): Promise<string> {
    const res = await h.call('POST', '/api/v1/connect/ghl', { body: connectionId ? { connectionId } : {} });
    expect(res.status).toBe(201);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const url = res.json.url as string;
    expect(url).toMatch(new RegExp(`^${h.url.replace(/[.]/g, '\\.')}/connect/ghl\\?ticket=[A-Za-z0-9_-]{43}$`));
    expect(res.json).toMatchObject({ connectionId: connectionId ?? null, expiresAt: expect.any(String) });
    return url;
  }

  /** Follows the flow as a browser would, from an issued link, with the cookie jar of one browser. */
  async function connect(choose: (page: string) => string, connectionId?: string) {
    const start = await fetch(await link(connectionId), { redirect: 'manual' });
    expect(start.status).toBe(302);
    const cookie = start.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    // the callback's own path: the cookie goes nowhere else
    expect(cookie).toMatch(/Path=\/oauth\/callback(;|$)/);
    const authorize = new URL(start.headers.get('location')!);
    expect(authorize.origin).toBe(h.sb.url);
    expect(authorize.pathname).toBe('/v2/oauth/chooselocation');
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${h.url}/oauth/callback`);
    const state = authorize.searchParams.get('state')!;
    const page = await (await fetch(authorize)).text();
    const form = new URLSearchParams({ client_id: authorize.searchParams.get('client_id')!, redirect_uri: authorize.searchParams.get('redirect_uri')!, scope: authorize.searchParams.get('scope')!, state, location_id: choose(page) });
    const chosen = await fetch(authorize, { method: 'POST', body: form, redirect: 'manual' });
    expect(chosen.status).toBe(302);
    const callback = chosen.headers.get('location')!;
    expect(callback.startsWith(`${h.url}/oauth/callback?`)).toBe(true);
    return { cookie: cookie.split(';')[0]!, callback, state };
  }

  it('/connect/ghl without a link from the operator → 403 saying how to get one; nothing connected', async () => {
    for (const path of ['/connect/ghl', '/connect/ghl?ticket=forged-ticket-0123456789abcdefghijklmnopq']) {
      const res = await fetch(`${h.url}${path}`, { redirect: 'manual' });
      expect(res.status, path).toBe(403);
      expect(res.headers.get('set-cookie')).toBeNull();
      const body = (await res.json()) as { error: { code: string; message: string; field: string } };
      expect(body.error).toMatchObject({ code: path.includes('ticket') ? 'ticket-unknown' : 'ticket-missing', field: 'ticket' });
      expect(body.error.message).toContain('ghl-bridge connect ghl');
      expect(body.error.message).toContain('POST /api/v1/connect/ghl');
    }
    expect((await h.call('GET', '/api/v1/connections')).json.items).toEqual([expect.objectContaining({ id: 'app-main' })]);
  });

  it('a link works once, and not after it expired', async () => {
    const url = await link();
    expect((await fetch(url, { redirect: 'manual' })).status).toBe(302);
    const again = await fetch(url, { redirect: 'manual' });
    expect(again.status).toBe(403);
    expect(await again.json()).toMatchObject({ error: { code: 'ticket-used' } });
    const late = await link();
    await h.bridge.db.query('update oauth_tickets set expires_at = $1 where used_at is null', [Date.now() - 1000]);
    const expired = await fetch(late, { redirect: 'manual' });
    expect(expired.status).toBe(403);
    expect(await expired.json()).toMatchObject({ error: { code: 'ticket-expired' } });
    // only hashes are stored
    const { rows } = await h.bridge.db.query<{ ticket_hash: string }>('select ticket_hash from oauth_tickets');
    for (const r of rows) expect(url).not.toContain(r.ticket_hash);
  });

  it('issuing a link needs the admin token, and refuses a connection that is not a GHL location', async () => {
    expect((await h.call('POST', '/api/v1/connect/ghl', { token: null, body: {} })).status).toBe(401);
    const wrongApp = await h.call('POST', '/api/v1/connect/ghl', { body: { connectionId: 'app-main' } });
    expect(wrongApp.status).toBe(409);
    expect(wrongApp.json).toMatchObject({ error: { code: 'conflict', field: 'connectionId' } });
    expect((await h.call('POST', '/api/v1/connect/ghl', { body: { connectionId: 'bad id!' } })).json).toMatchObject({ error: { field: 'connectionId' } });
  });

  it('link → authorize page → a location → callback: tokens sealed, connection stored, the page names the location', async () => {
    const locationId = h.sb.info.locationId;
    const { cookie, callback } = await connect((page) => {
      expect(page).toContain(`data-location-id="${locationId}"`);
      return locationId;
    });
    const done = await fetch(callback, { headers: { cookie } });
    const html = await done.text();
    expect(done.status).toBe(200);
    expect(done.headers.get('content-type')).toMatch(/text\/html/);
    // the state cookie is cleared on the path it was set on
    expect(done.headers.get('set-cookie')).toMatch(/^ghlb_oauth_nonce=;.*Path=\/oauth\/callback/);
    expect(html).toContain(locationId);
    expect(html).toContain('ghl-main');
    const conn = await h.call('GET', '/api/v1/connections/ghl-main');
    expect(conn.json).toMatchObject({ id: 'ghl-main', app: 'ghl-location', config: { locationId, auth: 'oauth', clientId: h.sb.info.clientId }, hasSecrets: false });
    const { rows } = await h.bridge.db.query<{ sealed: Uint8Array }>(`select sealed from oauth_tokens where key = 'connection:ghl-main'`);
    expect(rows).toHaveLength(1);
    const stored = await createSqlTokenStore({ db: h.bridge.db, keyring: h.bridge.keyring }).get('connection:ghl-main');
    expect(stored!.accessToken).toMatch(/\S{10,}/);
    // sealed: the token's text is nowhere in the row
    expect(Buffer.from(rows[0]!.sealed).toString('latin1')).not.toContain(stored!.accessToken);
    // and the engine's client for the connection works with them
    expect((await h.call('POST', '/api/v1/connections/ghl-main/test')).json).toMatchObject({ ok: true });
  });

  it('the connection id chosen with the link is the one filled', async () => {
    const { cookie, callback } = await connect(() => h.sb.info.locationId, 'ghl-chosen');
    const done = await fetch(callback, { headers: { cookie } });
    expect(done.status).toBe(200);
    expect(await done.text()).toContain('ghl-chosen');
    expect((await h.call('GET', '/api/v1/connections/ghl-chosen')).json).toMatchObject({ id: 'ghl-chosen', app: 'ghl-location', config: { locationId: h.sb.info.locationId, auth: 'oauth' } });
    expect((await h.call('POST', '/api/v1/connections/ghl-chosen/test')).json).toMatchObject({ ok: true });
  });

  it('a reused state, a forged state and a state from another browser → 400', async () => {
    const { cookie, callback } = await connect(() => h.sb.info.locationId);
    expect((await fetch(callback, { headers: { cookie } })).status).toBe(200);
    const reused = await fetch(callback, { headers: { cookie } });
    expect(reused.status).toBe(400);
    expect(await reused.json()).toMatchObject({ error: { code: 'state-used', field: 'state' } });
    const forged = new URL(callback);
    forged.searchParams.set('state', 'forged-state-value-0123456789');
    const f = await fetch(forged, { headers: { cookie } });
    expect(f.status).toBe(400);
    expect(await f.json()).toMatchObject({ error: { code: 'state-unknown' } });
    const other = await connect(() => h.sb.info.locationId);
    const noCookie = await fetch(other.callback);
    expect(noCookie.status).toBe(400);
    expect(await noCookie.json()).toMatchObject({ error: { code: 'state-cookie' } });
    const wrongCookie = await fetch(other.callback, { headers: { cookie } });
    expect(wrongCookie.status).toBe(400);
    // the right browser can still finish
    expect((await fetch(other.callback, { headers: { cookie: other.cookie } })).status).toBe(200);
  });

  it('behind a proxy prefix (/bridge), the state cookie is set for /bridge/oauth/callback', async () => {
    const { app, close } = createApp(h.bridge, { publicUrl: () => 'https://bridge.example.test/bridge' });
    try {
      const issued = await app.request('/api/v1/connect/ghl', { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
      expect(issued.status).toBe(201);
      const url = new URL(((await issued.json()) as { url: string }).url);
      expect(`${url.origin}${url.pathname}`).toBe('https://bridge.example.test/bridge/connect/ghl');
      const start = await app.request(`/connect/ghl${url.search}`);
      expect(start.status).toBe(302);
      expect(new URL(start.headers.get('location')!).searchParams.get('redirect_uri')).toBe('https://bridge.example.test/bridge/oauth/callback');
      const cookie = start.headers.get('set-cookie')!;
      expect(cookie).toMatch(/Path=\/bridge\/oauth\/callback(;|$)/);
      expect(cookie).toMatch(/Secure/);
    } finally {
      await close();
    }
  });
});

describe('operations endpoints', () => {
  it('/healthz and /readyz', async () => {
    expect((await h.call('GET', '/healthz', { token: null })).json).toEqual({ ok: true });
    const ready = await h.call('GET', '/readyz', { token: null });
    expect(ready.status).toBe(200);
    expect(ready.json).toMatchObject({ ready: true, database: 'ok', migrations: { missing: [] } });
  });

  it('/metrics parses as Prometheus text and counts the webhook', async () => {
    const res = await h.call('GET', '/metrics', { token: null });
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const samples = new Map<string, number>();
    const types = new Map<string, string>();
    for (const line of res.text.split('\n')) {
      if (line === '') continue;
      const meta = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$/.exec(line);
      if (meta) {
        if (meta[1] === 'TYPE') types.set(meta[2]!, meta[3]!);
        continue;
      }
      const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*",?)*\})? (-?[0-9.e+-]+|NaN|\+Inf|-Inf)$/.exec(line);
      expect(m, `not a sample line: ${line}`).not.toBeNull();
      samples.set(`${m![1]}${m![2] ?? ''}`, Number(m![3]));
    }
    expect(types.get('ghlbridge_http_request_duration_seconds')).toBe('histogram');
    expect(samples.get('ghlbridge_events_received_total{source="webhook"}')).toBe(1);
    expect(samples.get('ghlbridge_webhook_deliveries_total{connection="app-main",status="200"}')).toBe(2);
    expect(samples.get('ghlbridge_webhook_deliveries_total{connection="app-main",status="401"}')).toBe(1);
    expect(samples.has('ghlbridge_queue_depth')).toBe(true);
    expect(samples.get('ghlbridge_http_request_duration_seconds_count{route="/hooks/{connectionId}",method="POST",status="200"}')).toBe(2);
    expect(samples.get(`ghlbridge_ghl_calls_total{route="get-access-token",status="200"}`)).toBe(4);
  });

  it('openapi.json lists every route with its method', async () => {
    const spec = await h.call('GET', '/api/v1/openapi.json', { token: null });
    expect(spec.json.openapi).toBe('3.1.0');
    const paths = spec.json.paths as Record<string, Record<string, unknown>>;
    for (const r of [...API_ROUTES, ...WEB_ROUTES]) expect(paths[r.path]?.[r.method.toLowerCase()], `${r.method} ${r.path}`).toBeDefined();
    expect(paths['/api/v1/connections']!.post).toMatchObject({ security: [{ adminToken: [] }, { consoleSession: [] }], requestBody: { content: { 'application/json': { schema: { type: 'object', required: ['app', 'name'], additionalProperties: false } } } } });
    expect(Object.keys(paths).length).toBe(new Set([...API_ROUTES, ...WEB_ROUTES].map((r) => r.path)).size + 1);
  });
});
