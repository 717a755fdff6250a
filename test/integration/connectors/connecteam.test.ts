import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connecteam } from '../../../src/connectors/connecteam/index.js';
import { createConnecteamFake, type ConnecteamFake, type FakeUser } from '../../../src/connectors/connecteam/fake.js';
import { toUserView, wireUserSchema } from '../../../src/connectors/connecteam/schemas.js';
import { userEventId } from '../../../src/connectors/connecteam/webhook.js';
import { connectorActions, connectorRegistry, staticConnections } from '../../../src/connectors/runtime/index.js';
import type { ConnectorConnection } from '../../../src/connectors/types.js';
import { readContactView } from '../../../src/engine/apply/contact-view.js';
import { parseRecipe } from '../../../src/engine/recipes/schema.js';
import { startBridge, type Bridge } from '../../support/bridge.js';
import { catalogCoverage } from '../../support/catalog-coverage.js';

/**
 * Recipe 8 end to end: the Connecteam fake (real HTTP, signed webhooks sent like the real app:
 * one `user_updated` per changed field) → the connector runtime → the engine on PGlite → the
 * GHL sandbox. Counts are read back from the sandbox and the events table. Every catalog entry
 * of connecteam is executed once for real (the last test checks none was left out).
 */

const CONNECTION = 'connecteam-main';
const ONBOARDING_TASKS = 3;
const STORED: ConnectorConnection = { id: CONNECTION, app: 'connecteam', source: 'connecteam', config: {}, secrets: { apiKey: 'ct-api-key', webhookSecret: 'ct-webhook-secret' } };

const coverage = catalogCoverage('connecteam');
let fake: ConnecteamFake;
let bridge: Bridge;
/** The engine's `type: app` port over the catalog actions (input checked by each action's schema). */
let apps: ReturnType<typeof connectorActions>;
/** The users the tests below follow from one step to the next (vitest runs them in order). */
let ada: FakeUser;
let bo: FakeUser;
/** Set to hold the fake's clock on one second (the real app stamps whole seconds). */
let frozenAt: number | undefined;
/** The event id of a user's state (webhook and poll give the same). */
const idOf = (u: FakeUser) => userEventId(toUserView(wireUserSchema.parse(u)));

beforeAll(async () => {
  fake = await createConnecteamFake({ apiKey: 'ct-api-key', webhookSecret: 'ct-webhook-secret', retryDelaysMs: [20, 20, 20], now: () => frozenAt ?? Math.floor(Date.now() / 1000) });
  bridge = await startBridge({
    connectors: [connecteam],
    connections: () => [{ ...STORED, config: { baseUrl: fake.url } }],
    recipes: ['connecteam-users', 'connecteam-archive'],
  });
  fake.setWebhookUrl(bridge.hookUrl(CONNECTION));
  apps = connectorActions({ registry: connectorRegistry([connecteam]), connections: staticConnections([{ ...STORED, config: { baseUrl: fake.url } }]) });
}, 60_000);

afterAll(async () => {
  await fake?.close();
  await bridge?.close();
});

async function contactsOf(email: string) {
  return (await bridge.ghlContacts()).filter((c) => c.email === email);
}

/** The contacts this test made (the sandbox location comes seeded with a few of its own). */
async function connecteamContacts() {
  return (await bridge.ghlContacts()).filter((c) => c.source === 'Connecteam');
}

async function tasksOf(contactId: string) {
  return (await bridge.ghl.tasks.list(contactId)).tasks;
}

/** Runs a catalog action against the fake through the engine's app port and marks it executed. */
async function act<T>(actionId: string, input: Record<string, unknown>): Promise<T> {
  const out = (await apps.run(CONNECTION, actionId, input)) as T;
  coverage.ran(actionId);
  return out;
}

/** Engine events stored for one Connecteam user. */
async function eventsOf(user: FakeUser): Promise<Array<{ external_id: string; type: string }>> {
  const { rows } = await bridge.db.db.query<{ external_id: string; type: string }>(
    `select external_id, type from events where source = 'connecteam' and external_id like $1 order by id`,
    [`user:${user.userId}:%`],
  );
  return rows;
}

// valid numbers (libphonenumber refuses 555-01xx in most area codes)
const phones: Record<string, string> = { Ada: '+14155550131', Bo: '+14155550132', Cy: '+14155550133', Di: '+14155550134' };
const person = (n: string) => ({ firstName: n, lastName: 'Walker', phoneNumber: phones[n]!, email: `${n.toLowerCase()}.walker@example.com` });

