import { describe, expect, expectTypeOf, it } from 'vitest';
import { routes } from '../../spec/index.js';
import { createCall } from '../core/call.js';
import { GhlDuplicateContactError, GhlNotFoundError } from '../core/errors.js';
import type { GhlRequest } from '../core/types.js';
import { scriptedTransport, type ScriptStep } from '../testing/scripted-transport.js';
import { createOperations, type Contact, type GhlOperations, type SearchedContact, type Task } from './index.js';

const LOC = 'LocDefault00000000001';
const OTHER = 'LocOther0000000000002';
const C = 'Contact0000000000001';

/** Operations over a scripted transport answering every request with `step` (200 `{}` by default). */
function harness(options: { locationId?: string } = { locationId: LOC }, step: ScriptStep = { status: 200, body: {} }) {
  const t = scriptedTransport(Array.from({ length: 10 }, () => step));
  return { t, ops: createOperations(createCall(t.send), options) };
}

interface Expected {
  operationId: string;
  method: GhlRequest['method'];
  path: string;
  idempotent: boolean;
  resourceId?: string;
  query?: Record<string, unknown>;
  body?: unknown;
}

/** One row per operation: the call through the typed method and the request it must produce. */
const CASES: Array<[string, (ops: GhlOperations) => Promise<unknown>, Expected]> = [
  ['contacts.get', (o) => o.contacts.get(C), { operationId: 'get-contact', method: 'GET', path: `/contacts/${C}`, idempotent: true, resourceId: LOC }],
  [
    'contacts.create',
    (o) => o.contacts.create({ firstName: 'Ada', email: 'ada@example.com', dateOfBirth: '1815-12-10', customFields: [{ key: 'colour', field_value: 'blue' }] }),
    {
      operationId: 'create-contact', method: 'POST', path: '/contacts/', idempotent: false, resourceId: LOC,
      body: { firstName: 'Ada', email: 'ada@example.com', dateOfBirth: '1815-12-10', customFields: [{ key: 'colour', field_value: 'blue' }], locationId: LOC },
    },
  ],
  ['contacts.update', (o) => o.contacts.update(C, { city: 'London', source: null }), { operationId: 'update-contact', method: 'PUT', path: `/contacts/${C}`, idempotent: true, resourceId: LOC, body: { city: 'London', source: null } }],
  ['contacts.delete', (o) => o.contacts.delete(C), { operationId: 'delete-contact', method: 'DELETE', path: `/contacts/${C}`, idempotent: true, resourceId: LOC }],
  [
    'contacts.upsert',
    (o) => o.contacts.upsert({ email: 'a@b.co', createNewIfDuplicateAllowed: true, locationId: OTHER }),
    { operationId: 'upsert-contact', method: 'POST', path: '/contacts/upsert', idempotent: true, resourceId: OTHER, body: { email: 'a@b.co', createNewIfDuplicateAllowed: true, locationId: OTHER } },
  ],
  [
    'contacts.list',
    (o) => o.contacts.list({ query: 'ada', limit: 10, startAfter: 1603870249758, startAfterId: 'x1' }),
    { operationId: 'get-contacts', method: 'GET', path: '/contacts/', idempotent: true, resourceId: LOC, query: { locationId: LOC, query: 'ada', limit: 10, startAfter: 1603870249758, startAfterId: 'x1' } },
  ],
  [
    'contacts.search',
    (o) => o.contacts.search({ pageLimit: 5, filters: [{ group: 'OR', filters: [{ field: 'tags', operator: 'eq', value: 'vip' }] }], sort: [{ field: 'dateAdded', direction: 'asc' }] }),
    {
      operationId: 'search-contacts-advanced', method: 'POST', path: '/contacts/search', idempotent: true, resourceId: LOC,
      body: { pageLimit: 5, filters: [{ group: 'OR', filters: [{ field: 'tags', operator: 'eq', value: 'vip' }] }], sort: [{ field: 'dateAdded', direction: 'asc' }], locationId: LOC },
    },
  ],
  [
    'contacts.findDuplicate',
    (o) => o.contacts.findDuplicate({ email: 'test+abc@gmail.com', phone: '+1423164516' }),
    { operationId: 'get-duplicate-contact', method: 'GET', path: '/contacts/search/duplicate', idempotent: true, resourceId: LOC, query: { locationId: LOC, email: 'test+abc@gmail.com', number: '+1423164516' } },
  ],
  [
    'contacts.listByBusiness',
    (o) => o.contacts.listByBusiness('641c094001436dbc2081e642', { limit: 10, skip: 20, query: 'ada' }),
    { operationId: 'get-contacts-by-businessId', method: 'GET', path: '/contacts/business/641c094001436dbc2081e642', idempotent: true, resourceId: LOC, query: { locationId: LOC, limit: '10', skip: '20', query: 'ada' } },
  ],
  ['tasks.list', (o) => o.tasks.list(C), { operationId: 'get-all-tasks', method: 'GET', path: `/contacts/${C}/tasks`, idempotent: true, resourceId: LOC }],
  ['tasks.get', (o) => o.tasks.get(C, 'T1'), { operationId: 'get-task', method: 'GET', path: `/contacts/${C}/tasks/T1`, idempotent: true, resourceId: LOC }],
  [
    'tasks.create',
    (o) => o.tasks.create(C, { title: 'Call', dueDate: '2026-01-01T10:00:00Z', completed: false }),
    { operationId: 'create-task', method: 'POST', path: `/contacts/${C}/tasks`, idempotent: false, resourceId: LOC, body: { title: 'Call', dueDate: '2026-01-01T10:00:00Z', completed: false } },
  ],
  ['tasks.update', (o) => o.tasks.update(C, 'T1', { title: 'Call again' }), { operationId: 'update-task', method: 'PUT', path: `/contacts/${C}/tasks/T1`, idempotent: true, resourceId: LOC, body: { title: 'Call again' } }],
  ['tasks.complete', (o) => o.tasks.complete(C, 'T1'), { operationId: 'update-task-completed', method: 'PUT', path: `/contacts/${C}/tasks/T1/completed`, idempotent: true, resourceId: LOC, body: { completed: true } }],
  ['tasks.delete', (o) => o.tasks.delete(C, 'T1'), { operationId: 'delete-task', method: 'DELETE', path: `/contacts/${C}/tasks/T1`, idempotent: true, resourceId: LOC }],
  ['notes.list', (o) => o.notes.list(C), { operationId: 'get-all-notes', method: 'GET', path: `/contacts/${C}/notes`, idempotent: true, resourceId: LOC }],
  ['notes.get', (o) => o.notes.get(C, 'N1'), { operationId: 'get-note', method: 'GET', path: `/contacts/${C}/notes/N1`, idempotent: true, resourceId: LOC }],
  ['notes.create', (o) => o.notes.create(C, { body: 'Hello', pinned: true }), { operationId: 'create-note', method: 'POST', path: `/contacts/${C}/notes`, idempotent: false, resourceId: LOC, body: { body: 'Hello', pinned: true } }],
  ['notes.update', (o) => o.notes.update(C, 'N1', { color: '#FFAA00' }), { operationId: 'update-note', method: 'PUT', path: `/contacts/${C}/notes/N1`, idempotent: true, resourceId: LOC, body: { color: '#FFAA00' } }],
  ['notes.delete', (o) => o.notes.delete(C, 'N1'), { operationId: 'delete-note', method: 'DELETE', path: `/contacts/${C}/notes/N1`, idempotent: true, resourceId: LOC }],
  ['appointments.list', (o) => o.appointments.list(C), { operationId: 'get-appointments-for-contact', method: 'GET', path: `/contacts/${C}/appointments`, idempotent: true, resourceId: LOC }],
  ['tags.add', (o) => o.tags.add(C, ['vip']), { operationId: 'add-tags', method: 'POST', path: `/contacts/${C}/tags`, idempotent: true, resourceId: LOC, body: { tags: ['vip'] } }],
  ['tags.remove', (o) => o.tags.remove(C, ['vip']), { operationId: 'remove-tags', method: 'DELETE', path: `/contacts/${C}/tags`, idempotent: true, resourceId: LOC, body: { tags: ['vip'] } }],
  [
    'tags.bulkUpdate',
    (o) => o.tags.bulkUpdate('remove', { contacts: [C], tags: [], removeAllTags: true }),
    { operationId: 'create-association', method: 'POST', path: '/contacts/bulk/tags/update/remove', idempotent: true, resourceId: LOC, body: { contacts: [C], tags: [], removeAllTags: true, locationId: LOC } },
  ],
  ['followers.add', (o) => o.followers.add(C, ['U1']), { operationId: 'add-followers-contact', method: 'POST', path: `/contacts/${C}/followers`, idempotent: true, resourceId: LOC, body: { followers: ['U1'] } }],
  ['followers.remove', (o) => o.followers.remove(C, ['U1']), { operationId: 'remove-followers-contact', method: 'DELETE', path: `/contacts/${C}/followers`, idempotent: true, resourceId: LOC, body: { followers: ['U1'] } }],
  ['campaigns.add', (o) => o.campaigns.add(C, 'K1'), { operationId: 'add-contact-to-campaign', method: 'POST', path: `/contacts/${C}/campaigns/K1`, idempotent: true, resourceId: LOC, body: {} }],
  ['campaigns.remove', (o) => o.campaigns.remove(C, 'K1'), { operationId: 'remove-contact-from-campaign', method: 'DELETE', path: `/contacts/${C}/campaigns/K1`, idempotent: true, resourceId: LOC }],
  ['campaigns.removeAll', (o) => o.campaigns.removeAll(C), { operationId: 'remove-contact-from-every-campaign', method: 'DELETE', path: `/contacts/${C}/campaigns/removeAll`, idempotent: true, resourceId: LOC }],
  [
    'workflows.add',
    (o) => o.workflows.add(C, 'W1', { eventStartTime: '2021-06-23T03:30:00+01:00' }),
    { operationId: 'add-contact-to-workflow', method: 'POST', path: `/contacts/${C}/workflow/W1`, idempotent: true, resourceId: LOC, body: { eventStartTime: '2021-06-23T03:30:00+01:00' } },
  ],
  ['workflows.remove', (o) => o.workflows.remove(C, 'W1'), { operationId: 'delete-contact-from-workflow', method: 'DELETE', path: `/contacts/${C}/workflow/W1`, idempotent: true, resourceId: LOC, body: {} }],
  [
    'businesses.assign',
    (o) => o.businesses.assign({ ids: [C], businessId: null }),
    { operationId: 'add-remove-contact-from-business', method: 'POST', path: '/contacts/bulk/business', idempotent: true, resourceId: LOC, body: { ids: [C], businessId: null, locationId: LOC } },
  ],
];

