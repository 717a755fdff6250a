import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
  for (let i = 0; i < 50; i++) {
    const page = await pollFeed(conn, conn.customers, cursor);
    ids.push(...page.events.map((e) => e.externalId));
    cursor = page.cursor;
    if (!page.more) return { ids, cursor };
  }
  throw new Error('no end');
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
    expect((await drain(erpConnection(stored({ baseUrl: fake.url, pageSize: 3, customers: { from: 'api', path: '/customers' } })), api.cursor)).ids).toEqual([`erp:customer:C5:${c5.lastModifiedDateTime}`]);
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
});