describe('Connecteam users → GHL (recipes connecteam-users, connecteam-archive)', () => {
  it('ships valid recipe files', () => {
    for (const name of ['connecteam-users', 'connecteam-archive']) {
      const parsed = parseRecipe(readFileSync(join(import.meta.dirname, '../../../recipes', `${name}.yaml`), 'utf8'));
      expect(parsed.ok, name).toBe(true);
      if (parsed.ok) expect(parsed.recipe).toMatchObject({ trigger: { source: 'connecteam' }, connection: 'ghl-main' });
    }
  });

  it('user created → exactly one GHL contact with exactly the onboarding tasks', async () => {
    ada = await fake.createUser({ ...person('Ada'), customFields: [{ customFieldId: 7600001, value: 'EMP-001' }] });
    await bridge.settle();
    const delivery = fake.deliveries().at(-1)!;
    expect(delivery.attempts.map((a) => a.status)).toEqual([200]);

    const contacts = await contactsOf('ada.walker@example.com');
    expect(contacts).toHaveLength(1);
    expect(contacts[0]).toMatchObject({ firstName: 'Ada', lastName: 'Walker', phone: '+14155550131', source: 'Connecteam' });
    expect(contacts[0]!.tags).toEqual(['employee']);
    const tasks = await tasksOf(contacts[0]!.id);
    expect(tasks).toHaveLength(ONBOARDING_TASKS);
    expect(tasks.map((t) => t.title).sort()).toEqual(['Onboarding: check the Connecteam app is set up', 'Onboarding: collect signed paperwork', 'Onboarding: schedule the first shift']);
    expect(new Set(tasks.map((t) => t.dueDate))).toEqual(new Set([new Date(ada.createdAt * 1000).toISOString()]));
    expect(await eventsOf(ada)).toEqual([{ external_id: idOf(ada), type: 'user.created' }]);
    coverage.ran('connecteam.user.created');
  });

  it('a 3-field edit → 3 deliveries, ONE engine event, the contact updated, no duplicate tasks', async () => {
    const deliveriesBefore = fake.deliveries().length;
    const runsBefore = await bridge.runCount();
    const { user, changed } = await fake.updateUser(ada.userId, { firstName: 'Adaline', lastName: 'Walkers', email: 'adaline.walkers@example.com' });
    expect(changed).toEqual(['firstName', 'lastName', 'email']);
    await bridge.settle();

    const burst = fake.deliveries().slice(deliveriesBefore);
    expect(burst).toHaveLength(3);
    for (const d of burst) {
      expect(d.delivered).toBe(true);
      expect(JSON.parse(d.body)).toMatchObject({ eventType: 'user_updated', data: [{ userId: ada.userId, modifiedAt: user.modifiedAt }] });
    }
    expect(await eventsOf(ada)).toEqual([
      { external_id: idOf(ada), type: 'user.created' },
      { external_id: idOf(user), type: 'user.updated' },
    ]);
    expect(await bridge.runCount()).toBe(runsBefore + 1);

    const all = await connecteamContacts();
    expect(await contactsOf('ada.walker@example.com')).toEqual([]);
    const updated = await contactsOf('adaline.walkers@example.com');
    expect(updated).toHaveLength(1);
    expect(updated[0]).toMatchObject({ firstName: 'Adaline', lastName: 'Walkers' });
    expect(all).toHaveLength(1);
    expect(await tasksOf(updated[0]!.id)).toHaveLength(ONBOARDING_TASKS);
    coverage.ran('connecteam.user.updated');
    ada = user;
  });

  it('archive → the contact is kept and tagged inactive', async () => {
    const archived = await fake.archiveUser(ada.userId);
    await bridge.settle();
    const [contact, ...others] = await contactsOf('adaline.walkers@example.com');
    expect(others).toEqual([]);
    expect([...contact!.tags].sort()).toEqual(['employee', 'inactive']);
    // the webhook carries only the id (and is sent a second later): the archive is named by its archivedAt, read back
    expect(JSON.parse(fake.deliveries().at(-1)!.body).eventTimestamp).toBe(archived.archivedAt! + 1);
    expect((await eventsOf(ada)).at(-1)).toEqual({ external_id: `user:${ada.userId}:archived:${archived.archivedAt}`, type: 'user.archived' });
    coverage.ran('connecteam.user.archived');
    ada = archived;
  });

  it('the same users seen again by polling → deduplicated: still one contact, no new run', async () => {
    const runsBefore = await bridge.runCount();
    const report = await bridge.runtime.poll(CONNECTION, 'connecteam.users.changed');
    expect(report).toMatchObject({ ingested: 0, duplicates: 1, pages: 1 });
    await bridge.settle();
    expect(await bridge.runCount()).toBe(runsBefore);
    expect(await connecteamContacts()).toHaveLength(1);
    expect(await tasksOf((await contactsOf('adaline.walkers@example.com'))[0]!.id)).toHaveLength(ONBOARDING_TASKS);
  });

  it('a change missed by webhooks is picked up by the poll, once', async () => {
    fake.setWebhookUrl(undefined);
    bo = await fake.createUser(person('Bo'));
    fake.setWebhookUrl(bridge.hookUrl(CONNECTION));
    const first = await bridge.runtime.poll(CONNECTION, 'connecteam.users.changed');
    expect(first.ingested).toBe(1);
    // the webhook that was missed arrives late (Connecteam retries): same id, deduplicated
    await fake.emit('user_created', [bo]);
    const again = await bridge.runtime.poll(CONNECTION, 'connecteam.users.changed');
    expect(again.ingested).toBe(0);
    await bridge.settle();
    const contacts = await contactsOf('bo.walker@example.com');
    expect(contacts).toHaveLength(1);
    expect(await tasksOf(contacts[0]!.id)).toHaveLength(ONBOARDING_TASKS);
    expect(await eventsOf(bo)).toEqual([{ external_id: idOf(bo), type: 'user.created' }]);
    coverage.ran('connecteam.users.changed');
  });

  it('a bad signature → 401, recorded, not enqueued; a malformed envelope → 400 naming the field', async () => {
    const eventsBefore = (await bridge.db.db.query<{ n: string }>('select count(*) as n from events')).rows[0]!.n;
    const rejectionsBefore = (await bridge.runtime.rejections({ connectionId: CONNECTION })).length;
    const forged = await fake.emit('user_created', [{ ...ada, userId: 9999999, email: 'forged@example.com' }], { secret: 'not-the-secret' });
    expect(forged!.attempts.map((a) => a.status)).toEqual([401, 401, 401, 401]); // first try + 3 retries
    const malformed = await fake.emit('user_created', { userId: 1 } as unknown as unknown[]);
    expect(malformed!.attempts[0]!.status).toBe(400);

    const rejections = (await bridge.runtime.rejections({ connectionId: CONNECTION })).slice(0, -rejectionsBefore || undefined);
    expect(rejections.filter((r) => r.status === 401 && r.reason === 'bad-signature')).toHaveLength(4);
    expect(rejections.filter((r) => r.status === 400)[0]).toMatchObject({ reason: 'malformed', detail: expect.stringMatching(/^data: .*required: an array/) });
    for (const r of rejections) expect(JSON.stringify(r.headers)).not.toContain(forged!.headers['x-connecteam-signature']!);
    expect((await bridge.db.db.query<{ n: string }>('select count(*) as n from events')).rows[0]!.n).toBe(eventsBefore);
    expect(await contactsOf('forged@example.com')).toEqual([]);
  });

  it('user restored → the event is stored once; no recipe listens, so no run', async () => {
    const runsBefore = await bridge.runCount();
    const restored = await fake.restoreUser(ada.userId);
    expect(restored.isArchived).toBe(false);
    expect(fake.deliveries().at(-1)!.attempts.map((a) => a.status)).toEqual([200]);
    const sentAt = (JSON.parse(fake.deliveries().at(-1)!.body) as { eventTimestamp: number }).eventTimestamp;
    await bridge.settle();
    expect((await eventsOf(ada)).at(-1)).toEqual({ external_id: `user:${ada.userId}:user_restored:${sentAt}`, type: 'user.restored' });
    expect(await bridge.runCount()).toBe(runsBefore);
    coverage.ran('connecteam.user.restored');
    ada = restored;
  });

  it('user deleted → the event is stored and the contact is kept, tagged inactive', async () => {
    const cy = await fake.createUser(person('Cy'));
    await bridge.settle();
    const [created, ...dupes] = await contactsOf('cy.walker@example.com');
    expect(dupes).toEqual([]);
    expect(created!.tags).toEqual(['employee']);

    await fake.deleteUser(cy.userId);
    expect(fake.deliveries().at(-1)!.attempts.map((a) => a.status)).toEqual([200]);
    await bridge.settle();
    const events = await eventsOf(cy);
    expect(events).toHaveLength(2);
    expect(events[1]).toEqual({ external_id: expect.stringMatching(new RegExp(`^user:${cy.userId}:user_deleted:\\d+$`)), type: 'user.deleted' });
    const after = await contactsOf('cy.walker@example.com');
    expect(after.map((c) => c.id)).toEqual([created!.id]);
    expect([...after[0]!.tags].sort()).toEqual(['employee', 'inactive']);
    expect(fake.state().users.map((u) => u.userId)).not.toContain(cy.userId);
    coverage.ran('connecteam.user.deleted');
  });

});