/** `/contacts/{contactId}/tasks` → a regex matching filled-in paths. */
function templateRegex(template: string): RegExp {
  return new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);
}

describe('createOperations: one request per method', () => {
  it.each(CASES)('%s sends the request its route describes', async (_name, run, expected) => {
    const { t, ops } = harness();
    await run(ops);
    expect(t.requests).toHaveLength(1);
    const request = t.requests[0]!;
    expect({
      operationId: request.operationId, method: request.method, path: request.path, idempotent: request.idempotent,
      resourceId: request.resourceId, query: request.query, body: request.body,
    }).toEqual({ query: undefined, body: undefined, ...expected });
    // …and the route table agrees on method and path shape; the location never travels as a header
    const route = routes.find((r) => r.operationId === expected.operationId)!;
    expect(route.method).toBe(request.method);
    expect(request.path).toMatch(templateRegex(route.path));
    expect(request.headers).toBeUndefined();
  });

  it('covers exactly the 32 contacts routes of the spec', () => {
    const used = new Set(CASES.map(([, , e]) => e.operationId));
    const contactsRoutes = new Set(routes.filter((r) => r.module === 'contacts').map((r) => r.operationId));
    expect(contactsRoutes.size).toBe(32);
    expect([...used].sort()).toEqual([...contactsRoutes].sort());
  });

  it('marks only the creates of contacts, tasks and notes as not idempotent', () => {
    const notIdempotent = CASES.filter(([, , e]) => !e.idempotent).map(([, , e]) => e.operationId).sort();
    expect(notIdempotent).toEqual(['create-contact', 'create-note', 'create-task']);
  });
});

