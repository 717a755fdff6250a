import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createErpFake, erp, type ErpFake } from '../../../src/connectors/erp/index.js';
import { ghl } from '../../../src/connectors/ghl/index.js';
import type { ConnectorConnection } from '../../../src/connectors/types.js';
import { loadRecipe, startBridge, type Bridge } from '../../support/bridge.js';

/**
 * Recipe 7 both ways, end to end: ERP fake (real HTTP) → erp polls → the engine on PGlite → the GHL
 * sandbox, and back: a task completed in GHL → the sandbox's signed TaskComplete webhook → the ghl
 * connector (recordLinks from the ledger) → ghl-task-complete-erp → erp.completeTask on the fake.
 * Also the company of a customer (sent by upsert, HighLevel's PUT does not take it). Every run is
 * counted per recipe, so a loop or an extra write fails the test.
 */

const API = 'erp-main';
const SOURCE = 'ghl-source';
const KEY = 'erp-api-key';
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const RECIPES = ['erp-customers', 'erp-tasks', 'ghl-task-complete-erp'] as const;

let fake: ErpFake;
let bridge: Bridge;

beforeAll(async () => {
  fake = await createErpFake({ apiKey: KEY });
  bridge = await startBridge({
    connectors: [erp, ghl],
    connections: (sb): ConnectorConnection[] => [
      { id: API, app: 'erp', source: 'erp', config: { baseUrl: fake.url }, secrets: { apiKey: KEY } },
      { id: SOURCE, app: 'ghl', source: 'ghl', config: { baseUrl: sb.url, locationId: sb.info.locationId, webhookPublicKey: sb.info.webhookPublicKey }, secrets: { token: sb.info.pit } },
    ],
    recipes: [...RECIPES],
  });
  // the marketplace app sends its webhooks to the bridge, installed on the location
  expect((await bridge.sb.api('PUT', `/_sandbox/apps/${bridge.sb.info.clientId}`, { body: { webhookUrl: bridge.hookUrl(SOURCE) }, token: null })).status).toBe(200);
  const form = new URLSearchParams({ client_id: bridge.sb.info.clientId, redirect_uri: bridge.sb.info.redirectUri, scope: 'contacts.readonly contacts.write', state: 's', location_id: bridge.locationId });
  expect((await bridge.sb.api('POST', '/v2/oauth/chooselocation', { raw: form.toString(), headers: FORM, token: null, version: null })).status).toBe(302);
}, 60_000);

afterAll(async () => {
  await fake?.close();
  await bridge?.close();
});

/** Every sandbox webhook delivered and every run settled (twice: a run may cause a webhook). */
async function quiet(): Promise<void> {
  for (let i = 0; i < 3; i++) {
    await bridge.sb.sandbox.core.webhooks.idle();
    await bridge.settle();
  }
}

/** Runs per recipe as `status` lists, in order. */
async function runs(): Promise<Record<string, string[]>> {
  const { rows } = await bridge.db.db.query<{ recipe_id: string; status: string }>('select recipe_id, status from runs order by id');
  const out: Record<string, string[]> = Object.fromEntries(RECIPES.map((r) => [r, []]));
  for (const r of rows) (out[r.recipe_id] ??= []).push(r.status);
  return out;
}

/** Task completions that reached the engine as events (a TaskCreate of ours may race its ledger entry, so creates are not counted here). */
async function ghlEvents(): Promise<Array<{ type: string; erp: string | null }>> {
  const { rows } = await bridge.db.db.query<{ type: string; erp: string | null }>(`select type, payload->'recordLinks'->>'erp' as erp from events where source = 'ghl' and type = 'TaskComplete' order by id`);
  return rows;
}

async function sandboxCalls(): Promise<string[]> {
  const body = (await (await fetch(`${bridge.sb.url}/_sandbox/requests?limit=1000`)).json()) as { requests: Array<{ method: string; path: string }> };
  return body.requests.filter((r) => !r.path.startsWith('/_sandbox')).map((r) => `${r.method} ${r.path}`);
}

async function clearCalls(): Promise<void> {
  await fetch(`${bridge.sb.url}/_sandbox/requests`, { method: 'DELETE' });
}

async function contactsOf(email: string) {
  return (await bridge.ghlContacts()).filter((c) => c.email === email);
}

async function pollTasks(): Promise<number> {
  return (await bridge.runtime.poll(API, 'erp.tasks.changed')).ingested;
}

let marie: string;