describe('Connecteam catalog actions against the fake (the engine app port)', () => {
  it('me → the account of the API key', async () => {
    expect(await act('connecteam.me', {})).toEqual({ companyName: 'Fake Co', companyId: 'fake-company-1' });
  });

  it('listCustomFields → every custom field setting of the company', async () => {
    const { customFields } = await act<{ customFields: Array<{ id: number; name: string; type: string }> }>('connecteam.listCustomFields', {});
    expect(customFields.map((f) => [f.id, f.name, f.type])).toEqual([
      [6200001, 'Employment Start Date', 'date'],
      [6200002, 'Direct manager', 'directManager'],
      [7600001, 'Employee ID', 'str'],
      [7600002, 'Department', 'str'],
    ]);
  });

  it('listUsers → one page, filtered by status', async () => {
    const all = await act<{ users: Array<{ id: string; email?: string; isArchived?: boolean }>; nextOffset: number | null }>('connecteam.listUsers', { userStatus: 'all', limit: 10 });
    // Cy was deleted: only Ada and Bo are left
    expect(all).toEqual({ users: [expect.objectContaining({ id: String(ada.userId), email: 'adaline.walkers@example.com', isArchived: false }), expect.objectContaining({ id: String(bo.userId), email: 'bo.walker@example.com' })], nextOffset: null });
    const paged = await act<{ users: Array<{ id: string }>; nextOffset: number | null }>('connecteam.listUsers', { limit: 1 });
    expect(paged).toEqual({ users: [expect.objectContaining({ id: String(ada.userId) })], nextOffset: 1 });
    const archived = await act<{ users: unknown[] }>('connecteam.listUsers', { userStatus: 'archived' });
    expect(archived.users).toEqual([]);
  });

  it('getUser → the user by id (a ledger link, as text), null for an unknown id', async () => {
    const { user } = await act<{ user: Record<string, unknown> | null }>('connecteam.getUser', { userId: String(ada.userId) });
    expect(user).toMatchObject({ id: String(ada.userId), userId: ada.userId, name: 'Adaline Walkers', email: 'adaline.walkers@example.com', phone: '+14155550131', customFields: { 'Employee ID': 'EMP-001' } });
    expect(await act('connecteam.getUser', { userId: 9999998 })).toEqual({ user: null });
  });

  it('addUserNote → the note is stored on the user in Connecteam', async () => {
    const note = await act<{ id: number; title?: string; text: string }>('connecteam.addUserNote', { userId: ada.userId, title: 'Bridge', text: 'Synced to HighLevel' });
    expect(note).toMatchObject({ title: 'Bridge', text: 'Synced to HighLevel' });
    expect(fake.state().notes.filter((n) => n.userId === ada.userId)).toEqual([expect.objectContaining({ id: note.id, title: 'Bridge', text: 'Synced to HighLevel' })]);
  });

  it('updateUser → the user changes in Connecteam and, through its webhook, the GHL contact', async () => {
    const runsBefore = await bridge.runCount();
    const { user } = await act<{ user: { firstName?: string; modifiedAt?: number } | null }>('connecteam.updateUser', { userId: String(bo.userId), firstName: 'Bob' });
    expect(user).toMatchObject({ firstName: 'Bob', lastName: 'Walker' });
    expect(fake.state().users.find((u) => u.userId === bo.userId)).toMatchObject({ firstName: 'Bob' });
    await bridge.settle();
    expect(await bridge.runCount()).toBe(runsBefore + 1);
    expect((await eventsOf(bo)).at(-1)).toEqual({ external_id: idOf(fake.state().users.find((u) => u.userId === bo.userId)!), type: 'user.updated' });
    const contacts = await contactsOf('bo.walker@example.com');
    expect(contacts).toHaveLength(1);
    expect(contacts[0]).toMatchObject({ firstName: 'Bob', lastName: 'Walker' });
    expect(await tasksOf(contacts[0]!.id)).toHaveLength(ONBOARDING_TASKS);
  });

  it('pushContactView → the GHL contact view (read from the sandbox) as a Connecteam user note', async () => {
    const [contact] = await contactsOf('bo.walker@example.com');
    await bridge.ghl.notes.create(contact!.id, { body: 'Prefers morning shifts' }, { locationId: bridge.locationId });
    const view = await readContactView(bridge.ghl, contact!.id, { locationId: bridge.locationId });
    expect([view.tasks.length, view.notes.length, view.appointments.length]).toEqual([ONBOARDING_TASKS, 1, 0]);

    const note = await act<{ id: number; title?: string; text: string }>('connecteam.pushContactView', { userId: bo.userId, contactView: view });
    const lines = note.text.split('\n');
    expect(lines[0]).toBe('GHL contact: Bob Walker · bo.walker@example.com · +14155550132');
    expect(lines.slice(1, 3)).toEqual(['Tags: employee', expect.stringMatching(/^Open tasks \(3 of 3\): Onboarding: /)]);
    expect(lines[3]).toBe('Notes (1); latest: Prefers morning shifts');
    expect(lines).toHaveLength(4);
    expect(fake.state().notes.filter((n) => n.userId === bo.userId)).toEqual([expect.objectContaining({ id: note.id, title: 'HighLevel contact', text: note.text })]);
  });

  it('archiveUser → archived in Connecteam and, through its webhook, the GHL contact tagged inactive', async () => {
    expect(await act('connecteam.archiveUser', { userId: bo.userId })).toEqual({ success: true });
    const stored = fake.state().users.find((u) => u.userId === bo.userId)!;
    expect(stored).toMatchObject({ isArchived: true });
    await bridge.settle();
    expect((await eventsOf(bo)).at(-1)).toEqual({ external_id: `user:${bo.userId}:archived:${stored.archivedAt}`, type: 'user.archived' });
    const contacts = await contactsOf('bo.walker@example.com');
    expect(contacts).toHaveLength(1);
    expect([...contacts[0]!.tags].sort()).toEqual(['employee', 'inactive']);
  });

  it('a bad action input is refused before any call, naming the field', async () => {
    const requestsBefore = fake.state().requests.length;
    await expect(apps.run(CONNECTION, 'connecteam.addUserNote', { userId: 'abc', text: 'x' })).rejects.toThrow(/userId: a Connecteam user id \(digits\)/);
    expect(fake.state().requests).toHaveLength(requestsBefore);
  });

  it('executed every connecteam catalog entry', () => {
    expect(coverage.ids).toHaveLength(14);
    coverage.assertComplete();
  });
});

