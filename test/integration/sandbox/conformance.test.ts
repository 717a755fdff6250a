/**
 * Conformance suite: every operation of the route table (32 contacts + 3 OAuth) called over real
 * HTTP against a sandbox. Each call checks the status, validates the response body against the
 * route's schema for that status, and validates the request body the suite sends against the
 * route's request schema, so the suite itself only speaks the contract. The last test holds the
 * operations exercised against the whole route table, so none can be skipped silently.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routes, type ContactsMeta } from '../../../src/spec/index.js';
import { startSandbox, type ApiResponse, type CallOptions, type TestSandbox } from '../../support/sandbox.js';
import { declaredProperties, requestErrors, responseErrors, routeById, schemaErrors, successStatus } from '../../support/schemas.js';

// ---------------------------------------------------------------------------------------------
// What the suite expects, written out rather than read from the spec so the two can be compared.

/** Success status per operation: 201 on the creates the spec marks so, 200 elsewhere. */
const SUCCESS: Record<string, 200 | 201> = {
  'get-contact': 200,
  'create-contact': 201,
  'update-contact': 200,
  'delete-contact': 200,
  'upsert-contact': 200,
  'get-contacts': 200,
  'search-contacts-advanced': 200,
  'get-duplicate-contact': 200,
  'get-contacts-by-businessId': 200,
  'get-all-tasks': 200,
  'create-task': 201,
  'get-task': 200,
  'update-task': 200,
  'update-task-completed': 200,
  'delete-task': 200,
  'get-all-notes': 200,
  'create-note': 201,
  'get-note': 200,
  'update-note': 200,
  'delete-note': 200,
  'get-appointments-for-contact': 200,
  'add-tags': 201,
  'remove-tags': 200,
  'add-followers-contact': 201,
  'remove-followers-contact': 200,
  'add-contact-to-campaign': 201,
  'remove-contact-from-campaign': 200,
  'remove-contact-from-every-campaign': 200,
  'add-contact-to-workflow': 200,
  'delete-contact-from-workflow': 200,
  'create-association': 201,
  'add-remove-contact-from-business': 200,
  'get-access-token': 200,
  'get-location-access-token': 200,
  'get-installed-location': 200,
};

const RATE_LIMIT_HEADERS = [
  'X-RateLimit-Limit-Daily',
  'X-RateLimit-Daily-Remaining',
  'X-RateLimit-Interval-Milliseconds',
  'X-RateLimit-Max',
  'X-RateLimit-Remaining',
] as const;

const CONTACT_SCOPES = ['contacts.readonly', 'contacts.write'];
const BUSINESS_ID = '641c094001436dbc2081e642';

/** operationId → statuses it answered with 2xx in this run. */
const exercised = new Map<string, Set<number>>();

// ---------------------------------------------------------------------------------------------
// Shapes the suite reads (after schema validation; the generated types are all-optional).

interface CustomFieldValue {
  id: string;
  value: unknown;
}

interface ContactView {
  id: string;
  locationId: string;
  name?: string;
  firstName?: string;
  lastName?: string;
  email?: string;
  phone?: string;
  source?: string;
  companyName?: string;
  tags: string[];
  customFields: CustomFieldValue[];
  businessId?: string;
  dateAdded: string;
  dateUpdated: string;
  searchAfter?: Array<string | number>;
}

type ListMeta = ContactsMeta;

interface TaskView {
  id: string;
  title: string;
  body?: string;
  dueDate: string;
  completed: boolean;
  assignedTo?: string;
  contactId: string;
}

interface NoteView {
  id: string;
  body: string;
  userId?: string;
  title?: string;
  color?: string;
  pinned?: boolean;
  contactId: string;
  dateAdded: string;
}

interface ErrorBody {
  statusCode: number;
  message: string | string[];
  error?: string;
  traceId?: string;
  meta?: { contactId: string; matchingField: string; contactName?: string };
}

interface TokenBody {
  access_token: string;
  token_type: string;
  expires_in: number;
  refresh_token: string;
  scope: string;
  userType: string;
  locationId?: string;
  companyId: string;
  userId: string;
  approvedLocations?: string[];
}

interface LocationTokenBody {
  access_token: string;
  token_type: string;
  expires_in: number;
  scope: string;
  locationId: string;
  userId: string;
  appId: string;
  versionId: string;
}

interface InstalledLocationsBody {
  locations: Array<{ _id: string; name: string; address: string; isInstalled?: boolean; versionId?: string; installedAt?: string }>;
  count: number;
  installToFutureLocations: boolean;
}

interface BulkTagsBody {
  succeded: boolean;
  errorCount: number;
  responses: Array<{ contactId: string; message: string; type: 'success' | 'error'; oldTags?: string[]; tagsAdded?: string[]; tagsRemoved?: string[] }>;
}

// ---------------------------------------------------------------------------------------------
// The one way the suite calls an operation.

interface Call {
  /** path parameters by name */
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: Record<string, unknown>;
  /** bearer token; default the location PIT (none for POST /oauth/token); null sends none */
  token?: string | null;
  /** Version header; default 2021-07-28 where the route declares it; null sends none */
  version?: string | null;
  /** expected status; default the operation's success status */
  status?: number;
  /** a deliberately off-contract request (error tests): skip the request-side checks */
  offSpec?: boolean;
}

function formEncode(body: Record<string, unknown>): string {
  const form = new URLSearchParams();
  for (const [key, value] of Object.entries(body)) {
    if (typeof value !== 'string') throw new Error(`form field ${key} must be a string`);
    form.set(key, value);
  }
  return form.toString();
}

function record(operationId: string, status: number): void {
  const seen = exercised.get(operationId) ?? new Set<number>();
  seen.add(status);
  exercised.set(operationId, seen);
}

/**
 * Calls an operation by operationId over HTTP and checks the exchange against the contract:
 * required/declared query parameters and the request body before sending; the status, the
 * JSON content type and the response body (route schema for that status) after.
 */