describe('ERP customers: the company reaches the same GHL contact (recipe erp-customers)', () => {
  it('maps companyName in erp-customers.yaml', () => {
    expect(loadRecipe('erp-customers').mapping.contact).toMatchObject({ companyName: 'customer.companyName' });
  });

  it('a customer with a firm → one contact; the firm changes → one upsert on the same contact, no duplicate', async () => {
    fake.upsertCustomer({ id: 'C1', name: 'Marie Curie', email: 'marie@curie.test', phone: '+14155550177', companyName: 'Curie Labs', city: 'Paris' });
    expect((await bridge.runtime.poll(API, 'erp.customers.changed')).ingested).toBe(1);
    await quiet();
    const first = await contactsOf('marie@curie.test');
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({ companyName: 'Curie Labs', city: 'Paris', firstName: 'Marie' });
    marie = first[0]!.id;
    const total = (await bridge.ghlContacts()).length;

    await clearCalls();
    fake.upsertCustomer({ id: 'C1', companyName: 'Institut du Radium' });
    expect((await bridge.runtime.poll(API, 'erp.customers.changed')).ingested).toBe(1);
    await quiet();
    // the PUT re-asserts the email on the linked contact, so the upsert can only find this one
    expect(await sandboxCalls()).toEqual([`PUT /contacts/${marie}`, 'POST /contacts/upsert']);
    const all = await bridge.ghlContacts();
    expect(all).toHaveLength(total);
    expect(all.filter((c) => c.email === 'marie@curie.test')).toEqual([expect.objectContaining({ id: marie, companyName: 'Institut du Radium', city: 'Paris', phone: '+14155550177' })]);
    expect((await runs())['erp-customers']).toEqual(['succeeded', 'succeeded']);
    // the upsert's ContactUpdate webhook is our own echo: no ghl event
    expect(await ghlEvents()).toEqual([]);
  });

  it('firm and city change together on an email-only customer → the same contact', async () => {
    fake.upsertCustomer({ id: 'C2', name: 'Pierre Curie', email: 'pierre@curie.test', companyName: 'ESPCI' });
    await bridge.runtime.poll(API, 'erp.customers.changed');
    await quiet();
    const pierre = (await contactsOf('pierre@curie.test'))[0]!;
    const total = (await bridge.ghlContacts()).length;
    fake.upsertCustomer({ id: 'C2', companyName: 'Sorbonne', city: 'Paris' });
    await bridge.runtime.poll(API, 'erp.customers.changed');
    await quiet();
    expect(await bridge.ghlContacts()).toHaveLength(total);
    expect(await contactsOf('pierre@curie.test')).toEqual([expect.objectContaining({ id: pierre.id, companyName: 'Sorbonne', city: 'Paris' })]);
    expect(await bridge.engine.runs({ status: 'dead' })).toEqual([]);
  });
});

