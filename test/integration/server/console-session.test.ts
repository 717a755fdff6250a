import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleLinks } from '../../../src/server/console/index.js';
import { ADMIN_TOKEN, startServerHarness, type ServerHarness } from './harness.js';

/**
 * The console's sign-in on the real server: the admin token (or a one-time login link) for an
 * HttpOnly SameSite=Strict session cookie; the admin API taking the cookie, its changes only with
 * the session's CSRF token and from this origin; expiry, revocation and sign out; the bearer API
 * unchanged.
 */
let h: ServerHarness;

beforeAll(async () => {
  h = await startServerHarness({ oauth: false });
}, 60_000);

afterAll(async () => {
  await h?.close();
});

interface Session {
  cookie: string;
  csrf: string;
  setCookie: string;
  expiresAt: string;
}

async function signIn(headers: Record<string, string> = {}): Promise<Session> {
  const r = await h.call('POST', '/api/v1/session', { token: null, body: { token: ADMIN_TOKEN }, headers });
  expect(r.status).toBe(201);
  const setCookie = r.headers.getSetCookie().find((s) => s.startsWith('ghlb_session='))!;
  expect(setCookie).toBeDefined();
  return { cookie: setCookie.split(';')[0]!, csrf: r.json.csrfToken as string, setCookie, expiresAt: r.json.expiresAt as string };
}

/** A call with the session cookie (no bearer), and its CSRF token when `csrf` is given. */
function withCookie(s: Session, method: string, path: string, o: { body?: unknown; csrf?: string; headers?: Record<string, string> } = {}) {
  return h.call(method, path, { token: null, body: o.body, headers: { cookie: s.cookie, ...(o.csrf !== undefined ? { 'x-csrf-token': o.csrf } : {}), ...o.headers } });
}

const validate = { text: 'id: x\n' };

describe('console sign-in with the admin token', () => {
  it('sets an HttpOnly, SameSite=Strict cookie on / for 12 h (Secure only over https) and answers the CSRF token', async () => {
    const s = await signIn();
    const attrs = s.setCookie.split(';').map((a) => a.trim().toLowerCase());
    expect(s.cookie).toMatch(/^ghlb_session=[A-Za-z0-9_-]{43}$/);
    expect(attrs).toEqual(expect.arrayContaining(['httponly', 'samesite=strict', 'path=/', 'max-age=43200']));
    expect(attrs).not.toContain('secure');
    expect(s.csrf).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Math.abs(new Date(s.expiresAt).getTime() - (Date.now() + 12 * 3600_000))).toBeLessThan(60_000);
    // the secret is not stored: the row's id is its hash
    const secret = s.cookie.split('=')[1]!;
    const { rows } = await h.bridge.db.query<{ n: number }>('select count(*)::int as n from console_sessions where id = $1', [secret]);
    expect(rows[0]!.n).toBe(0);

    const secure = await signIn({ 'x-forwarded-proto': 'https' });
    expect(secure.setCookie.split(';').map((a) => a.trim().toLowerCase())).toContain('secure');
  });

  it('refuses a wrong token with 401 invalid-token and sets no cookie', async () => {
    const r = await h.call('POST', '/api/v1/session', { token: null, body: { token: 'gbat_not-the-token' } });
    expect([r.status, (r.json.error as { code: string }).code]).toEqual([401, 'invalid-token']);
    expect(r.headers.getSetCookie()).toEqual([]);
    const bad = await h.call('POST', '/api/v1/session', { token: null, body: {} });
    expect([bad.status, (bad.json.error as { field: string }).field]).toEqual([400, 'token']);
  });

  it('refuses a sign-in sent from another site', async () => {
    const r = await h.call('POST', '/api/v1/session', { token: null, body: { token: ADMIN_TOKEN }, headers: { origin: 'http://evil.example' } });
    expect([r.status, (r.json.error as { code: string }).code]).toEqual([403, 'csrf']);
    expect(r.headers.getSetCookie()).toEqual([]);
  });
});

