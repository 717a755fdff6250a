import { describe, expect, it } from 'vitest';
import { createCall } from './core/call.js';
import type { GhlRequest } from './core/types.js';
import { createOperations } from './operations/index.js';
import { GhlPaginationError, paginate } from './paginate.js';
import { scriptedTransport, type ScriptStep } from './testing/scripted-transport.js';

const LOC = 'Loc00000000000000001';

function harness(steps: Array<ScriptStep | ((request: GhlRequest) => ScriptStep)>) {
  const t = scriptedTransport(steps);
  return { t, ops: createOperations(createCall(t.send), { locationId: LOC }) };
}

const contact = (n: number) => ({ id: `c${n}`, dateAdded: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString() });
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => contact(from + i));
const meta = (last: { id: string; dateAdded: string } | null) => ({
  total: 5, nextPageUrl: last ? 'http://x/contacts/' : null, startAfterId: last?.id ?? null,
  startAfter: last ? Date.parse(last.dateAdded) : null, currentPage: 1, nextPage: last ? 2 : null, prevPage: null,
});
const ids = (items: Array<{ id: string }>) => items.map((c) => c.id);

describe('paginate (generic)', () => {
  it('fetches lazily, page by page, and starts again on each iteration', async () => {
    const fetched: number[] = [];
    const numbers = paginate({
      first: 0,
      fetch: async (n: number) => (fetched.push(n), [n, n + 1]),
      items: (r: number[]) => r,
      next: (_r, _i, n) => (n < 4 ? n + 2 : null),
    });
    expect(fetched).toEqual([]);
    expect(await numbers.toArray()).toEqual([0, 1, 2, 3, 4, 5]);
    const pages = [];
    for await (const page of numbers.pages()) pages.push(page.number);
    expect(pages).toEqual([1, 2, 3]);
    expect(fetched).toEqual([0, 2, 4, 0, 2, 4]);
  });
});

describe('contacts.listAll (GET /contacts/)', () => {
  it('follows meta.startAfter/startAfterId until they are null', async () => {
    const { t, ops } = harness([
      { body: { contacts: range(0, 2), count: 5, meta: meta(contact(1)) } },
      { body: { contacts: range(2, 4), count: 5, meta: meta(contact(3)) } },
      { body: { contacts: range(4, 5), count: 5, meta: meta(null) } },
    ]);
    const all = await ops.contacts.listAll({ query: 'a' }, { pageSize: 2 }).toArray();
    expect(ids(all)).toEqual(['c0', 'c1', 'c2', 'c3', 'c4']);
    expect(t.requests.map((r) => r.query)).toEqual([
      { locationId: LOC, query: 'a', limit: 2, startAfter: undefined, startAfterId: undefined },
      { locationId: LOC, query: 'a', limit: 2, startAfter: Date.parse(contact(1).dateAdded), startAfterId: 'c1' },
      { locationId: LOC, query: 'a', limit: 2, startAfter: Date.parse(contact(3).dateAdded), startAfterId: 'c3' },
    ]);
    expect(t.requests.every((r) => r.operationId === 'get-contacts' && r.resourceId === LOC)).toBe(true);
  });

  it('goes on from the last contact when the answer has no meta, until a short page', async () => {
    const { t, ops } = harness([
      { body: { contacts: range(0, 2), count: 3 } },
      { body: { contacts: range(2, 3), count: 3 } },
    ]);
    expect(ids(await ops.contacts.listAll({}, { pageSize: 2 }).toArray())).toEqual(['c0', 'c1', 'c2']);
    expect(t.requests[1]!.query).toMatchObject({ startAfterId: 'c1', startAfter: Date.parse(contact(1).dateAdded) });
  });

  it('resumes from a given cursor', async () => {
    const { t, ops } = harness([{ body: { contacts: [], count: 0, meta: meta(null) } }]);
    expect(await ops.contacts.listAll({ startAfter: 5, startAfterId: 'c9' }).toArray()).toEqual([]);
    expect(t.requests[0]!.query).toMatchObject({ startAfter: 5, startAfterId: 'c9', limit: 100 });
  });

  it('fails instead of looping when the cursor does not advance', async () => {
    const page = { body: { contacts: range(0, 2), count: 9, meta: meta(contact(1)) } };
    const { t, ops } = harness([page, page, page]);
    await expect(ops.contacts.listAll({}, { pageSize: 2 }).toArray()).rejects.toBeInstanceOf(GhlPaginationError);
    expect(t.requests).toHaveLength(2);
  });
});