async function call<T = Record<string, unknown>>(t: TestSandbox, operationId: string, c: Call = {}): Promise<ApiResponse<T>> {
  const route = routeById(operationId);
  const path = route.path.replace(/\{(\w+)\}/g, (_m, name: string) => {
    const value = c.params?.[name];
    if (value === undefined) throw new Error(`${operationId}: path parameter ${name} is missing`);
    return encodeURIComponent(value);
  });
  if (!c.offSpec) {
    const queryParams = route.params.filter((p) => p.in === 'query');
    for (const p of queryParams) if (p.required) expect(c.query?.[p.name], `${operationId}: required query ${p.name}`).toBeTruthy();
    for (const name of Object.keys(c.query ?? {})) expect(queryParams.map((p) => p.name), `${operationId}: undeclared query ${name}`).toContain(name);
    expect(requestErrors(route, c.body), `${operationId}: request body ${JSON.stringify(c.body)}`).toEqual([]);
  }
  const declaresVersion = route.params.some((p) => p.in === 'header' && p.name === 'Version');
  const options: CallOptions = {
    token: c.token !== undefined ? c.token : route.security ? undefined : null,
    version: c.version !== undefined ? c.version : declaresVersion ? undefined : null,
  };
  if (c.body !== undefined) {
    if (route.requestBody?.contentType === 'application/x-www-form-urlencoded') {
      options.raw = formEncode(c.body);
      options.headers = { 'content-type': 'application/x-www-form-urlencoded' };
    } else {
      options.body = c.body;
    }
  }
  const url = c.query ? `${path}?${new URLSearchParams(c.query).toString()}` : path;
  const res = await t.api<T>(route.method, url, options);
  const expected = c.status ?? SUCCESS[operationId];
  expect(res.status, `${route.method} ${url} → ${JSON.stringify(res.body)}`).toBe(expected);
  expect(res.headers.get('content-type'), `${operationId}: content type`).toMatch(/^application\/json/);
  expect(responseErrors(route, res.status, res.body), `${operationId} ${res.status}: ${JSON.stringify(res.body)}`).toEqual([]);
  if (res.status >= 400) expect((res.body as { statusCode?: unknown }).statusCode, `${operationId}: statusCode in the error body`).toBe(res.status);
  if (res.status >= 200 && res.status < 300) record(operationId, res.status);
  return res;
}

let unique = 0;
/** A unique e-mail address for a new contact (locations refuse duplicate e-mails). */
function email(label: string): string {
  unique += 1;
  return `${label}-${unique}-${Date.now()}@conformance.test`;
}

/** Creates a fresh contact in the default location (exercising create-contact). */
async function newContact(t: TestSandbox, fields: Record<string, unknown> = {}): Promise<ContactView> {
  const res = await call<{ contact: ContactView }>(t, 'create-contact', {
    body: { locationId: t.info.locationId, firstName: 'Test', lastName: `Contact ${unique}`, email: email('contact'), ...fields },
  });
  return res.body.contact;
}

/** A Private Integration Token made through the admin API. */
async function pit(t: TestSandbox, body: { locationId?: string; companyId?: string; scopes: string[] }): Promise<string> {
  const res = await t.api<{ token: string }>('POST', '/_sandbox/pits', { body, token: null, version: null });
  expect(res.status).toBe(200);
  return res.body.token;
}

/** Walks the authorization page: posts the choice and returns the code from the redirect. */
async function authorize(t: TestSandbox, choice: { location_id: string } | { company_id: string }, scopes: string[]): Promise<string> {
  const form = new URLSearchParams({ client_id: t.info.clientId, redirect_uri: t.info.redirectUri, scope: scopes.join(' '), state: 'xyz', ...choice });
  const res = await t.api('POST', '/v2/oauth/chooselocation', {
    raw: form.toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    token: null,
    version: null,
  });
  expect(res.status).toBe(302);
  const location = new URL(res.headers.get('location') ?? '');
  expect(`${location.origin}${location.pathname}`).toBe(t.info.redirectUri);
  expect(location.searchParams.get('state')).toBe('xyz');
  const code = location.searchParams.get('code');
  expect(code).toMatch(/\S+/);
  return code!;
}

/** Exchanges an authorization code at POST /oauth/token. */
async function exchange(t: TestSandbox, code: string, userType?: 'Company' | 'Location'): Promise<TokenBody> {
  const res = await call<TokenBody>(t, 'get-access-token', {
    body: {
      client_id: t.info.clientId,
      client_secret: t.info.clientSecret,
      grant_type: 'authorization_code',
      code,
      redirect_uri: t.info.redirectUri,
      ...(userType ? { user_type: userType } : {}),
    },
  });
  return res.body;
}

const AGENCY_SCOPES = [...CONTACT_SCOPES, 'oauth.readonly', 'oauth.write'];

/** A Company (agency) access token through the whole code flow. */
async function agencyToken(t: TestSandbox): Promise<TokenBody> {
  return exchange(t, await authorize(t, { company_id: t.info.companyId }, AGENCY_SCOPES), 'Company');
}

function locationB(t: TestSandbox): string {
  const second = t.info.locations[1];
  if (!second) throw new Error('the default seed has two locations');
  return second.id;
}

function expectMessage(body: ErrorBody, message: string | string[]): void {
  expect(body.message).toEqual(message);
}

// ---------------------------------------------------------------------------------------------

