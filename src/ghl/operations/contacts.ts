/** The contact itself: get, create, update, delete, upsert, duplicate lookup, plus the listings. */
import { contactListingOperations, type ContactListingOperations } from './contact-listing.js';
import type {
  ContactResponse,
  CreateContactInput,
  CreateContactResponse,
  DuplicateContactResponse,
  FindDuplicateParams,
  SucceededResponse,
  UpdateContactInput,
  UpdateContactResponse,
  UpsertContactInput,
  UpsertContactResponse,
} from './models.js';
import {
  invoke, pathLocation, requireLocation, segment, type LocatedRequestOptions, type OperationContext, type RequestOptions,
} from './request.js';

export interface ContactsOperations extends ContactListingOperations {
  /** GET /contacts/{contactId} (`get-contact`). */
  get(contactId: string, options?: LocatedRequestOptions): Promise<ContactResponse>;
  /**
   * POST /contacts/ (`create-contact`, 201). Not idempotent: never blindly retried. A location
   * that disallows duplicates answers `GhlDuplicateContactError` with the existing contact's id.
   */
  create(input: CreateContactInput, options?: RequestOptions): Promise<CreateContactResponse>;
  /** PUT /contacts/{contactId} (`update-contact`). `tags` replaces every tag. */
  update(contactId: string, input: UpdateContactInput, options?: LocatedRequestOptions): Promise<UpdateContactResponse>;
  /** DELETE /contacts/{contactId} (`delete-contact`). */
  delete(contactId: string, options?: LocatedRequestOptions): Promise<SucceededResponse>;
  /** POST /contacts/upsert (`upsert-contact`): by the location's duplicate rule; `new` tells which. */
  upsert(input: UpsertContactInput, options?: RequestOptions): Promise<UpsertContactResponse>;
  /** GET /contacts/search/duplicate (`get-duplicate-contact`): the contact the duplicate rule matches, or null. */
  findDuplicate(params: FindDuplicateParams, options?: RequestOptions): Promise<DuplicateContactResponse>;
}

/**
 * The `contacts` operations.
 *
 * @example
 * const contacts = contactsOperations({ call, locationId });
 * const { contact } = await contacts.create({ firstName: 'Ada', email: 'ada@example.com' });
 * await contacts.update(contact.id, { city: 'London' });
 */
export function contactsOperations(ctx: OperationContext): ContactsOperations {
  const contactPath = (contactId: string) => `/contacts/${segment('contactId', contactId)}`;
  return {
    ...contactListingOperations(ctx),
    async get(contactId, options) {
      return invoke(ctx, { operationId: 'get-contact', method: 'GET', path: contactPath(contactId), idempotent: true, resourceId: pathLocation(ctx, options) }, options);
    },
    async create(input, options) {
      const locationId = requireLocation(ctx, input.locationId);
      return invoke(
        ctx,
        { operationId: 'create-contact', method: 'POST', path: '/contacts/', idempotent: false, body: { ...input, locationId }, resourceId: locationId },
        options,
      );
    },
    async update(contactId, input, options) {
      return invoke(
        ctx,
        { operationId: 'update-contact', method: 'PUT', path: contactPath(contactId), idempotent: true, body: input, resourceId: pathLocation(ctx, options) },
        options,
      );
    },
    async delete(contactId, options) {
      return invoke(ctx, { operationId: 'delete-contact', method: 'DELETE', path: contactPath(contactId), idempotent: true, resourceId: pathLocation(ctx, options) }, options);
    },
    async upsert(input, options) {
      const locationId = requireLocation(ctx, input.locationId);
      return invoke(
        ctx,
        { operationId: 'upsert-contact', method: 'POST', path: '/contacts/upsert', idempotent: true, body: { ...input, locationId }, resourceId: locationId },
        options,
      );
    },
    async findDuplicate(params, options) {
      const locationId = requireLocation(ctx, params.locationId);
      if (!params.email && !params.phone) throw new TypeError('findDuplicate needs an email or a phone');
      const query = { locationId, email: params.email, number: params.phone };
      return invoke(ctx, { operationId: 'get-duplicate-contact', method: 'GET', path: '/contacts/search/duplicate', idempotent: true, query, resourceId: locationId }, options);
    },
  };
}
