/**
 * A throwaway database on the PostgreSQL server per benchmark run (created here, dropped after),
 * like test/support/databases.ts. The bridge's processes open it themselves through DATABASE_URL;
 * this process only creates it, preloads rows in bulk and drops it.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The server of the scale-out tests (trust auth); override with BENCH_DATABASE_URL or TEST_DATABASE_URL. */
export const SERVER_URL = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface ThrowawayDatabase {
  name: string;
  url: string;
  /** one statement on it (its own short-lived connection) */
  query<T extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<pg.QueryResult<T>>;
  drop(): Promise<void>;
}

async function onServer<T>(url: string, f: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await f(client);
  } finally {
    await client.end();
  }
}

/**
 * @example
 * const db = await throwawayDatabase();
 * // DATABASE_URL=db.url ghl-bridge start …
 * await db.drop();
 */
export async function throwawayDatabase(): Promise<ThrowawayDatabase> {
  const name = `ghl_bridge_bench_${randomBytes(6).toString('hex')}`;
  await onServer(SERVER_URL, (c) => c.query(`create database ${name}`));
  const url = SERVER_URL.replace(/\/[^/]*$/, `/${name}`);
  return {
    name,
    url,
    query: (sql, params) => onServer(url, (c) => c.query(sql, params)),
    drop: () => onServer(SERVER_URL, (c) => c.query(`drop database if exists ${name} with (force)`)).then(() => undefined),
  };
}
