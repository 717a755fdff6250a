/**
 * Typed methods for the 32 operations of HighLevel's contacts module, on top of `call`.
 */
import type { Call } from '../core/call.js';
import {
  appointmentsOperations, campaignsOperations, contactTagsOperations, followersOperations, workflowsOperations,
  type AppointmentsOperations, type CampaignsOperations, type ContactTagsOperations, type FollowersOperations,
  type WorkflowsOperations,
} from './associations.js';
import { bulkTagsUpdate, businessesOperations, type BulkTagsUpdate, type BusinessesOperations } from './bulk.js';
import { contactsOperations, type ContactsOperations } from './contacts.js';
import { notesOperations, type NotesOperations } from './notes.js';
import type { OperationContext } from './request.js';
import { tasksOperations, type TasksOperations } from './tasks.js';

export interface OperationsOptions {
  /**
   * Default location: fills `locationId` of bodies and queries that need one, and is the
   * `resourceId` of path-only operations when the call names no location. Never sent as a header.
   */
  locationId?: string;
}

export interface TagsOperations extends ContactTagsOperations {
  /** Adds (`'add'`) or removes (`'remove'`, with optional `removeAllTags`) tags on many contacts. */
  bulkUpdate: BulkTagsUpdate;
}

export interface GhlOperations {
  contacts: ContactsOperations;
  tasks: TasksOperations;
  notes: NotesOperations;
  tags: TagsOperations;
  followers: FollowersOperations;
  campaigns: CampaignsOperations;
  workflows: WorkflowsOperations;
  appointments: AppointmentsOperations;
  businesses: BusinessesOperations;
}

/**
 * Every contacts operation as a typed method. Each method takes optional
 * `{ signal?, timeoutMs? }` (path-only ones also `locationId`), returns the parsed 2xx body and
 * throws the typed `GhlError`s of `core/errors.ts`.
 *
 * @example
 * const call = createCall(compose([headers(), auth], fetchTransport({ baseUrl })));
 * const ghl = createOperations(call, { locationId });
 * const { contact } = await ghl.contacts.upsert({ email: 'ada@example.com', firstName: 'Ada' });
 * await ghl.tags.add(contact.id, ['vip']);
 * for await (const c of ghl.contacts.searchAll({ query: 'ada' })) console.log(c.id);
 */
export function createOperations(call: Call, options: OperationsOptions = {}): GhlOperations {
  const ctx: OperationContext = { call, locationId: options.locationId };
  return {
    contacts: contactsOperations(ctx),
    tasks: tasksOperations(ctx),
    notes: notesOperations(ctx),
    tags: { ...contactTagsOperations(ctx), bulkUpdate: bulkTagsUpdate(ctx) },
    followers: followersOperations(ctx),
    campaigns: campaignsOperations(ctx),
    workflows: workflowsOperations(ctx),
    appointments: appointmentsOperations(ctx),
    businesses: businessesOperations(ctx),
  };
}

export type {
  AppointmentsOperations, BulkTagsUpdate, BusinessesOperations, CampaignsOperations, ContactTagsOperations, ContactsOperations,
  FollowersOperations, NotesOperations, TasksOperations, WorkflowsOperations,
};
export type { ContactListingOperations } from './contact-listing.js';
export type { LocatedRequestOptions, RequestOptions } from './request.js';
export type * from './models.js';
export type { ContactsMeta, SearchFilter, SearchOperator } from '../../spec/index.js';
export { GhlPaginationError, type Page, type PageOptions, type Paginated, type SearchPageOptions } from '../paginate.js';
