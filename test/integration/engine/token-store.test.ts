import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSqlTokenStore, TOKEN_LOCK_SPACE, type SqlTokenStore } from '../../../src/engine/auth/index.js';
import { Keyring, SealedValueError, SecretKey } from '../../../src/engine/connections/index.js';
import { migrate, openPostgres, type Database } from '../../../src/engine/db/index.js';
import type { StoredTokens } from '../../../src/ghl/auth/types.js';
import { createGhlClient } from '../../../src/ghl/index.js';
import { DATABASES, type TestDatabase } from '../../support/databases.js';
import { startSandbox, type TestSandbox } from '../../support/sandbox.js';

/** Installs the sandbox's app on its location like a browser would, and answers the code. */
async function authorizationCode(sb: TestSandbox, authorizationUrl: string): Promise<string> {
  const html = await (await fetch(authorizationUrl)).text();
  const form = html.split('<form').find((f) => f.includes(`data-location-id="${sb.info.locationId}"`))!;
  const fields = new URLSearchParams([...form.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m): [string, string] => [m[1]!, m[2]!.replace(/&amp;/g, '&')]));
  const answer = await fetch(authorizationUrl, { method: 'POST', body: fields.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' }, redirect: 'manual' });
  return new URL(answer.headers.get('location')!).searchParams.get('code')!;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const TOKENS: StoredTokens = {
  accessToken: 'access-7b1e-secret',
  refreshToken: 'refresh-92ac-secret',
  expiresAt: 1_893_456_000_123,
  scope: 'contacts.readonly contacts.write',
  userType: 'Location',
  locationId: 'L1',
  companyId: 'C1',
};

/** A fake authorization server whose refresh tokens work once, as HighLevel's do. */
function authorizationServer() {
  let n = 0;
  let live = 'refresh-0';
  const reuses: string[] = [];
  return {
    get live() {
      return live;
    },
    reuses,
    refresh(token: string | null): StoredTokens {
      if (token !== live) reuses.push(String(token));
      live = `refresh-${++n}`;
      return { accessToken: `access-${n}`, refreshToken: live, expiresAt: Date.now() + 86_399_000 };
    },
  };
}

describe.each(DATABASES)('SQL token store on %s', (name, open) => {
  let t: TestDatabase;
  let keyring: Keyring;
  let store: SqlTokenStore;
  const extra: Database[] = [];

  /** A second store as another process would have it: its own Database handle on the server (PGlite has one process). */
  async function otherProcessStore(): Promise<SqlTokenStore> {
    if (!t.url) return createSqlTokenStore({ db: t.db, keyring });
    const db = openPostgres(t.url);
    extra.push(db);
    return createSqlTokenStore({ db, keyring });
  }

  beforeEach(async () => {
    t = await open();
    await migrate(t.db);
    keyring = new Keyring(SecretKey.generate());
    store = createSqlTokenStore({ db: t.db, keyring });
  });
  afterEach(async () => {
    for (const db of extra.splice(0)) await db.close();
    await t.drop();
  });

  it('round-trips set then get, overwrites, deletes', async () => {
    expect(await store.get('location:L1')).toBeNull();
    await store.set('location:L1', TOKENS);
    expect(await store.get('location:L1')).toEqual(TOKENS);
    const rotated = { ...TOKENS, accessToken: 'access-2', refreshToken: null, expiresAt: TOKENS.expiresAt + 1 };
    await store.set('location:L1', rotated);
    expect(await store.get('location:L1')).toEqual(rotated);
    // another handle (another process) sees it at once: set is committed when it resolves
    expect(await (await otherProcessStore()).get('location:L1')).toEqual(rotated);
    expect(await store.delete('location:L1')).toBe(true);
    expect(await store.get('location:L1')).toBeNull();
    expect(await store.delete('location:L1')).toBe(false);
  });

  it('keeps tokens sealed in oauth_tokens, bound to their key', async () => {
    await store.set('location:L1', TOKENS);
    const { rows } = await t.db.query<{ key: string; sealed: Uint8Array; key_id: string; expires_at: string | number }>('select * from oauth_tokens');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ key: 'location:L1', key_id: keyring.current.id });
    expect(Number(rows[0]!.expires_at)).toBe(TOKENS.expiresAt);
    const raw = Buffer.from(rows[0]!.sealed).toString('latin1');
    for (const s of ['access-7b1e', 'refresh-92ac', 'contacts.readonly', 'accessToken']) expect(raw).not.toContain(s);
    await t.db.query(`insert into oauth_tokens (key, sealed, key_id, expires_at) select 'location:L2', sealed, key_id, expires_at from oauth_tokens`);
    await expect(store.get('location:L2')).rejects.toThrow(SealedValueError);
    const wrong = createSqlTokenStore({ db: t.db, keyring: new Keyring(SecretKey.generate()) });
    const error = await wrong.get('location:L1').catch((e: unknown) => e);
    expect(String(error)).toMatch(`the OAuth tokens of "location:L1" was sealed with key ${keyring.current.id}, which is not loaded`);
    expect(String(error)).not.toContain('access-7b1e');
  });

  it('lets one holder of a key at a time, across two handles, so a single-use refresh token is used once', async () => {
    const other = await otherProcessStore();
    const server = authorizationServer();
    await store.set('location:L1', { accessToken: 'access-0', refreshToken: server.live, expiresAt: 0 });
    let active = 0;
    let most = 0;
    const refreshOnce = (s: SqlTokenStore) =>
      s.lock('location:L1', async () => {
        active++;
        most = Math.max(most, active);
        const current = await s.get('location:L1');
        await sleep(5); // the round trip to the token endpoint
        await s.set('location:L1', server.refresh(current!.refreshToken));
        active--;
      });
    await Promise.all(Array.from({ length: 16 }, (_, i) => refreshOnce(i % 2 === 0 ? store : other)));
    expect(most).toBe(1);
    expect(server.reuses).toEqual([]);
    expect((await store.get('location:L1'))!.refreshToken).toBe(server.live);
    expect(server.live).toBe('refresh-16');
  });

  it('lets two workers of one OAuth location refresh its single-use token once, through the GHL client', async () => {
    const sb = await startSandbox();
    try {
      const { clientId, clientSecret, locationId, redirectUri } = sb.info;
      const key = `location:${locationId}`;
      const stores = [store, await otherProcessStore()];
      const clients = stores.map((s) =>
        createGhlClient({ oauth: { clientId, clientSecret, authorizeBaseUrl: sb.url }, auth: { oauthTokens: { store: s, key } }, locationId, baseUrl: sb.url }),
      );
      const oauth = clients[0]!.oauth!;
      const code = await authorizationCode(sb, oauth.authorizationUrl({ redirectUri, scopes: ['contacts.readonly', 'contacts.write'], state: 's' }));
      const first = oauth.toStoredTokens(await oauth.exchangeCode({ code, redirectUri }), Date.now());
      // stored as expired: every worker's next call wants to refresh
      await store.set(key, { ...first, expiresAt: 0 });
      await sb.api('DELETE', '/_sandbox/requests', { token: null });
      const calls = Array.from({ length: 10 }, (_, i) => clients[i % 2]!.call({ method: 'GET', path: '/contacts/', query: { locationId }, resourceId: locationId, idempotent: true }));
      expect(await Promise.all(calls)).toHaveLength(10);
      const stats = await sb.api<{ byRoute: Record<string, Record<string, number>> }>('GET', '/_sandbox/requests/stats', { token: null });
      const routes = Object.fromEntries(Object.entries(stats.body.byRoute).filter(([route]) => !route.includes('_sandbox')));
      expect(routes).toEqual({ 'get-contacts': { '200': 10 }, 'get-access-token': { '200': 1 } });
      const stored = await stores[1]!.get(key);
      expect(stored!.refreshToken).not.toBe(first.refreshToken);
      expect(stored!.expiresAt).toBeGreaterThan(Date.now());
    } finally {
      await sb.close();
    }
  });

  it('releases the lock when the holder throws, and does not make other keys wait', async () => {
    await expect(store.lock('location:L1', async () => Promise.reject(new Error('token endpoint down')))).rejects.toThrow('token endpoint down');
    expect(await store.lock('location:L1', async () => 'again')).toBe('again');
    const other = await otherProcessStore();
    let releaseA!: () => void;
    const holdingA = new Promise<void>((r) => (releaseA = r));
    let entered!: () => void;
    const aEntered = new Promise<void>((r) => (entered = r));
    const a = store.lock('location:A', async () => {
      entered();
      await holdingA;
    });
    await aEntered;
    // B is free while A is held, in this process and in the other
    expect(await store.lock('location:B', async () => 'b')).toBe('b');
    expect(await other.lock('location:B', async () => 'b2')).toBe('b2');
    expect(store.isLocked('location:A')).toBe(true);
    releaseA();
    await a;
    expect(store.isLocked('location:A')).toBe(false);
  });

  it('lets the holder use the database while it holds the lock', async () => {
    await store.set('k', TOKENS);
    const seen = await store.lock('k', async () => {
      const inside = await Promise.all([store.get('k'), t.db.query<{ one: number }>('select 1 as one'), t.db.transaction((tx) => tx.query('select 2'))]);
      return inside[1].rows[0]!.one;
    });
    expect(seen).toBe(1);
  });

  if (name === 'postgres') {
    it('holds a session advisory lock that a raw connection (another process) sees and respects', async () => {
      const raw = new pg.Client({ connectionString: t.url });
      await raw.connect();
      try {
        const tryLock = async () =>
          (await raw.query<{ ok: boolean }>('select pg_try_advisory_lock($1, hashtext($2)) as ok', [TOKEN_LOCK_SPACE, 'location:L1'])).rows[0]!.ok;
        const during = await store.lock('location:L1', tryLock);
        expect(during).toBe(false);
        expect(await tryLock()).toBe(true);
        // while that other process holds it, our holder waits; it proceeds when that process dies
        const order: string[] = [];
        const waiting = store.lock('location:L1', async () => void order.push('ours'));
        await sleep(150);
        order.push('raw ends');
        await raw.end();
        await waiting;
        expect(order).toEqual(['raw ends', 'ours']);
      } finally {
        await raw.end().catch(() => undefined);
      }
    });

    it('does not exhaust a small pool however many keys are locked', async () => {
      const small = openPostgres(t.url!, { max: 2 });
      extra.push(small);
      const s = createSqlTokenStore({ db: small, keyring });
      const holders = Array.from({ length: 12 }, (_, i) =>
        s.lock(`location:L${i % 6}`, async () => {
          const before = await s.get(`location:L${i % 6}`);
          await sleep(5);
          await s.set(`location:L${i % 6}`, { ...TOKENS, accessToken: `a${i}`, expiresAt: (before?.expiresAt ?? 0) + 1 });
        }),
      );
      await Promise.all(holders);
      for (let k = 0; k < 6; k++) expect((await s.get(`location:L${k}`))!.expiresAt).toBe(2);
      const { rows } = await t.db.query<{ n: string }>(`select count(*) as n from pg_locks where locktype = 'advisory' and classid = $1`, [TOKEN_LOCK_SPACE]);
      expect(Number(rows[0]!.n)).toBe(0);
    });
  }
});
