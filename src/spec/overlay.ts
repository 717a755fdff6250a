/**
 * OVERLAY — hand-written additions where HighLevel's OpenAPI files are thin or wrong.
 *
 * Everything here is ours, not the spec's: each entry says which gap it fills and where the
 * knowledge comes from (`shared/reference/ghl-api.md` sections). Entries marked UNVERIFIED are
 * our best reading of community reports, not an official contract. The generated artefacts in
 * `./generated/` stay untouched; `./index.ts` merges this overlay over them.
 */

const contactRef = { $ref: '#/$defs/GetContectByIdSchema' };

/** Operators accepted by POST /contacts/search filters (ghl-api.md §2.3; grammar UNVERIFIED). */
export const SEARCH_OPERATORS = ['eq', 'not_eq', 'contains', 'not_contains', 'exists', 'not_exists', 'range'] as const;
export type SearchOperator = (typeof SEARCH_OPERATORS)[number];

/** Largest `pageLimit` the search accepts (UNVERIFIED; larger values answer 422). */
export const SEARCH_MAX_PAGE_LIMIT = 500;
/** Largest `limit` of the deprecated GET /contacts/ ("maximum up to 100" in the spec). */
export const LIST_MAX_LIMIT = 100;

export const overlaySchemas: Record<string, unknown> = {
  // Gap: SearchBodyV2DTO is `{}` in the spec. Shape from issues #31 and #289 (§2.3).
  SearchBodyV2DTO: {
    type: 'object',
    properties: {
      locationId: { type: 'string' },
      pageLimit: { type: 'integer', minimum: 1, maximum: SEARCH_MAX_PAGE_LIMIT },
      page: { type: 'integer', minimum: 1 },
      searchAfter: { type: 'array', items: { type: ['string', 'number'] } },
      query: { type: 'string' },
      filters: { type: 'array', items: { $ref: '#/$defs/SearchFilterOrGroup' } },
      sort: {
        type: 'array',
        items: {
          type: 'object',
          properties: { field: { type: 'string' }, direction: { type: 'string', enum: ['asc', 'desc'] } },
          required: ['field', 'direction'],
        },
      },
    },
    required: ['locationId', 'pageLimit'],
  },
  SearchFilterOrGroup: {
    anyOf: [
      {
        type: 'object',
        properties: {
          field: { type: 'string' },
          operator: { type: 'string', enum: [...SEARCH_OPERATORS] },
          value: {},
        },
        required: ['field', 'operator'],
      },
      {
        type: 'object',
        properties: {
          group: { type: 'string', enum: ['AND', 'OR'] },
          filters: { type: 'array', items: { $ref: '#/$defs/SearchFilterOrGroup' } },
        },
        required: ['group', 'filters'],
      },
    ],
  },
  // Gap: no 200 schema for search. Live shape `{contacts, total, traceId}` (issue #289); the
  // 2025-05 spec had `searchAfter` on each contact (§2.4).
  SearchContactsSuccessfulResponseDto: {
    type: 'object',
    properties: {
      contacts: {
        type: 'array',
        items: {
          allOf: [contactRef, { type: 'object', properties: { searchAfter: { type: 'array' } }, required: ['searchAfter'] }],
        },
      },
      total: { type: 'number' },
      traceId: { type: 'string' },
    },
    required: ['contacts', 'total'],
  },
  // Gap: no 200 schema for the duplicate lookup; community code reads `contact.id` (UNVERIFIED).
  DuplicateContactSuccessfulResponseDto: {
    type: 'object',
    properties: { contact: { anyOf: [contactRef, { type: 'null' }] }, traceId: { type: 'string' } },
    required: ['contact'],
  },
  // Gap: ContactsMetaSchema is defined but not referenced by GET /contacts/ (§2.4, UNVERIFIED keys).
  ContactsListSuccessfulResponseDto: {
    type: 'object',
    properties: {
      contacts: { type: 'array', items: { $ref: '#/$defs/ContactsSearchSchema' } },
      count: { type: 'number' },
      meta: { $ref: '#/$defs/ContactsMetaSchema' },
    },
    required: ['contacts', 'count', 'meta'],
  },
  // Gap: ContactsMetaSchema gives `nextPageUrl`/`startAfterId`/`startAfter` as non-null; on the
  // last page there is no next page, so we allow null there (UNVERIFIED).
  ContactsMetaSchema: {
    type: 'object',
    properties: {
      total: { type: 'number' },
      nextPageUrl: { type: ['string', 'null'] },
      startAfterId: { type: ['string', 'null'] },
      startAfter: { type: ['number', 'null'] },
      currentPage: { type: 'number' },
      nextPage: { type: ['number', 'null'] },
      prevPage: { type: ['number', 'null'] },
    },
  },
  // Fix: the spec types bulk-tag `responses` as strings; its own example shows objects (§2.4).
  UpdateTagsResponseDTO: {
    type: 'object',
    properties: {
      succeded: { type: 'boolean' },
      errorCount: { type: 'number' },
      responses: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            contactId: { type: 'string' },
            message: { type: 'string' },
            type: { type: 'string', enum: ['success', 'error'] },
            oldTags: { type: 'array', items: { type: 'string' } },
            tagsAdded: { type: 'array', items: { type: 'string' } },
            tagsRemoved: { type: 'array', items: { type: 'string' } },
          },
          required: ['contactId', 'message', 'type'],
        },
      },
    },
    required: ['succeded', 'errorCount', 'responses'],
  },
  // Fix: custom field values are not only strings (checkbox → array, numeric → number; §7.1).
  CustomFieldSchema: {
    type: 'object',
    properties: { id: { type: 'string' }, value: { type: ['string', 'number', 'boolean', 'array', 'object'] } },
  },
  // Fix: "Pass either `id` or `key` of custom field" (§2.5) although every variant requires `id`.
  CustomFieldInput: {
    type: 'object',
    properties: {
      id: { type: 'string' },
      key: { type: 'string' },
      field_value: { type: ['string', 'number', 'boolean', 'array', 'object'] },
    },
    anyOf: [{ required: ['id'] }, { required: ['key'] }],
  },
  // Error bodies the contacts spec does not declare (§6).
  ForbiddenDTO: {
    type: 'object',
    properties: { statusCode: { const: 403 }, message: { type: 'string' }, error: { type: 'string' } },
    required: ['statusCode', 'message'],
  },
  NotFoundDTO: {
    type: 'object',
    properties: { statusCode: { const: 404 }, message: { type: 'string' }, error: { type: 'string' } },
    required: ['statusCode', 'message'],
  },
  // 429 body: no source shows it (§5, UNVERIFIED); NestJS-shaped like the others.
  TooManyRequestsDTO: {
    type: 'object',
    properties: { statusCode: { const: 429 }, message: { type: 'string' }, error: { type: 'string' } },
    required: ['statusCode', 'message'],
  },
  // Duplicate answer of POST /contacts/ when the location disallows duplicates (§2.6, community).
  DuplicateContactErrorDTO: {
    type: 'object',
    properties: {
      statusCode: { const: 400 },
      message: { type: 'string' },
      meta: {
        type: 'object',
        properties: { contactId: { type: 'string' }, matchingField: { type: 'string' }, contactName: { type: 'string' } },
        required: ['contactId', 'matchingField'],
      },
    },
    required: ['statusCode', 'message', 'meta'],
  },
};

