import { parseDateOfBirth } from './dates.js';
import { unprocessable } from './errors.js';
import type { Contact, DndChannel, DuplicateCheck, Location } from './model.js';
import { toE164 } from './phone.js';
import type { Store } from './store.js';

/** Fields a contact write may carry (CreateContactDto ∪ UpdateContactDto ∪ UpsertContactDto). */
export type ContactInput = Record<string, unknown>;

const PLAIN_FIELDS = [
  'firstName', 'lastName', 'name', 'gender', 'companyName', 'address1', 'city', 'state', 'postalCode',
  'country', 'website', 'timezone', 'source', 'assignedTo',
] as const;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function normalizeTags(tags: unknown[]): string[] {
  // HighLevel stores tags trimmed and lower-cased, without repeats.
  return [...new Set(tags.map((t) => String(t).trim().toLowerCase()).filter(Boolean))];
}

/**
 * Applies a validated write body to a contact (new or existing) and returns the names of the
 * fields whose value changed. `null` or `""` clears a field, as on the live API.
 */
export function applyContactInput(contact: Contact, input: ContactInput, location: Location): Set<string> {
  const changed = new Set<string>();
  const set = (field: string, value: unknown) => {
    const record = contact as unknown as Record<string, unknown>;
    const next = value === null || value === '' ? undefined : value;
    if (JSON.stringify(record[field]) !== JSON.stringify(next)) changed.add(field);
    if (next === undefined) delete record[field];
    else record[field] = next;
  };
  const problems: string[] = [];
  for (const field of PLAIN_FIELDS) if (field in input) set(field, typeof input[field] === 'string' ? (input[field] as string).trim() : input[field]);
  if ('email' in input) {
    const email = typeof input.email === 'string' ? input.email.trim() : input.email;
    if (typeof email === 'string' && email !== '' && !EMAIL.test(email)) problems.push('email must be an email');
    set('email', email);
  }
  if ('phone' in input) set('phone', typeof input.phone === 'string' ? toE164(input.phone, location.country) : input.phone);
  if ('dateOfBirth' in input) {
    if (input.dateOfBirth === null || input.dateOfBirth === '') set('dateOfBirth', null);
    else {
      const dob = parseDateOfBirth(input.dateOfBirth);
      if (dob === null) problems.push('dateOfBirth must be a valid date (YYYY-MM-DD, MM/DD/YYYY, …)');
      set('dateOfBirth', dob);
    }
  }
  if ('dnd' in input) set('dnd', input.dnd === true);
  if ('dndSettings' in input) {
    const merged = { ...(contact.dndSettings ?? {}), ...(input.dndSettings as Record<string, DndChannel>) };
    set('dndSettings', merged);
  }
  if ('inboundDndSettings' in input) set('inboundDndSettings', input.inboundDndSettings);
  if ('tags' in input) set('tags', normalizeTags((input.tags as unknown[]) ?? []));
  if ('customFields' in input && Array.isArray(input.customFields)) {
    const values = new Map(contact.customFields.map((f) => [f.id, f.value]));
    for (const raw of input.customFields as Array<{ id?: string; key?: string; field_value?: unknown }>) {
      const id = raw.id ?? location.customFields.find((d) => d.key === raw.key || d.key === `contact.${raw.key}`)?.id;
      if (!id) continue; // unknown keys are ignored, like the live API (UNVERIFIED)
      if (raw.field_value === undefined || raw.field_value === null || raw.field_value === '') values.delete(id);
      else values.set(id, raw.field_value);
    }
    set('customFields', [...values].map(([id, value]) => ({ id, value })));
    if (!changed.has('customFields')) changed.delete('customFields');
  }
  if (problems.length > 0) throw unprocessable(problems);
  if (!contact.tags) contact.tags = [];
  if (!contact.customFields) contact.customFields = [];
  return changed;
}

function lower(value: string | undefined): string | undefined {
  return value ? value.toLowerCase() : undefined;
}

export function fullName(contact: Contact): string | undefined {
  const joined = [contact.firstName, contact.lastName].filter(Boolean).join(' ');
  return joined || contact.name || undefined;
}