describe('Connecteam event ids: same-second edits, an archive seen twice', () => {
  it('two different edits in the same second → two events, the contact ends with the second', async () => {
    const di = await fake.createUser(person('Di'));
    await bridge.settle();
    frozenAt = Math.floor(Date.now() / 1000);
    try {
      const first = (await fake.updateUser(di.userId, { lastName: 'Stone' })).user;
      await bridge.settle();
      const second = (await fake.updateUser(di.userId, { lastName: 'Slate', firstName: 'Dina' })).user;
      await bridge.settle();
      expect(second.modifiedAt).toBe(first.modifiedAt);
      expect(await eventsOf(di)).toEqual([
        { external_id: idOf(di), type: 'user.created' },
        { external_id: idOf(first), type: 'user.updated' },
        { external_id: idOf(second), type: 'user.updated' },
      ]);
      const contacts = await contactsOf('di.walker@example.com');
      expect(contacts).toHaveLength(1);
      expect(contacts[0]).toMatchObject({ firstName: 'Dina', lastName: 'Slate' });
    } finally {
      frozenAt = undefined;
    }
  });

  it('an archive seen by the webhook and by the poll → one event', async () => {
    const di = fake.state().users.find((u) => u.email === 'di.walker@example.com')!;
    const archived = await fake.archiveUser(di.userId);
    await bridge.settle();
    const sent = JSON.parse(fake.deliveries().at(-1)!.body) as { eventTimestamp: number; data: unknown[] };
    expect(sent.data).toEqual([{ userId: di.userId }]);
    expect(sent.eventTimestamp).not.toBe(archived.archivedAt);
    await bridge.runtime.poll(CONNECTION, 'connecteam.users.changed');
    await bridge.settle();
    expect((await eventsOf(di)).filter((e) => e.type === 'user.archived')).toEqual([{ external_id: `user:${di.userId}:archived:${archived.archivedAt}`, type: 'user.archived' }]);
    const [contact, ...others] = await contactsOf('di.walker@example.com');
    expect(others).toEqual([]);
    expect([...contact!.tags].sort()).toEqual(['employee', 'inactive']);
  });
});
