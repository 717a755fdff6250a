import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openPglite, openPostgres, type Database } from '../../src/engine/db/index.js';

/** The PostgreSQL server the scale-out tests use (started by .ci/run when it is down). */
export const SERVER_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDatabase {
  name: string;
  db: Database;
  /** Connection string of the server database (undefined for PGlite). */
  url?: string;
  drop(): Promise<void>;
}

/** A fresh in-memory PGlite. */
export async function pgliteDatabase(): Promise<TestDatabase> {
  const db = await openPglite();
  return { name: 'pglite', db, drop: () => db.close() };
}

/** A fresh database on the server, dropped afterwards. */
export async function serverDatabase(): Promise<TestDatabase> {
  const name = `ghl_bridge_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: SERVER_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = SERVER_URL.replace(/\/[^/]*$/, `/${name}`);
  const db = openPostgres(url);
  return {
    name: 'postgres',
    db,
    url,
    async drop() {
      await db.close();
      const a = new pg.Client({ connectionString: SERVER_URL });
      await a.connect();
      await a.query(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}

/** Both deployments, for `describe.each`: the same suite runs on PGlite and on the server. */
export const DATABASES: Array<[string, () => Promise<TestDatabase>]> = [
  ['pglite', pgliteDatabase],
  ['postgres', serverDatabase],
];
