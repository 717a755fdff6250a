import { afterEach, describe, expect, it } from 'vitest';
import { evaluateRules, type WatchedPoll } from '../../../src/engine/incidents/index.js';
import { createEngine, writeCursor, type Engine } from '../../../src/engine/index.js';
import { createGhlClient } from '../../../src/ghl/index.js';
import { pgliteDatabase, type TestDatabase } from '../../support/databases.js';
import { settleRuns } from '../../support/engine.js';
import { startSandbox, type TestSandbox } from '../../support/sandbox.js';
import { failingRecipe, fixedRecipe, incidentRows, signup, testAlerts } from './fixtures.js';

const MINUTE = 60_000;
const SILENT = { warn: () => undefined, info: () => undefined, error: () => undefined };

/** triggerStalled, reconciliation and failureRate, each from what the engine really stores. */
describe('watching polls, the reconciliation and failure rates', () => {
  let t: TestDatabase;
  let sb: TestSandbox;
  let engine: Engine;
  afterEach(async () => {
    await engine?.close();
    await sb?.close();
  });
  async function setUp() {
    t = await pgliteDatabase();
    sb = await startSandbox();
    const client = createGhlClient({ baseUrl: sb.url, auth: { privateIntegrationToken: sb.info.pit }, locationId: sb.info.locationId });
    engine = await createEngine({ db: t.db, ghl: async () => ({ client, locationId: sb.info.locationId }) });
  }
  const check = (now: number, o: { polls?: WatchedPoll[]; startedAt?: number; alerts?: Record<string, unknown> } = {}) =>
    evaluateRules({ q: t.db, alerts: testAlerts(o.alerts), log: SILENT, polls: o.polls ?? [], now, startedAt: o.startedAt ?? now });
  const openOf = async (rule: string) => (await incidentRows(t.db, 'open')).filter((i) => i.rule === rule);

  it('triggerStalled: a scheduled poll with no success for 3 intervals opens one; its next success resolves it; unscheduled polls are not judged', async () => {
    await setUp();
    const polls: WatchedPoll[] = [{ connectionId: 'erp-main', triggerId: 'erp.customers.changed', schedule: '*/5 * * * *' }];
    // the poll wrote its cursor (what every page it reads does); another trigger without a schedule did too
    await writeCursor(t.db, 'erp-main', 'erp.customers.changed', { since: 'x' });
    await writeCursor(t.db, 'app-main', 'app.users.changed', { since: 'y' });
    const start = Date.now();
    await check(start + 14 * MINUTE, { polls, startedAt: start });
    expect(await openOf('triggerStalled')).toEqual([]);
    await check(start + 16 * MINUTE, { polls, startedAt: start });
    const [stalled, ...others] = await openOf('triggerStalled');
    expect(others).toEqual([]);
    expect(stalled).toMatchObject({ key: 'erp-main|erp.customers.changed', connection_id: 'erp-main', count: 3 });
    expect(stalled!.cause).toMatch(/^poll erp\.customers\.changed of connection erp-main last succeeded 1[56] min ago/);

    await writeCursor(t.db, 'erp-main', 'erp.customers.changed', { since: 'z' });
    await check(Date.now() + MINUTE, { polls, startedAt: start });
    expect(await openOf('triggerStalled')).toEqual([]);
  });

  it('reconciliation: changes of linked contacts it found open one per connection, with their runs; unlinked ones do not', async () => {
    await setUp();
    await engine.saveRecipe({ ...fixedRecipe, id: 'ghl-contacts', trigger: { source: 'ghl', events: ['ContactUpdate'] }, recordId: 'contactId', mapping: { contact: {} } });
    const found = (id: string, links: Record<string, string>) => engine.ingest({ source: 'ghl', connectionId: 'ghl-main', externalId: `reconcile:${id}:2026-01-01T00:00:00.000Z`, type: 'ContactUpdate', payload: { contactId: id, contact: { id }, origin: 'reconcile', links } });
    await found('c1', {});
    await check(Date.now());
    expect(await openOf('reconciliation')).toEqual([]);
    await found('c2', { app: 'u2' });
    await found('c3', { app: 'u3' });
    await check(Date.now());
    const [incident] = await openOf('reconciliation');
    expect(incident).toMatchObject({ key: 'ghl-main', connection_id: 'ghl-main', count: 2 });
    expect(incident!.cause).toBe('the reconciliation of connection ghl-main found 2 contact changes that no webhook delivered (last 24 h)');
    const { rows: runs } = await t.db.query<{ id: string }>(`select r.id from runs r join events e on e.id = r.event_id where e.payload->'links' <> '{}' order by r.id`);
    expect([incident!.first_run_id, incident!.latest_run_id]).toEqual([runs[0]!.id, runs[1]!.id]);
    await check(Date.now() + 25 * 60 * MINUTE);
    expect(await openOf('reconciliation')).toEqual([]);
  });

  it('failureRate: a recipe at its threshold in the window (the recipe\'s own numbers) opens one; it resolves when the window has passed', async () => {
    await setUp();
    await engine.saveRecipe({ ...failingRecipe, alerts: { failureRate: { threshold: 0.5, minRuns: 4, windowMinutes: 10 } } });
    await engine.startWorker();
    for (let i = 0; i < 3; i++) await engine.ingest(signup(i));
    await settleRuns(t.db);
    // with the dead-letter rule on, its incident tells and the failure rate stays quiet (one cause, one message)
    await check(Date.now(), { alerts: { rules: { autoPause: { enabled: false } } } });
    expect(await openOf('failureRate')).toEqual([]);
    expect(await openOf('deadLetter')).toHaveLength(1);
    await t.db.query(`delete from notifications`);
    await t.db.query(`delete from incidents`);
    const alerts = { rules: { autoPause: { enabled: false }, deadLetter: { enabled: false } } };
    await check(Date.now(), { alerts });
    expect(await openOf('failureRate')).toEqual([]);
    await engine.ingest(signup(3));
    await settleRuns(t.db);
    await check(Date.now(), { alerts });
    const [incident] = await openOf('failureRate');
    expect(incident).toMatchObject({ key: 'signup-tasks', recipe_id: 'signup-tasks', count: 4 });
    expect(incident!.cause).toBe('recipe signup-tasks: 100% of its runs failed in the last 10 min (4 of 4 finished runs)');
    await check(Date.now() + 11 * MINUTE, { alerts });
    expect(await openOf('failureRate')).toEqual([]);
  });
});