/** Per-operation overrides of the generated route table. */
export const overlayResponses: Record<string, Record<string, string>> = {
  'search-contacts-advanced': { '200': 'SearchContactsSuccessfulResponseDto', '422': 'UnprocessableDTO' },
  'get-duplicate-contact': { '200': 'DuplicateContactSuccessfulResponseDto', '422': 'UnprocessableDTO' },
  'get-contacts': { '200': 'ContactsListSuccessfulResponseDto' },
};

/** Statuses every authenticated operation may answer although the spec declares none of them. */
export const commonErrorResponses: Record<string, string> = {
  '400': 'BadRequestDTO',
  '401': 'UnauthorizedDTO',
  '403': 'ForbiddenDTO',
  '404': 'NotFoundDTO',
  '422': 'UnprocessableDTO',
  '429': 'TooManyRequestsDTO',
};

/**
 * Required scopes of the two bulk endpoints (the spec declares none; contacts.write assumed, UNVERIFIED).
 */
export const overlayScopes: Record<string, { scheme: string; scopes: string[] }> = {
  'create-association': { scheme: 'bearer', scopes: ['contacts.write'] },
  'add-remove-contact-from-business': { scheme: 'bearer', scopes: ['contacts.write'] },
};

/** Version header values the sandbox accepts: the spec's, and the one the official SDK sends (§1). */
export const ACCEPTED_VERSIONS = ['2021-07-28', '2023-02-21'] as const;

/** Overlay types for the gaps above (the generated types cover the rest). */
export type SearchFilter =
  | { field: string; operator: SearchOperator; value?: unknown }
  | { group: 'AND' | 'OR'; filters: SearchFilter[] };

export interface SearchContactsBody {
  locationId: string;
  pageLimit: number;
  page?: number;
  searchAfter?: Array<string | number>;
  query?: string;
  filters?: SearchFilter[];
  sort?: Array<{ field: string; direction: 'asc' | 'desc' }>;
}

export interface ContactsMeta {
  total: number;
  nextPageUrl: string | null;
  startAfterId: string | null;
  startAfter: number | null;
  currentPage: number;
  nextPage: number | null;
  prevPage: number | null;
}
