/**
 * Lazy pagination: an async iterable over items (or `pages()`), fetching one page at a time and
 * only when the consumer asks for it, so a `break` in `for await` stops fetching at once.
 *
 * The three contacts listings page differently:
 * - GET /contacts/ (deprecated): `startAfter`/`startAfterId` from the answer's `meta`;
 * - POST /contacts/search: the `searchAfter` of the last contact (default), or `page` numbers;
 * - GET /contacts/business/{id}: `skip`/`limit`.
 */
import { LIST_MAX_LIMIT } from '../spec/index.js';
import type {
  BusinessContactsParams,
  BusinessContactsResponse,
  ListContactsParams,
  ListContactsResponse,
  ListedContact,
  SearchContactsInput,
  SearchContactsResponse,
  SearchCursor,
  SearchedContact,
} from './operations/models.js';
import type { RequestOptions } from './operations/request.js';

/** One fetched page: its items, the whole answer (for `total`, `meta`, `traceId`), its 1-based number. */
export interface Page<T, R> {
  items: T[];
  response: R;
  number: number;
}

/**
 * Items one by one with `for await`, or whole pages with `pages()`. Each iteration starts again
 * from the first page; nothing is fetched before iteration starts.
 */
export interface Paginated<T, R> extends AsyncIterable<T> {
  pages(): AsyncIterableIterator<Page<T, R>>;
  /** Every item of every page (fetches them all). */
  toArray(): Promise<T[]>;
}

/** How to walk one listing: the first cursor, how to fetch a page, and the cursor after it. */
export interface PageSource<C, R, T> {
  first: C;
  fetch(cursor: C): Promise<R>;
  items(response: R): T[];
  /** The cursor of the next page, or null after the last one. */
  next(response: R, items: T[], cursor: C): C | null;
}

/** The listing did not advance (the same cursor twice) or gave no cursor to go on with. */
export class GhlPaginationError extends Error {
  override readonly name = 'GhlPaginationError';
}

/** Options of the iterating methods. */
export interface PageOptions extends RequestOptions {
  /** Items per request (see each method for its default and maximum). */
  pageSize?: number;
}

export interface SearchPageOptions extends PageOptions {
  /**
   * `searchAfter` (default): the cursor of the last contact, no depth limit. `page`: page numbers,
   * limited to the first 10 000 results by HighLevel (UNVERIFIED figure).
   */
  paging?: 'searchAfter' | 'page';
}

export const LIST_DEFAULT_PAGE_SIZE = LIST_MAX_LIMIT;
export const SEARCH_DEFAULT_PAGE_SIZE = 100;
export const BUSINESS_DEFAULT_PAGE_SIZE = LIST_MAX_LIMIT;

/**
 * The generic walker: fetches a page when the consumer wants the next item, computes the next
 * cursor only after the consumer has taken the page.
 *
 * @example
 * const numbers = paginate({ first: 0, fetch: async (n) => [n, n + 1], items: (r) => r, next: (_r, _i, n) => (n < 4 ? n + 2 : null) });
 * for await (const n of numbers) console.log(n); // 0 1 2 3 4 5
 */
export function paginate<C, R, T>(source: PageSource<C, R, T>): Paginated<T, R> {
  async function* pages(): AsyncGenerator<Page<T, R>, void, undefined> {
    let cursor: C | null = source.first;
    for (let number = 1; cursor !== null; number++) {
      const response = await source.fetch(cursor);
      const items = source.items(response);
      yield { items, response, number };
      cursor = source.next(response, items, cursor);
    }
  }
  async function* items(): AsyncGenerator<T, void, undefined> {
    for await (const page of pages()) yield* page.items;
  }
  return {
    pages,
    [Symbol.asyncIterator]: items,
    async toArray() {
      const all: T[] = [];
      for await (const item of items()) all.push(item);
      return all;
    },
  };
}

/** A page size within 1..max, or the default. */
export function checkPageSize(value: number | undefined, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1 || value > max) throw new RangeError(`pageSize must be an integer from 1 to ${max}, got ${value}`);
  return value;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * GET /contacts/ page by page. Goes on with `meta.startAfter`/`meta.startAfterId` and stops when
 * they are null. Without `meta` (its live shape is UNVERIFIED) it goes on from the last contact
 * (`id`, `dateAdded` in epoch ms) while pages are full.
 *
 * @example
 * const all = paginateList((p) => ops.contacts.list(p), { locationId }, 100);
 */
