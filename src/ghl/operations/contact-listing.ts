/**
 * Listing contacts: GET /contacts/ (deprecated), POST /contacts/search, GET /contacts/business/{id},
 * each as one request and as a lazy iterator over every page.
 */
import { LIST_MAX_LIMIT, SEARCH_MAX_PAGE_LIMIT } from '../../spec/index.js';
import {
  BUSINESS_DEFAULT_PAGE_SIZE,
  checkPageSize,
  LIST_DEFAULT_PAGE_SIZE,
  paginateBusiness,
  paginateList,
  paginateSearch,
  SEARCH_DEFAULT_PAGE_SIZE,
  type PageOptions,
  type Paginated,
  type SearchPageOptions,
} from '../paginate.js';
import type {
  BusinessContactsParams,
  BusinessContactsResponse,
  ListContactsParams,
  ListContactsResponse,
  ListedContact,
  SearchContactsInput,
  SearchContactsResponse,
  SearchedContact,
} from './models.js';
import { invoke, requireLocation, segment, type OperationContext, type RequestOptions } from './request.js';

/**
 * The iterating methods (`…All`) fetch nothing until iterated; they throw at once (RangeError,
 * TypeError) for a bad `pageSize`, a missing location or contradictory cursors.
 */
export interface ContactListingOperations {
  /**
   * GET /contacts/ (`get-contacts`): one page, oldest first, `meta` holds the next cursor.
   * @deprecated HighLevel deprecates this endpoint in favour of `search`.
   */
  list(params?: ListContactsParams, options?: RequestOptions): Promise<ListContactsResponse>;
  /**
   * Every contact of GET /contacts/, page by page (`pageSize` 1..100, default 100).
   * @deprecated HighLevel deprecates this endpoint in favour of `searchAll`.
   */
  listAll(params?: Omit<ListContactsParams, 'limit'>, options?: PageOptions): Paginated<ListedContact, ListContactsResponse>;
  /** POST /contacts/search (`search-contacts-advanced`): one page of a search. */
  search(body: SearchContactsInput, options?: RequestOptions): Promise<SearchContactsResponse>;
  /** Every contact a search matches (`pageSize` 1..500, default 100; `paging` searchAfter or page). */
  searchAll(body: Omit<SearchContactsInput, 'pageLimit'>, options?: SearchPageOptions): Paginated<SearchedContact, SearchContactsResponse>;
  /** GET /contacts/business/{businessId} (`get-contacts-by-businessId`): one page. */
  listByBusiness(businessId: string, params?: BusinessContactsParams, options?: RequestOptions): Promise<BusinessContactsResponse>;
  /** Every contact of a business (`pageSize` 1..100, default 100). */
  listByBusinessAll(businessId: string, params?: Omit<BusinessContactsParams, 'limit'>, options?: PageOptions): Paginated<ListedContact, BusinessContactsResponse>;
}

function requestOptions(options: RequestOptions | undefined): RequestOptions {
  return { signal: options?.signal, timeoutMs: options?.timeoutMs };
}

/**
 * The listing methods of `contacts`.
 *
 * @example
 * const listing = contactListingOperations({ call, locationId });
 * for await (const contact of listing.searchAll({ query: 'ada' }, { pageSize: 50 })) {
 *   if (contact.email === 'ada@example.com') break; // stops fetching
 * }
 */
export function contactListingOperations(ctx: OperationContext): ContactListingOperations {
  const list = async (params: ListContactsParams = {}, options?: RequestOptions): Promise<ListContactsResponse> => {
    const locationId = requireLocation(ctx, params.locationId);
    const query = { locationId, query: params.query, limit: params.limit, startAfter: params.startAfter, startAfterId: params.startAfterId };
    return invoke(ctx, { operationId: 'get-contacts', method: 'GET', path: '/contacts/', idempotent: true, query, resourceId: locationId }, options);
  };

  const search = async (body: SearchContactsInput, options?: RequestOptions): Promise<SearchContactsResponse> => {
    const locationId = requireLocation(ctx, body.locationId);
    return invoke(
      ctx,
      { operationId: 'search-contacts-advanced', method: 'POST', path: '/contacts/search', idempotent: true, body: { ...body, locationId }, resourceId: locationId },
      options,
    );
  };

  const listByBusiness = async (businessId: string, params: BusinessContactsParams = {}, options?: RequestOptions): Promise<BusinessContactsResponse> => {
    const path = `/contacts/business/${segment('businessId', businessId)}`;
    const locationId = requireLocation(ctx, params.locationId);
    // The spec types limit and skip as strings.
    const query = {
      locationId,
      query: params.query,
      limit: params.limit === undefined ? undefined : String(params.limit),
      skip: params.skip === undefined ? undefined : String(params.skip),
    };
    return invoke(ctx, { operationId: 'get-contacts-by-businessId', method: 'GET', path, idempotent: true, query, resourceId: locationId }, options);
  };

  return {
    list,
    search,
    listByBusiness,
    listAll(params = {}, options) {
      const size = checkPageSize(options?.pageSize, LIST_DEFAULT_PAGE_SIZE, LIST_MAX_LIMIT);
      const first = { ...params, locationId: requireLocation(ctx, params.locationId) };
      return paginateList((p) => list(p, requestOptions(options)), first, size);
    },
    searchAll(body, options) {
      const size = checkPageSize(options?.pageSize, SEARCH_DEFAULT_PAGE_SIZE, SEARCH_MAX_PAGE_LIMIT);
      const first = { ...body, locationId: requireLocation(ctx, body.locationId) };
      return paginateSearch((b) => search(b, requestOptions(options)), first, size, options?.paging);
    },
    listByBusinessAll(businessId, params = {}, options) {
      const size = checkPageSize(options?.pageSize, BUSINESS_DEFAULT_PAGE_SIZE, LIST_MAX_LIMIT);
      segment('businessId', businessId);
      const first = { ...params, locationId: requireLocation(ctx, params.locationId) };
      return paginateBusiness((p) => listByBusiness(businessId, p, requestOptions(options)), first, size);
    },
  };
}
