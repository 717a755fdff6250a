/**
 * The engine events of GHL as a source, one shape whether they come from a webhook or from the
 * reconciliation poll, so a recipe (and the runtime's echo filter) reads `contact.*`, `task.*`,
 * `note.*` and `links.*` the same way for both.
 */
import type { JsonSchema } from '../types.js';

export const CONTACT_EVENTS = ['ContactCreate', 'ContactUpdate', 'ContactDelete', 'ContactTagUpdate', 'ContactDndUpdate'] as const;
export const TASK_EVENTS = ['TaskCreate', 'TaskComplete', 'TaskDelete'] as const;
export const NOTE_EVENTS = ['NoteCreate', 'NoteUpdate', 'NoteDelete'] as const;
export const APP_EVENTS = ['INSTALL', 'UNINSTALL'] as const;
export const WEBHOOK_EVENTS: readonly string[] = [...CONTACT_EVENTS, ...TASK_EVENTS, ...NOTE_EVENTS, ...APP_EVENTS];

/** Contact fields of HighLevel's contact webhooks (ghl-api.md §7.1), plus `dateUpdated` when known. */
const CONTACT_FIELDS = [
  'id', 'locationId', 'firstName', 'lastName', 'name', 'email', 'phone', 'tags', 'dnd', 'dndSettings', 'customFields',
  'address1', 'city', 'state', 'postalCode', 'country', 'companyName', 'website', 'source', 'assignedTo', 'dateOfBirth',
  'dateAdded', 'dateUpdated',
] as const;

/** Where an event came from: a delivery, or the reconciliation that found a change a webhook missed. */
export type EventOrigin = 'webhook' | 'reconcile' | 'sync';

export interface EventMeta {
  origin: EventOrigin;
  webhookId?: string;
  /** ISO time of the delivery (webhooks) */
  timestamp?: string;
}

function pick(source: Record<string, unknown>, fields: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) if (source[f] !== undefined) out[f] = source[f];
  return out;
}

/**
 * A contact as the webhooks show it (`name` filled from first/last when the source has none, e.g.
 * a search result): the shape `observeContact` compares and recipes map.
 */
export function webhookContact(source: Record<string, unknown>): Record<string, unknown> {
  const contact = pick(source, CONTACT_FIELDS);
  if (contact.name === undefined) {
    const name = [source.firstName, source.lastName].filter((p) => typeof p === 'string' && p !== '').join(' ');
    if (name) contact.name = name;
  }
  if (Array.isArray(contact.tags)) contact.tags = [...(contact.tags as unknown[])];
  return contact;
}

/** `{ type, locationId, contactId, contact, origin, webhookId?, timestamp? }` (links are added by the caller). */
export function contactPayload(type: string, contact: Record<string, unknown>, meta: EventMeta): Record<string, unknown> {
  return { type, locationId: contact.locationId ?? null, contactId: contact.id, contact, ...metaFields(meta) };
}

function metaFields(meta: EventMeta): Record<string, unknown> {
  return { origin: meta.origin, ...(meta.webhookId ? { webhookId: meta.webhookId } : {}), ...(meta.timestamp ? { timestamp: meta.timestamp } : {}) };
}

/** Task events: `{ type, locationId, contactId, task: { id, title, body, dueDate, assignedTo, dateAdded, completed } }`. */
export function taskPayload(type: string, body: Record<string, unknown>, meta: EventMeta): Record<string, unknown> {
  const task = pick(body, ['id', 'title', 'body', 'dueDate', 'assignedTo', 'dateAdded']);
  // TaskComplete is the only completion signal (there is no TaskUpdate); say it in the record too.
  if (type === 'TaskComplete') task.completed = true;
  else if (typeof body.completed === 'boolean') task.completed = body.completed;
  return { type, locationId: body.locationId ?? null, contactId: typeof body.contactId === 'string' ? body.contactId : null, task, ...metaFields(meta) };
}