describe('ERP tasks ↔ GHL tasks: completion both ways, the loop ends (recipes erp-tasks, ghl-task-complete-erp)', () => {
  let ghlTask: string;

  it('ERP task → one GHL task; its TaskCreate webhook runs nothing', async () => {
    const before = await runs();
    fake.upsertTask({ id: 'T1', customerId: 'C1', subject: 'Renew the contract', dueDate: '2026-03-01T09:00:00Z', completed: false });
    expect(await pollTasks()).toBe(1);
    await quiet();
    const { tasks } = await bridge.ghl.tasks.list(marie);
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({ title: 'Renew the contract', completed: false });
    ghlTask = tasks[0]!.id;
    expect(await ghlEvents()).toEqual([]);
    const after = await runs();
    expect(after['erp-tasks']).toEqual([...before['erp-tasks']!, 'succeeded']);
    expect(after['ghl-task-complete-erp']).toEqual([]);
  });

  it('completed in GHL by a user → the ERP task is completed, once; the ERP change it causes writes nothing back', async () => {
    const before = await runs();
    const stampBefore = fake.task('T1')!.lastModifiedDateTime;
    await clearCalls();
    expect((await bridge.sb.api('PUT', `/contacts/${marie}/tasks/${ghlTask}/completed`, { body: { completed: true } })).status).toBe(200);
    await quiet();
    expect(fake.task('T1')).toMatchObject({ completed: true });
    expect(fake.task('T1')!.lastModifiedDateTime).not.toBe(stampBefore);
    expect(fake.requests.filter((r) => r.method === 'PATCH').map((r) => r.path)).toEqual(['/tasks/T1']);
    expect(await ghlEvents()).toEqual([{ type: 'TaskComplete', erp: 'T1' }]);
    let after = await runs();
    expect(after['ghl-task-complete-erp']).toEqual(['succeeded']);
    expect(after['erp-tasks']).toEqual(before['erp-tasks']);

    // the ERP's own change is pulled (task.completed) and the loop ends: the ledger learnt from
    // the TaskComplete webhook that the GHL task is completed, so erp-tasks writes nothing; no
    // second TaskComplete, no second way-back run, nothing more to pull
    expect(await pollTasks()).toBe(1);
    await quiet();
    expect((await sandboxCalls()).filter((c) => !c.startsWith('GET '))).toEqual([`PUT /contacts/${marie}/tasks/${ghlTask}/completed`]);
    const echo = (await bridge.engine.runs({ recipeId: 'erp-tasks' })).sort((a, b) => b.id - a.id)[0]!;
    expect(echo.plan!.calls).toEqual([]);
    expect(await ghlEvents()).toEqual([{ type: 'TaskComplete', erp: 'T1' }]);
    after = await runs();
    expect(after['erp-tasks']).toEqual([...before['erp-tasks']!, 'succeeded']);
    expect(after['ghl-task-complete-erp']).toEqual(['succeeded']);
    expect(fake.requests.filter((r) => r.method === 'PATCH')).toHaveLength(1);
    expect((await bridge.ghl.tasks.list(marie)).tasks).toEqual([expect.objectContaining({ id: ghlTask, completed: true })]);
    expect(await pollTasks()).toBe(0);
  });

  it('completed in the ERP first → GHL task completed → TaskComplete → erp.completeTask is a no-op; runs settle', async () => {
    fake.upsertTask({ id: 'T2', customerId: 'C1', subject: 'Send the invoice', dueDate: '2026-03-05T09:00:00Z', completed: false });
    expect(await pollTasks()).toBe(1);
    await quiet();
    const created = (await bridge.ghl.tasks.list(marie)).tasks.find((t) => t.title === 'Send the invoice')!;
    expect(created.completed).toBe(false);
    const before = await runs();
    const patches = fake.requests.filter((r) => r.method === 'PATCH').length;

    const done = fake.completeTask('T2');
    expect(await pollTasks()).toBe(1);
    await quiet();
    expect((await bridge.ghl.tasks.list(marie)).tasks.filter((t) => t.title === 'Send the invoice')).toEqual([expect.objectContaining({ id: created.id, completed: true })]);
    // the TaskComplete webhook of our own completion is an echo: no event, no way-back run, no PATCH
    expect((await ghlEvents()).filter((e) => e.type === 'TaskComplete')).toEqual([{ type: 'TaskComplete', erp: 'T1' }]);
    expect(fake.requests.filter((r) => r.method === 'PATCH').length).toBe(patches);
    expect(fake.task('T2')).toMatchObject({ completed: true, lastModifiedDateTime: done.lastModifiedDateTime });
    expect(await pollTasks()).toBe(0);
    await quiet();
    const after = await runs();
    expect(after['erp-tasks']).toEqual([...before['erp-tasks']!, 'succeeded']);
    expect(after['ghl-task-complete-erp']).toEqual(before['ghl-task-complete-erp']);
    expect(await bridge.runCount()).toBe(Object.values(after).flat().length);
    expect(await bridge.engine.runs({ status: 'dead' })).toEqual([]);
  });

  it('a task completed in GHL that no ERP task is linked to → skipped by the filter, nothing in the ERP', async () => {
    const own = await bridge.sb.api<{ task: { id: string } }>('POST', `/contacts/${marie}/tasks`, { body: { title: 'Made in GHL', dueDate: '2026-04-01T09:00:00Z', completed: false } });
    expect(own.status).toBe(201);
    const patches = fake.requests.filter((r) => r.method === 'PATCH').length;
    const before = await runs();
    expect((await bridge.sb.api('PUT', `/contacts/${marie}/tasks/${own.body.task.id}/completed`, { body: { completed: true } })).status).toBe(200);
    await quiet();
    expect((await ghlEvents()).at(-1)).toEqual({ type: 'TaskComplete', erp: null });
    expect((await runs())['ghl-task-complete-erp']).toEqual([...before['ghl-task-complete-erp']!, 'skipped']);
    expect(fake.requests.filter((r) => r.method === 'PATCH').length).toBe(patches);
  });
});

describe('email and firm change together', () => {
  // the planner PUTs the other changes (the new email) first and upserts only companyName, found by the new email
  it('an email-only customer changes email and firm at once → still one contact, the same id', async () => {
    fake.upsertCustomer({ id: 'C9', name: 'Paul Langevin', email: 'paul@old.test', companyName: 'ESPCI' });
    await bridge.runtime.poll(API, 'erp.customers.changed');
    await quiet();
    const paul = (await contactsOf('paul@old.test'))[0]!;
    const total = (await bridge.ghlContacts()).length;
    fake.upsertCustomer({ id: 'C9', email: 'paul@new.test', companyName: 'Collège de France' });
    await bridge.runtime.poll(API, 'erp.customers.changed');
    await quiet();
    expect(await bridge.engine.runs({ status: 'dead' })).toEqual([]);
    expect(await bridge.ghlContacts()).toHaveLength(total);
    expect(await contactsOf('paul@new.test')).toEqual([expect.objectContaining({ id: paul.id, companyName: 'Collège de France' })]);
  });
});