describe('locations', () => {
  it('uses the method option, then the client default, as resourceId of path-only operations', async () => {
    const { t, ops } = harness();
    await ops.contacts.get(C, { locationId: OTHER });
    await ops.notes.list(C);
    const { t: t2, ops: bare } = harness({});
    await bare.tasks.list(C);
    expect(t.requests.map((r) => r.resourceId)).toEqual([OTHER, LOC]);
    expect(t2.requests[0]!.resourceId).toBeUndefined();
    // the option is never sent to HighLevel
    expect(t.requests[0]!.query).toBeUndefined();
    expect(t.requests[0]!.body).toBeUndefined();
    expect(t.requests[0]!.headers).toBeUndefined();
  });

  it('prefers an explicit body or query location over the default', async () => {
    const { t, ops } = harness();
    await ops.contacts.create({ firstName: 'A', locationId: OTHER });
    await ops.contacts.list({ locationId: OTHER });
    await ops.tags.bulkUpdate('add', { contacts: [C], tags: ['x'], locationId: OTHER });
    expect(t.requests.map((r) => r.resourceId)).toEqual([OTHER, OTHER, OTHER]);
    expect((t.requests[0]!.body as { locationId: string }).locationId).toBe(OTHER);
    expect(t.requests[1]!.query!.locationId).toBe(OTHER);
  });

  it('refuses before sending when an operation needs a location and there is none', async () => {
    const { t, ops } = harness({});
    await expect(ops.contacts.create({ firstName: 'A' })).rejects.toThrow(TypeError);
    await expect(ops.contacts.search({ pageLimit: 1 })).rejects.toThrow(/locationId is required/);
    await expect(ops.businesses.assign({ ids: [C], businessId: 'B' })).rejects.toThrow(TypeError);
    expect(() => ops.contacts.searchAll({})).toThrow(TypeError);
    expect(t.requests).toHaveLength(0);
  });
});

