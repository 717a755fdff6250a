/**
 * Catalog samples of the GHL triggers: webhook bodies built as the sandbox (GHL's fake) builds its
 * deliveries (its payload builders and `deliveryBody`, from a contact, task and note shaped like
 * its records), read by the connector's own `readWebhook`; the reconciliation's event from the
 * sandbox's GET answer through `webhookContact`/`contactPayload`, as `reconcilePoll` does. `links`
 * and `recordLinks` are what the ledger answers for records the engine linked (a Connecteam user,
 * an ERP task). Fixed ids and times keep the samples (and docs/catalog.md) stable.
 */
import { contactEventPayload, serializeContact } from '../../sandbox/contact-model.js';
import type { Contact, Note, Task } from '../../sandbox/model.js';
import { noteEventPayload, taskEventPayload } from '../../sandbox/operations/records.js';
import { deliveryBody } from '../../sandbox/webhooks.js';
import type { ConnectorSamples, TriggerSample } from '../types.js';
import { contactPayload, webhookContact } from './events.js';
import { readWebhook } from './webhook.js';

const LOCATION = 've9EPM428h8vShlRW1KT';
const CONTACT = 'ocQHyuzHvysMo5N5VsXc';
const APP = '6619a1b2c3d4e5f6a7b8c9d0';
const AT = Date.parse('2026-03-04T14:30:00.000Z');

const contact: Contact = {
  id: CONTACT, locationId: LOCATION, firstName: 'Sam', lastName: 'Rivera', email: 'sam.rivera@example.com', phone: '+14155550123',
  companyName: 'Rivera Logistics', city: 'Austin', state: 'TX', country: 'US', source: 'Connecteam', dnd: false,
  tags: ['employee', 'vip'], customFields: [], followers: [], campaigns: [], workflows: [], type: 'lead',
  dateAdded: '2026-03-02T09:15:02.000Z', dateUpdated: '2026-03-04T14:29:59.000Z',
};
const task: Task = { id: 'tK4rL9mQ2sW8xZ1vB7nC', contactId: CONTACT, locationId: LOCATION, title: 'Renew the service contract', body: 'Contract ends in April; send the renewal quote', dueDate: '2026-03-20T12:00:00.000Z', completed: true, dateAdded: '2026-03-02T10:00:05.000Z' };
const note: Note = { id: 'nP3qR7sT1uV5wX9yZ2aB', contactId: CONTACT, locationId: LOCATION, body: 'Called about the weekend shifts: prefers Saturdays.', dateAdded: '2026-03-04T14:28:00.000Z' };

/** Source records the ledger links to the sample contact and task. */
const LINKS = { connecteam: '9100001' };
const TASK_LINKS = { erp: 'T2001' };

function delivered(payload: Record<string, unknown>, webhookId: string, links?: { links?: Record<string, string>; recordLinks?: Record<string, string> }): TriggerSample {
  const { type, payload: read } = readWebhook(deliveryBody(payload, APP, AT, webhookId));
  return { type, payload: { ...read, ...links } };
}

const contactEvents = (): TriggerSample[] =>
  (['ContactUpdate', 'ContactCreate', 'ContactTagUpdate', 'ContactDndUpdate', 'ContactDelete'] as const).map((type, i) =>
    delivered(contactEventPayload(type === 'ContactDndUpdate' ? { ...contact, dnd: true } : contact, type), `3f6c1a8e-5b2d-4c7e-9a10-0000000000${10 + i}`, { links: LINKS }),
  );

const taskEvents = (): TriggerSample[] =>
  (['TaskComplete', 'TaskCreate', 'TaskDelete'] as const).map((type, i) =>
    delivered(taskEventPayload(type === 'TaskComplete' ? task : { ...task, completed: false }, type), `3f6c1a8e-5b2d-4c7e-9a10-0000000000${20 + i}`, { links: { erp: 'C1001' }, recordLinks: TASK_LINKS }),
  );

const noteEvents = (): TriggerSample[] =>
  (['NoteCreate', 'NoteUpdate', 'NoteDelete'] as const).map((type, i) => delivered(noteEventPayload(note, type), `3f6c1a8e-5b2d-4c7e-9a10-0000000000${30 + i}`, { links: LINKS, recordLinks: {} }));

