import { afterEach, describe, expect, it } from 'vitest';
import type { AlertsConfig } from '../../../src/config/alerts.js';
import { startIncidentMonitor, type IncidentMonitor } from '../../../src/engine/incidents/index.js';
import { createEngine, type Engine } from '../../../src/engine/index.js';
import { createGhlClient, MemoryRateBudgetStore, type RateBudgetStore } from '../../../src/ghl/index.js';
import { pgliteDatabase, type TestDatabase } from '../../support/databases.js';
import { settleRuns } from '../../support/engine.js';
import { startSandbox, type TestSandbox } from '../../support/sandbox.js';
import { failingRecipe, fixedRecipe, incidentRows, kinds, notificationRows, signup, testAlerts } from './fixtures.js';

const MINUTE = 60_000;

/** Each rule with a real trigger of its condition: real engine, real sandbox, PGlite. */
describe('incident rules', () => {
  let t: TestDatabase;
  let sb: TestSandbox;
  let engine: Engine;
  let monitor: IncidentMonitor;
  let clock: number;
  afterEach(async () => {
    await monitor?.stop();
    await engine?.close();
    await sb?.close();
  });

  async function setUp(alerts: AlertsConfig, o: { budget?: RateBudgetStore; sandbox?: Parameters<typeof startSandbox>[0]; rejectionsPerMinute?: number } = {}) {
    t = await pgliteDatabase();
    sb = await startSandbox(o.sandbox);
    const client = createGhlClient({ baseUrl: sb.url, auth: { privateIntegrationToken: sb.info.pit }, locationId: sb.info.locationId, ...(o.budget ? { rateBudget: o.budget } : {}) });
    engine = await createEngine({ db: t.db, ghl: async () => ({ client, locationId: sb.info.locationId }), rejections: { perMinute: o.rejectionsPerMinute ?? 30 } });
    clock = Date.now();
    monitor = startIncidentMonitor({ db: t.db, alerts, budget: o.budget, now: () => clock });
    return client;
  }
  const openOf = async (rule: string) => (await incidentRows(t.db, 'open')).filter((i) => i.rule === rule);

  it('autoPause: pauses a recipe at its threshold (its own override), resolves on resume, and does not re-pause on the old failures', async () => {
    await setUp(testAlerts({ rules: { failureRate: { enabled: false } } }));
    await engine.saveRecipe({ ...failingRecipe, alerts: { channels: ['chat'], autoPause: { minRuns: 5, failureRatio: 0.8 } } });
    await engine.startWorker();
    for (let i = 0; i < 4; i++) await engine.ingest(signup(i));
    await settleRuns(t.db);
    await monitor.check();
    expect((await t.db.query('select * from recipe_pauses')).rows).toEqual([]);
    expect(await openOf('autoPause')).toEqual([]);

    await engine.ingest(signup(4));
    await settleRuns(t.db);
    await monitor.check();
    const { rows: pauses } = await t.db.query<{ recipe_id: string; paused_by: string; reason: string }>('select * from recipe_pauses');
    expect(pauses).toMatchObject([{ recipe_id: 'signup-tasks', paused_by: 'auto' }]);
    expect(pauses[0]!.reason).toMatch(/^5 of its last 5 finished runs failed/);
    const [paused] = await openOf('autoPause');
    expect(paused).toMatchObject({ key: 'signup-tasks', recipe_id: 'signup-tasks' });
    const rows = (await notificationRows(t.db)).filter((r) => r.incident_id === paused!.id);
    expect(kinds(rows)).toEqual(['opened/chat']);

    // the resume deletes the row: resolved, and the 5 old failures do not pause it again
    await t.db.query(`delete from recipe_pauses where recipe_id = 'signup-tasks'`);
    clock += 1000;
    await monitor.check();
    await monitor.check();
    expect(await openOf('autoPause')).toEqual([]);
    expect((await t.db.query('select * from recipe_pauses')).rows).toEqual([]);
    expect(kinds((await notificationRows(t.db)).filter((r) => r.incident_id === paused!.id))).toEqual(['opened/chat', 'resolved/chat']);
  });

  it('rateBudget: a location past 80% of its daily budget (learnt from the sandbox\'s headers) opens one; the next UTC day resolves it', async () => {
    const budget = new MemoryRateBudgetStore();
    const client = await setUp(testAlerts(), { budget, sandbox: { config: { rateLimit: { enabled: true, daily: 10, max: 100, intervalMs: 1000 } } } });
    for (let i = 0; i < 7; i++) await client.contacts.upsert({ email: `b${i}@example.com` });
    await monitor.check();
    expect(await openOf('rateBudget')).toEqual([]);
    await client.contacts.upsert({ email: 'b7@example.com' });
    await monitor.check();
    const [incident] = await openOf('rateBudget');
    expect(incident).toMatchObject({ key: sb.info.locationId, location_id: sb.info.locationId, count: 8 });
    expect(incident!.cause).toMatch(/has used 80% \(8 of 10\) of its daily HighLevel request budget \(resets at \d{4}-\d\d-\d\dT00:00:00\.000Z\)/);

    const nextDay = new Date(clock);
    nextDay.setUTCHours(24, 5, 0, 0);
    clock = nextDay.getTime();
    await monitor.check();
    expect(await openOf('rateBudget')).toEqual([]);
  });

  it('webhookRejections: counts the refusals the log only summed (unrecorded), and resolves when the window has passed', async () => {
    await setUp(testAlerts({ rules: { webhookRejections: { count: 20, windowMinutes: 10 } } }), { rejectionsPerMinute: 5 });
    const refuse = () => engine.recordRejection({ connectionId: 'app-hooks', status: 401, reason: 'bad-signature', headers: { 'webhook-signature': 'v1,forged' }, rawBody: Buffer.from('{}') });
    for (let i = 0; i < 19; i++) await refuse();
    // the log keeps 5 rows one by one and one summary row standing for the other 14 (written within a second)
    await expect.poll(async () => (await t.db.query<{ detail: string }>(`select detail from webhook_rejections where reason = 'unrecorded'`)).rows[0]?.detail, { timeout: 5000 }).toMatch(/^14 more/);
    await monitor.check();
    expect(await openOf('webhookRejections')).toEqual([]);
    await refuse();
    await expect.poll(async () => (await t.db.query<{ detail: string }>(`select detail from webhook_rejections where reason = 'unrecorded'`)).rows[0]?.detail, { timeout: 5000 }).toMatch(/^15 more/);
    clock = Date.now();
    await monitor.check();
    const [incident] = await openOf('webhookRejections');
    expect(incident).toMatchObject({ key: 'app-hooks', connection_id: 'app-hooks', count: 20 });
    expect(incident!.cause).toBe('20 webhook deliveries to connection app-hooks refused in the last 10 min (mostly bad-signature)');
    expect(incident!.advice).toMatch(/rotated signing secret/);
    expect(JSON.stringify(incident)).not.toContain('forged');

    clock += 11 * MINUTE;
    await monitor.check();
    expect(await openOf('webhookRejections')).toEqual([]);
  });

  it('queueStalled: runs due for oldestMinutes with no worker open one; a worker draining them resolves it; a paused recipe\'s runs are left out', async () => {
    await setUp(testAlerts({ rules: { queueStalled: { oldestMinutes: 15 } } }));
    await engine.saveRecipe(fixedRecipe);
    for (let i = 0; i < 3; i++) await engine.ingest(signup(i));
    clock = Date.now() + 14 * MINUTE;
    await monitor.check();
    expect(await openOf('queueStalled')).toEqual([]);
    clock = Date.now() + 16 * MINUTE;
    await monitor.check();
    const [incident] = await openOf('queueStalled');
    expect(incident).toMatchObject({ key: 'queue', count: 3 });
    expect(incident!.cause).toMatch(/^3 queued runs due for 15 min or more/);

    // paused on purpose: those runs wait, the queue is not stalled
    await t.db.query(`insert into recipe_pauses (recipe_id, paused_by, reason) values ('signup-tasks', 'user', 'maintenance')`);
    await monitor.check();
    expect(await openOf('queueStalled')).toEqual([]);
    await t.db.query(`delete from recipe_pauses`);
    await monitor.check();
    expect(await openOf('queueStalled')).toHaveLength(1);
    await engine.startWorker();
    expect(await settleRuns(t.db)).toEqual({ succeeded: 3 });
    await monitor.check();
    expect(await openOf('queueStalled')).toEqual([]);
  });

  it('channelFailing: told to the other channels only, never to the failing one, and resolved by a later delivery', async () => {
    await setUp(testAlerts({ rules: { failureRate: { enabled: false }, autoPause: { enabled: false } } }));
    await engine.saveRecipe(failingRecipe);
    await engine.startWorker();
    await engine.ingest(signup(0));
    await settleRuns(t.db);
    await monitor.check();
    expect(kinds(await notificationRows(t.db))).toEqual(['opened/chat', 'opened/mail']);
    // the sender gave up on mail (what it writes after its attempts)
    await t.db.query(`update notifications set status = 'failed', attempts = 5, last_error = 'SMTP 535 authentication failed' where channel = 'mail'`);
    await t.db.query(`update notifications set status = 'sent', sent_at = now() where channel = 'chat'`);
    await monitor.check();
    await monitor.check();
    const [failing] = await openOf('channelFailing');
    expect(failing).toMatchObject({ key: 'mail' });
    expect(failing!.cause).toBe('alert channel "mail" fails: 1 notification(s) given up, the last with: SMTP 535 authentication failed');
    expect(kinds((await notificationRows(t.db)).filter((r) => r.incident_id === failing!.id))).toEqual(['opened/chat']);

    // both fail: nothing is left to tell, and nothing is told to a failing channel
    await t.db.query(`update notifications set status = 'failed' where channel = 'chat'`);
    await monitor.check();
    const chatFailing = (await openOf('channelFailing')).find((i) => i.key === 'chat')!;
    expect(await notificationRows(t.db).then((rows) => rows.filter((r) => r.incident_id === chatFailing.id))).toEqual([]);

    // mail delivers again: its incident resolves (told to chat only, the channel list fixed when it opened)
    await t.db.query(`insert into notifications (kind, channel, status, sent_at) values ('test', 'mail', 'sent', now())`);
    await monitor.check();
    expect((await openOf('channelFailing')).map((i) => i.key)).toEqual(['chat']);
    expect(kinds((await notificationRows(t.db)).filter((r) => r.incident_id === failing!.id))).toEqual(['opened/chat', 'resolved/chat']);
  });
});
