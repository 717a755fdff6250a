import { PGlite } from '@electric-sql/pglite';
import { lockDataDir } from './dir-lock.js';
import type { Database, QueryResult, Queryable } from './types.js';

/**
 * Embedded PostgreSQL (PGlite, WASM) in a data directory. PGlite has one connection, so calls
 * are serialized here; a transaction holds the queue until it ends. The directory is locked for
 * this process (`DatabaseLockedError` when another process has it open).
 *
 * @example
 * const db = await openPglite('./data/db');
 * await db.query('select 1 as one');
 */
export async function openPglite(dataDir?: string): Promise<Database> {
  // one process per data directory: a second one would corrupt it
  const release = dataDir ? lockDataDir(dataDir) : () => undefined;
  const pg = dataDir ? new PGlite(dataDir) : new PGlite();
  try {
    await pg.waitReady;
  } catch (e) {
    release();
    throw e;
  }
  let tail: Promise<unknown> = Promise.resolve();
  const serialize = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = tail.then(fn, fn);
    tail = run.catch(() => undefined);
    return run;
  };
  const direct: Queryable = {
    async query<T>(sql: string, params: unknown[] = []): Promise<QueryResult<T>> {
      const result = await pg.query<T>(sql, params);
      return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length };
    },
  };
  return {
    kind: 'pglite',
    query: (sql, params) => serialize(() => direct.query(sql, params)),
    exec: (sql) =>
      serialize(async () => {
        const results = await pg.exec(sql);
        const last = results[results.length - 1];
        return { rows: (last?.rows ?? []) as Record<string, unknown>[], rowCount: last?.affectedRows ?? last?.rows.length ?? 0 };
      }),
    transaction: (fn) => serialize(() => pg.transaction((tx) => fn({ query: async <T>(sql: string, params: unknown[] = []) => {
      const r = await tx.query<T>(sql, params);
      return { rows: r.rows, rowCount: r.affectedRows ?? r.rows.length };
    } }))),
    // The one connection: holding the queue makes it dedicated to fn until fn ends.
    withConnection: (fn) => serialize(() => fn(direct)),
    close: () => serialize(async () => {
      try {
        await pg.close();
      } finally {
        release();
      }
    }),
  };
}
