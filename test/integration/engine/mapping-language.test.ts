import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectorActions, connectorRegistry, staticConnections } from '../../../src/connectors/runtime/index.js';
import { createAppFake, webhook, type AppFake } from '../../../src/connectors/webhook/index.js';
import { createEngine, type Engine } from '../../../src/engine/index.js';
import { parseRecipe, type Recipe } from '../../../src/engine/recipes/index.js';
import { createGhlClient } from '../../../src/ghl/index.js';
import { pgliteDatabase, type TestDatabase } from '../../support/databases.js';
import { startSandbox, type TestSandbox } from '../../support/sandbox.js';

/**
 * The mapping language's step outputs and relative dates through the real engine (PGlite), the GHL
 * sandbox and the webhook connector's `webhook.send` into the fake app: a new contact's id reaches
 * a note and an app action of the same run; a `now` due date is the event's time plus the offset
 * and stays put when the event is planned again.
 */

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

function recipe(yaml: string): Recipe {
  const parsed = parseRecipe(yaml);
  if (!parsed.ok) throw new Error(parsed.errors.map((e) => `${e.path}: ${e.message}`).join('\n'));
  return parsed.recipe;
}

const LINKED = recipe(`
id: users-linked
version: 1
trigger: { source: app, events: [user.created] }
connection: ghl-a
recordId: user.id
mapping:
  contact:
    email: { path: user.email, transforms: [email] }
    firstName: { path: user.name, transforms: [firstName, titleCase] }
actions:
  - type: upsertContact
  - type: note
    id: welcome
    sourceId: { template: "welcome-{{user.id}}" }
    body: { template: "Linked to GHL contact {{steps.contact.id}} ({{user.name}})" }
  - type: app
    connection: app-main
    action: webhook.send
    input:
      type: { value: contact.linked }
      data: steps.contact
      id: { template: "note-{{steps.welcome.id}}" }
`);

const FOLLOW_UP = recipe(`
id: users-follow-up
version: 1
trigger: { source: app, events: [user.signed-up] }
connection: ghl-a
recordId: user.id
mapping:
  contact:
    email: { path: user.email, transforms: [email] }
actions:
  - type: upsertContact
  - type: task
    sourceId: { template: "follow-up-{{user.id}}" }
    title: { value: Follow up }
    dueDate: { now: "+2d" }
  - type: task
    when: { path: user.plan, equals: pro }
    sourceId: { template: "pro-{{user.id}}" }
    title: { value: Pro onboarding }
    dueDate: { now: "+1bd", at: "09:00", timeZone: America/New_York }
  - type: app
    connection: app-gone
    action: webhook.send
    input: { type: { value: user.followed }, data: steps.contact }
`);