describe('conformance: contacts CRUD, upsert and duplicate lookup', () => {
  let t: TestSandbox;
  beforeAll(async () => {
    t = await startSandbox();
  });
  afterAll(() => t.close());

  it('create-contact answers 201 with the new contact, and get-contact answers 200 with it', async () => {
    const location = t.sandbox.core.store.state.locations[t.info.locationId]!;
    const colour = location.customFields.find((f) => f.key === 'contact.favourite_colour');
    expect(colour).toBeDefined();
    const created = await call<{ contact: ContactView }>(t, 'create-contact', {
      body: {
        locationId: t.info.locationId,
        firstName: 'Edsger',
        lastName: 'Dijkstra',
        email: 'edsger@conformance.test',
        phone: '+14155550199',
        tags: ['Conformance', 'vip'],
        source: 'conformance suite',
        companyName: 'Mathematisch Centrum',
        customFields: [{ key: 'favourite_colour', field_value: 'blue' }],
        dndSettings: { Email: { status: 'active', message: 'asked by phone', code: 'manual' } },
      },
    });
    const contact = created.body.contact;
    expect(contact.id).toMatch(/^[A-Za-z0-9]{20}$/);
    expect(contact).toMatchObject({
      locationId: t.info.locationId,
      firstName: 'Edsger',
      lastName: 'Dijkstra',
      email: 'edsger@conformance.test',
      phone: '+14155550199',
      tags: ['conformance', 'vip'],
      source: 'conformance suite',
      companyName: 'Mathematisch Centrum',
      customFields: [{ id: colour!.id, value: 'blue' }],
    });

    const got = await call<{ contact: ContactView }>(t, 'get-contact', { params: { contactId: contact.id } });
    expect(got.body.contact).toMatchObject({ id: contact.id, name: 'Edsger Dijkstra', email: 'edsger@conformance.test', tags: ['conformance', 'vip'] });
  });

  it('create-contact refuses a duplicate e-mail with 400 and the duplicate meta', async () => {
    const first = await newContact(t);
    const res = await call<ErrorBody>(t, 'create-contact', {
      body: { locationId: t.info.locationId, firstName: 'Again', email: first.email!.toUpperCase() },
      status: 400,
    });
    expect(schemaErrors('DuplicateContactErrorDTO', res.body)).toEqual([]);
    expect(res.body.meta).toMatchObject({ contactId: first.id, matchingField: 'email' });
  });

  it('update-contact answers 200 with succeded and the updated contact', async () => {
    const contact = await newContact(t, { tags: ['old'] });
    const res = await call<{ succeded: boolean; contact: ContactView }>(t, 'update-contact', {
      params: { contactId: contact.id },
      body: { firstName: 'Renamed', city: 'Springfield', tags: ['new-a', 'new-b'], customFields: [{ key: 'contact.favourite_colour', field_value: 'green' }] },
    });
    expect(res.body.succeded).toBe(true);
    expect(res.body.contact).toMatchObject({ id: contact.id, firstName: 'Renamed', tags: ['new-a', 'new-b'] });
    expect(res.body.contact.customFields.map((f) => f.value)).toEqual(['green']);
    expect(Date.parse(res.body.contact.dateUpdated)).toBeGreaterThan(Date.parse(contact.dateUpdated));

    const got = await call<{ contact: ContactView }>(t, 'get-contact', { params: { contactId: contact.id } });
    expect(got.body.contact).toMatchObject({ firstName: 'Renamed', tags: ['new-a', 'new-b'] });
  });

  it('delete-contact answers 200 {succeded:true}; the contact is gone afterwards', async () => {
    const contact = await newContact(t);
    const res = await call(t, 'delete-contact', { params: { contactId: contact.id } });
    expect(res.body).toMatchObject({ succeded: true });
    const gone = await call<ErrorBody>(t, 'get-contact', { params: { contactId: contact.id }, status: 400 });
    expectMessage(gone.body, `Contact with id ${contact.id} not found`);
  });

  it('upsert-contact answers 200 new:true on a new e-mail and new:false on a known one', async () => {
    const address = email('upsert');
    const first = await call<{ new: boolean; contact: ContactView; traceId: string }>(t, 'upsert-contact', {
      body: { locationId: t.info.locationId, firstName: 'Barbara', lastName: 'Liskov', email: address },
    });
    expect(first.body.new).toBe(true);
    expect(first.body.traceId).toEqual(expect.any(String));
    expect(first.body.contact).toMatchObject({ firstName: 'Barbara', email: address });

    const second = await call<{ new: boolean; contact: ContactView }>(t, 'upsert-contact', {
      body: { locationId: t.info.locationId, email: address, city: 'Cambridge' },
    });
    expect(second.body.new).toBe(false);
    expect(second.body.contact).toMatchObject({ id: first.body.contact.id, firstName: 'Barbara' });
  });

  it('get-duplicate-contact finds by e-mail and by number, and answers contact:null otherwise', async () => {
    const contact = await newContact(t, { phone: '+14155550142' });
    const byEmail = await call<{ contact: ContactView | null }>(t, 'get-duplicate-contact', { query: { locationId: t.info.locationId, email: contact.email! } });
    expect(byEmail.body.contact?.id).toBe(contact.id);
    const byNumber = await call<{ contact: ContactView | null }>(t, 'get-duplicate-contact', { query: { locationId: t.info.locationId, number: '+14155550142' } });
    expect(byNumber.body.contact?.id).toBe(contact.id);
    const none = await call<{ contact: ContactView | null }>(t, 'get-duplicate-contact', { query: { locationId: t.info.locationId, email: 'nobody@conformance.test' } });
    expect(none.body.contact).toBeNull();
  });
});

