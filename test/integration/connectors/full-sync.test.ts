import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createErpFake, erp, type ErpFake } from '../../../src/connectors/erp/index.js';
import { loadSchedule, runSchedule, startSchedules, type ScheduleReport } from '../../../src/connectors/runtime/index.js';
import { startBridge, type Bridge } from '../../support/bridge.js';

/**
 * Recipe 10 end to end: the ERP fake's customers through a scheduled full sync of the
 * erp-customers recipe into the sandbox, filtered by business id, with progress, a summary, a
 * second turn that costs no GHL write, and a resumed interrupted sync.
 */
const KEY = 'erp-key';
let fake: ErpFake;
let bridge: Bridge;
const schedule = loadSchedule(join(import.meta.dirname, '../../../recipes/erp-nightly-sync.schedule.yaml'));
if (schedule.kind !== 'fullSync') throw new Error('erp-nightly-sync is a full sync');
const oneBusiness = { ...schedule, filter: { path: 'customer.businessId', equals: 'b-100' } };

beforeAll(async () => {
  fake = await createErpFake({ apiKey: KEY });
  for (let i = 1; i <= 12; i++) fake.upsertCustomer({ id: `C${i}`, name: `Customer Number${i}`, email: `c${i}@fullsync.test`, businessId: i % 3 === 0 ? 'b-200' : 'b-100' });
  fake.upsertTask({ id: 'T1', customerId: 'C1', subject: 'Call', dueDate: '2026-12-01T10:00:00Z', completed: false });
  bridge = await startBridge({
    connectors: [erp],
    connections: () => [{ id: 'erp-main', app: 'erp', source: 'erp', config: { baseUrl: fake.url, pageSize: 5 }, secrets: { apiKey: KEY } }],
    recipes: ['erp-customers'],
  });
}, 60_000);
afterAll(async () => {
  await fake?.close();
  await bridge?.close();
});

const mine = async () => (await bridge.ghlContacts()).filter((c) => String(c.email).endsWith('@fullsync.test'));

describe('scheduled full sync (recipe 10)', () => {
  it('reads the shipped schedule', () => {
    expect(schedule).toMatchObject({ kind: 'fullSync', id: 'erp-nightly-sync', connection: 'erp-main', recipe: 'erp-customers', schedule: '0 3 * * *' });
  });

  it('syncs one business on its cron turn, with progress and a summary', async () => {
    const reports: ScheduleReport[] = [];
    const errors: unknown[] = [];
    // the clock stands 50 ms before 03:00 UTC: the cron turn comes at once
    const start = Date.UTC(2026, 10, 28, 2, 59, 59, 950);
    const stop = startSchedules(bridge.runtime, [oneBusiness], { onReport: (r) => reports.push(r), onError: (_s, e) => errors.push(e), now: () => start });
    try {
      for (let i = 0; i < 200 && reports.length === 0 && errors.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    } finally {
      stop();
    }
    expect(errors).toEqual([]);
    expect(reports).toMatchObject([{ schedule: 'erp-nightly-sync', kind: 'fullSync', records: 13, matched: 8 }]);
    await bridge.settle();
    const summary = await bridge.runtime.syncSummary((reports[0] as { syncId: number }).syncId);
    expect(summary).toMatchObject({ status: 'done', records: 13, matched: 8, ingested: 8, created: 8, updated: 0, unchanged: 0, failed: 0, runs: { succeeded: 8 } });
    const contacts = await mine();
    expect(contacts.map((c) => c.email).sort()).toEqual([1, 2, 4, 5, 7, 8, 10, 11].map((i) => `c${i}@fullsync.test`).sort());
  });

  it('a second turn costs no GHL write for unchanged records and updates a changed one', async () => {
    fake.upsertCustomer({ id: 'C2', name: 'Renamed Customer' });
    const progress: number[] = [];
    const report = await runSchedule(bridge.runtime, oneBusiness, { onProgress: (p) => progress.push(p.records) });
    expect(progress.at(-1)).toBe(13);
    await bridge.settle();
    const summary = await bridge.runtime.syncSummary((report as { syncId: number }).syncId);
    expect(summary).toMatchObject({ matched: 8, created: 0, updated: 1, unchanged: 7, failed: 0 });
    expect((await mine()).find((c) => c.email === 'c2@fullsync.test')).toMatchObject({ firstName: 'Renamed', lastName: 'Customer' });
    expect(await mine()).toHaveLength(8);
  });

  it('resumes an interrupted sync without ingesting a record twice', async () => {
    const controller = new AbortController();
    // interrupted after 5 records: what it ingested stays, the sync is left cancelled
    const interrupted = bridge.runtime.fullSync({ connectionId: 'erp-main', recipeId: 'erp-customers', scheduleId: 'erp-nightly-sync', signal: controller.signal, progressEvery: 1, onProgress: (p) => p.records === 5 && controller.abort() });
    await expect(interrupted).rejects.toThrow();
    const { rows } = await bridge.db.db.query<{ id: string; status: string; ingested: number }>(`select id, status, ingested from syncs where schedule_id = 'erp-nightly-sync' order by id desc limit 1`);
    expect(rows[0]).toMatchObject({ status: 'cancelled', ingested: 5 });
    const syncId = Number(rows[0]!.id);
    // the next turn of the schedule resumes it: 7 more records, none of the 5 again
    const report = await runSchedule(bridge.runtime, schedule);
    expect(report).toMatchObject({ syncId, records: 13, matched: 12 });
    await bridge.settle();
    const summary = await bridge.runtime.syncSummary(syncId);
    expect(summary).toMatchObject({ status: 'done', matched: 12, ingested: 12, created: 4, failed: 0, runs: { succeeded: 12 } });
    const { rows: events } = await bridge.db.db.query<{ n: string }>('select count(*) as n from events where external_id like $1', [`sync:${syncId}:%`]);
    expect(Number(events[0]!.n)).toBe(12);
    expect(await mine()).toHaveLength(12);
  });
});
