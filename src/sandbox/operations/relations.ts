import type { OperationContext, OperationHandler } from '../context.js';
import { accessibleContact, created, ok } from '../context.js';
import { contactEventPayload, normalizeTags } from '../contact-model.js';
import type { Contact } from '../model.js';

/** Tags, followers, campaigns, workflows and appointments of one contact. */

function save(ctx: OperationContext, contact: Contact, tagsChanged: boolean): void {
  contact.dateUpdated = ctx.core.stamp();
  ctx.core.store.putContact(contact);
  if (tagsChanged) {
    ctx.core.emit({ type: 'ContactTagUpdate', locationId: contact.locationId, companyId: ctx.token.companyId, scope: 'contacts.readonly', appId: null, payload: contactEventPayload(contact, 'ContactTagUpdate') });
  }
}

function editable(ctx: OperationContext): Contact {
  return structuredClone(accessibleContact(ctx, ctx.params.contactId!));
}

export const relationOperations: Record<string, OperationHandler> = {
  'add-tags': (ctx) => {
    const contact = editable(ctx);
    const added = normalizeTags(ctx.body.tags as unknown[]).filter((t) => !contact.tags.includes(t));
    contact.tags.push(...added);
    if (added.length > 0) save(ctx, contact, true);
    return created({ tags: contact.tags });
  },
  'remove-tags': (ctx) => {
    const contact = editable(ctx);
    const remove = new Set(normalizeTags(ctx.body.tags as unknown[]));
    const kept = contact.tags.filter((t) => !remove.has(t));
    const changed = kept.length !== contact.tags.length;
    contact.tags = kept;
    if (changed) save(ctx, contact, true);
    return ok({ tags: contact.tags });
  },
  'add-followers-contact': (ctx) => {
    const contact = editable(ctx);
    const added = [...new Set(ctx.body.followers as string[])].filter((f) => !contact.followers.includes(f));
    contact.followers.push(...added);
    if (added.length > 0) save(ctx, contact, false);
    return created({ followers: contact.followers, followersAdded: added });
  },
  'remove-followers-contact': (ctx) => {
    const contact = editable(ctx);
    const remove = new Set(ctx.body.followers as string[]);
    const removed = contact.followers.filter((f) => remove.has(f));
    contact.followers = contact.followers.filter((f) => !remove.has(f));
    if (removed.length > 0) save(ctx, contact, false);
    return ok({ followers: contact.followers, followersRemoved: removed });
  },
  'add-contact-to-campaign': (ctx) => {
    const contact = editable(ctx);
    if (!contact.campaigns.includes(ctx.params.campaignId!)) {
      contact.campaigns.push(ctx.params.campaignId!);
      save(ctx, contact, false);
    }
    return created({ succeded: true });
  },
  'remove-contact-from-campaign': (ctx) => {
    const contact = editable(ctx);
    const before = contact.campaigns.length;
    contact.campaigns = contact.campaigns.filter((c) => c !== ctx.params.campaignId);
    if (contact.campaigns.length !== before) save(ctx, contact, false);
    return ok({ succeded: true });
  },
  'remove-contact-from-every-campaign': (ctx) => {
    const contact = editable(ctx);
    if (contact.campaigns.length > 0) {
      contact.campaigns = [];
      save(ctx, contact, false);
    }
    return ok({ succeded: true });
  },
  'add-contact-to-workflow': (ctx) => {
    const contact = editable(ctx);
    contact.workflows = contact.workflows.filter((w) => w.workflowId !== ctx.params.workflowId);
    const eventStartTime = typeof ctx.body.eventStartTime === 'string' ? ctx.body.eventStartTime : undefined;
    contact.workflows.push({ workflowId: ctx.params.workflowId!, ...(eventStartTime ? { eventStartTime } : {}) });
    save(ctx, contact, false);
    return ok({ succeded: true });
  },
  'delete-contact-from-workflow': (ctx) => {
    const contact = editable(ctx);
    const before = contact.workflows.length;
    contact.workflows = contact.workflows.filter((w) => w.workflowId !== ctx.params.workflowId);
    if (contact.workflows.length !== before) save(ctx, contact, false);
    return ok({ succeded: true });
  },
  'get-appointments-for-contact': (ctx) => {
    const contact = accessibleContact(ctx, ctx.params.contactId!);
    return ok({ events: ctx.core.store.appointmentsOf(contact.id).map((a) => ({ ...a })) });
  },
};
