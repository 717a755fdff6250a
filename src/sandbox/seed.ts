import { applyContactInput } from './contact-model.js';
import type { SandboxCore } from './core.js';
import { newHexId, newId, newSecret } from './ids.js';
import { DUPLICATE_CHECKS, type App, type Contact, type DuplicateCheck, type Location, type TokenRecord } from './model.js';

/**
 * The seed file format (JSON). Every id is optional: missing ids are generated, and references
 * between records use the ids given in the same file.
 *
 * @example
 * {
 *   "companies": [{ "id": "agency1", "name": "My Agency" }],
 *   "locations": [{ "id": "locA", "companyId": "agency1", "name": "Clinic", "duplicateCheck": "email-phone" }],
 *   "apps": [{ "name": "My app", "redirectUris": ["http://localhost:8787/oauth/callback"], "scopes": ["contacts.readonly", "contacts.write"] }],
 *   "pits": [{ "locationId": "locA", "scopes": ["contacts.readonly", "contacts.write"] }],
 *   "contacts": [{ "locationId": "locA", "firstName": "Ada", "email": "ada@example.com", "tags": ["vip"] }]
 * }
 */
export interface SeedFile {
  companies?: Array<{ id?: string; name: string }>;
  locations?: Array<Partial<Omit<Location, 'companyId'>> & { companyId: string; name: string }>;
  users?: Array<{ id?: string; companyId: string; locationIds?: string[]; firstName: string; lastName: string; email: string }>;
  apps?: Array<{ clientId?: string; clientSecret?: string; name: string; redirectUris: string[]; scopes: string[]; webhookUrl?: string | null }>;
  installations?: Array<{ clientId: string; companyId: string; locationId?: string | null }>;
  pits?: Array<{ token?: string; companyId?: string; locationId?: string; scopes: string[] }>;
  contacts?: Array<Record<string, unknown> & { id?: string; locationId: string }>;
  tasks?: Array<{ id?: string; contactId: string; title: string; body?: string; dueDate: string; completed?: boolean; assignedTo?: string }>;
  notes?: Array<{ id?: string; contactId: string; body: string; userId?: string; title?: string }>;
  appointments?: Array<{ id?: string; contactId: string; calendarId?: string; title: string; startTime: string; endTime: string; status?: string }>;
}

export class SeedError extends Error {}

/** Adds a seed's records to the sandbox state (use after a reset to start from the seed alone). */
export function applySeed(core: SandboxCore, seed: SeedFile): void {
  const state = core.store.state;
  const need = (cond: unknown, message: string) => {
    if (!cond) throw new SeedError(message);
  };
  for (const c of seed.companies ?? []) {
    need(c.name, 'companies[].name is required');
    const id = c.id ?? newId();
    state.companies[id] = { id, name: c.name };
  }
  for (const [i, l] of (seed.locations ?? []).entries()) {
    need(state.companies[l.companyId], `locations[${i}].companyId ${l.companyId} is not a company of the seed`);
    need(!l.duplicateCheck || DUPLICATE_CHECKS.includes(l.duplicateCheck), `locations[${i}].duplicateCheck must be one of ${DUPLICATE_CHECKS.join(', ')}`);
    const id = l.id ?? newId();
    state.locations[id] = {
      id,
      companyId: l.companyId,
      name: l.name,
      address: l.address ?? '',
      country: l.country ?? 'US',
      timezone: l.timezone ?? 'America/New_York',
      duplicateCheck: (l.duplicateCheck ?? 'email-phone') as DuplicateCheck,
      customFields: l.customFields ?? [],
    };
  }
  for (const u of seed.users ?? []) {
    const id = u.id ?? newId();
    state.users[id] = { id, companyId: u.companyId, locationIds: u.locationIds ?? [], firstName: u.firstName, lastName: u.lastName, email: u.email };
  }
  for (const [i, a] of (seed.apps ?? []).entries()) {
    need(Array.isArray(a.redirectUris) && Array.isArray(a.scopes), `apps[${i}] needs redirectUris and scopes`);
    const appId = a.clientId ? a.clientId.split('-')[0]! : newHexId();
    const app: App = {
      id: appId,
      clientId: a.clientId ?? `${appId}-${newId(8).toLowerCase()}`,
      clientSecret: a.clientSecret ?? newSecret(),
      name: a.name,
      versionId: appId,
      redirectUris: a.redirectUris,
      scopes: a.scopes,
      webhookUrl: a.webhookUrl ?? null,
    };
    state.apps[app.id] = app;
  }
  for (const inst of seed.installations ?? []) {
    const app = Object.values(state.apps).find((a) => a.clientId === inst.clientId || a.id === inst.clientId);
    need(app, `installations: unknown app ${inst.clientId}`);
    state.installations.push({ appId: app!.id, companyId: inst.companyId, locationId: inst.locationId ?? null, installedAt: core.stamp() });
  }
  for (const [i, p] of (seed.pits ?? []).entries()) {
    const location = p.locationId ? state.locations[p.locationId] : undefined;
    need(location || (p.companyId && state.companies[p.companyId]), `pits[${i}] needs a known locationId or companyId`);
    const companyId = location?.companyId ?? p.companyId!;
    const user = Object.values(state.users).find((u) => u.companyId === companyId);
    const record: TokenRecord = {
      token: p.token ?? newSecret('pit-'),
      kind: 'pit',
      appId: null,
      userType: location ? 'Location' : 'Company',
      companyId,
      locationId: location?.id ?? null,
      scopes: p.scopes,
      userId: user?.id ?? 'sandbox-user',
      expiresAt: null,
      revoked: false,
    };
    state.tokens[record.token] = record;
  }
  for (const [i, raw] of (seed.contacts ?? []).entries()) {
    const { id, locationId, dateAdded, ...fields } = raw;
    const location = state.locations[locationId];
    need(location, `contacts[${i}].locationId ${locationId} is not a location of the seed`);
    const now = typeof dateAdded === 'string' ? dateAdded : core.stamp();
    const contact: Contact = { id: id ?? newId(), locationId, dnd: false, tags: [], customFields: [], followers: [], campaigns: [], workflows: [], type: 'lead', dateAdded: now, dateUpdated: now };
    const { businessId, followers, ...input } = fields as Record<string, unknown>;
    applyContactInput(contact, input, location!);
    if (typeof businessId === 'string') contact.businessId = businessId;
    if (Array.isArray(followers)) contact.followers = followers.map(String);
    core.store.putContact(contact);
  }
  const contactOf = (kind: string, i: number, contactId: string): Contact => {
    const contact = core.store.contact(contactId);
    need(contact, `${kind}[${i}].contactId ${contactId} is not a contact of the seed`);
    return contact!;
  };
  for (const [i, t] of (seed.tasks ?? []).entries()) {
    const c = contactOf('tasks', i, t.contactId);
    core.store.putTask({ id: t.id ?? newId(), contactId: c.id, locationId: c.locationId, title: t.title, body: t.body, dueDate: t.dueDate, completed: t.completed ?? false, assignedTo: t.assignedTo, dateAdded: core.stamp() });
  }
  for (const [i, n] of (seed.notes ?? []).entries()) {
    const c = contactOf('notes', i, n.contactId);
    core.store.putNote({ id: n.id ?? newId(), contactId: c.id, locationId: c.locationId, body: n.body, userId: n.userId, title: n.title, dateAdded: core.stamp() });
  }
  for (const [i, a] of (seed.appointments ?? []).entries()) {
    const c = contactOf('appointments', i, a.contactId);
    const now = core.stamp();
    core.store.putAppointment({
      id: a.id ?? newId(), calendarId: a.calendarId ?? 'sandbox-calendar', locationId: c.locationId, contactId: c.id, title: a.title,
      status: a.status ?? 'booked', appointmentStatus: a.status ?? 'confirmed', startTime: a.startTime, endTime: a.endTime, dateAdded: now, dateUpdated: now,
    });
  }
  core.store.touch();
}