/** Note events: `{ type, locationId, contactId, note: { id, body, dateAdded } }`. */
export function notePayload(type: string, body: Record<string, unknown>, meta: EventMeta): Record<string, unknown> {
  const note = pick(body, ['id', 'body', 'dateAdded']);
  return { type, locationId: body.locationId ?? null, contactId: typeof body.contactId === 'string' ? body.contactId : null, note, ...metaFields(meta) };
}

const ENVELOPE = new Set(['type', 'appId', 'locationId', 'companyId', 'timestamp', 'webhookId']);

/** INSTALL / UNINSTALL: `{ type, appId, locationId, companyId, details }`. */
export function appPayload(type: string, body: Record<string, unknown>, meta: EventMeta): Record<string, unknown> {
  const details = Object.fromEntries(Object.entries(body).filter(([k]) => !ENVELOPE.has(k)));
  return { type, appId: body.appId ?? null, locationId: body.locationId ?? null, companyId: body.companyId ?? null, details, ...metaFields(meta) };
}

/** Another event type HighLevel may send (other scopes): passed on with its fields under `data`. */
export function otherPayload(type: string, body: Record<string, unknown>, meta: EventMeta): Record<string, unknown> {
  const data = Object.fromEntries(Object.entries(body).filter(([k]) => !ENVELOPE.has(k)));
  const contactId = typeof body.contactId === 'string' ? body.contactId : null;
  return { type, locationId: body.locationId ?? null, contactId, data, ...metaFields(meta) };
}

// ---- JSON Schemas of the payloads (catalog) --------------------------------------------------

const str = { type: 'string' };
const nullableStr = { type: ['string', 'null'] };
const links: JsonSchema = { type: 'object', description: 'Source records linked to the contact in the ledger: { [source]: sourceId }', additionalProperties: { type: 'string' } };
const recordLinks: JsonSchema = { type: 'object', description: 'Source tasks or notes linked to this GHL task or note in the ledger: { [source]: sourceId }', additionalProperties: { type: 'string' } };
const meta: Record<string, JsonSchema> = {
  origin: { enum: ['webhook', 'reconcile', 'sync'] },
  webhookId: str,
  timestamp: str,
};

export const contactSchema: JsonSchema = {
  type: 'object',
  required: ['id'],
  properties: {
    id: str, locationId: str, firstName: str, lastName: str, name: str, email: str, phone: str,
    tags: { type: 'array', items: str }, dnd: { type: 'boolean' }, dndSettings: { type: 'object' },
    customFields: { type: 'array', items: { type: 'object', properties: { id: str, value: {} } } },
    address1: str, city: str, state: str, postalCode: str, country: str, companyName: str, website: str, source: str,
    assignedTo: str, dateOfBirth: {}, dateAdded: str, dateUpdated: str,
  },
};

export const contactEventSchema: JsonSchema = {
  type: 'object',
  required: ['type', 'contactId', 'contact', 'origin'],
  properties: { type: { enum: [...CONTACT_EVENTS] }, locationId: nullableStr, contactId: str, contact: contactSchema, links, ...meta },
};

export const taskEventSchema: JsonSchema = {
  type: 'object',
  required: ['type', 'task', 'origin'],
  properties: {
    type: { enum: [...TASK_EVENTS] }, locationId: nullableStr, contactId: nullableStr, links, recordLinks, ...meta,
    task: { type: 'object', properties: { id: str, title: str, body: str, dueDate: str, assignedTo: str, dateAdded: str, completed: { type: 'boolean' } } },
  },
};

export const noteEventSchema: JsonSchema = {
  type: 'object',
  required: ['type', 'note', 'origin'],
  properties: { type: { enum: [...NOTE_EVENTS] }, locationId: nullableStr, contactId: nullableStr, links, recordLinks, ...meta, note: { type: 'object', properties: { id: str, body: str, dateAdded: str } } },
};

export const appEventSchema: JsonSchema = {
  type: 'object',
  required: ['type', 'details', 'origin'],
  properties: { type: { enum: [...APP_EVENTS] }, appId: nullableStr, locationId: nullableStr, companyId: nullableStr, details: { type: 'object' }, ...meta },
};
