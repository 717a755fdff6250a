import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createErpFake, erp, toCsv, type ErpFake } from '../../../src/connectors/erp/index.js';
import { connectorActions, connectorRegistry, staticConnections } from '../../../src/connectors/runtime/index.js';
import type { ConnectorConnection } from '../../../src/connectors/types.js';
import type { Recipe } from '../../../src/engine/index.js';
import { loadRecipe, startBridge, type Bridge } from '../../support/bridge.js';
import { catalogCoverage } from '../../support/catalog-coverage.js';

/**
 * Recipe 7 end to end: the ERP fake (real HTTP, API key, OData-style paging) and a CSV file dropped
 * on disk → scheduled polls of the erp connector (durable cursors) → the engine on PGlite → the
 * GHL sandbox. Counts are read back from the sandbox and the events table. Every catalog entry of
 * erp is executed once for real (the last test checks none was left out).
 */

const API = 'erp-main';
const DROP = 'erp-drop';
const KEY = 'erp-api-key';

const coverage = catalogCoverage('erp');
let fake: ErpFake;
let bridge: Bridge;
let dir: string;
let dropFile: string;
/** The engine's `type: app` port over the catalog actions (input checked by each action's schema). */
let apps: ReturnType<typeof connectorActions>;

/** Runs a catalog action against the fake through the engine's app port and marks it executed. */
async function act<T = Record<string, unknown>>(actionId: string, input: Record<string, unknown>, connectionId = API): Promise<T> {
  const out = (await apps.run(connectionId, actionId, input)) as T;
  coverage.ran(actionId);
  return out;
}

/** The same recipe on another source (the CSV drop connection has its own ledger namespace). */
function onSource(name: string, source: string): Recipe {
  const r = loadRecipe(name);
  return { ...r, id: `${r.id}-${source}`, trigger: { ...r.trigger, source } };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'erp-drop-'));
  dropFile = join(dir, 'customers.csv');
  fake = await createErpFake({ apiKey: KEY });
  bridge = await startBridge({
    connectors: [erp],
    connections: (): ConnectorConnection[] => [
      // a small page size: the first poll takes several pages
      { id: API, app: 'erp', source: 'erp', config: { baseUrl: fake.url, pageSize: 2 }, secrets: { apiKey: KEY } },
      { id: DROP, app: 'erp', source: 'erp-drop', config: { customers: { from: 'csv-file', path: dropFile, key: 'Kundennr' }, tasks: { from: 'csv-file', path: join(dir, 'tasks.csv') } }, secrets: {} },
    ],
    recipes: ['erp-customers', 'erp-customers-removed', 'erp-tasks', onSource('erp-customers', 'erp-drop'), onSource('erp-customers-removed', 'erp-drop')],
  });
  apps = connectorActions({
    registry: connectorRegistry([erp]),
    connections: staticConnections([
      { id: API, app: 'erp', source: 'erp', config: { baseUrl: fake.url }, secrets: { apiKey: KEY } },
      { id: 'erp-wrong-key', app: 'erp', source: 'erp', config: { baseUrl: fake.url }, secrets: { apiKey: 'nope' } },
    ]),
  });
}, 60_000);

