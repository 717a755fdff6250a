import { afterEach, describe, expect, it } from 'vitest';
import { migrate, MIGRATIONS } from '../../../src/engine/db/index.js';
import { DATABASES, type TestDatabase } from '../../support/databases.js';

describe('the migrations', () => {
  it('are numbered 1, 2, 3 … without a gap, each name once', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_m, i) => i + 1));
    expect(new Set(MIGRATIONS.map((m) => m.name)).size).toBe(MIGRATIONS.length);
  });
});

describe.each(DATABASES)('database on %s', (_name, open) => {
  let t: TestDatabase;
  afterEach(() => t.drop());

  it('applies the migrations once, even when two start together', async () => {
    t = await open();
    const [a, b] = await Promise.all([migrate(t.db), migrate(t.db)]);
    expect([...a, ...b].sort((x, y) => x - y)).toEqual(MIGRATIONS.map((m) => m.version));
    expect(await migrate(t.db)).toEqual([]);
    const { rows } = await t.db.query<{ n: string }>('select count(*) as n from schema_migrations');
    expect(Number(rows[0]!.n)).toBe(MIGRATIONS.length);
  });

  it('rolls a failed transaction back and keeps the unique event key', async () => {
    t = await open();
    await migrate(t.db);
    await expect(
      t.db.transaction(async (tx) => {
        await tx.query(`insert into events (source, external_id, type, payload) values ('s', 'e1', 't', '{}')`);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect((await t.db.query('select * from events')).rows).toEqual([]);
    await t.db.query(`insert into events (source, external_id, type, payload) values ('s', 'e1', 't', '{}')`);
    const again = await t.db.query(`insert into events (source, external_id, type, payload) values ('s', 'e1', 't', '{}') on conflict do nothing returning id`);
    expect(again.rows).toEqual([]);
  });
});
