import { LIST_MAX_LIMIT, type SearchContactsBody } from '../../spec/index.js';
import type { OperationHandler } from '../context.js';
import { accessibleLocation, ok } from '../context.js';
import { serializeContact } from '../contact-model.js';
import { apiError, unprocessable } from '../errors.js';
import type { Contact } from '../model.js';
import { compareKeys, compileFilters, matchesQuery, sortBy } from '../search.js';

/** Searching and paging contacts: GET /contacts/ (deprecated), by business, POST /contacts/search. */

const dateMs = (c: Contact) => Date.parse(c.dateAdded);
const byDateThenId = (a: Contact, b: Contact) => dateMs(a) - dateMs(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

function intParam(value: string | null, name: string, fallback: number, max?: number): number {
  if (value === null || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n)) throw unprocessable([`${name} must be a number conforming to the specified constraints`]);
  if (n < 0) throw unprocessable([`${name} must not be less than 0`]);
  if (max !== undefined && n > max) throw unprocessable([`${name} must not be greater than ${max}`]);
  return n;
}

/**
 * GET /contacts/: oldest first by `dateAdded` then id; `startAfter` (epoch ms of `dateAdded`)
 * and `startAfterId` continue after a contact, as `meta` of the previous page says
 * (meta keys from ContactsMetaSchema; order and cursor semantics UNVERIFIED).
 */
const listContacts: OperationHandler = (ctx) => {
  const location = accessibleLocation(ctx, ctx.query.get('locationId') ?? '');
  const limit = intParam(ctx.query.get('limit'), 'limit', 20, LIST_MAX_LIMIT) || 20;
  const startAfter = ctx.query.get('startAfter');
  const startAfterId = ctx.query.get('startAfterId');
  if (startAfter !== null && startAfter !== '' && !Number.isFinite(Number(startAfter))) {
    throw unprocessable(['startAfter must be a number conforming to the specified constraints']);
  }
  const query = ctx.query.get('query');
  const all = [...ctx.core.store.contactsOf(location.id)].filter((c) => matchesQuery(c, query)).sort(byDateThenId);
  let start = 0;
  if (startAfterId) {
    const idx = all.findIndex((c) => c.id === startAfterId);
    if (idx >= 0) start = idx + 1;
    else if (startAfter) start = all.findIndex((c) => dateMs(c) > Number(startAfter) || (dateMs(c) === Number(startAfter) && c.id > startAfterId));
  } else if (startAfter) start = all.findIndex((c) => dateMs(c) > Number(startAfter));
  if (start < 0) start = all.length;
  const page = all.slice(start, start + limit);
  const last = page[page.length - 1];
  const hasMore = start + limit < all.length;
  const currentPage = Math.floor(start / limit) + 1;
  const next = new URL(`${ctx.origin}/contacts/`);
  next.searchParams.set('locationId', location.id);
  if (last) {
    next.searchParams.set('startAfter', String(dateMs(last)));
    next.searchParams.set('startAfterId', last.id);
  }
  return ok({
    contacts: page.map(serializeContact),
    count: all.length,
    meta: {
      total: all.length,
      nextPageUrl: hasMore ? next.toString() : null,
      startAfterId: hasMore && last ? last.id : null,
      startAfter: hasMore && last ? dateMs(last) : null,
      currentPage,
      nextPage: hasMore ? currentPage + 1 : null,
      prevPage: currentPage > 1 ? currentPage - 1 : null,
    },
  });
};

/** GET /contacts/business/{businessId}: `skip`/`limit` as strings (defaults "0"/"25"). */
const byBusiness: OperationHandler = (ctx) => {
  const location = accessibleLocation(ctx, ctx.query.get('locationId') ?? '');
  const limit = intParam(ctx.query.get('limit'), 'limit', 25, LIST_MAX_LIMIT);
  const skip = intParam(ctx.query.get('skip'), 'skip', 0);
  const query = ctx.query.get('query');
  const all = [...ctx.core.store.contactsOf(location.id)]
    .filter((c) => c.businessId === ctx.params.businessId && matchesQuery(c, query))
    .sort(byDateThenId);
  return ok({ contacts: all.slice(skip, skip + limit).map(serializeContact), count: all.length });
};

/** Page-based results stop here, as on the live API (UNVERIFIED figure): use searchAfter beyond. */
const PAGE_WINDOW = 10_000;

const search: OperationHandler = (ctx) => {
  const body = ctx.body as unknown as SearchContactsBody;
  const location = accessibleLocation(ctx, body.locationId);
  const predicate = compileFilters(body.filters ?? [], location.country);
  const sort = body.sort && body.sort.length > 0 ? body.sort : [{ field: 'dateAdded', direction: 'desc' as const }];
  const { compare, key } = sortBy(sort);
  const dirs = [...sort.map((s) => (s.direction === 'desc' ? -1 : 1)), 1];
  const matched = [...ctx.core.store.contactsOf(location.id)].filter((c) => matchesQuery(c, body.query) && predicate(c)).sort(compare);
  let page: Contact[];
  if (body.searchAfter && body.searchAfter.length > 0) {
    if (body.page !== undefined) throw apiError(400, 'Use either page or searchAfter, not both', { traceId: ctx.traceId });
    const cursor = body.searchAfter;
    page = matched.filter((c) => compareKeys(key(c), cursor, dirs) > 0).slice(0, body.pageLimit);
  } else {
    const offset = ((body.page ?? 1) - 1) * body.pageLimit;
    if (offset + body.pageLimit > PAGE_WINDOW) {
      throw apiError(400, `page * pageLimit must not exceed ${PAGE_WINDOW}; use searchAfter to go further`, { traceId: ctx.traceId });
    }
    page = matched.slice(offset, offset + body.pageLimit);
  }
  return ok({
    contacts: page.map((c) => ({ ...serializeContact(c), searchAfter: key(c) })),
    total: matched.length,
    traceId: ctx.traceId,
  });
};

export const listingOperations: Record<string, OperationHandler> = {
  'get-contacts': listContacts,
  'get-contacts-by-businessId': byBusiness,
  'search-contacts-advanced': search,
};
