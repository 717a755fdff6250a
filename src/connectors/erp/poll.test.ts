import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectorConnection } from '../types.js';
import { parseODataFilter } from './fake.js';
import { createErpFake, erpConnection, pollFeed, type ErpFake } from './index.js';

let fake: ErpFake;
let dir: string;
const stored = (config: Record<string, unknown>): ConnectorConnection => ({ id: 'erp-main', app: 'erp', source: 'erp', config, secrets: { apiKey: 'k' } });

beforeAll(async () => {
  fake = await createErpFake({ apiKey: 'k' });
  dir = mkdtempSync(join(tmpdir(), 'erp-unit-'));
});
afterAll(async () => {
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

async function drain(conn: ReturnType<typeof erpConnection>, cursor: unknown = null) {
  const ids: string[] = [];
  for (let pages = 1; pages <= 50; pages++) {
    const page = await pollFeed(conn, conn.customers, cursor);
    ids.push(...page.events.map((e) => e.externalId));
    cursor = page.cursor;
    if (!page.more) return { ids, cursor, pages };
  }
  throw new Error('no end');
}

async function withFake<T>(options: Partial<Parameters<typeof createErpFake>[0]>, fn: (f: ErpFake) => Promise<T>): Promise<T> {
  const f = await createErpFake({ apiKey: 'k', ...options });
  try {
    return await fn(f);
  } finally {
    await f.close();
  }
}

describe('ERP polls', () => {
  it('reads connections, naming the field', async () => {
    expect(() => erpConnection(stored({ pageSize: 0 }))).toThrow(/config\.pageSize/);
    expect(() => erpConnection(stored({ customers: { from: 'ftp', path: '/x' } }))).toThrow(/config\.customers\.from/);
    await expect(pollFeed(erpConnection(stored({})), erpConnection(stored({})).customers, null)).rejects.toThrow(/config\.baseUrl: required/);
    expect(() => erpConnection(stored({ baseUrl: 'http://x', customers: { path: '/c', cursor: null } }))).toThrow(/config\.customers\.cursor/);
    const c = erpConnection(stored({ baseUrl: 'http://x', customers: { from: 'csv-url', path: '/export/customers.csv' } }));
    expect(c.customers.cursor).toBeNull();
    expect(c.tasks).toMatchObject({ from: 'odata', path: '/tasks', cursor: 'lastModifiedDateTime', key: 'id' });
  });

  it('the fake evaluates OData filters with and/or/parentheses', () => {
    const f = parseODataFilter("lastModifiedDateTime gt 2024-01-01T00:00:00Z or (lastModifiedDateTime eq 2024-01-01T00:00:00Z and id gt 'C2')");
    const rec = (t: string, id: string) => ({ id, lastModifiedDateTime: t });
    expect(f(rec('2024-01-01T00:00:00.000Z', 'C3'))).toBe(true);
    expect(f(rec('2024-01-01T00:00:00.000Z', 'C2'))).toBe(false);
    expect(f(rec('2024-01-02T00:00:00Z', 'A'))).toBe(true);
    expect(() => parseODataFilter('id zz 1')).toThrow(/operator/);
  });

  it('OData keyset paging and updatedAfter-style paging both see every record once, with many sharing one timestamp', async () => {
    const t = '2025-06-01T00:00:00.000Z';
    for (let i = 1; i <= 7; i++) fake.upsertCustomer({ id: `C${i}`, name: `N${i}` }, t);
    fake.upsertCustomer({ id: 'C8', name: 'N8' }, '2025-06-02T00:00:00.000Z');
    const expected = [...Array.from({ length: 7 }, (_, i) => `erp:customer:C${i + 1}:${t}`), 'erp:customer:C8:2025-06-02T00:00:00.000Z'];
    const odata = await drain(erpConnection(stored({ baseUrl: fake.url, pageSize: 3 })));
    expect(odata.ids).toEqual(expected);
    const api = await drain(erpConnection(stored({ baseUrl: fake.url, pageSize: 3, customers: { from: 'api', path: '/customers' } })));
    expect(api.ids).toEqual(expected);
    // a re-poll from a stored cursor finds nothing; a change is found alone
    expect((await drain(erpConnection(stored({ baseUrl: fake.url, pageSize: 3 })), odata.cursor)).ids).toEqual([]);
    const c5 = fake.upsertCustomer({ id: 'C5', name: 'Five' });
    // api passes read the watermark's own timestamp again (C8, the same id: it dedupes)
    expect((await drain(erpConnection(stored({ baseUrl: fake.url, pageSize: 3, customers: { from: 'api', path: '/customers' } })), api.cursor)).ids).toEqual([expected[7], `erp:customer:C5:${c5.lastModifiedDateTime}`]);
  });

  it('a CSV with a cursor column pages by (updated-at, key); snapshot rows hash deterministically', async () => {
    const file = join(dir, 'c.csv');
    writeFileSync(file, 'id,name,updated\n2,B,2025-01-02\n1,A,2025-01-01\n3,C,2025-01-02\n');
    const conn = erpConnection(stored({ pageSize: 2, customers: { from: 'csv-file', path: file, cursor: 'updated' } }));
    const { ids } = await drain(conn);
    expect(ids).toEqual(['erp:customer:1:2025-01-01', 'erp:customer:2:2025-01-02', 'erp:customer:3:2025-01-02']);
    const snap = erpConnection(stored({ customers: { from: 'csv-file', path: file } }));
    const a = await pollFeed(snap, snap.customers, null);
    const b = await pollFeed(snap, snap.customers, null);
    expect(a.events.map((e) => e.externalId)).toEqual(b.events.map((e) => e.externalId));
    expect(a.events.map((e) => e.payload.change)).toEqual(['created', 'created', 'created']);
    writeFileSync(file, 'id,name,updated\n1,A,2025-01-01\n1,A,2025-01-01\n');
    await expect(pollFeed(snap, snap.customers, a.cursor)).rejects.toThrow(/"1" appears twice/);
    await expect(pollFeed(snap, { ...snap.customers, path: join(dir, 'missing.csv') }, null)).rejects.toThrow(/cannot be read \(ENOENT\)/);
  });

  it('tasks: completed cells read as done; the wrong key is a 401 without the key in the error', async () => {
    fake.upsertTask({ id: 'T1', customerId: 'C1', subject: 'S', dueDate: '2025-01-01', completed: true });
    const conn = erpConnection(stored({ baseUrl: fake.url }));
    const page = await pollFeed(conn, conn.tasks, null);
    expect(page.events).toHaveLength(1);
    expect(page.events[0]).toMatchObject({ type: 'task.completed', payload: { customerKey: 'C1', completed: true, key: 'T1' } });
    const wrong = erpConnection({ ...stored({ baseUrl: fake.url }), secrets: { apiKey: 'secret-wrong-key' } });
    const err = await pollFeed(wrong, wrong.tasks, null).catch((e: Error) => e);
    expect(String(err)).toMatch(/answered 401/);
    expect(String(err)).not.toContain('secret-wrong-key');
  });

  it('api feeds answered in id order (not by updated-at) skip no record, within a pass or across passes', async () => {
    await withFake({ apiOrder: 'id' }, async (f) => {
      // C1 is the newest and comes first: the watermark must not jump to it mid-pass
      const at = (d: number) => `2025-07-0${d}T00:00:00.000Z`;
      f.upsertCustomer({ id: 'C1', name: 'N1' }, at(5));
      f.upsertCustomer({ id: 'C2', name: 'N2' }, at(1));
      f.upsertCustomer({ id: 'C3', name: 'N3' }, at(2));
      f.upsertCustomer({ id: 'C4', name: 'N4' }, at(3));
      f.upsertCustomer({ id: 'C5', name: 'N5' }, at(4));
      f.upsertCustomer({ id: 'C6', name: 'N6' }, at(4));
      const conn = erpConnection(stored({ baseUrl: f.url, pageSize: 2, customers: { from: 'api', path: '/customers' } }));
      const first = await drain(conn);
      expect(f.requests.at(-1)!.query).toMatchObject({ limit: '2', offset: '6' }); // in id order indeed, offset paging
      expect([...first.ids].sort()).toEqual(['C1', 'C2', 'C3', 'C4', 'C5', 'C6'].map((id) => `erp:customer:${id}:${f.customer(id)!.lastModifiedDateTime}`).sort());
      expect(first.cursor).toEqual({ mode: 'watermark', watermark: at(5), key: null, skip: 0 });

      // next pass: a change sharing the watermark's timestamp with a key before C1, one after, one later
      f.upsertCustomer({ id: 'C0', name: 'N0' }, at(5));
      f.upsertCustomer({ id: 'C3', name: 'Three' }, at(5));
      const c2 = f.upsertCustomer({ id: 'C2', name: 'Two' });
      const second = await drain(conn, first.cursor);
      const seen = new Set(first.ids);
      expect(second.ids.filter((id) => !seen.has(id)).sort()).toEqual([`erp:customer:C0:${at(5)}`, `erp:customer:C2:${c2.lastModifiedDateTime}`, `erp:customer:C3:${at(5)}`]);
      expect(second.cursor).toMatchObject({ watermark: c2.lastModifiedDateTime, skip: 0 });
    });
  });

  it('stops when a page makes no progress (a short page with a nextLink but nothing new)', async () => {
    // an ERP that caps pages below $top and ignores $filter: page 2 is page 1 again
    await withFake({ maxTop: 2, odataFilter: false }, async (f) => {
      for (let i = 1; i <= 5; i++) f.upsertCustomer({ id: `C${i}`, name: `N${i}` }, `2025-08-0${i}T00:00:00.000Z`);
      const conn = erpConnection(stored({ baseUrl: f.url, pageSize: 3 }));
      const page1 = await pollFeed(conn, conn.customers, null);
      expect([page1.events.length, page1.more]).toEqual([2, true]);
      const page2 = await pollFeed(conn, conn.customers, page1.cursor);
      expect(page2).toEqual({ events: [], cursor: page1.cursor, more: false });
      expect((await drain(conn)).pages).toBe(2);
    });
  });

  it('snapshot ids carry a generation: a crash replay reuses them, a return to an old state is new', async () => {
    const file = join(dir, 'gen.csv');
    const conn = erpConnection(stored({ customers: { from: 'csv-file', path: file } }));
    const poll = async (cursor: unknown) => pollFeed(conn, conn.customers, cursor);
    writeFileSync(file, 'id,city\n1,A\n');
    const p1 = await poll(null);
    writeFileSync(file, 'id,city\n1,B\n');
    const p2 = await poll(p1.cursor);
    const replay = await poll(p1.cursor); // the cursor of p2 was not stored: same ids
    expect(replay).toEqual(p2);
    writeFileSync(file, 'id,city\n1,A\n');
    const p3 = await poll(p2.cursor);
    const idle = await poll(p3.cursor);
    expect(idle).toEqual({ events: [], cursor: p3.cursor, more: false });
    writeFileSync(file, 'id,city\n');
    const snapConn = erpConnection(stored({ customers: { from: 'csv-file', path: file, allowEmptySnapshot: true } }));
    const p4 = await pollFeed(snapConn, snapConn.customers, p3.cursor);
    writeFileSync(file, 'id,city\n1,A\n');
    const p5 = await poll(p4.cursor);
    writeFileSync(file, 'id,city\n');
    const p6 = await pollFeed(snapConn, snapConn.customers, p5.cursor);
    const all = [p1, p2, p3, p4, p5, p6].map((p) => p.events.map((e) => [e.payload.change, e.externalId]));
    expect(all.map((e) => e.map(([change]) => change))).toEqual([['created'], ['updated'], ['updated'], ['removed'], ['created'], ['removed']]);
    const ids = all.flat().map(([, id]) => id);
    expect(new Set(ids).size).toBe(6);
    expect(ids[0]).toMatch(/^erp:customer:1:1:[0-9a-f]{16}$/);
    expect(ids[3]).toMatch(/^erp:customer:1:removed:4:[0-9a-f]{16}$/);
    expect(p6.cursor).toEqual({ mode: 'snapshot', hashes: {}, gen: 6 });
  });

  it('a task without a due date is due at its updated-at', async () => {
    await withFake({}, async (f) => {
      const t = f.upsertTask({ id: 'T9', customerId: 'C1', subject: 'No date', completed: false });
      f.upsertTask({ id: 'T10', customerId: 'C1', subject: 'Dated', dueDate: '2026-02-01', completed: false });
      const conn = erpConnection(stored({ baseUrl: f.url }));
      const { events } = await pollFeed(conn, conn.tasks, null);
      expect(events.map((e) => [e.payload.key, e.payload.dueDate])).toEqual([['T9', t.lastModifiedDateTime], ['T10', '2026-02-01']]);
    });
  });

  it('never shows the API key: not in JSON, logs or spreads of the connection, nor in errors', async () => {
    const key = 'erp-secret-key-4711';
    const conn = erpConnection({ ...stored({ baseUrl: fake.url }), secrets: { apiKey: key } });
    expect(conn.apiKey).toBe(key);
    expect(JSON.stringify(conn)).not.toContain(key);
    expect(JSON.parse(JSON.stringify(conn))).toMatchObject({ id: 'erp-main', apiKey: '[redacted]' });
    expect(inspect(conn, { depth: 5 })).not.toContain(key);
    expect(JSON.stringify({ ...conn })).not.toContain(key);
    const wrong = await pollFeed(conn, conn.customers, null).catch((e: unknown) => e); // the fake wants 'k'
    expect(String(wrong)).toMatch(/answered 401/);
    const down = erpConnection({ ...stored({ baseUrl: 'http://127.0.0.1:9' }), secrets: { apiKey: key } });
    const refused = await pollFeed(down, down.customers, null).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(Error);
    for (const e of [wrong, refused]) {
      expect(String(e)).not.toContain(key);
      expect(JSON.stringify(e)).not.toContain(key);
      expect(inspect(e, { depth: 5 })).not.toContain(key);
    }
  });
});
