import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createErpFake, type ErpFake } from '../../../src/connectors/erp/index.js';
import { standardWebhookHeaders } from '../../../src/connectors/webhook/sign.js';
import type { AnyRoute } from '../../../src/server/routes/contract.js';
import alertsChannels from '../../../src/server/routes/api/alerts-channels.js';
import incidentsGet from '../../../src/server/routes/api/incidents-get.js';
import incidentsList from '../../../src/server/routes/api/incidents-list.js';
import notificationsList from '../../../src/server/routes/api/notifications-list.js';
import overviewGet from '../../../src/server/routes/api/overview-get.js';
import rateBudget from '../../../src/server/routes/api/rate-budget.js';
import statsRuns from '../../../src/server/routes/api/stats-runs.js';
import syncsGet from '../../../src/server/routes/api/syncs-get.js';
import syncsList from '../../../src/server/routes/api/syncs-list.js';
import webhookRejections from '../../../src/server/routes/api/webhook-rejections.js';
import { startServerHarness, type ServerHarness } from './harness.js';

/**
 * The console's overview, run statistics, syncs list and progress, and the response schemas of the
 * alerts and rejections routes, over real HTTP on runs the real workers made from signed webhooks,
 * a refused delivery, refused credentials and a full sync of the ERP fake.
 */
const SIGNING_SECRET = 'whsec_b3ZlcnZpZXctdGVzdC1zaWduaW5nLXNlY3JldC0w';
const ERP_KEY = 'erp-secret-key-overview-0123456789';
let h: ServerHarness;
let erp: ErpFake;

