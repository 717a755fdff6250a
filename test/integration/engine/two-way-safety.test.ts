import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isGhlEcho, learnGhlContact, type Recipe } from '../../../src/engine/index.js';
import { startBridge, type Bridge } from '../../support/bridge.js';

/**
 * What the engine writes to GHL and what it takes for its own echo, on PGlite against the sandbox:
 * a company change (PUT, then upsert) is never lost to a failure between its two steps; a GHL
 * change to a field the engine never writes is news; a user's revert to an earlier state of ours
 * is news once a change in between was learnt.
 */
const recipe: Recipe = {
  id: 'people',
  version: 1,
  trigger: { source: 'app', events: ['person.changed'] },
  connection: 'ghl-main',
  recordId: 'id',
  mapping: { contact: { email: { path: 'email', transforms: ['email'] }, firstName: 'first', companyName: 'company' } },
  actions: [{ type: 'upsertContact' }],
};

let bridge: Bridge;
let n = 0;
const send = async (payload: Record<string, unknown>) => {
  await bridge.engine.ingest({ source: 'app', externalId: `e${++n}`, type: 'person.changed', payload });
  return bridge.settle();
};
const contact = async (email: string) => (await bridge.ghlContacts()).filter((c) => c.email === email);

beforeAll(async () => {
  bridge = await startBridge({ connectors: [], recipes: [recipe] });
});
afterAll(async () => bridge?.close());

describe('company changes (PUT, then upsert)', () => {
  it('are not lost when the upsert fails after the PUT: the replay still writes the company', async () => {
    await send({ id: 'p1', email: 'ada@two-way.test', first: 'Ada', company: 'Analytical' });
    const [before] = await contact('ada@two-way.test');
    expect(before).toMatchObject({ firstName: 'Ada', companyName: 'Analytical' });
    // the upsert fails for good (every attempt), after the PUT went through
    expect((await bridge.sb.api('POST', '/_sandbox/faults', { token: null, body: { path: '/contacts/upsert', method: 'POST', status: 503 } })).status).toBe(200);
    expect(await send({ id: 'p1', email: 'ada@two-way.test', first: 'Augusta', company: 'Babbage & Co' })).toMatchObject({ dead: 1 });
    expect((await contact('ada@two-way.test'))[0]).toMatchObject({ id: before!.id, firstName: 'Augusta', companyName: 'Analytical' });
    await bridge.sb.api('DELETE', '/_sandbox/faults', { token: null });
    // re-planned from the ledger: the first name is written, the company is not, so it is sent
    const replayed = await bridge.engine.replay();
    expect(replayed).toHaveLength(1);
    expect(await bridge.settle()).not.toHaveProperty('dead');
    expect(await contact('ada@two-way.test')).toEqual([expect.objectContaining({ id: before!.id, firstName: 'Augusta', companyName: 'Babbage & Co' })]);
    const run = await bridge.engine.run(replayed[0]!);
    expect(run?.plan?.calls.map((c) => c.operationId)).toEqual(['update-contact', 'upsert-contact']);
  });
});

describe('echo detection', () => {
  it('takes the contact as GHL answered our write for ours, and a field we never write changed in GHL for news', async () => {
    const [ada] = await contact('ada@two-way.test');
    const shown = { ...(ada as Record<string, unknown>) };
    expect(await isGhlEcho(bridge.db.db, shown)).toBe(true);
    expect(await isGhlEcho(bridge.db.db, { ...shown, phone: '+14155550100' })).toBe(false);
    expect(await isGhlEcho(bridge.db.db, { ...shown, firstName: 'Someone' })).toBe(false);
  });

  it('takes a revert to an earlier state of ours for news once the change in between was learnt', async () => {
    const [ada] = await contact('ada@two-way.test');
    const ours = { ...(ada as Record<string, unknown>) };
    const edited = { ...ours, firstName: 'Bob' };
    expect(await isGhlEcho(bridge.db.db, edited)).toBe(false);
    await learnGhlContact(bridge.db.db, edited);
    expect(await isGhlEcho(bridge.db.db, ours)).toBe(false);
  });

  it('knows the state a write will leave before GHL answers (a webhook may beat the answer)', async () => {
    await send({ id: 'p1', email: 'ada@two-way.test', first: 'Carol', company: 'Babbage & Co' });
    const [ada] = await contact('ada@two-way.test');
    const { rows } = await bridge.db.db.query<{ fields: Record<string, unknown>; full_state: boolean }>(`select fields, full_state from ghl_writes where ghl_id = $1 and run_id is not null`, [ada!.id]);
    // recorded before the PUT was sent: what we knew (the learnt state) with the change over it
    expect(rows).toEqual([{ fields: expect.objectContaining({ firstName: 'Carol', email: 'ada@two-way.test' }), full_state: false }]);
    expect(await isGhlEcho(bridge.db.db, { ...(ada as Record<string, unknown>) })).toBe(true);
  });
});
