import type { OperationContext, OperationHandler } from '../context.js';
import { accessibleContact, accessibleLocation, created, ok } from '../context.js';
import {
  applyContactInput, contactEventPayload, findByField, findDuplicate, fullName, matchOrder, serializeContact,
  serializeCreatedContact, type MatchField,
} from '../contact-model.js';
import { ApiError, apiError, unprocessable } from '../errors.js';
import { newId } from '../ids.js';
import type { Contact, Location } from '../model.js';

function duplicateError(contact: Contact, field: MatchField): ApiError {
  return new ApiError(400, {
    statusCode: 400,
    message: 'This location does not allow duplicated contacts.',
    meta: { contactName: fullName(contact) ?? '', contactId: contact.id, matchingField: field },
  });
}

function newContact(ctx: OperationContext, location: Location): Contact {
  const now = ctx.core.stamp();
  return {
    id: newId(),
    locationId: location.id,
    dnd: false,
    tags: [],
    customFields: [],
    followers: [],
    campaigns: [],
    workflows: [],
    type: 'lead',
    dateAdded: now,
    dateUpdated: now,
  };
}

function writableFields(body: Record<string, unknown>): Record<string, unknown> {
  const { locationId: _l, createNewIfDuplicateAllowed: _c, ...rest } = body;
  return rest;
}

/** Emits the events a change deserves: update, tag update, DND update (nothing if nothing changed). */
function emitChanges(ctx: OperationContext, contact: Contact, changed: Set<string>): void {
  if (changed.size === 0) return;
  const emit = (type: string) =>
    ctx.core.emit({ type, locationId: contact.locationId, companyId: ctx.token.companyId, scope: 'contacts.readonly', appId: null, payload: contactEventPayload(contact, type) });
  const others = [...changed].filter((f) => !['tags', 'dnd', 'dndSettings'].includes(f));
  if (others.length > 0) emit('ContactUpdate');
  if (changed.has('tags')) emit('ContactTagUpdate');
  if (changed.has('dnd') || changed.has('dndSettings')) emit('ContactDndUpdate');
}

function createContact(ctx: OperationContext, location: Location, fields: Record<string, unknown>): Contact {
  const contact = newContact(ctx, location);
  applyContactInput(contact, fields, location);
  ctx.core.store.putContact(contact);
  ctx.core.emit({ type: 'ContactCreate', locationId: location.id, companyId: location.companyId, scope: 'contacts.readonly', appId: null, payload: contactEventPayload(contact, 'ContactCreate') });
  return contact;
}

/** Refuses a write that would give the contact another contact's email or phone. */
function assertNoConflict(ctx: OperationContext, location: Location, contact: Contact, fields: Record<string, unknown>): void {
  if (location.duplicateCheck === 'off') return;
  for (const field of matchOrder(location.duplicateCheck)) {
    const value = fields[field];
    const other = typeof value === 'string' ? findByField(ctx.core.store, location, field, value, contact.id) : undefined;
    if (other) throw duplicateError(other, field);
  }
}

const getContact: OperationHandler = (ctx) => ok({ contact: serializeContact(accessibleContact(ctx, ctx.params.contactId!)) });

const postContact: OperationHandler = (ctx) => {
  const location = accessibleLocation(ctx, String(ctx.body.locationId));
  if (location.duplicateCheck !== 'off') {
    const dup = findDuplicate(ctx.core.store, location, matchOrder(location.duplicateCheck), ctx.body);
    if (dup) throw duplicateError(dup.contact, dup.field);
  }
  const contact = createContact(ctx, location, writableFields(ctx.body));
  // GHL quirk (issue #64): the create answers 422 although the contact was stored.
  if (ctx.core.quirk('create-422-but-stored', ctx.method, ctx.path)) throw unprocessable(['Unprocessable Entity']);
  return created({ contact: serializeCreatedContact(contact) });
};

const putContact: OperationHandler = (ctx) => {
  const contact = accessibleContact(ctx, ctx.params.contactId!);
  const location = accessibleLocation(ctx, contact.locationId);
  assertNoConflict(ctx, location, contact, ctx.body);
  const draft = structuredClone(contact);
  const changed = applyContactInput(draft, ctx.body, location);
  if (changed.size > 0) {
    draft.dateUpdated = ctx.core.stamp();
    ctx.core.store.putContact(draft);
  }
  emitChanges(ctx, draft, changed);
  return ok({ succeded: true, contact: serializeContact(draft) });
};

const deleteContact: OperationHandler = (ctx) => {
  const contact = accessibleContact(ctx, ctx.params.contactId!);
  ctx.core.store.deleteContact(contact.id);
  ctx.core.emit({ type: 'ContactDelete', locationId: contact.locationId, companyId: ctx.token.companyId, scope: 'contacts.readonly', appId: null, payload: contactEventPayload(contact, 'ContactDelete') });
  return ok({ succeded: true });
};

/**
 * Upsert per the location's duplicate setting (spec text, ghl-api.md §2.6): the first field of the
 * configured sequence that matches picks the contact; a second field that matches a different
 * contact is ignored so no duplicate arises. `createNewIfDuplicateAllowed` creates only where the
 * location allows duplicates.
 */
const upsertContact: OperationHandler = (ctx) => {
  const location = accessibleLocation(ctx, String(ctx.body.locationId));
  const fields = writableFields(ctx.body);
  const drop = ctx.core.quirk('upsert-drops-field', ctx.method, ctx.path);
  if (drop) {
    const victim = drop.field ?? Object.keys(fields).find((f) => !['email', 'phone'].includes(f));
    if (victim) delete fields[victim];
  }
  const allowDuplicates = location.duplicateCheck === 'off';
  if (!(allowDuplicates && ctx.body.createNewIfDuplicateAllowed === true)) {
    const order = matchOrder(location.duplicateCheck);
    const match = findDuplicate(ctx.core.store, location, order, fields);
    if (match) {
      for (const field of order) {
        if (field === match.field || typeof fields[field] !== 'string') continue;
        if (findByField(ctx.core.store, location, field, fields[field] as string, match.contact.id)) delete fields[field];
      }
      const draft = structuredClone(match.contact);
      const changed = applyContactInput(draft, fields, location);
      if (changed.size > 0) {
        draft.dateUpdated = ctx.core.stamp();
        ctx.core.store.putContact(draft);
      }
      emitChanges(ctx, draft, changed);
      return ok({ new: false, contact: serializeContact(draft), traceId: ctx.traceId });
    }
  }
  if (!allowDuplicates) assertNoConflict(ctx, location, newContact(ctx, location), fields);
  const contact = createContact(ctx, location, fields);
  return ok({ new: true, contact: serializeContact(contact), traceId: ctx.traceId });
};

const getDuplicate: OperationHandler = (ctx) => {
  const location = accessibleLocation(ctx, ctx.query.get('locationId') ?? '');
  const values = { email: ctx.query.get('email') ?? undefined, phone: ctx.query.get('number') ?? undefined };
  if (!values.email && !values.phone) throw apiError(400, 'Either email or number is required', { traceId: ctx.traceId });
  const match = findDuplicate(ctx.core.store, location, matchOrder(location.duplicateCheck), values);
  return ok({ contact: match ? serializeContact(match.contact) : null, traceId: ctx.traceId });
};

export const contactOperations: Record<string, OperationHandler> = {
  'get-contact': getContact,
  'create-contact': postContact,
  'update-contact': putContact,
  'delete-contact': deleteContact,
  'upsert-contact': upsertContact,
  'get-duplicate-contact': getDuplicate,
};
