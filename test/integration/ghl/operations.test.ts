/**
 * Every contacts operation through the typed methods, over real HTTP against the sandbox. Each
 * test checks the values HighLevel (the sandbox) answers, the answer against the route's schema,
 * and where the API does not show it (campaigns, workflows) the sandbox's stored state. The last
 * test holds the operation ids sent against the spec's 32 contacts routes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  GhlDuplicateContactError, GhlForbiddenError, GhlNetworkError, GhlNotFoundError, GhlValidationError,
} from '../../../src/ghl/core/errors.js';
import type { Contact, GhlOperations } from '../../../src/ghl/operations/index.js';
import { routes } from '../../../src/spec/index.js';
import { responseErrors, routeById, successStatus } from '../../support/schemas.js';
import { startSandbox, type TestSandbox } from '../../support/sandbox.js';
import { clientFor, storedContact, type Client } from './operations-support.js';

let sb: TestSandbox;
let client: Client;
let ghl: GhlOperations;
let dental: string;
let realty: string;
let ada: Contact;
let lin: Contact;
const BUSINESS = '641c094001436dbc2081e642';

/** The answer conforms to the schema of the route's success status. */
function conforms(operationId: string, body: unknown): void {
  const route = routeById(operationId);
  expect(responseErrors(route, successStatus(route), body)).toEqual([]);
}

beforeAll(async () => {
  sb = await startSandbox();
  client = clientFor(sb);
  ghl = client.ghl;
  dental = sb.info.locationId;
  realty = sb.info.locations.find((l) => l.id !== dental)!.id;
  const found = await ghl.contacts.findDuplicate({ email: 'ada@example.com' });
  ada = found.contact!;
});

afterAll(async () => {
  await sb?.close();
});

