/**
 * The three contacts iterators over real HTTP against a sandbox seeded with more than two pages
 * of contacts; request counts come from the sandbox's own log (`/_sandbox/requests/stats`).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GhlNetworkError } from '../../../src/ghl/core/errors.js';
import type { GhlOperations } from '../../../src/ghl/operations/index.js';
import { startSandbox, type TestSandbox } from '../../support/sandbox.js';
import { clientFor, requestCounts } from './operations-support.js';

const BATCH = 24;
const BUSINESS = '641c094001436dbc2081e642';
const IN_BUSINESS = 12;

let sb: TestSandbox;
let ghl: GhlOperations;
/** Every contact id of the location, oldest first. */
let allIds: string[];
/** The seeded batch, newest first (the search's default order). */
let batchNewestFirst: string[];

beforeAll(async () => {
  sb = await startSandbox();
  const locationId = sb.info.locationId;
  const contacts = Array.from({ length: BATCH }, (_, i) => ({
    id: `Batch${String(i).padStart(15, '0')}`,
    locationId,
    firstName: `Batch ${i}`,
    email: `batch${i}@example.com`,
    tags: ['batch'],
    // one second apart, older than the default seed's contacts
    dateAdded: new Date(Date.UTC(2025, 0, 1, 0, 0, i)).toISOString(),
    ...(i < IN_BUSINESS ? { businessId: BUSINESS } : {}),
  }));
  const seeded = await sb.api('POST', '/_sandbox/seed', { token: null, body: { contacts } });
  expect(seeded.status).toBe(200);
  const stored = await sb.api<{ contacts: Array<{ id: string; dateAdded: string }> }>('GET', `/_sandbox/locations/${locationId}/contacts`, { token: null });
  allIds = [...stored.body.contacts].sort((a, b) => Date.parse(a.dateAdded) - Date.parse(b.dateAdded) || (a.id < b.id ? -1 : 1)).map((c) => c.id);
  expect(allIds).toHaveLength(BATCH + 3);
  batchNewestFirst = contacts.map((c) => c.id).reverse();
  ghl = clientFor(sb).ghl;
});

afterAll(async () => {
  await sb?.close();
});

beforeEach(async () => {
  await sb.api('DELETE', '/_sandbox/requests', { token: null });
});

describe('contacts.listAll (GET /contacts/, startAfter/startAfterId)', () => {
  it('walks every contact once, oldest first, in ceil(27/5) = 6 requests', async () => {
    const ids: string[] = [];
    for await (const contact of ghl.contacts.listAll({}, { pageSize: 5 })) ids.push(contact.id);
    expect(ids).toEqual(allIds);
    expect((await requestCounts(sb))['get-contacts']).toBe(6);
  });

  it('a break stops fetching', async () => {
    const ids: string[] = [];
    for await (const contact of ghl.contacts.listAll({}, { pageSize: 5 })) {
      ids.push(contact.id);
      if (ids.length === 7) break;
    }
    expect(ids).toEqual(allIds.slice(0, 7));
    expect((await requestCounts(sb))['get-contacts']).toBe(2);
  });

  it('pages() exposes meta and page numbers', async () => {
    const seen: Array<[number, number, string | null | undefined]> = [];
    for await (const page of ghl.contacts.listAll({}, { pageSize: 10 }).pages()) seen.push([page.number, page.items.length, page.response.meta?.startAfterId]);
    expect(seen).toEqual([[1, 10, allIds[9]], [2, 10, allIds[19]], [3, 7, null]]);
  });
});

describe('contacts.searchAll (POST /contacts/search)', () => {
  const batchOnly = { filters: [{ field: 'tags', operator: 'eq' as const, value: 'batch' }] };

  it('walks the matches with searchAfter, stopping on the short page (5 requests for 24 by 5)', async () => {
    const contacts = await ghl.contacts.searchAll(batchOnly, { pageSize: 5 }).toArray();
    expect(contacts.map((c) => c.id)).toEqual(batchNewestFirst);
    expect((await requestCounts(sb))['search-contacts-advanced']).toBe(5);
  });

  it('stops when total is reached on a full page (4 requests for 24 by 6)', async () => {
    const contacts = await ghl.contacts.searchAll(batchOnly, { pageSize: 6 }).toArray();
    expect(contacts).toHaveLength(BATCH);
    expect(new Set(contacts.map((c) => c.id)).size).toBe(BATCH);
    expect((await requestCounts(sb))['search-contacts-advanced']).toBe(4);
  });

  it('pages by number with paging: "page", in the same order', async () => {
    // sorted by email (string order: batch0, batch1, batch10, …); not by firstName, see the sandbox note in the report
    const contacts = await ghl.contacts.searchAll({ ...batchOnly, sort: [{ field: 'email', direction: 'asc' }] }, { pageSize: 7, paging: 'page' }).toArray();
    expect(contacts.map((c) => c.email)).toEqual(Array.from({ length: BATCH }, (_, i) => `batch${i}@example.com`).sort());
    expect((await requestCounts(sb))['search-contacts-advanced']).toBe(4);
  });

  it('a break after the first page stops fetching', async () => {
    let pages = 0;
    for await (const page of ghl.contacts.searchAll(batchOnly, { pageSize: 5 }).pages()) {
      pages++;
      expect(page.response.total).toBe(BATCH);
      break;
    }
    expect(pages).toBe(1);
    expect((await requestCounts(sb))['search-contacts-advanced']).toBe(1);
  });

  it('an abort between pages ends the iteration with GhlNetworkError', async () => {
    const controller = new AbortController();
    const ids: string[] = [];
    const walk = async () => {
      for await (const contact of ghl.contacts.searchAll(batchOnly, { pageSize: 5, signal: controller.signal })) {
        ids.push(contact.id);
        if (ids.length === 5) controller.abort();
      }
    };
    await expect(walk()).rejects.toBeInstanceOf(GhlNetworkError);
    expect(ids).toHaveLength(5);
    expect((await requestCounts(sb))['search-contacts-advanced']).toBe(1);
  });
});

describe('contacts.listByBusinessAll (GET /contacts/business/{id}, skip/limit)', () => {
  it('walks the contacts of the business (3 requests for 12 by 5)', async () => {
    const contacts = await ghl.contacts.listByBusinessAll(BUSINESS, {}, { pageSize: 5 }).toArray();
    expect(contacts.map((c) => c.id)).toEqual(batchNewestFirst.slice(-IN_BUSINESS).reverse());
    expect(contacts.every((c) => c.businessId === BUSINESS)).toBe(true);
    expect((await requestCounts(sb))['get-contacts-by-businessId']).toBe(3);
  });

  it('stops at count on a full last page (2 requests for 12 by 6), and a break stops fetching', async () => {
    expect(await ghl.contacts.listByBusinessAll(BUSINESS, {}, { pageSize: 6 }).toArray()).toHaveLength(IN_BUSINESS);
    expect((await requestCounts(sb))['get-contacts-by-businessId']).toBe(2);
    await sb.api('DELETE', '/_sandbox/requests', { token: null });
    for await (const contact of ghl.contacts.listByBusinessAll(BUSINESS, {}, { pageSize: 4 })) {
      expect(contact.businessId).toBe(BUSINESS);
      break;
    }
    expect((await requestCounts(sb))['get-contacts-by-businessId']).toBe(1);
  });
});
