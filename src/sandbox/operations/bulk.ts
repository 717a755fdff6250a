import type { OperationHandler } from '../context.js';
import { accessibleLocation, created, ok } from '../context.js';
import { contactEventPayload, normalizeTags } from '../contact-model.js';
import { apiError, unprocessable } from '../errors.js';
import { ID_PATTERN } from '../ids.js';

/** Bulk tags (`{type}` = add | remove, UNVERIFIED values) and bulk business assignment. */

const bulkTags: OperationHandler = (ctx) => {
  const type = ctx.params.type;
  if (type !== 'add' && type !== 'remove') throw apiError(400, `type must be one of the following values: add, remove`, { traceId: ctx.traceId });
  const location = accessibleLocation(ctx, String(ctx.body.locationId));
  const removeAll = ctx.body.removeAllTags === true;
  if (removeAll && type !== 'remove') throw unprocessable(['removeAllTags can only be used with remove type']);
  const tags = normalizeTags(ctx.body.tags as unknown[]);
  const responses = (ctx.body.contacts as string[]).map((contactId) => {
    if (!ID_PATTERN.test(contactId)) return { contactId, message: 'contact id is not a valid firebase id', type: 'error' as const };
    const existing = ctx.core.store.contact(contactId);
    if (!existing) return { contactId, message: 'contact is deleted', type: 'error' as const };
    if (existing.locationId !== location.id) return { contactId, message: 'contact does not belong to location', type: 'error' as const };
    const contact = structuredClone(existing);
    const oldTags = [...contact.tags];
    contact.tags = type === 'add' ? [...new Set([...contact.tags, ...tags])] : removeAll ? [] : contact.tags.filter((t) => !tags.includes(t));
    const tagsAdded = contact.tags.filter((t) => !oldTags.includes(t));
    const tagsRemoved = oldTags.filter((t) => !contact.tags.includes(t));
    if (tagsAdded.length + tagsRemoved.length > 0) {
      contact.dateUpdated = ctx.core.stamp();
      ctx.core.store.putContact(contact);
      ctx.core.emit({ type: 'ContactTagUpdate', locationId: location.id, companyId: location.companyId, scope: 'contacts.readonly', appId: null, payload: contactEventPayload(contact, 'ContactTagUpdate') });
    }
    return { contactId, message: 'Tags updated', type: 'success' as const, oldTags, tagsAdded, tagsRemoved };
  });
  const errorCount = responses.filter((r) => r.type === 'error').length;
  return created({ succeded: errorCount === 0, errorCount, responses });
};

const bulkBusiness: OperationHandler = (ctx) => {
  const location = accessibleLocation(ctx, String(ctx.body.locationId));
  const businessId = ctx.body.businessId as string | null;
  const updated: string[] = [];
  for (const id of ctx.body.ids as string[]) {
    const existing = ctx.core.store.contact(id);
    if (!existing || existing.locationId !== location.id) continue;
    const contact = structuredClone(existing);
    if (businessId) contact.businessId = businessId;
    else delete contact.businessId;
    contact.dateUpdated = ctx.core.stamp();
    ctx.core.store.putContact(contact);
    updated.push(id);
  }
  return ok({ success: true, ids: updated });
};

export const bulkOperations: Record<string, OperationHandler> = {
  'create-association': bulkTags,
  'add-remove-contact-from-business': bulkBusiness,
};