describe('contacts', () => {
  it('create stores the contact and answers it (201), with custom field by key and date of birth', async () => {
    const created = await ghl.contacts.create({
      firstName: 'Lin',
      lastName: 'Okafor',
      email: 'Lin.Okafor@Example.com',
      phone: '(415) 555-0199',
      tags: [' Patient ', 'NEW'],
      dateOfBirth: '05/17/1990',
      customFields: [{ key: 'favourite_colour', field_value: 'teal' }],
      source: 'typed client',
    });
    conforms('create-contact', created);
    expect(created.contact).toMatchObject({
      firstName: 'Lin', lastName: 'Okafor', email: 'Lin.Okafor@Example.com', phone: '+14155550199', tags: ['patient', 'new'],
      dateOfBirth: '1990-05-17T00:00:00.000Z', locationId: dental, source: 'typed client',
    });
    expect(created.contact.customFields).toEqual([{ id: expect.any(String), value: 'teal' }]);
    expect(created.contact.id).toMatch(/^[A-Za-z0-9]{20}$/);
    const { contact } = await ghl.contacts.get(created.contact.id);
    lin = contact;
  });

  it('create refuses a duplicate with the existing contact id', async () => {
    const error = await ghl.contacts.create({ email: 'lin.okafor@example.com' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GhlDuplicateContactError);
    expect(error).toMatchObject({ existingContactId: lin.id, matchingField: 'email', operationId: 'create-contact' });
  });

  it('get answers the contact (and a path-only call can name its location)', async () => {
    const answer = await ghl.contacts.get(lin.id, { locationId: dental });
    conforms('get-contact', answer);
    expect(answer.contact).toMatchObject({ id: lin.id, name: 'Lin Okafor', emailLowerCase: 'lin.okafor@example.com', fullNameLowerCase: 'lin okafor' });
  });

  it('get maps unknown ids and other locations to typed errors', async () => {
    await expect(ghl.contacts.get('NoSuchContact0000000')).rejects.toBeInstanceOf(GhlNotFoundError);
    const tim = (await clientFor(sb, realty, await realtyPit()).ghl.contacts.findDuplicate({ email: 'tim@example.org' })).contact!;
    await expect(ghl.contacts.get(tim.id)).rejects.toBeInstanceOf(GhlForbiddenError);
  });

  it('update changes fields and answers succeded with the contact', async () => {
    const answer = await ghl.contacts.update(lin.id, { city: 'Oakland', postalCode: '94612', dnd: true });
    conforms('update-contact', answer);
    expect(answer.succeded).toBe(true);
    expect(answer.contact).toMatchObject({ id: lin.id, city: 'Oakland', postalCode: '94612', dnd: true });
    expect((await ghl.contacts.get(lin.id)).contact.city).toBe('Oakland');
  });

  it('update refuses undeclared properties with field messages', async () => {
    const bad = { gender: 'female' } as unknown as Parameters<GhlOperations['contacts']['update']>[1];
    const error = await ghl.contacts.update(lin.id, bad).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GhlValidationError);
    expect((error as GhlValidationError).fieldMessages).toEqual(['property gender should not exist']);
  });

  it('upsert updates the contact its email matches, and creates otherwise', async () => {
    const existing = await ghl.contacts.upsert({ email: 'LIN.okafor@example.com', companyName: 'Okafor Dental' });
    conforms('upsert-contact', existing);
    expect(existing).toMatchObject({ new: false, contact: { id: lin.id, companyName: 'Okafor Dental', city: 'Oakland' } });
    const fresh = await ghl.contacts.upsert({ email: 'new.upsert@example.com', firstName: 'Nia' });
    expect(fresh.new).toBe(true);
    expect(fresh.contact.id).not.toBe(lin.id);
    expect(typeof fresh.traceId).toBe('string');
    await ghl.contacts.delete(fresh.contact.id);
  });

  it('findDuplicate finds by email or phone, or answers null', async () => {
    const byEmail = await ghl.contacts.findDuplicate({ email: 'ADA@example.com' });
    conforms('get-duplicate-contact', byEmail);
    expect(byEmail.contact).toMatchObject({ id: ada.id, firstName: 'Ada' });
    expect((await ghl.contacts.findDuplicate({ phone: '+1 415-555-0199' })).contact?.id).toBe(lin.id);
    expect((await ghl.contacts.findDuplicate({ email: 'nobody@example.com' })).contact).toBeNull();
  });

  it('list answers a page with count and meta', async () => {
    const page = await ghl.contacts.list({ limit: 2 });
    conforms('get-contacts', page);
    // 3 seeded Dental contacts + Lin
    expect(page.count).toBe(4);
    expect(page.contacts).toHaveLength(2);
    expect(page.meta).toMatchObject({ total: 4, startAfterId: page.contacts[1]!.id, nextPage: 2 });
    const rest = await ghl.contacts.list({ limit: 2, startAfter: page.meta!.startAfter!, startAfterId: page.meta!.startAfterId! });
    expect(rest.contacts.map((c) => c.id)).toContain(lin.id);
    expect(rest.meta?.startAfterId).toBeNull();
  });

  it('search filters, sorts and answers searchAfter cursors', async () => {
    const body = {
      filters: [{ group: 'OR' as const, filters: [{ field: 'tags', operator: 'eq' as const, value: 'patient' }] }],
      sort: [{ field: 'firstName', direction: 'asc' as const }],
    };
    const answer = await ghl.contacts.search({ ...body, pageLimit: 10 });
    conforms('search-contacts-advanced', answer);
    expect(answer.total).toBe(3);
    expect(answer.contacts.map((c) => c.firstName)).toEqual(['Ada', 'Grace', 'Lin']);
    expect(answer.contacts[2]!.searchAfter).toEqual(['lin', lin.id]);
    const after = await ghl.contacts.search({ ...body, pageLimit: 10, searchAfter: answer.contacts[0]!.searchAfter });
    expect(after.contacts.map((c) => c.firstName)).toEqual(['Grace', 'Lin']);
    expect(after.total).toBe(3);
  });
});

describe('businesses', () => {
  it('assign sets the business, listByBusiness lists its contacts, null removes it', async () => {
    const assigned = await ghl.businesses.assign({ ids: [lin.id, ada.id], businessId: BUSINESS });
    conforms('add-remove-contact-from-business', assigned);
    expect(assigned).toEqual({ success: true, ids: [lin.id, ada.id] });
    const listed = await ghl.contacts.listByBusiness(BUSINESS, { limit: 10 });
    conforms('get-contacts-by-businessId', listed);
    expect(listed.count).toBe(2);
    expect(listed.contacts.map((c) => c.id).sort()).toEqual([lin.id, ada.id].sort());
    expect(listed.contacts.every((c) => c.businessId === BUSINESS)).toBe(true);
    await ghl.businesses.assign({ ids: [lin.id, ada.id], businessId: null });
    expect((await ghl.contacts.listByBusiness(BUSINESS)).count).toBe(0);
    expect((await ghl.contacts.get(ada.id)).contact.businessId).toBeUndefined();
  });
});