async function until<T>(fn: () => Promise<T | undefined>, what: string, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const signup = (id: string) => ({ type: 'user.created', data: { id, email: `${id}@overview.test`, name: `Over View ${id}`, plan: 'free', createdAt: '2026-12-01T10:00:00Z' } });

function deliver(event: Record<string, unknown>, id: string, secret = SIGNING_SECRET) {
  const body = JSON.stringify(event);
  return h.call('POST', '/hooks/app-main', { raw: body, token: null, headers: standardWebhookHeaders(secret, { id, timestamp: Math.floor(Date.now() / 1000), body }) });
}

/** GETs a path and checks the answer against the route's declared 200 body. */
async function getValid(route: AnyRoute, path: string): Promise<Record<string, unknown>> {
  const res = await h.call('GET', path);
  expect(res.status, `${path}: ${res.text}`).toBe(200);
  const parsed = route.responses[200]!.body!.safeParse(res.json);
  expect(parsed.success, `${path} answer does not match its schema: ${parsed.error?.message}`).toBe(true);
  return res.json;
}

const settled = () => until(async () => {
  const { rows } = await h.bridge.db.query<{ n: string }>(`select count(*) as n from runs where status in ('queued', 'running')`);
  return Number(rows[0]!.n) === 0 ? true : undefined;
}, 'the runs to settle');

beforeAll(async () => {
  erp = await createErpFake({ apiKey: ERP_KEY });
  for (let i = 1; i <= 7; i++) erp.upsertCustomer({ id: `O${i}`, name: `Overview Customer${i}`, email: `o${i}@overview.test` });
  h = await startServerHarness({ recipes: ['app-signup', 'erp-customers'], alerts: { channels: { chat: { type: 'slack', urlEnv: 'TEST_OVERVIEW_SLACK_URL' } }, default: ['chat'], checkSeconds: 3600 } });
  await h.bridge.engine.startWorker({ concurrency: 2, pollingIntervalSeconds: 0.2 });
  const connections = [
    { id: 'ghl-main', app: 'ghl-location', name: 'Dental', config: { locationId: h.sb.info.locationId, auth: 'pit' }, secrets: { pit: h.sb.info.pit } },
    { id: 'app-main', app: 'webhook', name: 'My app', config: { source: 'my-app' }, secrets: { signingSecret: SIGNING_SECRET } },
    { id: 'erp-main', app: 'erp', name: 'ERP', config: { baseUrl: erp.url, pageSize: 3 }, secrets: { apiKey: ERP_KEY } },
  ];
  for (const body of connections) expect((await h.call('POST', '/api/v1/connections', { body })).status).toBe(201);
  for (let i = 1; i <= 3; i++) expect((await deliver(signup(`usr_ov_${i}`), `msg_ov_${i}`)).status).toBe(200);
  // no sign-up date and no plan: the recipe's task and note cannot be mapped, the run is dead
  expect((await deliver({ type: 'user.created', data: { id: 'usr_ov_bad', email: 'bad@overview.test', name: 'No Date' } }, 'msg_ov_bad')).status).toBe(200);
  await settled();
  // then a delivery signed with another secret: refused and recorded, the newest failure of app-main
  expect((await deliver({ type: 'user.created', data: { id: 'x' } }, 'msg_forged', 'whsec_d3JvbmctZGVmaW5pdGVseS13cm9uZy1zZWNyZXQ=')).status).toBe(401);
  await h.bridge.startIncidentMonitor().check();
}, 60_000);

afterAll(async () => {
  await h?.close();
  await erp?.close();
});

describe('overview', () => {
  it("shows each connection's last success, last error, queue, rate budget and open incidents; never a secret", async () => {
    const o = await getValid(overviewGet, '/api/v1/overview');
    const byId = Object.fromEntries((o.connections as Array<Record<string, unknown>>).map((k) => [k.id, k]));
    expect(Object.keys(byId).sort()).toEqual(['app-main', 'erp-main', 'ghl-main']);
    const dead = Number((await h.bridge.db.query<{ id: string }>(`select id from runs where status = 'dead'`)).rows[0]!.id);
    expect(byId['ghl-main']).toMatchObject({ app: 'ghl-location', locationId: h.sb.info.locationId, auth: 'pit', lastSuccessAt: expect.any(String), reconnectNeeded: false, token: null, queued: 0, state: 'healthy' });
    expect(byId['ghl-main']!.lastError).toMatchObject({ kind: 'run', runId: dead, message: expect.stringMatching(/^MAPPING: .*data\.createdAt/) });
    expect(byId['app-main']).toMatchObject({ lastSuccessAt: expect.any(String), lastError: { kind: 'webhook', message: expect.stringContaining('bad-signature'), runId: null } });
    expect(byId['erp-main']).toMatchObject({ lastSuccessAt: null, lastError: null });
    expect(o.queue).toEqual({ queued: 0, due: 0, running: 0, oldest: null });
    const budget = (o.rateBudget as Array<Record<string, unknown>>).find((b) => b.key === h.sb.info.locationId)!;
    expect(budget).toMatchObject({ connections: ['ghl-main'], dailyUsed: expect.any(Number), windowUsed: expect.any(Number), dailyUsedShare: expect.any(Number) });
    expect(budget.dailyUsed as number).toBeGreaterThan(0);
    expect(o.incidents).toMatchObject({ open: 1, items: [{ rule: 'deadLetter', recipeId: 'app-signup', count: 1 }] });
    for (const s of [SIGNING_SECRET, ERP_KEY, h.sb.info.pit]) expect(JSON.stringify(o)).not.toContain(s);
  });

  it('says "reconnect needed" for refused credentials, shows the open incident, and the OAuth token age and expiry without the token', async () => {
    await h.bridge.db.query(`insert into connection_health (connection_id, status, reason) values ('ghl-main', 'needs-reauth', 'invalid_grant: the refresh token was revoked')`);
    // token metadata as the token store writes it (the sealed bytes are never read here)
    const expires = Date.now() + 3600_000;
    await h.bridge.db.query(`insert into oauth_tokens (key, sealed, key_id, expires_at, updated_at) values ('connection:ghl-main', '\\x00', 'k', $1, now() - interval '10 minutes')`, [expires]);
    await h.bridge.startIncidentMonitor().check();
    const o = await getValid(overviewGet, '/api/v1/overview');
    const ghl = (o.connections as Array<Record<string, unknown>>).find((k) => k.id === 'ghl-main')!;
    expect(ghl).toMatchObject({ reconnectNeeded: true, state: 'reconnect-needed', hold: { reason: 'invalid_grant: the refresh token was revoked', failures: 1 }, lastError: { kind: 'credentials' } });
    const token = ghl.token as { ageSeconds: number; expiresInSeconds: number; expiresAt: string };
    expect(token.ageSeconds).toBeGreaterThanOrEqual(590);
    expect(token.ageSeconds).toBeLessThan(700);
    expect(token.expiresInSeconds).toBeGreaterThan(3500);
    expect(token.expiresAt).toBe(new Date(expires).toISOString());
    expect(o.incidents).toMatchObject({ open: 2 });
    expect((o.incidents as { items: unknown[] }).items).toContainEqual(expect.objectContaining({ rule: 'reauth', connectionId: 'ghl-main', acknowledged: false }));
    // held: a new signup waits in the queue, and is the oldest waiting run
    expect((await deliver({ type: 'user.created', data: { id: 'usr_ov_held', email: 'held@overview.test', name: 'Held Up' } }, 'msg_ov_held')).status).toBe(200);
    const held = await until(async () => {
      const q = (await getValid(overviewGet, '/api/v1/overview')).queue as { queued: number; oldest: { runId: number; waitingSeconds: number } | null };
      return q.queued === 1 ? q : undefined;
    }, 'the held run to be queued');
    try {
    expect(held.oldest).toMatchObject({ runId: expect.any(Number), waitingSeconds: expect.any(Number) });
    expect(((await h.call('GET', '/api/v1/overview')).json.connections as Array<Record<string, unknown>>).find((k) => k.id === 'ghl-main')).toMatchObject({ queued: 1 });
    } finally {
      // re-authorized (new credentials): the hold ends and the run is worked
      await h.bridge.db.query(`delete from connection_health where connection_id = 'ghl-main'`);
      await h.bridge.db.query(`delete from oauth_tokens where key = 'connection:ghl-main'`);
    }
    await settled();
    await h.bridge.startIncidentMonitor().check();
    expect((await h.call('GET', '/api/v1/overview')).json).toMatchObject({ queue: { queued: 0 }, incidents: { open: 1 } });
  });
});

describe('run statistics', () => {
  it('buckets runs per minute over 1h, per 15 minutes over 24h, per hour over 7d, with totals', async () => {
    const { rows } = await h.bridge.db.query<{ status: string; n: string }>(`select status, count(*) as n from runs where dry_run = false group by status`);
    const expected = Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
    for (const [range, step, count] of [['1h', 60, 60], ['24h', 900, 96], ['7d', 3600, 168]] as const) {
      const s = await getValid(statsRuns, `/api/v1/stats/runs?range=${range}`);
      const buckets = s.buckets as Array<Record<string, number | string>>;
      expect(s).toMatchObject({ range, step });
      expect(buckets).toHaveLength(count);
      expect(Date.parse(buckets[1]!.at as string) - Date.parse(buckets[0]!.at as string)).toBe(step * 1000);
      expect(Date.parse(s.to as string)).toBeGreaterThan(Date.now() - 1000);
      expect(s.totals).toMatchObject({ ...expected, all: Object.values(expected).reduce((a, b) => a + b, 0) });
      // every run of this test was made in the last bucket or the one before
      const recent = buckets.slice(-2).reduce((a, b) => a + (b.succeeded as number), 0);
      expect(recent).toBe(expected.succeeded);
    }
    expect((await h.call('GET', '/api/v1/stats/runs')).json).toMatchObject({ range: '24h' });
    expect((await h.call('GET', '/api/v1/stats/runs?range=2h')).json).toMatchObject({ error: { code: 'invalid-input', field: 'range' } });
  });
});

describe('syncs', () => {
  it('lists syncs; a sync reports done of total, rate, ETA, and its summary with the failed runs', async () => {
    const start = await h.call('POST', '/api/v1/syncs', { body: { connection: 'erp-main', recipe: 'erp-customers' } });
    expect(start.status).toBe(202);
    const id = start.json.id as number;
    const list = await getValid(syncsList, '/api/v1/syncs');
    expect((list.items as Array<Record<string, unknown>>)[0]).toMatchObject({ id, connectionId: 'erp-main', recipeId: 'erp-customers' });
    const done = await until(async () => {
      const s = await getValid(syncsGet, `/api/v1/syncs/${id}`);
      return (s.completion as { complete: boolean }).complete ? s : undefined;
    }, 'the sync to complete');
    expect(done).toMatchObject({ status: 'done', records: 7, created: 7, failed: 0, failedRunIds: [], completion: { done: 7, total: 7, listing: false, complete: true, percent: 100, etaSeconds: 0 } });
    expect((done.completion as { ratePerSecond: number }).ratePerSecond).toBeGreaterThan(0);
    expect(((await getValid(syncsList, '/api/v1/syncs?status=done')).items as unknown[]).length).toBe(1);
    expect((await getValid(syncsList, '/api/v1/syncs?status=failed')).items).toEqual([]);
    expect((await h.call('GET', '/api/v1/syncs?status=nope')).json).toMatchObject({ error: { field: 'status' } });

    // one record GHL cannot take (no email, no phone... the recipe's mapping fails on a bad email): a failed run, linked by id
    erp.upsertCustomer({ id: 'O8', name: 'Broken Mail', email: 'not-an-email' });
    const again = (await h.call('POST', '/api/v1/syncs', { body: { connection: 'erp-main', recipe: 'erp-customers' } })).json.id as number;
    const second = await until(async () => {
      const s = await getValid(syncsGet, `/api/v1/syncs/${again}`);
      return (s.completion as { complete: boolean }).complete ? s : undefined;
    }, 'the second sync to complete');
    expect(second, JSON.stringify(second)).toMatchObject({ records: 8, unchanged: 7, failed: 1, failedRunIds: [expect.any(Number)] });
    const failedIds = second.failedRunIds as number[];
    expect(failedIds).toHaveLength(second.failed as number);
    for (const runId of failedIds) expect((await h.call('GET', `/api/v1/runs/${runId}`)).json).toMatchObject({ status: 'dead' });
  });

  it('a cancelled sync is not complete, however many of its runs finished: it can be resumed', async () => {
    const { rows } = await h.bridge.db.query<{ id: string }>(`insert into syncs (connection_id, recipe_id, status, filter, finished_at) values ('erp-main', 'erp-customers', 'cancelled', 'null', now()) returning id`);
    const s = await getValid(syncsGet, `/api/v1/syncs/${rows[0]!.id}`);
    expect(s).toMatchObject({ status: 'cancelled', running: false, completion: { done: 0, total: 0, listing: false, complete: false, etaSeconds: null } });
  });
});

describe('alerts and rejections answer as their schemas say', () => {
  it('incidents, notifications, channels, rejections (by reason) and the rate budget', async () => {
    const incidents = await getValid(incidentsList, '/api/v1/incidents?status=all');
    const first = (incidents.items as Array<{ id: number }>)[0]!;
    await getValid(incidentsGet, `/api/v1/incidents/${first.id}`);
    await getValid(notificationsList, '/api/v1/notifications');
    expect((await getValid(alertsChannels, '/api/v1/alerts/channels')).items).toEqual([{ name: 'chat', type: 'slack', default: true, target: 'Slack incoming webhook', missingEnv: ['TEST_OVERVIEW_SLACK_URL'] }]);
    const rejections = await getValid(webhookRejections, '/api/v1/webhook-rejections?reason=bad-signature');
    expect(rejections.items).toEqual([expect.objectContaining({ connectionId: 'app-main', reason: 'bad-signature', status: 401 })]);
    expect((await getValid(webhookRejections, '/api/v1/webhook-rejections?reason=stale-timestamp')).items).toEqual([]);
    await getValid(rateBudget, '/api/v1/rate-budget');
  });
});

describe('run statistics at scale', () => {
  it('answers 7 days and the overview over 20,000 runs (the created_at index; a bounded window)', async () => {
    const { rows } = await h.bridge.db.query<{ id: string }>(`select id from events order by id limit 1`);
    const before = (await getValid(statsRuns, '/api/v1/stats/runs?range=7d')).totals as Record<string, number>;
    await h.bridge.db.query(
      `insert into runs (event_id, recipe_id, recipe_version, status, dry_run, created_at, finished_at)
       select $1, 'bulk-' || g, 1, (array['succeeded','skipped','dead','dismissed'])[1 + g % 4], false, now() - (g || ' seconds')::interval, now()
         from generate_series(1, 20000) g`,
      [rows[0]!.id],
    );
    // speed is the benchmarks' business (bench/); here: every one of them counted, 5,000 per status
    const after = (await getValid(statsRuns, '/api/v1/stats/runs?range=7d')).totals as Record<string, number>;
    expect(Object.fromEntries(['succeeded', 'skipped', 'dead', 'dismissed', 'queued', 'running', 'all'].map((k) => [k, after[k]! - before[k]!]))).toEqual({ succeeded: 5000, skipped: 5000, dead: 5000, dismissed: 5000, queued: 0, running: 0, all: 20_000 });
    // the overview looks at the newest 50,000 runs at most per connection, one with none among them too
    const o = await getValid(overviewGet, '/api/v1/overview');
    const byId = Object.fromEntries((o.connections as Array<Record<string, unknown>>).map((k) => [k.id, k]));
    expect(Object.keys(byId).sort()).toEqual(['app-main', 'erp-main', 'ghl-main']);
    expect(byId['ghl-main']).toMatchObject({ lastSuccessAt: expect.any(String), queued: 0 });
  });
});
