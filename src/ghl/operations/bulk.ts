/** The two bulk endpoints: tags of many contacts, and the business of many contacts. */
import type {
  AssignBusinessInput, AssignBusinessResponse, BulkTagsInput, BulkTagsResponse, BulkTagsType,
} from './models.js';
import { invoke, requireLocation, type OperationContext, type RequestOptions } from './request.js';

/** POST /contacts/bulk/tags/update/{type} (`create-association`, sic; 201). */
export type BulkTagsUpdate = <K extends BulkTagsType>(type: K, input: BulkTagsInput<K>, options?: RequestOptions) => Promise<BulkTagsResponse>;

export interface BusinessesOperations {
  /**
   * POST /contacts/bulk/business (`add-remove-contact-from-business`): sets the business of
   * every contact of `ids`; `businessId: null` removes it.
   */
  assign(input: AssignBusinessInput, options?: RequestOptions): Promise<AssignBusinessResponse>;
}

const BULK_TAG_TYPES: readonly BulkTagsType[] = ['add', 'remove'];

/**
 * Adds or removes tags on many contacts; each contact's outcome is in `responses`.
 *
 * @example
 * const update = bulkTagsUpdate({ call, locationId });
 * const { errorCount, responses } = await update('add', { contacts: [id1, id2], tags: ['vip'] });
 */
export function bulkTagsUpdate(ctx: OperationContext): BulkTagsUpdate {
  return async (type, input, options) => {
    if (!BULK_TAG_TYPES.includes(type)) throw new TypeError(`bulk tags type must be add or remove, got ${String(type)}`);
    const locationId = requireLocation(ctx, input.locationId);
    return invoke(
      ctx,
      { operationId: 'create-association', method: 'POST', path: `/contacts/bulk/tags/update/${type}`, idempotent: true, body: { ...input, locationId }, resourceId: locationId },
      options,
    );
  };
}

/**
 * The `businesses` operations.
 *
 * @example
 * const { ids } = await businessesOperations({ call, locationId }).assign({ ids: [contactId], businessId });
 */
export function businessesOperations(ctx: OperationContext): BusinessesOperations {
  return {
    async assign(input, options) {
      const locationId = requireLocation(ctx, input.locationId);
      return invoke(
        ctx,
        {
          operationId: 'add-remove-contact-from-business',
          method: 'POST',
          path: '/contacts/bulk/business',
          idempotent: true,
          body: { ...input, locationId },
          resourceId: locationId,
        },
        options,
      );
    },
  };
}
