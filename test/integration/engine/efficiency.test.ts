import { afterEach, describe, expect, it } from 'vitest';
import { createEngine, type Engine, type Recipe } from '../../../src/engine/index.js';
import { createGhlClient } from '../../../src/ghl/index.js';
import { DATABASES, type TestDatabase } from '../../support/databases.js';
import { settleRuns } from '../../support/engine.js';
import { startSandbox, type TestSandbox } from '../../support/sandbox.js';

/** GHL calls per record: new records cost one call, unchanged re-deliveries cost none. */
const contactsOnly: Recipe = {
  id: 'erp-customers',
  version: 1,
  trigger: { source: 'erp', events: ['customer.changed'] },
  connection: 'ghl-a',
  recordId: 'customer.no',
  mapping: { contact: { email: { path: 'customer.email', transforms: ['email'] }, companyName: 'customer.company', firstName: 'customer.first' } },
  actions: [{ type: 'upsertContact' }],
};
const RECORDS = 200;

describe.each(DATABASES)('efficiency on %s', (_name, open) => {
  let t: TestDatabase;
  let sb: TestSandbox;
  let engine: Engine;
  afterEach(async () => {
    await engine.close();
    await sb.close();
    await t.drop().catch(() => undefined);
  });

  const settle = () => settleRuns(t.db);

  it('1 call per new record, 0 calls for unchanged re-deliveries', async () => {
    t = await open();
    sb = await startSandbox();
    const calls: string[] = [];
    const client = createGhlClient({ baseUrl: sb.url, auth: { privateIntegrationToken: sb.info.pit }, locationId: sb.info.locationId });
    engine = await createEngine({ db: t.db, ghl: async () => ({ client, locationId: sb.info.locationId }), onCall: (op) => calls.push(op) });
    await engine.saveRecipe(contactsOnly);
    await engine.startWorker({ concurrency: 4, batchSize: 10 });
    const customer = (i: number) => ({ no: `C${i}`, email: `c${i}@erp.example`, company: `Company ${i}`, first: `First${i}` });
    for (let i = 0; i < RECORDS; i++) await engine.ingest({ source: 'erp', externalId: `new-${i}`, type: 'customer.changed', payload: { customer: customer(i) } });
    await settle();
    expect(calls.length / RECORDS).toBeLessThanOrEqual(1.05);
    expect(new Set(calls)).toEqual(new Set(['upsert-contact']));

    calls.length = 0;
    for (let i = 0; i < RECORDS; i++) await engine.ingest({ source: 'erp', externalId: `again-${i}`, type: 'customer.changed', payload: { customer: customer(i) } });
    await settle();
    expect(calls).toEqual([]);
    const { rows } = await t.db.query<{ status: string; n: string }>('select status, count(*) as n from runs group by status order by status');
    expect(rows.map((r) => [r.status, Number(r.n)])).toEqual([['succeeded', RECORDS * 2]]);
  }, 120_000);
});