describe('the admin API with the session cookie', () => {
  let s: Session;
  beforeAll(async () => {
    s = await signIn();
  });

  it('answers GET /api/v1/session and GET routes with the cookie alone', async () => {
    const me = await withCookie(s, 'GET', '/api/v1/session');
    expect([me.status, me.json]).toEqual([200, { csrfToken: s.csrf, expiresAt: s.expiresAt }]);
    expect(me.headers.get('cache-control')).toBe('no-store');
    const runs = await withCookie(s, 'GET', '/api/v1/runs');
    expect(runs.status).toBe(200);
    expect(runs.json.items).toEqual([]);
    // an unknown admin path: the cookie lets it through to its 404
    expect((await withCookie(s, 'GET', '/api/v1/nope')).status).toBe(404);
  });

  it('takes a change with the CSRF token from this origin', async () => {
    const plain = await withCookie(s, 'POST', '/api/v1/recipes/validate', { body: validate, csrf: s.csrf });
    expect(plain.status).toBe(200);
    const fromBrowser = await withCookie(s, 'POST', '/api/v1/recipes/validate', { body: validate, csrf: s.csrf, headers: { origin: h.url, 'sec-fetch-site': 'same-origin' } });
    expect([fromBrowser.status, fromBrowser.json.ok]).toEqual([200, false]);
    // behind a TLS proxy the browser's origin is https:// on the same host
    const proxied = await withCookie(s, 'POST', '/api/v1/recipes/validate', { body: validate, csrf: s.csrf, headers: { origin: h.url.replace('http:', 'https:'), 'x-forwarded-proto': 'https' } });
    expect(proxied.status).toBe(200);
  });

  it('refuses a change without the CSRF token, with a forged one, from another origin or site: 403 csrf', async () => {
    const code = (r: { status: number; json: Record<string, unknown> }) => [r.status, (r.json.error as { code: string } | undefined)?.code];
    expect(code(await withCookie(s, 'POST', '/api/v1/recipes/validate', { body: validate }))).toEqual([403, 'csrf']);
    expect(code(await withCookie(s, 'POST', '/api/v1/recipes/validate', { body: validate, csrf: `${s.csrf.slice(0, -2)}xx` }))).toEqual([403, 'csrf']);
    expect(code(await withCookie(s, 'POST', '/api/v1/recipes/validate', { body: validate, csrf: '' }))).toEqual([403, 'csrf']);
    // another session's token is not this one's
    const other = await signIn();
    expect(code(await withCookie(s, 'POST', '/api/v1/recipes/validate', { body: validate, csrf: other.csrf }))).toEqual([403, 'csrf']);
    // the right token, but from elsewhere (a cookie sent along by another site's page)
    expect(code(await withCookie(s, 'POST', '/api/v1/recipes/validate', { body: validate, csrf: s.csrf, headers: { origin: 'http://evil.example' } }))).toEqual([403, 'csrf']);
    expect(code(await withCookie(s, 'POST', '/api/v1/recipes/validate', { body: validate, csrf: s.csrf, headers: { origin: 'null' } }))).toEqual([403, 'csrf']);
    expect(code(await withCookie(s, 'POST', '/api/v1/recipes/validate', { body: validate, csrf: s.csrf, headers: { 'sec-fetch-site': 'cross-site' } }))).toEqual([403, 'csrf']);
    expect(code(await withCookie(s, 'POST', '/api/v1/recipes/validate', { body: validate, csrf: s.csrf, headers: { 'sec-fetch-site': 'same-site' } }))).toEqual([403, 'csrf']);
    // and the unknown admin path is no way around it
    expect(code(await withCookie(s, 'POST', '/api/v1/nope'))).toEqual([403, 'csrf']);
  });

  it('lists the active sessions with the current one marked, and revokes one by its id', async () => {
    const r = await withCookie(s, 'GET', '/api/v1/sessions', { headers: { 'user-agent': 'console-test/1.0' } });
    expect(r.status).toBe(200);
    const items = r.json.items as Array<{ id: string; current: boolean; userAgent: string | null; createdAt: string; lastSeenAt: string; expiresAt: string }>;
    expect(items.length).toBeGreaterThanOrEqual(2);
    expect(items.filter((i) => i.current)).toHaveLength(1);
    expect(items.every((i) => /^[0-9a-f]{16}$/.test(i.id))).toBe(true);
    // with the bearer, none is current
    const byBearer = await h.call('GET', '/api/v1/sessions');
    expect((byBearer.json.items as Array<{ current: boolean }>).some((i) => i.current)).toBe(false);

    const victim = await signIn({ 'user-agent': 'victim-browser' });
    const listed = ((await h.call('GET', '/api/v1/sessions')).json.items as Array<{ id: string; userAgent: string }>).find((i) => i.userAgent === 'victim-browser')!;
    // revoking from a session is a change: CSRF token needed
    expect((await withCookie(s, 'DELETE', `/api/v1/sessions/${listed.id}`)).status).toBe(403);
    expect((await withCookie(s, 'DELETE', `/api/v1/sessions/${listed.id}`, { csrf: s.csrf })).status).toBe(204);
    const after = await withCookie(victim, 'GET', '/api/v1/runs');
    expect([after.status, (after.json.error as { code: string }).code]).toEqual([401, 'session-expired']);
    expect((await withCookie(victim, 'GET', '/api/v1/session')).json.error).toMatchObject({ code: 'session-expired' });
    expect((await h.call('DELETE', `/api/v1/sessions/${listed.id}`)).status).toBe(404);
    expect((await h.call('DELETE', '/api/v1/sessions/nothex')).status).toBe(400);
  });

  it('notes last_seen_at at most once a minute', async () => {
    const t = await signIn();
    const id = async () => ((await withCookie(t, 'GET', '/api/v1/sessions')).json.items as Array<{ id: string; current: boolean }>).find((i) => i.current)!.id;
    const mine = await id();
    await h.bridge.db.query(`update console_sessions set last_seen_at = now() - interval '5 minutes' where substr(id, 1, 16) = $1`, [mine]);
    const seen = async () => (await h.bridge.db.query<{ age: number }>('select extract(epoch from now() - last_seen_at)::float as age from console_sessions where substr(id, 1, 16) = $1', [mine])).rows[0]!.age;
    expect(await seen()).toBeGreaterThan(250);
    await withCookie(t, 'GET', '/api/v1/runs');
    expect(await seen()).toBeLessThan(30);
  });
});