export function paginateList(
  fetchPage: (params: ListContactsParams) => Promise<ListContactsResponse>,
  params: ListContactsParams,
  pageSize: number,
): Paginated<ListedContact, ListContactsResponse> {
  return paginate<ListContactsParams, ListContactsResponse, ListedContact>({
    first: { ...params, limit: pageSize },
    fetch: fetchPage,
    items: (response) => response.contacts,
    next(response, items, cursor) {
      const last = items[items.length - 1];
      if (!last) return null;
      const meta = response.meta;
      let position: Pick<ListContactsParams, 'startAfter' | 'startAfterId'>;
      if (meta) {
        if (meta.startAfterId === null || meta.startAfter === null) return null;
        position = { startAfter: meta.startAfter, startAfterId: meta.startAfterId };
      } else {
        if (items.length < pageSize) return null;
        const at = last.dateAdded ? Date.parse(last.dateAdded) : Number.NaN;
        position = Number.isFinite(at) ? { startAfter: at, startAfterId: last.id } : { startAfterId: last.id };
      }
      if (same(position, { startAfter: cursor.startAfter, startAfterId: cursor.startAfterId })) {
        throw new GhlPaginationError(`GET /contacts/ did not advance: the same startAfterId ${position.startAfterId ?? ''} twice`);
      }
      return { ...cursor, ...position };
    },
  });
}

interface SearchPosition {
  body: SearchContactsInput;
  /** Contacts before this page (counted from the first page fetched). */
  before: number;
}

/**
 * POST /contacts/search page by page: with `searchAfter` (the last contact's cursor) or with
 * `page` numbers. Stops on a short page or when `total` contacts have been seen.
 *
 * @example
 * for await (const c of paginateSearch((b) => ops.contacts.search(b), { locationId, query: 'ada' }, 100, 'searchAfter')) console.log(c.id);
 */
export function paginateSearch(
  fetchPage: (body: SearchContactsInput) => Promise<SearchContactsResponse>,
  body: Omit<SearchContactsInput, 'pageLimit'>,
  pageSize: number,
  paging: 'searchAfter' | 'page' = 'searchAfter',
): Paginated<SearchedContact, SearchContactsResponse> {
  if (paging === 'page' && body.searchAfter !== undefined) throw new TypeError('searchAfter cannot be combined with page paging');
  if (paging === 'searchAfter' && body.page !== undefined) throw new TypeError('page needs paging: "page"');
  const first: SearchContactsInput = { ...body, pageLimit: pageSize };
  return paginate<SearchPosition, SearchContactsResponse, SearchedContact>({
    first: { body: first, before: paging === 'page' ? ((body.page ?? 1) - 1) * pageSize : 0 },
    fetch: (position) => fetchPage(position.body),
    items: (response) => response.contacts,
    next(response, items, position) {
      const seen = position.before + items.length;
      if (items.length < pageSize || seen >= response.total) return null;
      if (paging === 'page') return { body: { ...position.body, page: (position.body.page ?? 1) + 1 }, before: seen };
      const after: SearchCursor | undefined = items[items.length - 1]!.searchAfter;
      if (!Array.isArray(after) || after.length === 0) {
        throw new GhlPaginationError('POST /contacts/search answered contacts without searchAfter; use paging: "page"');
      }
      if (same(after, position.body.searchAfter)) throw new GhlPaginationError('POST /contacts/search did not advance: the same searchAfter twice');
      return { body: { ...position.body, searchAfter: after }, before: seen };
    },
  });
}

/**
 * GET /contacts/business/{businessId} page by page with `skip`/`limit`. Stops on a short or empty
 * page or when `count` contacts have been skipped.
 *
 * @example
 * const contacts = await paginateBusiness((p) => ops.contacts.listByBusiness(businessId, p), { locationId }, 100).toArray();
 */
export function paginateBusiness(
  fetchPage: (params: BusinessContactsParams) => Promise<BusinessContactsResponse>,
  params: BusinessContactsParams,
  pageSize: number,
): Paginated<ListedContact, BusinessContactsResponse> {
  return paginate<BusinessContactsParams, BusinessContactsResponse, ListedContact>({
    first: { ...params, limit: pageSize, skip: params.skip ?? 0 },
    fetch: fetchPage,
    items: (response) => response.contacts,
    next(response, items, cursor) {
      const skip = (cursor.skip ?? 0) + items.length;
      if (items.length < pageSize || skip >= response.count) return null;
      return { ...cursor, skip };
    },
  });
}

