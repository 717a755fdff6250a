import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type TestSandbox } from '../../../test/support/sandbox.js';
import type { WebhookContext } from '../types.js';
import { readConnection, type GhlConnection } from './connection.js';
import { isUnseen, readCursor, reconcileExternalId, reconcilePoll } from './reconcile.js';

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
  it('a contact is unseen after the watermark, or at it and not among its seen ids; reads only well-formed cursors', () => {
    const c = { dateUpdated: '2026-01-01T00:00:00.000Z', seenIds: ['m', 'b'] };
    expect(isUnseen({ dateUpdated: '2026-01-01T00:00:00.001Z', id: 'a' }, c)).toBe(true);
    expect(isUnseen({ dateUpdated: '2026-01-01T00:00:00.000Z', id: 'a' }, c)).toBe(true);
    expect(isUnseen({ dateUpdated: '2026-01-01T00:00:00.000Z', id: 'z' }, c)).toBe(true);
    expect(isUnseen({ dateUpdated: '2026-01-01T00:00:00.000Z', id: 'm' }, c)).toBe(false);
    expect(isUnseen({ dateUpdated: '2026-01-01T00:00:00.000Z', id: 'b' }, c)).toBe(false);
    expect(isUnseen({ dateUpdated: '2025-12-31T23:59:59.999Z', id: 'z' }, c)).toBe(false);
    expect(readCursor(c)).toEqual(c);
    expect(readCursor(null)).toBeNull();
    expect(readCursor({ dateUpdated: 'yesterday', seenIds: [] })).toBeNull();
    expect(readCursor({ dateUpdated: c.dateUpdated })).toBeNull();
    expect(readCursor({ dateUpdated: c.dateUpdated, seenIds: [1] })).toBeNull();
    // the cursor stored before issue 5
    expect(readCursor({ dateUpdated: c.dateUpdated, id: 'm' })).toEqual({ dateUpdated: c.dateUpdated, seenIds: ['m'] });
    expect(readCursor({ dateUpdated: c.dateUpdated, id: '' })).toEqual({ dateUpdated: c.dateUpdated, seenIds: [] });
    expect(reconcileExternalId('abc', c.dateUpdated)).toBe('reconcile:abc:2026-01-01T00:00:00.000Z');
  });
});

