import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ghl, type GhlConnection } from '../../../src/connectors/ghl/index.js';
import { ALL_CONNECTORS, buildCatalog } from '../../../src/connectors/index.js';
import { connectorActions, connectorRegistry, staticConnections } from '../../../src/connectors/runtime/index.js';
import type { ConnectorConnection } from '../../../src/connectors/types.js';
import { catalogCoverage } from '../../support/catalog-coverage.js';
import { startSandbox, type TestSandbox } from '../../support/sandbox.js';

/**
 * "Every catalog entry executed": each of the 33 `ghl.*` actions runs once against the real
 * sandbox through the engine's app port (input validated by its own schema), and its effect is
 * checked in the sandbox state. The ghl triggers are executed in ghl.test.ts; each file lists what
 * it owns and checks its list is exactly the catalog's entries of that kind.
 */

/** The ghl catalog entries this file owns: every action (the triggers: ghl.test.ts). */
const OWNED = [
  'ghl.appointments.list', 'ghl.businesses.bulkUpdate', 'ghl.campaigns.add', 'ghl.campaigns.remove', 'ghl.campaigns.removeAll',
  'ghl.contacts.create', 'ghl.contacts.delete', 'ghl.contacts.findDuplicate', 'ghl.contacts.get', 'ghl.contacts.list',
  'ghl.contacts.listByBusiness', 'ghl.contacts.search', 'ghl.contacts.update', 'ghl.contacts.upsert', 'ghl.contactView',
  'ghl.followers.add', 'ghl.followers.remove', 'ghl.notes.create', 'ghl.notes.delete', 'ghl.notes.get', 'ghl.notes.list',
  'ghl.notes.update', 'ghl.tags.add', 'ghl.tags.bulkUpdate', 'ghl.tags.remove', 'ghl.tasks.complete', 'ghl.tasks.create',
  'ghl.tasks.delete', 'ghl.tasks.get', 'ghl.tasks.list', 'ghl.tasks.update', 'ghl.workflows.add', 'ghl.workflows.remove',
];
const CONNECTION = 'ghl-main';

const coverage = catalogCoverage('ghl');
let sb: TestSandbox;
let stored: ConnectorConnection;
/** The engine's `type: app` port over the catalog actions. */
let apps: ReturnType<typeof connectorActions>;

interface StoredContact {
  id: string;
  email?: string;
  firstName?: string;
  lastName?: string;
  tags: string[];
  followers: string[];
  campaigns: string[];
  workflows: Array<{ workflowId: string }>;
  businessId?: string;
}

/** Runs a catalog action against the sandbox through the engine's app port and marks it executed. */
async function run<T = Record<string, unknown>>(id: string, input: Record<string, unknown>): Promise<T> {
  const out = (await apps.run(CONNECTION, id, input)) as T;
  coverage.ran(id);
  return out;
}

async function contacts(): Promise<StoredContact[]> {
  return (await sb.api<{ contacts: StoredContact[] }>('GET', `/_sandbox/locations/${sb.info.locationId}/contacts`, { token: null })).body.contacts;
}

async function contact(id: string): Promise<StoredContact | undefined> {
  return (await contacts()).find((c) => c.id === id);
}

beforeAll(async () => {
  sb = await startSandbox();
  stored = { id: CONNECTION, app: 'ghl', source: 'ghl', config: { baseUrl: sb.url, locationId: sb.info.locationId, webhookPublicKey: sb.info.webhookPublicKey }, secrets: { token: sb.info.pit } };
  apps = connectorActions({ registry: connectorRegistry([ghl]), connections: staticConnections([stored]) });
});
afterAll(() => sb.close());