describe('tasks', () => {
  it('create, list, get, update, complete, delete', async () => {
    const created = await ghl.tasks.create(lin.id, { title: 'Call Lin', body: 'About the X-ray', dueDate: '2026-11-02T09:00:00.000Z', completed: false });
    conforms('create-task', created);
    expect(created.task).toMatchObject({ title: 'Call Lin', body: 'About the X-ray', completed: false, contactId: lin.id });
    const id = created.task.id;
    const listed = await ghl.tasks.list(lin.id);
    conforms('get-all-tasks', listed);
    expect(listed.tasks.map((t) => t.id)).toEqual([id]);
    const got = await ghl.tasks.get(lin.id, id);
    conforms('get-task', got);
    expect(got.task.dueDate).toBe('2026-11-02T09:00:00.000Z');
    const updated = await ghl.tasks.update(lin.id, id, { title: 'Call Lin back' });
    conforms('update-task', updated);
    expect(updated.task).toMatchObject({ id, title: 'Call Lin back', body: 'About the X-ray' });
    const completed = await ghl.tasks.complete(lin.id, id);
    conforms('update-task-completed', completed);
    expect(completed.task.completed).toBe(true);
    expect((await ghl.tasks.complete(lin.id, id, false)).task.completed).toBe(false);
    const deleted = await ghl.tasks.delete(lin.id, id);
    conforms('delete-task', deleted);
    expect(deleted).toEqual({ succeded: true });
    await expect(ghl.tasks.get(lin.id, id)).rejects.toBeInstanceOf(GhlNotFoundError);
  });

  it('lists the seeded task of Ada', async () => {
    expect((await ghl.tasks.list(ada.id)).tasks).toEqual([expect.objectContaining({ title: 'Call about check-up', contactId: ada.id })]);
  });
});

describe('notes', () => {
  it('create, list, get, update, delete', async () => {
    const created = await ghl.notes.create(lin.id, { body: 'Allergic to latex', title: 'Allergy', pinned: true, color: '#FFAA00' });
    conforms('create-note', created);
    expect(created.note).toMatchObject({ body: 'Allergic to latex', title: 'Allergy', pinned: true, color: '#FFAA00', contactId: lin.id });
    const id = created.note.id;
    const listed = await ghl.notes.list(lin.id);
    conforms('get-all-notes', listed);
    expect(listed.notes.map((n) => n.id)).toEqual([id]);
    const got = await ghl.notes.get(lin.id, id);
    conforms('get-note', got);
    expect(got.note.title).toBe('Allergy');
    const updated = await ghl.notes.update(lin.id, id, { pinned: false });
    conforms('update-note', updated);
    expect(updated.note).toMatchObject({ id, pinned: false, body: 'Allergic to latex' });
    const deleted = await ghl.notes.delete(lin.id, id);
    conforms('delete-note', deleted);
    expect(deleted.succeded).toBe(true);
    expect((await ghl.notes.list(lin.id)).notes).toEqual([]);
  });
});

describe('appointments', () => {
  it('lists the appointments of a contact', async () => {
    const answer = await ghl.appointments.list(ada.id);
    conforms('get-appointments-for-contact', answer);
    expect(answer.events).toEqual([expect.objectContaining({ title: 'Check-up', contactId: ada.id, startTime: '2026-12-02 09:00:00' })]);
    expect((await ghl.appointments.list(lin.id)).events).toEqual([]);
  });
});

describe('tags', () => {
  it('add and remove on one contact answer the tags afterwards', async () => {
    const added = await ghl.tags.add(lin.id, [' VIP ', 'Gold']);
    conforms('add-tags', added);
    expect(added.tags).toEqual(['patient', 'new', 'vip', 'gold']);
    const removed = await ghl.tags.remove(lin.id, ['GOLD', 'new']);
    conforms('remove-tags', removed);
    expect(removed.tags).toEqual(['patient', 'vip']);
    expect((await ghl.contacts.get(lin.id)).contact.tags).toEqual(['patient', 'vip']);
  });

  it('bulkUpdate adds to many contacts and reports each one', async () => {
    const answer = await ghl.tags.bulkUpdate('add', { contacts: [lin.id, ada.id, 'not a valid id!'], tags: ['Recall'] });
    conforms('create-association', answer);
    expect(answer).toMatchObject({ succeded: false, errorCount: 1 });
    expect(answer.responses).toEqual([
      { contactId: lin.id, type: 'success', message: 'Tags updated', oldTags: ['patient', 'vip'], tagsAdded: ['recall'], tagsRemoved: [] },
      { contactId: ada.id, type: 'success', message: 'Tags updated', oldTags: ['vip', 'patient'], tagsAdded: ['recall'], tagsRemoved: [] },
      { contactId: 'not a valid id!', type: 'error', message: 'contact id is not a valid firebase id' },
    ]);
  });

  it('bulkUpdate removes every tag with removeAllTags', async () => {
    const answer = await ghl.tags.bulkUpdate('remove', { contacts: [ada.id], tags: [], removeAllTags: true });
    expect(answer).toMatchObject({ succeded: true, errorCount: 0, responses: [{ contactId: ada.id, tagsRemoved: ['vip', 'patient', 'recall'] }] });
    expect((await ghl.contacts.get(ada.id)).contact.tags).toEqual([]);
  });
});