describe('conformance: listing, search and bulk operations', () => {
  let t: TestSandbox;
  beforeAll(async () => {
    t = await startSandbox();
  });
  afterAll(() => t.close());

  it('get-contacts (deprecated) pages with limit and the meta cursor', async () => {
    const loc = t.info.locationId;
    const company = `Pager ${Date.now()}`;
    const made = [await newContact(t, { companyName: company }), await newContact(t, { companyName: company }), await newContact(t, { companyName: company })];
    type Page = { contacts: ContactView[]; count: number; meta: ListMeta };
    const first = await call<Page>(t, 'get-contacts', { query: { locationId: loc, query: company, limit: '2' } });
    expect(first.body.contacts.map((c) => c.id)).toEqual([made[0]!.id, made[1]!.id]);
    expect(first.body.count).toBe(3);
    const last = first.body.contacts[1]!;
    expect(first.body.meta).toMatchObject({ total: 3, currentPage: 1, nextPage: 2, prevPage: null, startAfterId: last.id, startAfter: Date.parse(last.dateAdded) });
    const next = new URL(first.body.meta.nextPageUrl!);
    expect(next.searchParams.get('startAfterId')).toBe(last.id);

    const second = await call<Page>(t, 'get-contacts', {
      query: { locationId: loc, query: company, limit: '2', startAfterId: first.body.meta.startAfterId!, startAfter: String(first.body.meta.startAfter) },
    });
    expect(second.body.contacts.map((c) => c.id)).toEqual([made[2]!.id]);
    expect(second.body.meta).toMatchObject({ total: 3, nextPageUrl: null, nextPage: null, startAfterId: null, startAfter: null });

    const seeded = await call<Page>(t, 'get-contacts', { query: { locationId: loc, query: 'grace' } });
    expect(seeded.body.contacts.map((c) => c.email)).toEqual(['grace@example.com']);
  });

  it('search-contacts-advanced filters, sorts and continues with searchAfter', async () => {
    const loc = t.info.locationId;
    const tag = `search-${Date.now()}`;
    const surname = `Searchable${Date.now()}`;
    for (const firstName of ['Carol', 'Alice', 'Bob']) await newContact(t, { firstName, lastName: surname, tags: [tag, firstName === 'Bob' ? 'other' : 'patient'] });
    type Found = { contacts: ContactView[]; total: number; traceId: string };
    const byName = [{ field: 'firstName', direction: 'asc' }];
    const tagged = [{ field: 'tags', operator: 'eq', value: tag }];

    const patients = await call<Found>(t, 'search-contacts-advanced', {
      body: { locationId: loc, pageLimit: 10, filters: [...tagged, { field: 'tags', operator: 'eq', value: 'patient' }], sort: byName },
    });
    expect(patients.body.total).toBe(2);
    expect(patients.body.contacts.map((c) => c.firstName)).toEqual(['Alice', 'Carol']);
    expect(patients.body.traceId).toEqual(expect.any(String));

    const page1 = await call<Found>(t, 'search-contacts-advanced', { body: { locationId: loc, pageLimit: 1, page: 1, filters: tagged, sort: byName } });
    expect(page1.body.contacts.map((c) => c.firstName)).toEqual(['Alice']);
    expect(page1.body.total).toBe(3);
    const page2 = await call<Found>(t, 'search-contacts-advanced', { body: { locationId: loc, pageLimit: 1, page: 2, filters: tagged, sort: byName } });
    expect(page2.body.contacts.map((c) => c.firstName)).toEqual(['Bob']);
    const cursor = page2.body.contacts[0]!.searchAfter!;
    const after = await call<Found>(t, 'search-contacts-advanced', { body: { locationId: loc, pageLimit: 5, searchAfter: cursor, filters: tagged, sort: byName } });
    expect(after.body.contacts.map((c) => c.firstName)).toEqual(['Carol']);

    const either = await call<Found>(t, 'search-contacts-advanced', {
      body: {
        locationId: loc,
        pageLimit: 10,
        filters: [{ group: 'OR', filters: [{ field: 'email', operator: 'eq', value: 'ada@example.com' }, { field: 'email', operator: 'eq', value: 'alan@example.com' }] }],
      },
    });
    expect(either.body.contacts.map((c) => c.email).sort()).toEqual(['ada@example.com', 'alan@example.com']);

    const text = await call<Found>(t, 'search-contacts-advanced', { body: { locationId: loc, pageLimit: 5, query: surname.toLowerCase(), sort: byName } });
    expect(text.body.contacts.map((c) => c.firstName)).toEqual(['Alice', 'Bob', 'Carol']);
  });

  it('search-contacts-advanced answers 400 for an unknown filter field', async () => {
    const res = await call<ErrorBody>(t, 'search-contacts-advanced', {
      body: { locationId: t.info.locationId, pageLimit: 10, filters: [{ field: 'additional_phones', operator: 'eq', value: '+1' }] },
      status: 400,
    });
    expect(res.body).toMatchObject({ statusCode: 400, message: 'Invalid field additional_phones', error: 'Bad Request' });
  });

  it('add-remove-contact-from-business sets and clears businessId; get-contacts-by-businessId lists them', async () => {
    const loc = t.info.locationId;
    const [a, b] = [await newContact(t), await newContact(t)];
    const set = await call<{ success: boolean; ids: string[] }>(t, 'add-remove-contact-from-business', { body: { locationId: loc, ids: [a.id, b.id], businessId: BUSINESS_ID } });
    expect(set.body).toEqual({ success: true, ids: [a.id, b.id] });

    const listed = await call<{ contacts: ContactView[]; count: number }>(t, 'get-contacts-by-businessId', {
      params: { businessId: BUSINESS_ID },
      query: { locationId: loc, limit: '10', skip: '0' },
    });
    expect(listed.body.count).toBe(2);
    expect(listed.body.contacts.map((c) => c.id).sort()).toEqual([a.id, b.id].sort());
    expect(listed.body.contacts.every((c) => c.businessId === BUSINESS_ID)).toBe(true);

    const skipped = await call<{ contacts: ContactView[]; count: number }>(t, 'get-contacts-by-businessId', { params: { businessId: BUSINESS_ID }, query: { locationId: loc, skip: '1' } });
    expect(skipped.body).toMatchObject({ count: 2 });
    expect(skipped.body.contacts).toHaveLength(1);

    await call(t, 'add-remove-contact-from-business', { body: { locationId: loc, ids: [a.id, b.id], businessId: null } });
    const cleared = await call<{ contacts: ContactView[]; count: number }>(t, 'get-contacts-by-businessId', { params: { businessId: BUSINESS_ID }, query: { locationId: loc } });
    expect(cleared.body).toEqual({ contacts: [], count: 0 });
  });

  it('create-association (bulk tags) answers 201 with a result per contact, for add and remove', async () => {
    const loc = t.info.locationId;
    const contact = await newContact(t, { tags: ['keep'] });
    const added = await call<BulkTagsBody>(t, 'create-association', {
      params: { type: 'add' },
      body: { locationId: loc, contacts: [contact.id, 'not a valid id!'], tags: ['Bulk-Tag'] },
    });
    expect(added.body).toMatchObject({ succeded: false, errorCount: 1 });
    expect(added.body.responses[0]).toMatchObject({ contactId: contact.id, type: 'success', oldTags: ['keep'], tagsAdded: ['bulk-tag'], tagsRemoved: [] });
    expect(added.body.responses[1]).toMatchObject({ contactId: 'not a valid id!', type: 'error' });

    const removed = await call<BulkTagsBody>(t, 'create-association', { params: { type: 'remove' }, body: { locationId: loc, contacts: [contact.id], tags: ['bulk-tag'] } });
    expect(removed.body).toMatchObject({ succeded: true, errorCount: 0 });
    expect(removed.body.responses[0]).toMatchObject({ type: 'success', tagsRemoved: ['bulk-tag'] });

    const after = await call<{ contact: ContactView }>(t, 'get-contact', { params: { contactId: contact.id } });
    expect(after.body.contact.tags).toEqual(['keep']);

    const bad = await call<ErrorBody>(t, 'create-association', { params: { type: 'add' }, body: { locationId: loc, contacts: [contact.id], tags: [], removeAllTags: true }, status: 422 });
    expect(bad.body.statusCode).toBe(422);
  });
});