describe('missing, expired and revoked sessions', () => {
  it('answers 401 without credentials as before (WWW-Authenticate), and no-session on GET /api/v1/session', async () => {
    const r = await h.call('GET', '/api/v1/runs', { token: null });
    expect([r.status, (r.json.error as { code: string }).code]).toEqual([401, 'unauthorized']);
    expect(r.headers.get('www-authenticate')).toMatch(/^Bearer realm=/);
    const unknown = await h.call('GET', '/api/v1/runs', { token: null, headers: { cookie: 'ghlb_session=not-a-session' } });
    expect([unknown.status, (unknown.json.error as { code: string }).code]).toEqual([401, 'unauthorized']);
    const me = await h.call('GET', '/api/v1/session', { token: null });
    expect([me.status, (me.json.error as { code: string }).code]).toEqual([401, 'no-session']);
    const meUnknown = await h.call('GET', '/api/v1/session', { token: null, headers: { cookie: 'ghlb_session=not-a-session' } });
    expect((meUnknown.json.error as { code: string }).code).toBe('no-session');
    expect((await h.call('GET', '/api/v1/nope', { token: null })).status).toBe(401);
  });

  it('answers 401 session-expired once the session is past its expiry', async () => {
    const s = await signIn();
    expect((await withCookie(s, 'GET', '/api/v1/runs')).status).toBe(200);
    await h.bridge.db.query(`update console_sessions set expires_at = now() - interval '1 second' where csrf_token = $1`, [s.csrf]);
    const r = await withCookie(s, 'GET', '/api/v1/runs');
    expect([r.status, (r.json.error as { code: string }).code]).toEqual([401, 'session-expired']);
    const me = await withCookie(s, 'GET', '/api/v1/session');
    expect([me.status, (me.json.error as { code: string }).code]).toEqual([401, 'session-expired']);
  });

  it('signs out: DELETE /api/v1/session (with the CSRF token) revokes it and clears the cookie', async () => {
    const s = await signIn();
    const refused = await withCookie(s, 'DELETE', '/api/v1/session');
    expect([refused.status, (refused.json.error as { code: string }).code]).toEqual([403, 'csrf']);
    expect((await withCookie(s, 'DELETE', '/api/v1/session', { csrf: s.csrf, headers: { origin: 'http://evil.example' } })).status).toBe(403);
    const out = await withCookie(s, 'DELETE', '/api/v1/session', { csrf: s.csrf, headers: { origin: h.url, 'sec-fetch-site': 'same-origin' } });
    expect(out.status).toBe(204);
    const cleared = out.headers.getSetCookie().find((c) => c.startsWith('ghlb_session='))!;
    expect(cleared.toLowerCase()).toContain('max-age=0');
    const r = await withCookie(s, 'GET', '/api/v1/runs');
    expect([r.status, (r.json.error as { code: string }).code]).toEqual([401, 'session-expired']);
    expect((await h.call('DELETE', '/api/v1/session', { token: null })).json.error).toMatchObject({ code: 'no-session' });
  });
});