describe('followers', () => {
  it('add and remove answer the followers and the change', async () => {
    const added = await ghl.followers.add(lin.id, ['UserA0000000000000001', 'UserB0000000000000002']);
    conforms('add-followers-contact', added);
    expect(added).toEqual({ followers: ['UserA0000000000000001', 'UserB0000000000000002'], followersAdded: ['UserA0000000000000001', 'UserB0000000000000002'] });
    const again = await ghl.followers.add(lin.id, ['UserA0000000000000001']);
    expect(again.followersAdded).toEqual([]);
    const removed = await ghl.followers.remove(lin.id, ['UserA0000000000000001']);
    conforms('remove-followers-contact', removed);
    expect(removed).toEqual({ followers: ['UserB0000000000000002'], followersRemoved: ['UserA0000000000000001'] });
  });
});

describe('campaigns', () => {
  it('add, remove and removeAll change the stored memberships', async () => {
    const added = await ghl.campaigns.add(lin.id, 'CampaignA00000000001');
    conforms('add-contact-to-campaign', added);
    expect(added).toEqual({ succeded: true });
    await ghl.campaigns.add(lin.id, 'CampaignB00000000002');
    expect((await storedContact(sb, dental, lin.id))?.campaigns).toEqual(['CampaignA00000000001', 'CampaignB00000000002']);
    const removed = await ghl.campaigns.remove(lin.id, 'CampaignA00000000001');
    conforms('remove-contact-from-campaign', removed);
    expect((await storedContact(sb, dental, lin.id))?.campaigns).toEqual(['CampaignB00000000002']);
    const all = await ghl.campaigns.removeAll(lin.id);
    conforms('remove-contact-from-every-campaign', all);
    expect(all.succeded).toBe(true);
    expect((await storedContact(sb, dental, lin.id))?.campaigns).toEqual([]);
  });
});

describe('workflows', () => {
  it('add (with an event start time) and remove change the stored enrolments', async () => {
    const added = await ghl.workflows.add(lin.id, 'WorkflowA00000000001', { eventStartTime: '2026-06-23T03:30:00+01:00' });
    conforms('add-contact-to-workflow', added);
    expect(added).toEqual({ succeded: true });
    await ghl.workflows.add(lin.id, 'WorkflowB00000000002');
    expect((await storedContact(sb, dental, lin.id))?.workflows).toEqual([
      { workflowId: 'WorkflowA00000000001', eventStartTime: '2026-06-23T03:30:00+01:00' },
      { workflowId: 'WorkflowB00000000002' },
    ]);
    const removed = await ghl.workflows.remove(lin.id, 'WorkflowA00000000001');
    conforms('delete-contact-from-workflow', removed);
    expect((await storedContact(sb, dental, lin.id))?.workflows).toEqual([{ workflowId: 'WorkflowB00000000002' }]);
  });
});

describe('request options over HTTP', () => {
  it('an aborted signal and a timeout end the call with GhlNetworkError', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(ghl.contacts.get(lin.id, { signal: controller.signal })).rejects.toBeInstanceOf(GhlNetworkError);
    const fault = await sb.api<{ fault: { id: string } }>('POST', '/_sandbox/faults', { token: null, body: { path: `/contacts/${lin.id}/notes`, latencyMs: 1000, times: 1 } });
    const error = await ghl.notes.list(lin.id, { timeoutMs: 100 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GhlNetworkError);
    expect((error as Error).message).toMatch(/timed out/);
    await sb.api('DELETE', `/_sandbox/faults/${fault.body.fault.id}`, { token: null });
  });
});

describe('delete', () => {
  it('removes the contact', async () => {
    const answer = await ghl.contacts.delete(lin.id);
    conforms('delete-contact', answer);
    expect(answer).toEqual({ succeded: true });
    await expect(ghl.contacts.get(lin.id)).rejects.toBeInstanceOf(GhlNotFoundError);
    expect(await storedContact(sb, dental, lin.id)).toBeUndefined();
  });
});

describe('coverage', () => {
  it('the typed methods used every one of the 32 contacts operations of the spec', () => {
    const contactsRoutes = routes.filter((r) => r.module === 'contacts').map((r) => r.operationId).sort();
    expect(contactsRoutes).toHaveLength(32);
    expect([...new Set(client.sent)].sort()).toEqual(contactsRoutes);
  });
});

/** A contacts PIT of the second location (the default info only names the first one's). */
async function realtyPit(): Promise<string> {
  const res = await sb.api<{ token: string }>('POST', '/_sandbox/pits', { token: null, body: { locationId: realty, scopes: ['contacts.readonly', 'contacts.write'] } });
  return res.body.token;
}