afterAll(async () => {
  await fake?.close();
  await bridge?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function contactsOf(email: string) {
  return (await bridge.ghlContacts()).filter((c) => c.email === email);
}

async function events(source: string): Promise<Array<{ external_id: string; type: string }>> {
  const { rows } = await bridge.db.db.query<{ external_id: string; type: string }>('select external_id, type from events where source = $1 order by id', [source]);
  return rows;
}

describe('ERP → GHL (recipes erp-customers, erp-customers-removed, erp-tasks)', () => {
  it('ships valid recipe files', () => {
    for (const name of ['erp-customers', 'erp-customers-removed', 'erp-tasks']) expect(loadRecipe(name)).toMatchObject({ trigger: { source: 'erp' }, connection: 'ghl-main' });
    expect(loadRecipe('ghl-task-complete-erp')).toMatchObject({ trigger: { source: 'ghl', events: ['TaskComplete'] }, actions: [{ type: 'app', action: 'erp.completeTask' }] });
  });

  it('polls twice with a change in between: only the changed customer is updated, the cursor advances', async () => {
    // two customers share a timestamp across the page break (page size 2): neither is lost
    const t = '2026-01-05T10:00:00.000Z';
    fake.upsertCustomer({ id: 'C1', name: 'Marie Curie', email: 'marie@curie.test', phone: '+14155550177', city: 'Paris' }, '2026-01-05T09:00:00.000Z');
    fake.upsertCustomer({ id: 'C2', name: 'Pierre Curie', email: 'pierre@curie.test', city: 'Paris' }, t);
    fake.upsertCustomer({ id: 'C3', name: 'Irène Joliot', email: 'irene@curie.test', city: 'Paris' }, t);
    const first = await bridge.runtime.poll(API, 'erp.customers.changed');
    expect(first).toMatchObject({ ingested: 3, duplicates: 0 });
    expect(first.pages).toBeGreaterThanOrEqual(2);
    expect(first.cursor).toEqual({ mode: 'watermark', watermark: t, key: 'C3', skip: 0 });
    await bridge.settle();
    for (const email of ['marie@curie.test', 'pierre@curie.test', 'irene@curie.test']) expect(await contactsOf(email)).toHaveLength(1);
    expect((await contactsOf('marie@curie.test'))[0]).toMatchObject({ firstName: 'Marie', lastName: 'Curie', city: 'Paris', source: 'ERP', tags: ['customer'] });

    // nothing changed: nothing new
    expect(await bridge.runtime.poll(API, 'erp.customers.changed')).toMatchObject({ ingested: 0 });

    await fetch(`${bridge.sb.url}/_sandbox/requests`, { method: 'DELETE' });
    const changed = fake.upsertCustomer({ id: 'C2', city: 'Warsaw' });
    const second = await bridge.runtime.poll(API, 'erp.customers.changed');
    expect(second).toMatchObject({ ingested: 1, cursor: { watermark: changed.lastModifiedDateTime, key: 'C2' } });
    // the ERP was asked only for what changed after the cursor
    expect(fake.requests.at(-1)!.query.$filter).toBe(`lastModifiedDateTime gt ${t} or (lastModifiedDateTime eq ${t} and id gt 'C3')`);
    await bridge.settle();
    const { requests } = (await (await fetch(`${bridge.sb.url}/_sandbox/requests`)).json()) as { requests: Array<{ method: string; path: string }> };
    const pierre = (await contactsOf('pierre@curie.test'))[0]!;
    expect(requests.filter((r) => !r.path.startsWith('/_sandbox')).map((r) => `${r.method} ${r.path}`)).toEqual([`PUT /contacts/${pierre.id}`]);
    expect(pierre.city).toBe('Warsaw');
    expect((await contactsOf('marie@curie.test'))[0]!.city).toBe('Paris');
    expect((await events('erp')).map((e) => e.external_id)).toEqual([
      'erp:customer:C1:2026-01-05T09:00:00.000Z',
      `erp:customer:C2:${t}`,
      `erp:customer:C3:${t}`,
      `erp:customer:C2:${changed.lastModifiedDateTime}`,
    ]);
    coverage.ran('erp.customers.changed');
  });

  it('ERP tasks → GHL tasks on the customer; completion in the ERP completes the same GHL task', async () => {
    fake.upsertTask({ id: 'T1', customerId: 'C1', subject: 'Renew the contract', description: 'Before March', dueDate: '2026-03-01T09:00:00Z', completed: false });
    expect(await bridge.runtime.poll(API, 'erp.tasks.changed')).toMatchObject({ ingested: 1 });
    await bridge.settle();
    const marie = (await contactsOf('marie@curie.test'))[0]!;
    let tasks = (await bridge.ghl.tasks.list(marie.id)).tasks;
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({ title: 'Renew the contract', body: 'Before March', completed: false });

    fake.completeTask('T1');
    expect(await bridge.runtime.poll(API, 'erp.tasks.changed')).toMatchObject({ ingested: 1 });
    await bridge.settle();
    tasks = (await bridge.ghl.tasks.list(marie.id)).tasks;
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({ title: 'Renew the contract', completed: true });
    expect((await events('erp')).filter((e) => e.external_id.startsWith('erp:task:T1:')).map((e) => e.type)).toEqual(['task.changed', 'task.completed']);
    expect(await bridge.engine.runs({ status: 'dead' })).toEqual([]);
    coverage.ran('erp.tasks.changed');
  });

  it('an ERP task without a due date → a GHL task due at its updated-at, not a dead letter', async () => {
    const t3 = fake.upsertTask({ id: 'T3', customerId: 'C3', subject: 'Send the brochure', completed: false });
    expect(t3.dueDate).toBeUndefined();
    expect(await bridge.runtime.poll(API, 'erp.tasks.changed')).toMatchObject({ ingested: 1 });
    await bridge.settle();
    const irene = (await contactsOf('irene@curie.test'))[0]!;
    const tasks = (await bridge.ghl.tasks.list(irene.id)).tasks;
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({ title: 'Send the brochure', completed: false, dueDate: new Date(t3.lastModifiedDateTime).toISOString() });
    expect(await bridge.engine.runs({ status: 'dead' })).toEqual([]);
  });

  it('erp.completeTask, erp.updateTask and erp.getCustomer act on the ERP API', async () => {
    fake.upsertTask({ id: 'T2', customerId: 'C2', subject: 'Call back', dueDate: '2026-03-02T09:00:00Z', completed: false });
    expect(await act('erp.completeTask', { taskId: 'T2' })).toMatchObject({ id: 'T2', completed: true });
    expect(fake.task('T2')!.completed).toBe(true);
    const stamp = fake.task('T2')!.lastModifiedDateTime;
    await act('erp.completeTask', { taskId: 'T2' });
    expect(fake.task('T2')!.lastModifiedDateTime).toBe(stamp); // nothing changed: no new change to pull (the loop ends)

    expect(await act('erp.updateTask', { taskId: 'T2', fields: { subject: 'Call back Pierre', completed: false } })).toMatchObject({ id: 'T2', subject: 'Call back Pierre', completed: false });
    expect(fake.task('T2')).toMatchObject({ subject: 'Call back Pierre', completed: false, customerId: 'C2', dueDate: '2026-03-02T09:00:00Z' });
    expect(fake.requests.at(-1)).toMatchObject({ method: 'PATCH', path: '/tasks/T2' });

    expect(await act('erp.getCustomer', { id: 'C1' })).toMatchObject({ id: 'C1', email: 'marie@curie.test' });
    await expect(apps.run('erp-wrong-key', 'erp.getCustomer', { id: 'C1' })).rejects.toThrow(/answered 401/);
  });

  it('erp.listCustomers → one page in (lastModifiedDateTime, id) order, optionally only the changed ones', async () => {
    // C1 at 09:00, C3 at 10:00, C2 changed after that (Warsaw)
    const ids = (r: { customers: Array<Record<string, unknown>> }) => r.customers.map((c) => c.id);
    expect(ids(await act('erp.listCustomers', {}))).toEqual(['C1', 'C3', 'C2']);
    expect(ids(await act('erp.listCustomers', { top: 2 }))).toEqual(['C1', 'C3']);
    expect(ids(await act('erp.listCustomers', { top: 2, skip: 2 }))).toEqual(['C2']);
    const changed = await act<{ customers: Array<Record<string, unknown>> }>('erp.listCustomers', { updatedAfter: '2026-01-05T10:00:00.000Z' });
    expect(changed.customers).toEqual([expect.objectContaining({ id: 'C2', city: 'Warsaw' })]);
    expect(fake.requests.at(-1)!.query.$filter).toBe('lastModifiedDateTime gt 2026-01-05T10:00:00.000Z');
  });

  it('a dropped snapshot CSV (";", BOM, quotes) → created, then updated and removed by diff', async () => {
    const header = ['Kundennr', 'name', 'email', 'city'];
    writeFileSync(dropFile, toCsv(header, [
      { Kundennr: '1001', name: 'Ada Byron', email: 'ada.byron@drop.test', city: 'London' },
      { Kundennr: '1002', name: 'Charles Babbage', email: 'charles@drop.test', city: 'London; UK' },
    ], { delimiter: ';', bom: true }));
    expect(await bridge.runtime.poll(DROP, 'erp.customers.changed')).toMatchObject({ ingested: 2 });
    await bridge.settle();
    expect(await contactsOf('ada.byron@drop.test')).toHaveLength(1);
    expect((await contactsOf('charles@drop.test'))[0]).toMatchObject({ city: 'London; UK' });

    // the same file again: nothing
    expect(await bridge.runtime.poll(DROP, 'erp.customers.changed')).toMatchObject({ ingested: 0 });

    writeFileSync(dropFile, toCsv(header, [
      { Kundennr: '1001', name: 'Ada Byron', email: 'ada.byron@drop.test', city: 'Bath' },
      { Kundennr: '1003', name: 'Mary Somerville', email: 'mary@drop.test', city: 'Edinburgh' },
    ], { delimiter: ';', bom: true }));
    const report = await bridge.runtime.poll(DROP, 'erp.customers.changed');
    expect(report).toMatchObject({ ingested: 3 });
    await bridge.settle();
    expect((await events('erp-drop')).slice(2).map((e) => e.type)).toEqual(['customer.changed', 'customer.removed', 'customer.changed']);
    expect((await contactsOf('ada.byron@drop.test'))[0]).toMatchObject({ city: 'Bath' });
    expect(await contactsOf('ada.byron@drop.test')).toHaveLength(1);
    expect((await contactsOf('charles@drop.test'))[0]!.tags).toEqual(['customer', 'inactive']);
    expect(await contactsOf('mary@drop.test')).toHaveLength(1);

    // a truncated export never removes everyone
    writeFileSync(dropFile, '\uFEFFKundennr;name;email;city\r\n');
    await expect(bridge.runtime.poll(DROP, 'erp.customers.changed')).rejects.toThrow(/refusing to remove 2/);
    expect(await bridge.engine.runs({ status: 'dead' })).toEqual([]);
  });

  it('a snapshot returning to an earlier state (A → B → A, removed → re-added → removed) is a new change each time', async () => {
    const header = ['Kundennr', 'name', 'email', 'city'];
    const ada = (city: string) => ({ Kundennr: '1001', name: 'Ada Byron', email: 'ada.byron@drop.test', city });
    const mary = { Kundennr: '1003', name: 'Mary Somerville', email: 'mary@drop.test', city: 'Edinburgh' };
    const charles = { Kundennr: '1002', name: 'Charles Babbage', email: 'charles@drop.test', city: 'London; UK' };
    const drop = (rows: Array<Record<string, string>>) => writeFileSync(dropFile, toCsv(header, rows, { delimiter: ';', bom: true }));
    const poll = async () => {
      const r = await bridge.runtime.poll(DROP, 'erp.customers.changed');
      await bridge.settle();
      return r.ingested;
    };
    // Ada is in Bath (the test above): London, then Bath again
    drop([ada('London'), mary]);
    expect(await poll()).toBe(1);
    expect((await contactsOf('ada.byron@drop.test'))[0]).toMatchObject({ city: 'London' });
    drop([ada('Bath'), mary]);
    expect(await poll()).toBe(1);
    expect((await contactsOf('ada.byron@drop.test'))[0]).toMatchObject({ city: 'Bath' });
    expect(await contactsOf('ada.byron@drop.test')).toHaveLength(1);

    // Charles was removed (the test above): re-added, then removed again
    drop([ada('Bath'), charles, mary]);
    expect(await poll()).toBe(1);
    drop([ada('Bath'), mary]);
    expect(await poll()).toBe(1);
    const removals = (await events('erp-drop')).filter((e) => e.type === 'customer.removed' && e.external_id.startsWith('erp:customer:1002:'));
    expect(removals).toHaveLength(2);
    expect(await contactsOf('charles@drop.test')).toHaveLength(1);
    expect(await bridge.engine.runs({ status: 'dead' })).toEqual([]);
  });

  it('executed every erp catalog entry', () => {
    expect(coverage.ids).toHaveLength(6);
    coverage.assertComplete();
  });
});
