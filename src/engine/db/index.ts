import { mkdirSync } from 'node:fs';
import { openPglite } from './pglite.js';
import { openPostgres } from './postgres.js';
import type { Database } from './types.js';

export type { Database, Queryable, QueryResult } from './types.js';
export { openPglite } from './pglite.js';
export { DatabaseLockedError, lockDataDir } from './dir-lock.js';
export { openPostgres } from './postgres.js';
export { migrate, MIGRATIONS } from './migrate.js';
export { exportDatabase, importDatabase } from './transfer.js';

export interface OpenDatabaseOptions {
  /** `postgres://…` for a server; otherwise the embedded PGlite in `dataDir`. */
  url?: string;
  /** Data directory of the embedded database (default `./data/db`); `memory` for an in-memory one. */
  dataDir?: string;
}

/**
 * Chooses the deployment by configuration: a server when `url` (or `DATABASE_URL`) is set,
 * else PGlite in a directory.
 *
 * @example
 * const db = await openDatabase({ url: process.env.DATABASE_URL, dataDir: './data/db' });
 */
export async function openDatabase(options: OpenDatabaseOptions = {}): Promise<Database> {
  const url = options.url ?? process.env.DATABASE_URL;
  if (url) return openPostgres(url);
  const dir = options.dataDir ?? './data/db';
  if (dir === 'memory') return openPglite();
  mkdirSync(dir, { recursive: true });
  return openPglite(dir);
}