const CONTACT_SCOPES = ['contacts.readonly', 'contacts.write'];

/** Without a seed file: one agency, two locations, an app, PITs and a few contacts with records. */
export function defaultSeed(): SeedFile {
  const companyId = newId();
  const [locA, locB] = [newId(), newId()];
  const [ada, grace, alan] = [newId(), newId(), newId()];
  const userId = newId();
  return {
    companies: [{ id: companyId, name: 'Sandbox Agency' }],
    locations: [
      { id: locA, companyId, name: 'Sandbox Dental', address: '1 Main St, Springfield', country: 'US', duplicateCheck: 'email-phone', customFields: [{ id: newId(), key: 'contact.favourite_colour', name: 'Favourite colour', dataType: 'TEXT' }] },
      { id: locB, companyId, name: 'Sandbox Realty', address: '2 High St, London', country: 'GB', duplicateCheck: 'off', customFields: [] },
    ],
    users: [{ id: userId, companyId, locationIds: [locA, locB], firstName: 'Sam', lastName: 'Admin', email: 'admin@sandbox.test' }],
    apps: [
      {
        name: 'ghl-bridge (sandbox app)',
        redirectUris: ['http://127.0.0.1:8787/oauth/callback', 'http://localhost:8787/oauth/callback'],
        scopes: [...CONTACT_SCOPES, 'oauth.readonly', 'oauth.write', 'locations.readonly'],
      },
    ],
    pits: [
      { locationId: locA, scopes: CONTACT_SCOPES },
      { locationId: locB, scopes: CONTACT_SCOPES },
      { companyId, scopes: ['locations.readonly'] },
    ],
    contacts: [
      { id: ada, locationId: locA, firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com', phone: '+14155550101', tags: ['vip', 'patient'], source: 'sandbox seed', companyName: 'Analytical Engines' },
      { id: grace, locationId: locA, firstName: 'Grace', lastName: 'Hopper', email: 'grace@example.com', phone: '+14155550102', tags: ['patient'], source: 'sandbox seed' },
      { id: alan, locationId: locA, firstName: 'Alan', lastName: 'Turing', email: 'alan@example.com', tags: ['lead'], source: 'sandbox seed' },
      { locationId: locB, firstName: 'Tim', lastName: 'Berners-Lee', email: 'tim@example.org', phone: '+442079460958', tags: ['buyer'] },
      { locationId: locB, firstName: 'Karen', lastName: 'Spärck Jones', email: 'karen@example.org', tags: ['seller'] },
    ],
    tasks: [{ contactId: ada, title: 'Call about check-up', body: 'Six-month check-up is due', dueDate: '2026-12-01T10:00:00.000Z', assignedTo: userId }],
    notes: [{ contactId: ada, body: 'Prefers morning appointments', userId }],
    appointments: [{ contactId: ada, title: 'Check-up', startTime: '2026-12-02 09:00:00', endTime: '2026-12-02 09:30:00' }],
  };
}