describe('mapping language end to end (PGlite, GHL sandbox, webhook.send)', () => {
  let t: TestDatabase;
  let sb: TestSandbox;
  let app: AppFake;
  let engine: Engine;
  const calls: string[] = [];

  beforeEach(async () => {
    calls.length = 0;
    t = await pgliteDatabase();
    sb = await startSandbox();
    app = await createAppFake({ secret: SECRET, retryDelaysMs: [] });
    const client = createGhlClient({ baseUrl: sb.url, auth: { privateIntegrationToken: sb.info.pit }, locationId: sb.info.locationId, retry: { maxAttempts: 2, baseDelayMs: 10 } });
    const apps = connectorActions({ registry: connectorRegistry([webhook]), connections: staticConnections([{ id: 'app-main', app: 'webhook', source: 'app', config: { sendUrl: app.inboxUrl }, secrets: { signingSecret: SECRET } }]) });
    engine = await createEngine({ db: t.db, ghl: async () => ({ client, locationId: sb.info.locationId }), apps, onCall: (op) => calls.push(op), maxAttempts: 2 });
    await engine.saveRecipe(LINKED);
    await engine.saveRecipe(FOLLOW_UP);
    await engine.startWorker({ concurrency: 1, pollingIntervalSeconds: 0.2 });
  });
  afterEach(async () => {
    await engine.close();
    await app.close();
    await sb.close();
    await t.drop().catch(() => undefined);
  });

  async function settle(): Promise<void> {
    for (let i = 0; i < 200; i++) {
      const open = (await engine.runs({ limit: 1000 })).filter((r) => r.status === 'queued' || r.status === 'running');
      if (open.length === 0) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('runs did not settle');
  }

  async function contactByEmail(email: string): Promise<Record<string, unknown>> {
    const { contacts } = (await sb.api<{ contacts: Array<Record<string, unknown>> }>('GET', `/_sandbox/locations/${sb.info.locationId}/contacts`, { token: null })).body;
    const found = contacts.find((c) => c.email === email);
    if (!found) throw new Error(`no contact ${email} in the sandbox`);
    return found;
  }

  it('gives a note and an app action the id of the contact the run created, as the journal records it', async () => {
    const dry = await engine.dryRun({ source: 'app', type: 'user.created', payload: { user: { id: 'u1', email: 'ada.linked@example.org', name: 'ada LOVELACE' } } });
    const planned = dry.find((d) => d.recipeId === 'users-linked')!.plan!;
    expect(planned.calls.map((c) => [c.operationId, c.body])).toEqual([
      ['upsert-contact', { email: 'ada.linked@example.org', firstName: 'Ada', locationId: sb.info.locationId }],
      ['create-note', { body: 'Linked to GHL contact <steps.contact.id: known after step 1> (ada LOVELACE)' }],
      ['webhook.send', { type: 'contact.linked', data: '<steps.contact: known after step 1>', id: 'note-<steps.welcome.id: known after step 2>' }],
    ]);

    const { runIds } = await engine.ingest({ source: 'app', externalId: 'e1', type: 'user.created', payload: { user: { id: 'u1', email: 'ada.linked@example.org', name: 'ada LOVELACE' } } });
    await settle();
    const run = (await engine.runs({ limit: 10 })).find((r) => r.id === runIds[0]);
    expect(run?.status, JSON.stringify(run?.error)).toBe('succeeded');
    const contact = await contactByEmail('ada.linked@example.org');
    const contactId = contact.id as string;
    expect(contact.firstName).toBe('Ada');
    const notes = (await sb.api<{ notes: Array<{ id: string; body: string }> }>('GET', `/contacts/${contactId}/notes`)).body.notes;
    expect(notes.map((n) => n.body)).toEqual([`Linked to GHL contact ${contactId} (ada LOVELACE)`]);
    expect(app.received).toEqual([{ id: `note-${notes[0]!.id}`, type: 'contact.linked', data: { id: contactId } }]);
    // what was sent is what the journal holds (a resumed run re-reads these outputs, never a placeholder)
    const { rows } = await t.db.query<{ step: number; request: { body: Record<string, unknown> } }>('select step, request from run_steps where run_id = $1 order by step', [runIds[0]]);
    expect(rows.map((r) => r.request.body)).toEqual([
      { email: 'ada.linked@example.org', firstName: 'Ada', locationId: sb.info.locationId },
      { body: `Linked to GHL contact ${contactId} (ada LOVELACE)` },
      { type: 'contact.linked', data: { id: contactId }, id: `note-${notes[0]!.id}` },
    ]);

    // planned again now that the ledger knows the contact and the note: their ids are filled in, nothing but the app action is sent
    const again = (await engine.dryRun({ source: 'app', type: 'user.created', payload: { user: { id: 'u1', email: 'ada.linked@example.org', name: 'ada LOVELACE' } } })).find((d) => d.recipeId === 'users-linked')!.plan!;
    expect(again.calls.map((c) => [c.operationId, c.body])).toEqual([['webhook.send', { type: 'contact.linked', data: { id: contactId }, id: `note-${notes[0]!.id}` }]]);
    expect(again.skipped.map((s) => s.action)).toEqual(['upsertContact', 'note:welcome-u1']);
  });

  it('writes a relative due date computed from the event time, and leaves it alone when the event is planned again', async () => {
    const user = { id: 'u2', email: 'grace.follow@example.org', plan: 'free' };
    const { eventId, runIds } = await engine.ingest({ source: 'app', externalId: 'e2', type: 'user.signed-up', payload: { user } });
    await settle();
    const run = (await engine.runs({ limit: 10 })).find((r) => r.id === runIds[0])!;
    expect(run.plan?.skipped).toContainEqual({ action: 'actions[2] (task)', reason: 'its "when" does not hold: user.plan equals "pro" is false (it is "free")' });
    const { rows } = await t.db.query<{ received_at: Date | string }>('select received_at from events where id = $1', [eventId]);
    const receivedAt = new Date(rows[0]!.received_at);
    const contactId = (await contactByEmail('grace.follow@example.org')).id as string;
    const tasks = (await sb.api<{ tasks: Array<{ title: string; dueDate: string }> }>('GET', `/contacts/${contactId}/tasks`)).body.tasks;
    expect(tasks.map((x) => [x.title, Date.parse(x.dueDate)])).toEqual([['Follow up', receivedAt.getTime() + 2 * 86_400_000]]);
    expect(calls).toEqual(['upsert-contact', 'create-task']); // GHL calls (the app step never reached an app)

    // the run died at its last step (its app connection is gone) after the task was created
    const dead = (await engine.runs({ limit: 10 })).find((r) => r.id === runIds[0])!;
    expect(dead.status).toBe('dead');
    expect(dead.error?.reason).toContain('app-gone');
    // a redelivery of the event is stored once; a replay plans the same stored event again, later: the same date, no GHL call
    calls.length = 0;
    expect(await engine.ingest({ source: 'app', externalId: 'e2', type: 'user.signed-up', payload: { user } })).toMatchObject({ duplicate: true, runIds: [] });
    await new Promise((r) => setTimeout(r, 1100)); // the clock moves on: "now" must not
    expect(await engine.replay([runIds[0]!])).toEqual([runIds[0]]);
    await settle();
    const second = (await engine.runs({ limit: 10 })).find((r) => r.id === runIds[0])!;
    expect(second.plan?.calls.map((c) => c.operationId)).toEqual(['webhook.send']);
    expect(second.plan?.skipped.map((s) => s.action)).toEqual(['actions[2] (task)', 'upsertContact', 'task:follow-up-u2']);
    expect(calls).toEqual([]);
    const after = (await sb.api<{ tasks: Array<{ dueDate: string }> }>('GET', `/contacts/${contactId}/tasks`)).body.tasks;
    expect(after.map((x) => Date.parse(x.dueDate))).toEqual([receivedAt.getTime() + 2 * 86_400_000]);
  });
  it('a run resumed after a failed step reads the earlier outputs from its journal', async () => {
    const user = { id: 'u3', email: 'alan.resume@example.org', name: 'alan turing' };
    // the note's create fails (503: it may have been stored, so the step stays "started" and the replay keeps the plan)
    expect((await sb.api('POST', '/_sandbox/faults', { token: null, body: { path: '/contacts/*/notes', method: 'POST', status: 503, rate: 1 } })).status).toBe(200);
    const { runIds } = await engine.ingest({ source: 'app', externalId: 'e3', type: 'user.created', payload: { user } });
    await settle();
    const dead = (await engine.runs({ limit: 10 })).find((r) => r.id === runIds[0])!;
    expect(dead.status).toBe('dead');
    await sb.api('DELETE', '/_sandbox/faults', { token: null });
    calls.length = 0;
    await engine.replay([runIds[0]!]);
    await settle();
    const run = (await engine.runs({ limit: 10 })).find((r) => r.id === runIds[0])!;
    expect(run.status, JSON.stringify(run.error)).toBe('succeeded');
    // step 1 (the contact) was not sent again: its id came from the journal
    expect(calls).toEqual(['get-all-notes', 'create-note']);
    const contactId = (await contactByEmail('alan.resume@example.org')).id as string;
    const notes = (await sb.api<{ notes: Array<{ id: string; body: string }> }>('GET', `/contacts/${contactId}/notes`)).body.notes;
    expect(notes.map((n) => n.body)).toEqual([`Linked to GHL contact ${contactId} (alan turing)`]);
    expect(app.received).toEqual([{ id: `note-${notes[0]!.id}`, type: 'contact.linked', data: { id: contactId } }]);
  });
});