/** The INSTALL body the sandbox sends when the marketplace app is installed on a location. */
const installed = (): TriggerSample[] =>
  (['INSTALL', 'UNINSTALL'] as const).map((type, i) =>
    delivered({ type, appId: APP, versionId: APP, installType: 'Location', locationId: LOCATION, companyId: 'Cmp1aB2cD3eF4gH5iJ6k', planId: 'sandbox-plan', trial: {}, isWhitelabelCompany: false, companyName: 'Sandbox Agency' }, `3f6c1a8e-5b2d-4c7e-9a10-0000000000${40 + i}`),
  );

function reconciled(): TriggerSample[] {
  const raw = serializeContact(contact);
  const payload = contactPayload('ContactUpdate', webhookContact({ ...raw, dateUpdated: contact.dateUpdated }), { origin: 'reconcile' });
  return [{ type: 'ContactUpdate', payload: { ...payload, links: LINKS } }];
}

const C = { contactId: CONTACT };

/** An example input per GHL action (path params, query, body), as the sandbox and HighLevel take them. */
const actions: Record<string, unknown> = {
  'ghl.contacts.get': C,
  'ghl.contacts.create': { body: { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com', phone: '+14155550188', tags: ['app-user'], source: 'My app' } },
  'ghl.contacts.update': { ...C, body: { companyName: 'Rivera Logistics', city: 'Austin' } },
  'ghl.contacts.delete': C,
  'ghl.contacts.upsert': { body: { email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace', tags: ['app-user'] } },
  'ghl.contacts.findDuplicate': { query: { email: 'ada@example.com' } },
  'ghl.contacts.list': { query: { query: 'rivera', limit: 20 } },
  'ghl.contacts.search': { body: { pageLimit: 20, filters: [{ field: 'email', operator: 'eq', value: 'sam.rivera@example.com' }] } },
  'ghl.contacts.listByBusiness': { businessId: '64a1f0c2e4b0a1b2c3d4e5f6', query: { limit: '20' } },
  'ghl.businesses.bulkUpdate': { body: { ids: [CONTACT], businessId: '64a1f0c2e4b0a1b2c3d4e5f6' } },
  'ghl.tags.bulkUpdate': { type: 'add', body: { contacts: [CONTACT], tags: ['vip'] } },
  'ghl.tags.add': { ...C, body: { tags: ['vip'] } },
  'ghl.tags.remove': { ...C, body: { tags: ['vip'] } },
  'ghl.tasks.list': C,
  'ghl.tasks.get': { ...C, taskId: task.id },
  'ghl.tasks.create': { ...C, body: { title: 'Call back about the renewal', body: 'Quote sent on Monday', dueDate: '2026-03-10T09:00:00.000Z', completed: false } },
  'ghl.tasks.update': { ...C, taskId: task.id, body: { dueDate: '2026-03-12T09:00:00.000Z' } },
  'ghl.tasks.complete': { ...C, taskId: task.id, body: { completed: true } },
  'ghl.tasks.delete': { ...C, taskId: task.id },
  'ghl.notes.list': C,
  'ghl.notes.get': { ...C, id: note.id },
  'ghl.notes.create': { ...C, body: { body: 'Prefers Saturday shifts.' } },
  'ghl.notes.update': { ...C, id: note.id, body: { body: 'Prefers Saturday and Sunday shifts.' } },
  'ghl.notes.delete': { ...C, id: note.id },
  'ghl.followers.add': { ...C, body: { followers: ['UsR4a5b6c7d8e9f0g1h2'] } },
  'ghl.followers.remove': { ...C, body: { followers: ['UsR4a5b6c7d8e9f0g1h2'] } },
  'ghl.campaigns.add': { ...C, campaignId: 'CmP9z8y7x6w5v4u3t2s1' },
  'ghl.campaigns.remove': { ...C, campaignId: 'CmP9z8y7x6w5v4u3t2s1' },
  'ghl.campaigns.removeAll': C,
  'ghl.workflows.add': { ...C, workflowId: '78559bb3-b920-461e-b010-7b2a2816d2a9', body: { eventStartTime: '2026-03-05T09:00:00+00:00' } },
  'ghl.workflows.remove': { ...C, workflowId: '78559bb3-b920-461e-b010-7b2a2816d2a9' },
  'ghl.appointments.list': C,
  'ghl.contactView': C,
};

/**
 * @example
 * ghlSamples.triggers['ghl.task.changed']!()[0]!.payload.recordLinks; // { erp: 'T2001' }
 */
export const ghlSamples: ConnectorSamples = {
  triggers: {
    'ghl.contact.changed': contactEvents,
    'ghl.task.changed': taskEvents,
    'ghl.note.changed': noteEvents,
    'ghl.app.installed': installed,
    'ghl.contacts.reconcile': reconciled,
  },
  actions,
};
