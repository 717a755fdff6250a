import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createConnectionRepository, createEngine, createSqlTokenStore, SecretKey, Keyring, type Engine } from '../../../src/engine/index.js';
import { createOAuthClient, fetchTransport, headers, compose } from '../../../src/ghl/index.js';
import { serverDatabase, type TestDatabase } from '../../support/databases.js';
import { settleRuns } from '../../support/engine.js';
import { startSandbox, type TestSandbox } from '../../support/sandbox.js';
import { userRecipe } from './fixtures/recipes.js';

/**
 * Scale-out: two worker processes on one PostgreSQL server share the runs and one rate budget per
 * location (the sandbox enforcing its limit in a short window: zero 429s), and a rotated OAuth
 * token is refreshed once for both.
 */
const WORKER = resolve(import.meta.dirname, 'fixtures/shared-worker-main.ts');
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
let sb: TestSandbox;
let t: TestDatabase;
let engine: Engine;
const workers: ChildProcess[] = [];

afterAll(async () => {
  for (const w of workers) w.kill('SIGKILL');
  await engine?.close();
  await sb?.close();
  await t?.drop().catch(() => undefined);
});

describe('scale-out (two worker processes, one PostgreSQL server)', () => {
  it('shares work and the location budget with zero 429s, and refreshes a rotated token once', async () => {
    sb = await startSandbox({ config: { rateLimit: { enabled: true, max: 20, intervalMs: 1000 } } });
    t = await serverDatabase();
    const key = SecretKey.generate();
    const keyring = new Keyring(key);
    // connect the location through the OAuth flow and keep its tokens in the SQL token store
    const form = new URLSearchParams({ client_id: sb.info.clientId, redirect_uri: sb.info.redirectUri, scope: 'contacts.readonly contacts.write', state: 's', location_id: sb.info.locationId });
    const chosen = await sb.api('POST', '/v2/oauth/chooselocation', { raw: form.toString(), headers: FORM, token: null, version: null });
    const code = new URL(chosen.headers.get('location')!).searchParams.get('code')!;
    const oauth = createOAuthClient({ clientId: sb.info.clientId, clientSecret: sb.info.clientSecret, send: compose([headers()], fetchTransport({ baseUrl: sb.url })) });
    const tokens = await oauth.exchangeCode({ code, redirectUri: sb.info.redirectUri });
    engine = await createEngine({ db: t.db, ghl: async () => { throw new Error('the test process only ingests'); } });
    await createConnectionRepository({ db: t.db, keyring }).create({ id: 'ghl-a', app: 'ghl-location', name: 'Sandbox Dental', config: { locationId: sb.info.locationId } });
    await createSqlTokenStore({ db: t.db, keyring }).set('connection:ghl-a', oauth.toStoredTokens(tokens, Date.now()));
    await engine.saveRecipe(userRecipe);

    const start = () =>
      new Promise<void>((ready, fail) => {
        const child = spawn(process.execPath, ['--import', 'tsx', WORKER], {
          env: { ...process.env, DATABASE_URL: t.url!, SANDBOX_URL: sb.url, CLIENT_ID: sb.info.clientId, CLIENT_SECRET: sb.info.clientSecret, GHL_BRIDGE_SECRET_KEY: key.export() },
          stdio: ['ignore', 'pipe', 'inherit'],
        });
        workers.push(child);
        child.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && ready());
        child.once('exit', (c, s) => s === null && fail(new Error(`worker exited ${c}`)));
      });
    await Promise.all([start(), start()]);

    const USERS = 60;
    for (let i = 0; i < USERS; i++) {
      await engine.ingest({ source: 'app', externalId: `e${i}`, type: 'user.created', payload: { user: { id: `u${i}`, email: `u${i}@example.com`, name: `U ${i}`, plan: 'free' } } });
      if (i === USERS / 2) await sb.api('POST', '/_sandbox/tokens/expire-all', { token: null });
    }
    await settleRuns(t.db);
    const { rows } = await t.db.query<{ status: string; n: string }>('select status, count(*) as n from runs group by status');
    expect(rows.map((r) => [r.status, Number(r.n)])).toEqual([['succeeded', USERS]]);
    const stats = (await sb.api<{ byRoute: Record<string, Record<string, number>> }>('GET', '/_sandbox/requests/stats', { token: null })).body.byRoute;
    const refused = Object.values(stats).reduce((n, byStatus) => n + (byStatus['429'] ?? 0), 0);
    expect(refused).toBe(0);
    // every contact written once (a 401 after the forced expiry is refreshed and sent again)
    expect(stats['upsert-contact']!['200']).toBe(USERS);
    // the code exchange, then exactly one refresh after the tokens expired
    expect(stats['get-access-token']).toEqual({ '200': 2 });
    // both workers took part
    const byWorker = await t.db.query<{ claimed_by: string; n: string }>('select claimed_by, count(*) as n from runs group by claimed_by');
    expect(byWorker.rows).toHaveLength(2);
    expect(byWorker.rows.every((r) => Number(r.n) > 0)).toBe(true);
  }, 300_000);
});