describe('one-time login links', () => {
  const link = async (next?: string) => {
    const r = await h.call('POST', '/api/v1/login-links', { body: next === undefined ? {} : { next } });
    expect(r.status).toBe(201);
    expect(r.headers.get('cache-control')).toBe('no-store');
    return r.json as { url: string; expiresAt: string };
  };
  const open = (url: string) => h.call('GET', url, { token: null });

  it('signs in once and lands on next; the second use goes to the sign-in page with the error', async () => {
    const l = await link('/runs?status=dead');
    expect(l.url).toMatch(/^\/login\?token=[A-Za-z0-9_-]{43}&next=%2Fruns%3Fstatus%3Ddead$/);
    expect(Math.abs(new Date(l.expiresAt).getTime() - (Date.now() + 10 * 60_000))).toBeLessThan(60_000);
    const first = await open(l.url);
    expect([first.status, first.headers.get('location')]).toEqual([303, '/runs?status=dead']);
    const setCookie = first.headers.getSetCookie().find((c) => c.startsWith('ghlb_session='))!;
    expect(setCookie.toLowerCase()).toContain('samesite=strict');
    const cookie = setCookie.split(';')[0]!;
    const me = await h.call('GET', '/api/v1/session', { token: null, headers: { cookie } });
    expect(me.status).toBe(200);
    expect((await h.call('GET', '/api/v1/runs', { token: null, headers: { cookie } })).status).toBe(200);

    const second = await open(l.url);
    expect([second.status, second.headers.get('location')]).toEqual([303, '/sign-in?error=link-used-or-expired&next=%2Fruns%3Fstatus%3Ddead']);
    expect(second.headers.getSetCookie()).toEqual([]);
    // the token is in no log line (the request log has the path only)
    const token = new URL(l.url, h.url).searchParams.get('token')!;
    expect(h.logs.some((line) => line.includes(token))).toBe(false);
    expect(h.logs.some((line) => line.includes('"path":"/login"'))).toBe(true);
  });

  it('refuses an expired link, an unknown one and none', async () => {
    const l = await link();
    expect(l.url).not.toContain('next=');
    const token = new URL(l.url, h.url).searchParams.get('token')!;
    await h.bridge.db.query(`update console_login_tokens set expires_at = now() - interval '1 second'`);
    const expired = await open(l.url);
    expect([expired.status, expired.headers.get('location')]).toEqual([303, '/sign-in?error=link-used-or-expired&next=%2F']);
    expect((await open(`/login?token=${token}x`)).headers.get('location')).toBe('/sign-in?error=link-used-or-expired&next=%2F');
    expect((await open('/login?next=/runs')).headers.get('location')).toBe('/sign-in?next=%2Fruns');
  });

  it('lands on / when next is not a path of this site', async () => {
    for (const next of ['//evil.example', 'https://evil', '/\\evil.example', 'runs', '/\r\nSet-Cookie: x=1', '/%0d%0aSet-Cookie:x=1']) {
      const l = await link();
      const r = await open(`${l.url}&next=${encodeURIComponent(next)}`);
      expect([next, r.status, r.headers.get('location')]).toEqual([next, 303, next.startsWith('/%') ? next : '/']);
    }
    // asked for, such a next is bad input
    const bad = await h.call('POST', '/api/v1/login-links', { body: { next: '//evil.example' } });
    expect([bad.status, (bad.json.error as { field: string }).field]).toEqual([400, 'next']);
  });

  it('as demo and start print it: the console URL and an absolute link that signs in once', async () => {
    const links = await consoleLinks(h.bridge.db, `${h.url}/`);
    expect(links.consoleUrl).toBe(`${h.url}/`);
    expect(links.loginUrl).toMatch(new RegExp(`^${h.url.replace(/[.]/g, '\\.')}/login\\?token=[A-Za-z0-9_-]{43}$`));
    const first = await fetch(links.loginUrl, { redirect: 'manual' });
    expect([first.status, first.headers.get('location'), first.headers.getSetCookie().length]).toEqual([303, '/', 1]);
    const second = await fetch(links.loginUrl, { redirect: 'manual' });
    expect(second.headers.get('location')).toBe('/sign-in?error=link-used-or-expired&next=%2F');
  });

  it('is issued with the admin token only: not from a console session, not without credentials', async () => {
    const s = await signIn();
    const fromSession = await withCookie(s, 'POST', '/api/v1/login-links', { csrf: s.csrf, body: {} });
    expect([fromSession.status, (fromSession.json.error as { code: string }).code]).toEqual([403, 'bearer-required']);
    expect((await h.call('POST', '/api/v1/login-links', { token: null, body: {} })).status).toBe(401);
  });
});

describe('the bearer API', () => {
  it('works unchanged: no cookie, no CSRF token; a wrong bearer is refused even beside a valid cookie', async () => {
    expect((await h.call('GET', '/api/v1/runs')).status).toBe(200);
    expect((await h.call('POST', '/api/v1/recipes/validate', { body: validate, headers: { origin: 'http://evil.example' } })).status).toBe(200);
    const s = await signIn();
    const wrong = await h.call('GET', '/api/v1/runs', { token: 'gbat_wrong', headers: { cookie: s.cookie } });
    expect([wrong.status, wrong.headers.get('www-authenticate')]).toEqual([401, 'Bearer realm="ghl-bridge admin", error="invalid_token"']);
  });
});
