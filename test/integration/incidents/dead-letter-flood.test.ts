import { afterEach, describe, expect, it } from 'vitest';
import { startIncidentMonitor, type IncidentMonitor } from '../../../src/engine/incidents/index.js';
import { acknowledgeIncident, muteIncident } from '../../../src/engine/incidents/store.js';
import { createEngine, type Engine } from '../../../src/engine/index.js';
import { createGhlClient } from '../../../src/ghl/index.js';
import { DATABASES, type TestDatabase } from '../../support/databases.js';
import { settleRuns } from '../../support/engine.js';
import { startSandbox, type TestSandbox } from '../../support/sandbox.js';
import { failingRecipe, fixedRecipe, incidentRows, kinds, notificationRows, signup, testAlerts } from './fixtures.js';

const MINUTE = 60_000;

/**
 * 1,000 runs dead for one cause make one incident and one 'opened' row per channel (never one per
 * run), however often the monitors look while they fail; reminders follow the schedule, a mute
 * holds them back, an acknowledgement stops them; once the dead letters are replayed and succeed,
 * the incident resolves with one 'resolved' row per channel (held back
 * while it is muted).
 */
describe.each(DATABASES)('a flood of dead letters on %s', (_name, open) => {
  let t: TestDatabase;
  let sb: TestSandbox;
  let engine: Engine;
  const monitors: IncidentMonitor[] = [];
  afterEach(async () => {
    for (const m of monitors.splice(0)) await m.stop();
    await engine?.close();
    await sb?.close();
    await t?.drop().catch(() => undefined);
  });

  it('opens one incident, reminds on schedule, and resolves once after the replay', async () => {
    t = await open();
    sb = await startSandbox();
    const client = createGhlClient({ baseUrl: sb.url, auth: { privateIntegrationToken: sb.info.pit }, locationId: sb.info.locationId });
    engine = await createEngine({ db: t.db, ghl: async () => ({ client, locationId: sb.info.locationId }) });
    await engine.saveRecipe(failingRecipe);
    // failureRate and autoPause would rightly open their own incidents for this cause; this test counts the dead-letter one
    const alerts = testAlerts({ rules: { failureRate: { enabled: false }, autoPause: { enabled: false } } });
    let clock = Date.now();
    // two monitors on one database, as two processes would have: the advisory lock (server) or the one connection (PGlite) keeps them apart
    for (let i = 0; i < 2; i++) monitors.push(startIncidentMonitor({ db: t.db, alerts, now: () => clock }));
    await engine.startWorker({ concurrency: 4, batchSize: 50 });

    let flooding = true;
    const watching = (async () => {
      while (flooding) {
        await Promise.all(monitors.map((m) => m.check()));
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    const RUNS = 1000;
    for (let i = 0; i < RUNS; i++) await engine.ingest(signup(i));
    expect(await settleRuns(t.db)).toEqual({ dead: RUNS });
    flooding = false;
    await watching;
    await monitors[0]!.check();

    const [incident, ...others] = await incidentRows(t.db);
    expect(others).toEqual([]);
    expect(incident).toMatchObject({ rule: 'deadLetter', key: 'signup-tasks|MAPPING|-', status: 'open', count: RUNS, recipe_id: 'signup-tasks', connection_id: 'ghl-a' });
    expect(incident!.cause).toMatch(/^1,000 dead runs of recipe signup-tasks: MAPPING: actions\[1\]\.title: required/);
    expect(incident!.advice).toMatch(/fix recipe signup-tasks/);
    const { rows: [span] } = await t.db.query<{ first: string; latest: string }>(`select min(id) as first, max(id) as latest from runs`);
    expect([incident!.first_run_id, incident!.latest_run_id]).toEqual([span!.first, span!.latest]);
    let rows = await notificationRows(t.db);
    expect(kinds(rows)).toEqual(['opened/chat', 'opened/mail']);
    expect(rows[0]!.payload).toMatchObject({ kind: 'opened', incident: { rule: 'deadLetter', recipeId: 'signup-tasks' } });

    // reminders: the first 60 min after it opened (not before), then every 24 h
    clock += 59 * MINUTE;
    await monitors[0]!.check();
    expect(await notificationRows(t.db)).toHaveLength(2);
    clock += 2 * MINUTE;
    await monitors[0]!.check();
    await monitors[1]!.check();
    rows = await notificationRows(t.db);
    expect(kinds(rows.slice(2))).toEqual(['reminder/chat', 'reminder/mail']);
    expect(rows[2]!.payload.incident).toMatchObject({ reminders: 1 });

    // muted for 3 h (from the database's clock, which is the real one): the reminder due at +24 h waits until the mute passes
    const id = Number(incident!.id);
    await muteIncident(t.db, id, 25 * 60);
    clock = Date.now() + 24 * 60 * MINUTE + MINUTE;
    await monitors[0]!.check();
    expect(await notificationRows(t.db)).toHaveLength(4);
    clock = Date.now() + 25 * 60 * MINUTE + MINUTE;
    await monitors[0]!.check();
    expect(kinds((await notificationRows(t.db)).slice(4))).toEqual(['reminder/chat', 'reminder/mail']);

    // acknowledged: no more reminders
    await acknowledgeIncident(t.db, id, 'ops@example.com');
    clock += 48 * 60 * MINUTE;
    await monitors[0]!.check();
    expect(await notificationRows(t.db)).toHaveLength(6);

    // the fix: version 2 of the recipe; the dead letters replayed with it (the version switch stands
    // for the replay-with-a-version of the dead-letter work, not on this branch) succeed against the sandbox
    clock = Date.now();
    await engine.saveRecipe(fixedRecipe);
    await t.db.query(`update runs set recipe_version = 2 where status = 'dead'`);
    expect(await engine.replay()).toHaveLength(RUNS);
    expect(await settleRuns(t.db)).toEqual({ succeeded: RUNS });
    await Promise.all(monitors.map((m) => m.check()));
    await monitors[0]!.check();
    expect(await incidentRows(t.db, 'open')).toEqual([]);
    expect(await incidentRows(t.db, 'resolved')).toHaveLength(1);
    // still muted (25 h from the real clock): its resolve is told once the mute has passed, once
    expect(await notificationRows(t.db)).toHaveLength(6);
    clock = Date.now() + 25 * 60 * MINUTE + MINUTE;
    await monitors[0]!.check();
    await monitors[1]!.check();
    rows = await notificationRows(t.db);
    expect(kinds(rows.slice(6))).toEqual(['resolved/chat', 'resolved/mail']);
    expect(rows[6]!.payload.incident).toMatchObject({ status: 'resolved', count: RUNS });
  }, 240_000);
});
