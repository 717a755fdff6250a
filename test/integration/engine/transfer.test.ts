import { afterEach, describe, expect, it } from 'vitest';
import { exportDatabase, importDatabase, migrate } from '../../../src/engine/db/index.js';
import { pgliteDatabase, serverDatabase, type TestDatabase } from '../../support/databases.js';

describe('db export (PGlite) → import (PostgreSQL server)', () => {
  const open: TestDatabase[] = [];
  afterEach(async () => {
    for (const t of open.splice(0)) await t.drop().catch(() => undefined);
  });

  it('moves every row, bytes and JSON intact, and sequences continue', async () => {
    const from = await pgliteDatabase();
    const to = await serverDatabase();
    open.push(from, to);
    await migrate(from.db);
    await from.db.query(`insert into connections (id, app, name, config, sealed_secret, key_id) values ('c1', 'ghl', 'Main', '{"locationId":"L1"}', '\\x00ff10'::bytea, 'k1')`);
    await from.db.query(`insert into events (source, external_id, type, payload) values ('app', 'e1', 'user.created', '{"user":{"id":"u1","tags":["a"]}}')`);
    await from.db.query(`insert into runs (event_id, recipe_id, recipe_version, status) select id, 'r', 1, 'queued' from events`);
    const lines: string[] = [];
    for await (const line of exportDatabase(from.db)) lines.push(line);
    expect(lines.length).toBe(3);
    const counts = await importDatabase(to.db, lines);
    expect(counts).toEqual({ connections: 1, events: 1, runs: 1 });
    const c = await to.db.query<{ config: unknown; sealed_secret: Buffer }>('select config, sealed_secret from connections');
    expect(c.rows[0]!.config).toEqual({ locationId: 'L1' });
    expect([...c.rows[0]!.sealed_secret]).toEqual([0, 255, 16]);
    const e = await to.db.query<{ payload: unknown }>('select payload from events');
    expect(e.rows[0]!.payload).toEqual({ user: { id: 'u1', tags: ['a'] } });
    const next = await to.db.query<{ id: string }>(`insert into events (source, external_id, type, payload) values ('app', 'e2', 't', '{}') returning id`);
    expect(Number(next.rows[0]!.id)).toBe(2);
  });
});
