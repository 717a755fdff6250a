import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type TestSandbox } from '../../../test/support/sandbox.js';
import type { WebhookContext } from '../types.js';
import { readConnection, type GhlConnection } from './connection.js';
import { isAfter, readCursor, reconcileExternalId, reconcilePoll } from './reconcile.js';

let sb: TestSandbox;
let conn: GhlConnection;

interface Stored {
  id: string;
  dateUpdated: string;
}

async function stored(): Promise<Stored[]> {
  const res = await sb.api<{ contacts: Stored[] }>('GET', `/_sandbox/locations/${sb.info.locationId}/contacts`, { token: null });
  return res.body.contacts;
}

/** Every page of one poll run, as the runtime does it: the cursor of each page feeds the next. */
async function pollAll(cursor: unknown, pageSize: number, now = Date.now()) {
  const pages = [];
  for (;;) {
    const page = await reconcilePoll({ conn, cursor, now }, pageSize);
    pages.push(page);
    cursor = page.cursor;
    if (!page.more) return { pages, cursor };
  }
}

beforeAll(async () => {
  sb = await startSandbox();
  conn = readConnection({ id: 'ghl-test', app: 'ghl', source: 'ghl', config: { baseUrl: sb.url, locationId: sb.info.locationId, webhookPublicKey: sb.info.webhookPublicKey }, secrets: { token: sb.info.pit } });
});
afterAll(() => sb.close());

describe('cursor helpers', () => {
  it('orders by dateUpdated, then id, and reads only well-formed cursors', () => {
    const c = { dateUpdated: '2026-01-01T00:00:00.000Z', id: 'm' };
    expect(isAfter({ dateUpdated: '2026-01-01T00:00:00.001Z', id: 'a' }, c)).toBe(true);
    expect(isAfter({ dateUpdated: '2026-01-01T00:00:00.000Z', id: 'n' }, c)).toBe(true);
    expect(isAfter({ dateUpdated: '2026-01-01T00:00:00.000Z', id: 'm' }, c)).toBe(false);
    expect(isAfter({ dateUpdated: '2025-12-31T23:59:59.999Z', id: 'z' }, c)).toBe(false);
    expect(readCursor(c)).toEqual(c);
    expect(readCursor(null)).toBeNull();
    expect(readCursor({ dateUpdated: 'yesterday', id: 'x' })).toBeNull();
    expect(readCursor({ dateUpdated: c.dateUpdated })).toBeNull();
    expect(reconcileExternalId('abc', c.dateUpdated)).toBe('reconcile:abc:2026-01-01T00:00:00.000Z');
  });
});

describe('reconcilePoll against the sandbox', () => {
  it('walks every contact once in (dateUpdated, id) order over pages, then finds only new changes', async () => {
    for (const email of ['r1@example.com', 'r2@example.com']) expect((await sb.api('POST', '/contacts/', { body: { locationId: sb.info.locationId, email } })).status).toBe(201);
    const before = await stored();
    expect(before.length).toBe(5); // 3 seeded in the first location + 2
    const first = await pollAll(null, 2);
    expect(first.pages.map((p) => p.events.length)).toEqual([2, 2, 1]);
    expect(first.pages.map((p) => p.more)).toEqual([true, true, false]);
    const events = first.pages.flatMap((p) => p.events);
    const expected = [...before].sort((a, b) => Date.parse(a.dateUpdated) - Date.parse(b.dateUpdated) || (a.id < b.id ? -1 : 1));
    expect(events.map((e) => e.externalId)).toEqual(expected.map((c) => `reconcile:${c.id}:${c.dateUpdated}`));
    expect(new Set(events.map((e) => e.type))).toEqual(new Set(['ContactUpdate']));
    const last = expected[expected.length - 1]!;
    expect(first.cursor).toEqual({ dateUpdated: last.dateUpdated, id: last.id });
    const sample = events[0]!.payload as { contactId: string; contact: Record<string, unknown>; origin: string; locationId: string };
    expect(sample.origin).toBe('reconcile');
    expect(sample.locationId).toBe(sb.info.locationId);
    expect(sample.contact.id).toBe(sample.contactId);
    expect(sample.contact).not.toHaveProperty('searchAfter');

    // nothing changed: nothing found, the cursor stays
    const again = await pollAll(first.cursor, 2);
    expect(again.pages.flatMap((p) => p.events)).toEqual([]);
    expect(again.cursor).toEqual(first.cursor);

    // one contact changes: exactly it, with its new version in the externalId
    const target = expected[1]!;
    const put = await sb.api('PUT', `/contacts/${target.id}`, { body: { firstName: 'Reconciled' } });
    expect(put.status).toBe(200);
    const changed = await pollAll(first.cursor, 2);
    const found = changed.pages.flatMap((p) => p.events);
    const now = (await stored()).find((c) => c.id === target.id)!;
    expect(found.map((e) => e.externalId)).toEqual([`reconcile:${target.id}:${now.dateUpdated}`]);
    expect((found[0]!.payload as { contact: { firstName: string } }).contact.firstName).toBe('Reconciled');
    expect(changed.cursor).toEqual({ dateUpdated: now.dateUpdated, id: target.id });
  });

  it('a first poll looks back only reconcileLookbackMs', async () => {
    const page = await reconcilePoll({ conn: { ...conn, reconcileLookbackMs: 1000 }, cursor: null, now: Date.now() + 3_600_000 });
    expect(page.events).toEqual([]);
    expect(page.more).toBe(false);
    expect(readCursor(page.cursor)).not.toBeNull();
  });

  it('with the ledger view: echoes give no event (the cursor still passes them), others get links', async () => {
    const all = await pollAll(null, 100);
    const ids = all.pages.flatMap((p) => p.events).map((e) => (e.payload as { contactId: string }).contactId);
    const [echo, linked] = ids;
    const observed: string[] = [];
    const context: WebhookContext = {
      links: async (id): Promise<Record<string, string>> => (id === linked ? { connecteam: '42' } : {}),
      recordLinks: async () => ({}),
      observeRecord: async () => false,
      observeContact: async (c: Record<string, unknown>) => {
        observed.push(String(c.id));
        return c.id === echo;
      },
    };
    const page = await reconcilePoll({ conn, cursor: null, now: Date.now(), context }, 100);
    expect(observed).toEqual(ids);
    expect(page.events.map((e) => (e.payload as { contactId: string }).contactId)).toEqual(ids.filter((id) => id !== echo));
    expect(page.events.find((e) => (e.payload as { contactId: string }).contactId === linked)!.payload.links).toEqual({ connecteam: '42' });
    expect(page.cursor).toEqual(all.cursor);
  });
});