describe('conformance: tasks and notes', () => {
  let t: TestSandbox;
  beforeAll(async () => {
    t = await startSandbox();
  });
  afterAll(() => t.close());

  it('tasks: list, create (201), get, update, complete, delete', async () => {
    const contact = await newContact(t);
    const contactId = contact.id;
    const empty = await call<{ tasks: TaskView[] }>(t, 'get-all-tasks', { params: { contactId } });
    expect(empty.body.tasks).toEqual([]);

    const created = await call<{ task: TaskView }>(t, 'create-task', {
      params: { contactId },
      body: { title: 'Send the X-ray', body: 'Before Friday', dueDate: '2026-12-01T10:00:00Z', completed: false, assignedTo: 'user-1' },
    });
    const task = created.body.task;
    expect(task).toMatchObject({ title: 'Send the X-ray', body: 'Before Friday', dueDate: '2026-12-01T10:00:00Z', completed: false, assignedTo: 'user-1', contactId });
    const taskId = task.id;

    const got = await call<{ task: TaskView }>(t, 'get-task', { params: { contactId, taskId } });
    expect(got.body.task).toEqual(task);

    const updated = await call<{ task: TaskView }>(t, 'update-task', { params: { contactId, taskId }, body: { title: 'Send the X-ray today', dueDate: '2026-11-30T09:00:00Z' } });
    expect(updated.body.task).toMatchObject({ id: taskId, title: 'Send the X-ray today', dueDate: '2026-11-30T09:00:00Z', body: 'Before Friday', completed: false });

    const done = await call<{ task: TaskView }>(t, 'update-task-completed', { params: { contactId, taskId }, body: { completed: true } });
    expect(done.body.task).toMatchObject({ id: taskId, completed: true });

    const listed = await call<{ tasks: TaskView[] }>(t, 'get-all-tasks', { params: { contactId } });
    expect(listed.body.tasks.map((x) => [x.id, x.completed])).toEqual([[taskId, true]]);

    const deleted = await call(t, 'delete-task', { params: { contactId, taskId } });
    expect(deleted.body).toMatchObject({ succeded: true });
    const gone = await call<ErrorBody>(t, 'get-task', { params: { contactId, taskId }, status: 400 });
    expectMessage(gone.body, `Task with id ${taskId} not found`);
  });

  it('notes: list, create (201), get, update, delete', async () => {
    const contact = await newContact(t);
    const contactId = contact.id;
    const empty = await call<{ notes: NoteView[] }>(t, 'get-all-notes', { params: { contactId } });
    expect(empty.body.notes).toEqual([]);

    const created = await call<{ note: NoteView }>(t, 'create-note', { params: { contactId }, body: { body: 'Allergic to latex', title: 'Allergy', color: '#FFAA00', pinned: true, userId: 'user-1' } });
    const note = created.body.note;
    expect(note).toMatchObject({ body: 'Allergic to latex', title: 'Allergy', color: '#FFAA00', pinned: true, userId: 'user-1', contactId });
    expect(Number.isNaN(Date.parse(note.dateAdded))).toBe(false);
    const id = note.id;

    const got = await call<{ note: NoteView }>(t, 'get-note', { params: { contactId, id } });
    expect(got.body.note).toEqual(note);

    const updated = await call<{ note: NoteView }>(t, 'update-note', { params: { contactId, id }, body: { body: 'Allergic to latex and penicillin', pinned: false } });
    expect(updated.body.note).toMatchObject({ id, body: 'Allergic to latex and penicillin', pinned: false, title: 'Allergy' });

    const listed = await call<{ notes: NoteView[] }>(t, 'get-all-notes', { params: { contactId } });
    expect(listed.body.notes.map((n) => n.id)).toEqual([id]);

    const deleted = await call(t, 'delete-note', { params: { contactId, id } });
    expect(deleted.body).toMatchObject({ succeded: true });
    const gone = await call<ErrorBody>(t, 'get-note', { params: { contactId, id }, status: 400 });
    expectMessage(gone.body, `Note with id ${id} not found`);
  });
});

describe('conformance: tags, followers, campaigns, workflows, appointments', () => {
  let t: TestSandbox;
  beforeAll(async () => {
    t = await startSandbox();
  });
  afterAll(() => t.close());

  const stored = (id: string) => t.sandbox.core.store.contact(id)!;

  it('add-tags answers 201, remove-tags 200, both with the resulting tags', async () => {
    const contact = await newContact(t, { tags: ['existing'] });
    const added = await call<{ tags: string[] }>(t, 'add-tags', { params: { contactId: contact.id }, body: { tags: ['VIP', 'existing', 'new'] } });
    expect(added.body.tags).toEqual(['existing', 'vip', 'new']);
    const removed = await call<{ tags: string[] }>(t, 'remove-tags', { params: { contactId: contact.id }, body: { tags: ['existing', 'absent'] } });
    expect(removed.body.tags).toEqual(['vip', 'new']);
  });

  it('add-followers-contact answers 201, remove-followers-contact 200', async () => {
    const contactId = (await newContact(t)).id;
    const added = await call<{ followers: string[]; followersAdded: string[] }>(t, 'add-followers-contact', { params: { contactId }, body: { followers: ['user-1', 'user-2'] } });
    expect(added.body).toEqual({ followers: ['user-1', 'user-2'], followersAdded: ['user-1', 'user-2'] });
    const again = await call<{ followers: string[]; followersAdded: string[] }>(t, 'add-followers-contact', { params: { contactId }, body: { followers: ['user-2', 'user-3'] } });
    expect(again.body).toEqual({ followers: ['user-1', 'user-2', 'user-3'], followersAdded: ['user-3'] });
    const removed = await call<{ followers: string[]; followersRemoved: string[] }>(t, 'remove-followers-contact', { params: { contactId }, body: { followers: ['user-1', 'nobody'] } });
    expect(removed.body).toEqual({ followers: ['user-2', 'user-3'], followersRemoved: ['user-1'] });
  });

  it('campaigns: add answers 201, remove one and remove all answer 200', async () => {
    const contactId = (await newContact(t)).id;
    for (const campaignId of ['campaignAAAAAAAAAAAA', 'campaignBBBBBBBBBBBB', 'campaignCCCCCCCCCCCC']) {
      const added = await call(t, 'add-contact-to-campaign', { params: { contactId, campaignId }, body: {} });
      expect(added.body).toEqual({ succeded: true });
    }
    expect(stored(contactId).campaigns).toHaveLength(3);
    const removed = await call(t, 'remove-contact-from-campaign', { params: { contactId, campaignId: 'campaignBBBBBBBBBBBB' } });
    expect(removed.body).toEqual({ succeded: true });
    expect(stored(contactId).campaigns).toEqual(['campaignAAAAAAAAAAAA', 'campaignCCCCCCCCCCCC']);
    const all = await call(t, 'remove-contact-from-every-campaign', { params: { contactId } });
    expect(all.body).toEqual({ succeded: true });
    expect(stored(contactId).campaigns).toEqual([]);
  });

  it('workflows: add and delete both answer 200', async () => {
    const contactId = (await newContact(t)).id;
    const workflowId = 'workflowAAAAAAAAAAAA';
    const added = await call(t, 'add-contact-to-workflow', { params: { contactId, workflowId }, body: { eventStartTime: '2021-06-23T03:30:00+01:00' } });
    expect(added.body).toEqual({ succeded: true });
    expect(stored(contactId).workflows).toEqual([{ workflowId, eventStartTime: '2021-06-23T03:30:00+01:00' }]);
    const deleted = await call(t, 'delete-contact-from-workflow', { params: { contactId, workflowId }, body: {} });
    expect(deleted.body).toEqual({ succeded: true });
    expect(stored(contactId).workflows).toEqual([]);
  });

  it('get-appointments-for-contact lists the contact’s appointments', async () => {
    const ada = await call<{ contact: ContactView | null }>(t, 'get-duplicate-contact', { query: { locationId: t.info.locationId, email: 'ada@example.com' } });
    const contactId = ada.body.contact!.id;
    const res = await call<{ events: Array<{ id: string; title: string; contactId: string; startTime: string }> }>(t, 'get-appointments-for-contact', { params: { contactId } });
    expect(res.body.events).toHaveLength(1);
    expect(res.body.events[0]).toMatchObject({ title: 'Check-up', contactId });
    const none = await call<{ events: unknown[] }>(t, 'get-appointments-for-contact', { params: { contactId: (await newContact(t)).id } });
    expect(none.body.events).toEqual([]);
  });
});