describe('request details', () => {
  it('passes signal and timeoutMs on', async () => {
    const { t, ops } = harness();
    const controller = new AbortController();
    await ops.contacts.get(C, { signal: controller.signal, timeoutMs: 1234 });
    await ops.tags.bulkUpdate('add', { contacts: [C], tags: ['a'] }, { timeoutMs: 5 });
    expect(t.requests[0]!.signal).toBe(controller.signal);
    expect(t.requests[0]!.timeoutMs).toBe(1234);
    expect(t.requests[1]!.timeoutMs).toBe(5);
  });

  it('encodes ids in paths and refuses empty ones', async () => {
    const { t, ops } = harness();
    await ops.notes.get('a/b', 'n?1');
    expect(t.requests[0]!.path).toBe('/contacts/a%2Fb/notes/n%3F1');
    await expect(ops.contacts.get('')).rejects.toThrow(/contactId must be a non-empty string/);
    await expect(ops.tasks.get(C, '')).rejects.toThrow(/taskId/);
    expect(t.requests).toHaveLength(1);
  });

  it('refuses a campaign id that would address every campaign', async () => {
    const { t, ops } = harness();
    await expect(ops.campaigns.remove(C, 'removeAll')).rejects.toThrow(/campaigns.removeAll/);
    expect(t.requests).toHaveLength(0);
  });

  it('needs an email or a phone to look for a duplicate', async () => {
    const { t, ops } = harness();
    await expect(ops.contacts.findDuplicate({})).rejects.toThrow(/email or a phone/);
    await ops.contacts.findDuplicate({ phone: '+14155550101' });
    expect(t.requests[0]!.query).toEqual({ locationId: LOC, email: undefined, number: '+14155550101' });
  });

  it('refuses an unknown bulk tags type', async () => {
    const { t, ops } = harness();
    await expect(ops.tags.bulkUpdate('replace' as 'add', { contacts: [C], tags: ['a'] })).rejects.toThrow(/add or remove/);
    expect(t.requests).toHaveLength(0);
  });

  it('can reopen a task', async () => {
    const { t, ops } = harness();
    await ops.tasks.complete(C, 'T1', false, { locationId: OTHER });
    expect(t.requests[0]).toMatchObject({ body: { completed: false }, resourceId: OTHER });
  });
});

describe('answers', () => {
  it('returns the parsed body', async () => {
    const contact = { id: C, firstName: 'Ada', customFields: [{ id: 'f1', value: ['a', 'b'] }] };
    const { ops } = harness({ locationId: LOC }, { status: 200, body: { contact } });
    const result = await ops.contacts.get(C);
    expect(result.contact).toEqual(contact);
  });

  it('throws the typed errors of call', async () => {
    const { ops } = harness({ locationId: LOC }, { status: 400, body: { statusCode: 400, message: `Contact with id ${C} not found` } });
    await expect(ops.contacts.get(C)).rejects.toBeInstanceOf(GhlNotFoundError);
    const dup = harness({ locationId: LOC }, { status: 400, body: { message: 'This location does not allow duplicated contacts.', meta: { contactId: 'E1', matchingField: 'email' } } });
    const error = await dup.ops.contacts.create({ email: 'a@b.co' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GhlDuplicateContactError);
    expect(error).toMatchObject({ existingContactId: 'E1', operationId: 'create-contact', mayHaveSucceeded: false });
  });

  it('types the outputs precisely (compile-time checks)', () => {
    const ops = createOperations(createCall(scriptedTransport([]).send));
    expectTypeOf(ops.contacts.get).returns.resolves.toHaveProperty('contact').toEqualTypeOf<Contact>();
    expectTypeOf<Contact['id']>().toEqualTypeOf<string>();
    expectTypeOf(ops.contacts.search).returns.resolves.toHaveProperty('contacts').toEqualTypeOf<SearchedContact[]>();
    expectTypeOf(ops.tasks.create).returns.resolves.toHaveProperty('task').toEqualTypeOf<Task>();
    expectTypeOf(ops.contacts.findDuplicate).returns.resolves.toHaveProperty('contact').toEqualTypeOf<Contact | null>();
    expectTypeOf(ops.contacts.upsert).returns.resolves.toHaveProperty('new').toEqualTypeOf<boolean>();
    expectTypeOf(ops.contacts.get).returns.resolves.not.toBeAny();
    // the spec's object-typed dateOfBirth is a string here
    expectTypeOf(ops.contacts.create).parameter(0).toHaveProperty('dateOfBirth').toEqualTypeOf<string | null | undefined>();
    // removeAllTags only with the remove type
    // @ts-expect-error removeAllTags is refused for type 'add'
    void (() => ops.tags.bulkUpdate('add', { contacts: [], tags: [], removeAllTags: true }));
  });
});