describe('reconcilePoll against the sandbox', () => {
  it('walks every contact once in dateUpdated order over pages, then finds only new changes', async () => {
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
    expect(first.cursor).toEqual({ dateUpdated: last.dateUpdated, seenIds: expected.filter((c) => c.dateUpdated === last.dateUpdated).map((c) => c.id) });
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
    expect(changed.cursor).toEqual({ dateUpdated: now.dateUpdated, seenIds: [target.id] });
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

describe('contacts sharing one dateUpdated across a page boundary', () => {
  it('the sandbox: a page reads a group of ties to its end; the cursor keeps the group; a late tie is still found', async () => {
    const at = new Date(Date.now() - 10 * 60_000).toISOString();
    const loc = sb.info.locationId;
    const seed = (emails: string[]) => sb.api('POST', '/_sandbox/seed', { body: { contacts: emails.map((email) => ({ locationId: loc, email, dateAdded: at })) }, token: null });
    expect((await seed(['tie1@example.com', 'tie2@example.com', 'tie3@example.com', 'tie4@example.com', 'tie5@example.com'])).status).toBe(200);
    const ties = (await stored()).filter((c) => c.dateUpdated === at).map((c) => c.id);
    expect(ties).toHaveLength(5);
    // an older watermark, so the group comes first and the page cut (2) falls inside it
    const start = { dateUpdated: new Date(Date.parse(at) - 1000).toISOString(), seenIds: [] };
    const first = await reconcilePoll({ conn, cursor: start, now: Date.now() }, 2);
    expect(first.events.map((e) => (e.payload as { contactId: string }).contactId).sort()).toEqual([...ties].sort());
    expect(first.more).toBe(true);
    expect(readCursor(first.cursor)).toEqual({ dateUpdated: at, seenIds: expect.arrayContaining(ties) as string[] });
    expect((first.cursor as { seenIds: string[] }).seenIds).toHaveLength(5);

    // the rest of the walk: every other contact once, none of the group again
    const rest = await pollAll(first.cursor, 2);
    const restIds = rest.pages.flatMap((p) => p.events).map((e) => (e.payload as { contactId: string }).contactId);
    const others = (await stored()).filter((c) => Date.parse(c.dateUpdated) > Date.parse(at)).map((c) => c.id);
    expect([...restIds].sort()).toEqual([...others].sort());

    // a contact that shows up later with the same dateUpdated is unseen at the watermark: found once
    expect((await seed(['tie6@example.com'])).status).toBe(200);
    const late = (await stored()).find((c) => c.dateUpdated === at && !ties.includes(c.id))!;
    const again = await reconcilePoll({ conn, cursor: first.cursor, now: Date.now() }, 2);
    expect(again.events.filter((e) => Date.parse(String((e.payload as { contact: { dateUpdated: string } }).contact.dateUpdated)) === Date.parse(at)).map((e) => e.externalId)).toEqual([reconcileExternalId(late.id, at)]);
    expect((again.cursor as { dateUpdated: string }).dateUpdated).not.toBe(at);
  });

  /**
   * HighLevel sorts search results by `dateUpdated` only: ties come in no id order (the sandbox
   * breaks them by id, so it cannot show this). A small real HTTP server answers POST
   * /contacts/search the way HighLevel may: ties in reverse id order, `searchAfter` = [time, position].
   */
  it('ties in no id order (as HighLevel may answer): every contact once, none twice, over pages', async () => {
    const at = '2026-03-01T10:00:00.000Z';
    const contacts = [
      { id: 'before', dateUpdated: '2026-03-01T09:00:00.000Z' },
      ...['e', 'd', 'c', 'b', 'a'].map((id) => ({ id: `tie-${id}`, dateUpdated: at })),
      { id: 'after', dateUpdated: '2026-03-01T11:00:00.000Z' },
    ];
    const server: Server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { pageLimit: number; searchAfter?: [number, number]; filters?: Array<{ value: { gte: string } }> };
        const gte = Date.parse(body.filters?.[0]?.value.gte ?? '1970-01-01T00:00:00Z');
        const rows = contacts.map((c, position) => ({ ...c, locationId: 'loc-x', searchAfter: [Date.parse(c.dateUpdated), position] as [number, number] }));
        const matched = rows.filter((c) => Date.parse(c.dateUpdated) >= gte);
        const after = body.searchAfter;
        const from = after ? matched.filter((c) => c.searchAfter[0] > after[0] || (c.searchAfter[0] === after[0] && c.searchAfter[1] > after[1])) : matched;
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ contacts: from.slice(0, body.pageLimit), total: matched.length }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const fake = readConnection({ id: 'ghl-ties', app: 'ghl', source: 'ghl', config: { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, locationId: 'loc-x', webhookPublicKey: sb.info.webhookPublicKey }, secrets: { token: 'pit-ties' } });
      let cursor: unknown = { dateUpdated: '2026-03-01T08:00:00.000Z', seenIds: [] };
      const emitted: string[] = [];
      for (let i = 0; i < 10; i++) {
        const page = await reconcilePoll({ conn: fake, cursor, now: Date.parse('2026-03-02T00:00:00Z') }, 2);
        emitted.push(...page.events.map((e) => (e.payload as { contactId: string }).contactId));
        cursor = page.cursor;
        if (!page.more) break;
      }
      expect(emitted).toEqual(['before', 'tie-e', 'tie-d', 'tie-c', 'tie-b', 'tie-a', 'after']);
      expect(cursor).toEqual({ dateUpdated: '2026-03-01T11:00:00.000Z', seenIds: ['after'] });
      // polled again from a cursor inside the group (as a crash after the first two ties leaves it)
      const resumed = await reconcilePoll({ conn: fake, cursor: { dateUpdated: at, seenIds: ['tie-e', 'tie-d'] }, now: Date.parse('2026-03-02T00:00:00Z') }, 100);
      expect(resumed.events.map((e) => (e.payload as { contactId: string }).contactId)).toEqual(['tie-c', 'tie-b', 'tie-a', 'after']);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