function prune(obj: Record<string, unknown>): Record<string, unknown> {
  for (const key of Object.keys(obj)) if (obj[key] === undefined) delete obj[key];
  return obj;
}

/** The contact as GET /contacts/{id} shows it (GetContectByIdSchema). */
export function serializeContact(contact: Contact): Record<string, unknown> {
  const name = fullName(contact);
  return prune({
    id: contact.id,
    name,
    locationId: contact.locationId,
    firstName: contact.firstName,
    lastName: contact.lastName,
    email: contact.email,
    emailLowerCase: lower(contact.email),
    timezone: contact.timezone,
    companyName: contact.companyName,
    phone: contact.phone,
    dnd: contact.dnd,
    dndSettings: contact.dndSettings,
    type: contact.type,
    source: contact.source,
    assignedTo: contact.assignedTo,
    address1: contact.address1,
    city: contact.city,
    state: contact.state,
    country: contact.country,
    postalCode: contact.postalCode,
    website: contact.website,
    tags: [...contact.tags],
    dateOfBirth: contact.dateOfBirth,
    dateAdded: contact.dateAdded,
    dateUpdated: contact.dateUpdated,
    firstNameLowerCase: lower(contact.firstName),
    lastNameLowerCase: lower(contact.lastName),
    fullNameLowerCase: lower(name),
    customFields: contact.customFields.map((f) => ({ ...f })),
    businessId: contact.businessId,
    followers: [...contact.followers],
  });
}

/** The contact as POST /contacts/ answers it (CreateContactSchema). */
export function serializeCreatedContact(contact: Contact): Record<string, unknown> {
  const { name: _name, emailLowerCase, ...rest } = serializeContact(contact);
  return prune({ ...rest, emailLowerCase, deleted: false, gender: contact.gender });
}

/** Webhook payload of ContactCreate/Update/Delete/TagUpdate/DndUpdate (ghl-api.md §7.1). */
export function contactEventPayload(contact: Contact, type: string): Record<string, unknown> {
  return prune({
    type,
    locationId: contact.locationId,
    id: contact.id,
    address1: contact.address1,
    city: contact.city,
    state: contact.state,
    companyName: contact.companyName,
    country: contact.country,
    source: contact.source,
    dateAdded: contact.dateAdded,
    dateOfBirth: contact.dateOfBirth,
    dnd: contact.dnd,
    email: contact.email,
    name: fullName(contact),
    firstName: contact.firstName,
    lastName: contact.lastName,
    phone: contact.phone,
    postalCode: contact.postalCode,
    tags: [...contact.tags],
    website: contact.website,
    attachments: [],
    assignedTo: contact.assignedTo,
    customFields: contact.customFields.map((f) => ({ ...f })),
    dndSettings: type === 'ContactDndUpdate' ? contact.dndSettings ?? {} : undefined,
  });
}

export type MatchField = 'email' | 'phone';

/** Fields checked for duplicates, in priority order. `off` still matches email then phone for upsert. */
export function matchOrder(check: DuplicateCheck): MatchField[] {
  switch (check) {
    case 'email': return ['email'];
    case 'phone': return ['phone'];
    case 'phone-email': return ['phone', 'email'];
    default: return ['email', 'phone'];
  }
}

/** Finds an existing contact of the location by email (case-insensitive) or phone (E.164). */
export function findByField(store: Store, location: Location, field: MatchField, value: string | undefined, exceptId?: string): Contact | undefined {
  if (!value) return undefined;
  return store.contactsByIdentity(location.id, field, value).find((c) => c.id !== exceptId);
}

export function findDuplicate(
  store: Store,
  location: Location,
  order: MatchField[],
  values: { email?: unknown; phone?: unknown },
): { contact: Contact; field: MatchField } | undefined {
  for (const field of order) {
    const value = values[field];
    const contact = typeof value === 'string' ? findByField(store, location, field, value) : undefined;
    if (contact) return { contact, field };
  }
  return undefined;
}