describe('the ghl catalog against the sandbox', () => {
  it('runs every action once, with its effect in the sandbox', async () => {
    const before = (await contacts()).length;

    // contacts
    const up = await run<{ new: boolean; contact: { id: string } }>('ghl.contacts.upsert', { body: { email: 'Cat@Example.com', firstName: 'Cat' } });
    expect(up.new).toBe(true);
    const id = up.contact.id;
    const again = await run<{ new: boolean; contact: { id: string } }>('ghl.contacts.upsert', { body: { email: 'cat@example.com', lastName: 'Alog' } });
    expect(again).toMatchObject({ new: false, contact: { id } });
    const created = await run<{ contact: { id: string } }>('ghl.contacts.create', { body: { email: 'other@example.com' } });
    expect((await contacts()).length).toBe(before + 2);
    expect((await run<{ contact: { email: string } }>('ghl.contacts.get', { contactId: id })).contact.email).toBe('cat@example.com');
    await run('ghl.contacts.update', { contactId: id, body: { lastName: 'Updated' } });
    expect((await contact(id))!.lastName).toBe('Updated');
    expect((await run<{ contact: { id: string } | null }>('ghl.contacts.findDuplicate', { query: { email: 'cat@example.com' } })).contact!.id).toBe(id);
    const listed = await run<{ contacts: unknown[]; count: number }>('ghl.contacts.list', { query: { limit: 100 } });
    expect(listed.contacts).toHaveLength(before + 2);
    const searched = await run<{ contacts: Array<{ id: string }>; total: number }>('ghl.contacts.search', { body: { pageLimit: 10, query: 'cat@example.com' } });
    expect(searched.contacts.map((c) => c.id)).toEqual([id]);

    // businesses
    await run('ghl.businesses.bulkUpdate', { body: { ids: [id], businessId: 'biz-1' } });
    expect((await contact(id))!.businessId).toBe('biz-1');
    const byBiz = await run<{ contacts: Array<{ id: string }> }>('ghl.contacts.listByBusiness', { businessId: 'biz-1' });
    expect(byBiz.contacts.map((c) => c.id)).toEqual([id]);

    // tags
    await run('ghl.tags.add', { contactId: id, body: { tags: ['VIP', 'b'] } });
    await run('ghl.tags.remove', { contactId: id, body: { tags: ['b'] } });
    await run('ghl.tags.bulkUpdate', { type: 'add', body: { contacts: [id, created.contact.id], tags: ['bulk'] } });
    expect((await contact(id))!.tags.sort()).toEqual(['bulk', 'vip']);
    expect((await contact(created.contact.id))!.tags).toEqual(['bulk']);

    // tasks
    const task = await run<{ task: { id: string } }>('ghl.tasks.create', { contactId: id, body: { title: 'Call', dueDate: '2026-12-01T10:00:00Z', completed: false } });
    const taskId = task.task.id;
    expect((await run<{ tasks: unknown[] }>('ghl.tasks.list', { contactId: id })).tasks).toHaveLength(1);
    await run('ghl.tasks.update', { contactId: id, taskId, body: { title: 'Call back' } });
    expect((await run<{ task: { completed: boolean } }>('ghl.tasks.complete', { contactId: id, taskId, body: { completed: true } })).task.completed).toBe(true);
    expect((await run<{ task: { title: string; completed: boolean } }>('ghl.tasks.get', { contactId: id, taskId })).task).toMatchObject({ title: 'Call back', completed: true });

    // notes (the spec names the note id `id`)
    const note = await run<{ note: { id: string } }>('ghl.notes.create', { contactId: id, body: { body: 'First' } });
    await run('ghl.notes.update', { contactId: id, id: note.note.id, body: { body: 'Edited' } });
    expect((await run<{ note: { body: string } }>('ghl.notes.get', { contactId: id, id: note.note.id })).note.body).toBe('Edited');
    expect((await run<{ notes: unknown[] }>('ghl.notes.list', { contactId: id })).notes).toHaveLength(1);

    // the 360° view while the task and note exist
    const view = await run<{ contact: { id: string }; tasks: unknown[]; notes: unknown[]; appointments: unknown[] }>('ghl.contactView', { contactId: id });
    expect([view.contact.id, view.tasks.length, view.notes.length, view.appointments.length]).toEqual([id, 1, 1, 0]);

    await run('ghl.tasks.delete', { contactId: id, taskId });
    await run('ghl.notes.delete', { contactId: id, id: note.note.id });
    expect((await run<{ tasks: unknown[] }>('ghl.tasks.list', { contactId: id })).tasks).toHaveLength(0);
    expect((await run<{ notes: unknown[] }>('ghl.notes.list', { contactId: id })).notes).toHaveLength(0);

    // followers, campaigns, workflows
    const state = await sb.api<{ users: Record<string, { id: string }> }>('GET', '/_sandbox/state', { token: null });
    const userId = Object.keys(state.body.users)[0]!;
    await run('ghl.followers.add', { contactId: id, body: { followers: [userId] } });
    expect((await contact(id))!.followers).toEqual([userId]);
    await run('ghl.followers.remove', { contactId: id, body: { followers: [userId] } });
    expect((await contact(id))!.followers).toEqual([]);
    await run('ghl.campaigns.add', { contactId: id, campaignId: 'camp-1' });
    await run('ghl.campaigns.add', { contactId: id, campaignId: 'camp-2' });
    await run('ghl.campaigns.remove', { contactId: id, campaignId: 'camp-1' });
    expect((await contact(id))!.campaigns).toEqual(['camp-2']);
    await run('ghl.campaigns.removeAll', { contactId: id });
    expect((await contact(id))!.campaigns).toEqual([]);
    await run('ghl.workflows.add', { contactId: id, workflowId: 'wf-1', body: { eventStartTime: '2026-12-01T10:00:00Z' } });
    expect((await contact(id))!.workflows).toEqual([{ workflowId: 'wf-1', eventStartTime: '2026-12-01T10:00:00Z' }]);
    await run('ghl.workflows.remove', { contactId: id, workflowId: 'wf-1' });
    expect((await contact(id))!.workflows).toEqual([]);

    // appointments: a seeded contact that has one
    const seeded = await sb.api<{ appointments: Record<string, { contactId: string }> }>('GET', '/_sandbox/state', { token: null });
    const withAppointment = Object.values(seeded.body.appointments)[0]!.contactId;
    expect((await run<{ events: unknown[] }>('ghl.appointments.list', { contactId: withAppointment })).events).toHaveLength(1);

    await run('ghl.contacts.delete', { contactId: created.contact.id });
    expect((await contacts()).length).toBe(before + 1);
    expect((await contact(created.contact.id))).toBeUndefined();
  });

  it('a bad input names the field before any call', async () => {
    const action = ghl.actions.find((a) => a.id === 'ghl.tasks.complete')!;
    const result = action.input.safeParse({ contactId: 'c', body: { completed: true } });
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]!.path).toEqual(['taskId']);
    await expect(apps.run(CONNECTION, 'ghl.tasks.complete', { contactId: 'c', body: { completed: true } })).rejects.toThrow(/taskId/);
  });

  it('an HighLevel refusal surfaces as the typed error (from the action) and with its status (through the app port)', async () => {
    const conn: GhlConnection = ghl.connection(stored);
    const get = ghl.actions.find((a) => a.id === 'ghl.contacts.get')!;
    const create = ghl.actions.find((a) => a.id === 'ghl.contacts.create')!;
    await expect(get.run({ conn }, get.input.parse({ contactId: 'no-such-contact' }))).rejects.toMatchObject({ status: 400 });
    await expect(create.run({ conn }, create.input.parse({ body: { email: 'cat@example.com' } }))).rejects.toMatchObject({ status: 400, existingContactId: expect.any(String) as string });
    await expect(apps.run(CONNECTION, 'ghl.contacts.get', { contactId: 'no-such-contact' })).rejects.toMatchObject({ status: 400, retryable: false });
  });

  it('executed every ghl action (the triggers: ghl.test.ts)', () => {
    const actions = buildCatalog(ALL_CONNECTORS).filter((e) => e.app === 'ghl' && e.kind === 'action').map((e) => e.id);
    expect([...OWNED].sort()).toEqual(actions.sort());
    expect(coverage.missing().filter((id) => OWNED.includes(id))).toEqual([]);
    // what is left is exactly the triggers, which ghl.test.ts owns and asserts
    expect(coverage.missing()).toEqual(coverage.ids.filter((id) => !actions.includes(id)));
  });
});