describe('contacts.searchAll (POST /contacts/search)', () => {
  const searched = (n: number) => ({ id: `c${n}`, searchAfter: [1000 - n, `c${n}`] });

  it('sends the searchAfter of the last contact and stops on a short page', async () => {
    const { t, ops } = harness([
      { body: { contacts: [searched(0), searched(1)], total: 5 } },
      { body: { contacts: [searched(2), searched(3)], total: 5 } },
      { body: { contacts: [searched(4)], total: 5 } },
    ]);
    const all = await ops.contacts.searchAll({ query: 'ada' }, { pageSize: 2 }).toArray();
    expect(ids(all)).toEqual(['c0', 'c1', 'c2', 'c3', 'c4']);
    expect(t.requests.map((r) => r.body)).toEqual([
      { query: 'ada', pageLimit: 2, locationId: LOC },
      { query: 'ada', pageLimit: 2, locationId: LOC, searchAfter: [999, 'c1'] },
      { query: 'ada', pageLimit: 2, locationId: LOC, searchAfter: [997, 'c3'] },
    ]);
    expect(t.requests.every((r) => r.idempotent && r.method === 'POST')).toBe(true);
  });

  it('stops without an extra request when total is reached on a full page', async () => {
    const { t, ops } = harness([
      { body: { contacts: [searched(0), searched(1)], total: 4 } },
      { body: { contacts: [searched(2), searched(3)], total: 4 } },
      { body: { contacts: [], total: 4 } },
    ]);
    expect(await ops.contacts.searchAll({}, { pageSize: 2 }).toArray()).toHaveLength(4);
    expect(t.requests).toHaveLength(2);
    expect(t.remaining()).toBe(1);
  });

  it('pages by number with paging: "page"', async () => {
    const { t, ops } = harness([
      { body: { contacts: [searched(0), searched(1)], total: 5 } },
      { body: { contacts: [searched(2), searched(3)], total: 5 } },
      { body: { contacts: [searched(4)], total: 5 } },
    ]);
    expect(await ops.contacts.searchAll({}, { pageSize: 2, paging: 'page' }).toArray()).toHaveLength(5);
    expect(t.requests.map((r) => (r.body as { page?: number }).page)).toEqual([undefined, 2, 3]);
  });

  it('refuses contradictory cursors and answers without searchAfter', async () => {
    const { ops } = harness([{ body: { contacts: [{ id: 'c0' }, { id: 'c1' }], total: 9 } }]);
    expect(() => ops.contacts.searchAll({ page: 2 })).toThrow(/paging: "page"/);
    expect(() => ops.contacts.searchAll({ searchAfter: [1, 'x'] }, { paging: 'page' })).toThrow(TypeError);
    await expect(ops.contacts.searchAll({}, { pageSize: 2 }).toArray()).rejects.toThrow(/without searchAfter/);
  });
});

describe('contacts.listByBusinessAll (GET /contacts/business/{id})', () => {
  it('moves skip by the contacts received and stops at count', async () => {
    const { t, ops } = harness([
      { body: { contacts: range(0, 2), count: 4 } },
      { body: { contacts: range(2, 4), count: 4 } },
    ]);
    expect(ids(await ops.contacts.listByBusinessAll('B1', {}, { pageSize: 2 }).toArray())).toEqual(['c0', 'c1', 'c2', 'c3']);
    expect(t.requests.map((r) => r.query)).toEqual([
      { locationId: LOC, query: undefined, limit: '2', skip: '0' },
      { locationId: LOC, query: undefined, limit: '2', skip: '2' },
    ]);
    expect(t.requests[0]!.path).toBe('/contacts/business/B1');
  });

  it('stops on a short page', async () => {
    const { t, ops } = harness([{ body: { contacts: range(0, 1), count: 50 } }]);
    expect(await ops.contacts.listByBusinessAll('B1', { skip: 10 }, { pageSize: 2 }).toArray()).toHaveLength(1);
    expect(t.requests[0]!.query).toMatchObject({ skip: '10' });
  });
});

describe('early break and options', () => {
  it('a break in for await stops fetching', async () => {
    const full = { body: { contacts: range(0, 2), count: 10, meta: meta(contact(1)) } };
    const { t, ops } = harness([full, full, full]);
    const seen: string[] = [];
    for await (const c of ops.contacts.listAll({}, { pageSize: 2 })) {
      seen.push(c.id);
      if (seen.length === 1) break;
    }
    expect(seen).toEqual(['c0']);
    expect(t.requests).toHaveLength(1);
    expect(t.remaining()).toBe(2);
  });

  it('a break between pages stops fetching too', async () => {
    const searched = { body: { contacts: [{ id: 'a', searchAfter: [1, 'a'] }, { id: 'b', searchAfter: [2, 'b'] }], total: 100 } };
    const { t, ops } = harness([searched, searched, searched]);
    let pages = 0;
    for await (const page of ops.contacts.searchAll({}, { pageSize: 2 }).pages()) {
      pages = page.number;
      expect(page.response.total).toBe(100);
      if (page.number === 1) break;
    }
    expect(pages).toBe(1);
    expect(t.requests).toHaveLength(1);
  });

  it('passes signal and timeout to every page request', async () => {
    const controller = new AbortController();
    const { t, ops } = harness([
      { body: { contacts: range(0, 1), count: 2 } },
      { body: { contacts: range(1, 2), count: 2 } },
    ]);
    await ops.contacts.listByBusinessAll('B1', {}, { pageSize: 1, signal: controller.signal, timeoutMs: 77 }).toArray();
    expect(t.requests.map((r) => [r.signal, r.timeoutMs])).toEqual([[controller.signal, 77], [controller.signal, 77]]);
  });

  it('checks the page size against each endpoint maximum', () => {
    const { ops } = harness([]);
    expect(() => ops.contacts.listAll({}, { pageSize: 101 })).toThrow(RangeError);
    expect(() => ops.contacts.listByBusinessAll('B1', {}, { pageSize: 0 })).toThrow(RangeError);
    expect(() => ops.contacts.searchAll({}, { pageSize: 501 })).toThrow(RangeError);
    expect(() => ops.contacts.searchAll({}, { pageSize: 500 })).not.toThrow();
    expect(() => ops.contacts.listAll({}, { pageSize: 2.5 })).toThrow(RangeError);
  });
});