describe('conformance: OAuth', () => {
  let t: TestSandbox;
  beforeAll(async () => {
    t = await startSandbox();
  });
  afterAll(() => t.close());

  it('the authorization page answers HTML 200 listing the locations', async () => {
    const query = new URLSearchParams({ response_type: 'code', client_id: t.info.clientId, redirect_uri: t.info.redirectUri, scope: CONTACT_SCOPES.join(' '), state: 'xyz' });
    const res = await fetch(`${t.url}/v2/oauth/chooselocation?${query.toString()}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    for (const location of t.info.locations) {
      expect(html).toContain(location.name);
      expect(html).toContain(location.id);
    }
  });

  it('authorization_code gives a Location token; refresh_token rotates it (old refresh token refused)', async () => {
    const tokens = await exchange(t, await authorize(t, { location_id: t.info.locationId }, CONTACT_SCOPES));
    expect(tokens).toMatchObject({ token_type: 'Bearer', expires_in: 86399, userType: 'Location', locationId: t.info.locationId, companyId: t.info.companyId, scope: CONTACT_SCOPES.join(' ') });
    expect(tokens.approvedLocations).toBeUndefined();
    await call(t, 'get-contacts', { token: tokens.access_token, query: { locationId: t.info.locationId } });

    const refreshBody = { client_id: t.info.clientId, client_secret: t.info.clientSecret, grant_type: 'refresh_token', refresh_token: tokens.refresh_token, user_type: 'Location' };
    const refreshed = await call<TokenBody>(t, 'get-access-token', { body: refreshBody });
    expect(refreshed.body).toMatchObject({ userType: 'Location', locationId: t.info.locationId, token_type: 'Bearer' });
    expect(refreshed.body.access_token).not.toBe(tokens.access_token);
    expect(refreshed.body.refresh_token).not.toBe(tokens.refresh_token);
    await call(t, 'get-contacts', { token: refreshed.body.access_token, query: { locationId: t.info.locationId } });

    const reused = await call<ErrorBody>(t, 'get-access-token', { body: refreshBody, status: 400 });
    expect(reused.body).toMatchObject({ statusCode: 400, error: 'invalid_grant' });
  });

  it('an authorization code works once; a wrong client secret answers 401', async () => {
    const code = await authorize(t, { location_id: t.info.locationId }, CONTACT_SCOPES);
    const body = { client_id: t.info.clientId, client_secret: t.info.clientSecret, grant_type: 'authorization_code', code, redirect_uri: t.info.redirectUri };
    const wrongSecret = await call<ErrorBody>(t, 'get-access-token', { body: { ...body, client_secret: 'wrong' }, status: 401 });
    expect(wrongSecret.body.statusCode).toBe(401);
    await call(t, 'get-access-token', { body });
    const again = await call<ErrorBody>(t, 'get-access-token', { body, status: 400 });
    expect(again.body).toMatchObject({ statusCode: 400, error: 'invalid_grant' });
  });

  it('an agency code gives a Company token for locationToken and installedLocations', async () => {
    const agency = await agencyToken(t);
    expect(agency).toMatchObject({ userType: 'Company', companyId: t.info.companyId, scope: AGENCY_SCOPES.join(' ') });
    expect(agency.locationId).toBeUndefined();
    expect(agency.approvedLocations).toEqual(expect.any(Array));

    const locB = locationB(t);
    const minted = await call<LocationTokenBody>(t, 'get-location-access-token', { token: agency.access_token, body: { companyId: t.info.companyId, locationId: locB } });
    expect(minted.body).toMatchObject({ token_type: 'Bearer', locationId: locB, userId: agency.userId, appId: t.info.clientId.split('-')[0] });
    const listed = await call<{ contacts: ContactView[] }>(t, 'get-contacts', { token: minted.body.access_token, query: { locationId: locB } });
    expect(listed.body.contacts.every((c) => c.locationId === locB)).toBe(true);

    const installed = await call<InstalledLocationsBody>(t, 'get-installed-location', {
      token: agency.access_token,
      query: { companyId: t.info.companyId, appId: t.info.clientId.split('-')[0]! },
    });
    expect(installed.body.count).toBe(t.info.locations.length);
    expect(installed.body.locations.map((l) => l._id).sort()).toEqual(t.info.locations.map((l) => l.id).sort());
    expect(installed.body.locations.every((l) => l.isInstalled === true)).toBe(true);
  });

  it('Agency-only operations refuse a Location token with 401 "Token\'s user type mismatch!"', async () => {
    const appId = t.info.clientId.split('-')[0]!;
    const viaPit = await call<ErrorBody>(t, 'get-installed-location', { query: { companyId: t.info.companyId, appId }, status: 401 });
    expectMessage(viaPit.body, "Token's user type mismatch!");
    const location = await exchange(t, await authorize(t, { location_id: t.info.locationId }, CONTACT_SCOPES));
    const viaToken = await call<ErrorBody>(t, 'get-location-access-token', {
      token: location.access_token,
      body: { companyId: t.info.companyId, locationId: t.info.locationId },
      status: 401,
    });
    expectMessage(viaToken.body, "Token's user type mismatch!");
  });

  it('a Company token is not a contacts token (401 scope)', async () => {
    const agency = await agencyToken(t);
    const res = await call<ErrorBody>(t, 'get-contacts', { token: agency.access_token, query: { locationId: t.info.locationId }, status: 401 });
    expectMessage(res.body, 'The token is not authorized for this scope.');
  });
});

describe('conformance: error shapes', () => {
  let t: TestSandbox;
  beforeAll(async () => {
    t = await startSandbox();
  });
  afterAll(() => t.close());

  it('401 UnauthorizedDTO "Invalid JWT" for an unknown token and for no token', async () => {
    const contactId = (await newContact(t)).id;
    const bad = await call<ErrorBody>(t, 'get-contact', { params: { contactId }, token: 'not-a-real-token', status: 401 });
    expect(bad.body).toMatchObject({ statusCode: 401, message: 'Invalid JWT', error: 'Unauthorized' });
    const none = await call<ErrorBody>(t, 'get-contact', { params: { contactId }, token: null, status: 401 });
    expectMessage(none.body, 'Invalid JWT');
  });

  it('401 "The token is not authorized for this scope." for a read-only PIT on a write operation', async () => {
    const readonly = await pit(t, { locationId: t.info.locationId, scopes: ['contacts.readonly'] });
    const res = await call<ErrorBody>(t, 'create-contact', { token: readonly, body: { locationId: t.info.locationId, firstName: 'Nope' }, status: 401 });
    expect(res.body).toMatchObject({ statusCode: 401, message: 'The token is not authorized for this scope.' });
    await call(t, 'get-contacts', { token: readonly, query: { locationId: t.info.locationId } });

    const agencyPit = await pit(t, { companyId: t.info.companyId, scopes: CONTACT_SCOPES });
    const company = await call<ErrorBody>(t, 'get-contacts', { token: agencyPit, query: { locationId: t.info.locationId }, status: 401 });
    expectMessage(company.body, 'The token is not authorized for this scope.');
  });

  it('403 ForbiddenDTO when location A’s PIT is used on location B', async () => {
    const locB = locationB(t);
    const listed = await call<ErrorBody>(t, 'get-contacts', { query: { locationId: locB }, status: 403 });
    expect(listed.body).toMatchObject({ statusCode: 403, message: 'The token does not have access to this location.' });
    const created = await call<ErrorBody>(t, 'create-contact', { body: { locationId: locB, firstName: 'Nope' }, status: 403 });
    expectMessage(created.body, 'The token does not have access to this location.');

    const pitB = await pit(t, { locationId: locB, scopes: CONTACT_SCOPES });
    const contactB = await call<{ contact: ContactView }>(t, 'create-contact', { token: pitB, body: { locationId: locB, firstName: 'Only', lastName: 'In B' } });
    const read = await call<ErrorBody>(t, 'get-contact', { params: { contactId: contactB.body.contact.id }, status: 403 });
    expectMessage(read.body, 'The token does not have access to this location.');
    const tagged = await call<ErrorBody>(t, 'add-tags', { params: { contactId: contactB.body.contact.id }, body: { tags: ['x'] }, status: 403 });
    expectMessage(tagged.body, 'The token does not have access to this location.');
  });

  it('404 NotFoundDTO "Cannot GET /nope" for an unknown route, and for an unknown method', async () => {
    const res = await t.api<ErrorBody>('GET', '/nope');
    expect(res.status).toBe(404);
    expect(schemaErrors('NotFoundDTO', res.body)).toEqual([]);
    expect(res.body).toMatchObject({ statusCode: 404, message: 'Cannot GET /nope', error: 'Not Found' });

    const contactId = (await newContact(t)).id;
    const patch = await t.api<ErrorBody>('PATCH', `/contacts/${contactId}`, { body: { firstName: 'x' } });
    expect(patch.status).toBe(404);
    expect(schemaErrors('NotFoundDTO', patch.body)).toEqual([]);
    expectMessage(patch.body, `Cannot PATCH /contacts/${contactId}`);
  });

  it('422 UnprocessableDTO naming an undeclared property (PUT /contacts/{id} with gender)', async () => {
    expect(declaredProperties('UpdateContactDto')).not.toContain('gender');
    const contactId = (await newContact(t)).id;
    const res = await call<ErrorBody>(t, 'update-contact', { params: { contactId }, body: { gender: 'female' }, status: 422, offSpec: true });
    expect(res.body).toMatchObject({ statusCode: 422, message: ['property gender should not exist'], error: 'Unprocessable Entity' });
  });

  it('422 UnprocessableDTO listing every missing required field', async () => {
    const contactId = (await newContact(t)).id;
    const res = await call<ErrorBody>(t, 'create-task', { params: { contactId }, body: { body: 'no title, no due date' }, status: 422, offSpec: true });
    expect(res.body.message).toEqual(expect.arrayContaining(['title should not be empty', 'dueDate should not be empty', 'completed should not be empty']));
    const missing = await call<ErrorBody>(t, 'create-contact', { body: { firstName: 'No location' }, status: 422, offSpec: true });
    expectMessage(missing.body, ['locationId should not be empty']);
  });

  it('400 BadRequestDTO: unknown contact id, duplicate lookup without criteria, malformed JSON', async () => {
    const unknown = await call<ErrorBody>(t, 'get-contact', { params: { contactId: 'AAAAAAAAAAAAAAAAAAAA' }, status: 400 });
    expect(unknown.body).toMatchObject({ statusCode: 400, message: 'Contact with id AAAAAAAAAAAAAAAAAAAA not found' });
    const lookup = await call<ErrorBody>(t, 'get-duplicate-contact', { query: { locationId: t.info.locationId }, status: 400 });
    expect(lookup.body.statusCode).toBe(400);

    const contactId = (await newContact(t)).id;
    const malformed = await t.api<ErrorBody>('PUT', `/contacts/${contactId}`, { raw: '{"firstName":', headers: { 'content-type': 'application/json' } });
    expect(malformed.status).toBe(400);
    expect(responseErrors(routeById('update-contact'), 400, malformed.body)).toEqual([]);
    expect(malformed.body.statusCode).toBe(400);
  });

  it('400 for a missing or unsupported Version header; 2021-07-28 and the SDK’s 2023-02-21 are accepted', async () => {
    const query = { locationId: t.info.locationId };
    const missing = await call<ErrorBody>(t, 'get-contacts', { query, version: null, status: 400 });
    expect(missing.body).toMatchObject({ statusCode: 400, message: expect.stringContaining('Version') });
    const unsupported = await call<ErrorBody>(t, 'get-contacts', { query, version: '2020-01-01', status: 400 });
    expect(unsupported.body).toMatchObject({ statusCode: 400, message: expect.stringContaining('2020-01-01') });
    await call(t, 'get-contacts', { query, version: '2021-07-28' });
    await call(t, 'get-contacts', { query, version: '2023-02-21' });

    const agency = await agencyToken(t);
    const noVersion = await call<ErrorBody>(t, 'get-location-access-token', {
      token: agency.access_token,
      version: null,
      body: { companyId: t.info.companyId, locationId: t.info.locationId },
      status: 400,
    });
    expect(noVersion.body.message).toEqual(expect.stringContaining('Version'));
  });
});

describe('conformance: rate-limit headers (limits enabled)', () => {
  let t: TestSandbox;
  beforeAll(async () => {
    t = await startSandbox({ config: { rateLimit: { enabled: true } } });
  });
  afterAll(() => t.close());

  function rateHeaders(res: ApiResponse<unknown>): Record<string, number> {
    const out: Record<string, number> = {};
    for (const name of RATE_LIMIT_HEADERS) {
      const value = res.headers.get(name);
      expect(value, `${name} header`).toMatch(/^\d+$/);
      out[name] = Number(value);
    }
    return out;
  }

  it('every authenticated answer (2xx and 4xx after authentication) carries the five headers', async () => {
    const loc = t.info.locationId;
    const contact = await newContact(t);
    const answers: Array<ApiResponse<unknown>> = [
      await call(t, 'get-contacts', { query: { locationId: loc } }),
      await call(t, 'get-contact', { params: { contactId: contact.id } }),
      await call(t, 'search-contacts-advanced', { body: { locationId: loc, pageLimit: 5 } }),
      await call(t, 'add-tags', { params: { contactId: contact.id }, body: { tags: ['rate'] } }),
      await call(t, 'update-contact', { params: { contactId: contact.id }, body: { gender: 'x' }, status: 422, offSpec: true }),
      await call(t, 'get-contacts', { query: { locationId: locationB(t) }, status: 403 }),
    ];
    const seen = answers.map(rateHeaders);
    for (const h of seen) {
      expect(h).toMatchObject({ 'X-RateLimit-Limit-Daily': 200_000, 'X-RateLimit-Interval-Milliseconds': 10_000, 'X-RateLimit-Max': 100 });
    }
    // One bucket for this PIT: both counts go down by one per request.
    const remaining = seen.map((h) => h['X-RateLimit-Remaining']!);
    const daily = seen.map((h) => h['X-RateLimit-Daily-Remaining']!);
    expect(remaining[0]).toBeLessThan(100);
    expect(remaining).toEqual(remaining.map((_r, i) => remaining[0]! - i));
    expect(daily).toEqual(daily.map((_d, i) => daily[0]! - i));
  });

  it('OAuth access tokens get the headers too, in their own bucket per app and resource', async () => {
    const agency = await agencyToken(t);
    const appId = t.info.clientId.split('-')[0]!;
    const installed = rateHeaders(await call(t, 'get-installed-location', { token: agency.access_token, query: { companyId: t.info.companyId, appId } }));
    expect(installed).toMatchObject({ 'X-RateLimit-Max': 100, 'X-RateLimit-Limit-Daily': 200_000 });
    // The location token is a different resource (the location), so it starts its own bucket.
    const locB = locationB(t);
    const minted = await call<LocationTokenBody>(t, 'get-location-access-token', { token: agency.access_token, body: { companyId: t.info.companyId, locationId: locB } });
    expect(rateHeaders(minted)['X-RateLimit-Remaining']).toBe(installed['X-RateLimit-Remaining']! - 1);
    const used = await call(t, 'get-contacts', { token: minted.body.access_token, query: { locationId: locB } });
    expect(rateHeaders(used)['X-RateLimit-Remaining']).toBe(99);
  });

  it('past the burst limit the answer is 429 TooManyRequestsDTO with X-RateLimit-Remaining 0', async () => {
    const setMax = async (max: number) => {
      const patched = await t.api('PATCH', '/_sandbox/config', { body: { rateLimit: { max } }, token: null, version: null });
      expect(patched.status).toBe(200);
    };
    await setMax(3);
    try {
      const fresh = await pit(t, { locationId: t.info.locationId, scopes: CONTACT_SCOPES });
      const query = { locationId: t.info.locationId };
      for (let i = 0; i < 3; i++) await call(t, 'get-contacts', { token: fresh, query });
      const limited = await call<ErrorBody>(t, 'get-contacts', { token: fresh, query, status: 429 });
      expect(limited.body.statusCode).toBe(429);
      expect(rateHeaders(limited)).toMatchObject({ 'X-RateLimit-Remaining': 0, 'X-RateLimit-Max': 3 });
    } finally {
      await setMax(100);
    }
  });
});

describe('conformance: coverage', () => {
  it('the expected success statuses agree with the spec (201 exactly on the creates)', () => {
    expect(Object.keys(SUCCESS).sort()).toEqual(routes.map((r) => r.operationId).sort());
    for (const route of routes) expect(successStatus(route), route.operationId).toBe(SUCCESS[route.operationId]);
    expect(Object.keys(SUCCESS).filter((id) => SUCCESS[id] === 201).sort()).toEqual(
      ['add-contact-to-campaign', 'add-followers-contact', 'add-tags', 'create-association', 'create-contact', 'create-note', 'create-task'],
    );
  });

  it('every one of the 35 operations was exercised with its success status', () => {
    expect(routes).toHaveLength(35);
    expect([...exercised.keys()].sort()).toEqual(routes.map((r) => r.operationId).sort());
    for (const route of routes) expect([...(exercised.get(route.operationId) ?? [])], route.operationId).toContain(SUCCESS[route.operationId]);
  });
});
