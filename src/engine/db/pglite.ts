import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { PGlite, type PGliteOptions } from '@electric-sql/pglite';
import { lockDataDir } from './dir-lock.js';
import { freshSchemaStatements } from './migrate.js';
import type { Database, QueryResult, Queryable } from './types.js';

/**
 * PostgreSQL's buffer pool inside the WASM heap. PGlite's default (128 MB) is resident as soon as
 * it is touched; the engine's working set (queue, ledger pages) fits far less, and the OS page
 * cache still holds the data files, so a small pool keeps a small host's memory for the rest.
 */
const PGLITE_OPTIONS: PGliteOptions = { postgresqlconf: ['shared_buffers=8MB'] };

/**
 * Runs `initdb` and the migrations for a new data directory in a child process: initialising
 * takes ~600 MB and the first migrations grow the WASM heap further, memory a WASM heap never gives
 * back; done in-process it would stay resident for the life of the server. The statements come on
 * stdin (the child is plain Node: it cannot load this module's sources).
 */
async function initialiseInChild(dataDir: string): Promise<void> {
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  const script = `const { PGlite } = require(${JSON.stringify(entry)});
    let input = ''; process.stdin.on('data', (d) => (input += d)).on('end', async () => {
      try {
        const pg = new PGlite(${JSON.stringify(dataDir)}, ${JSON.stringify(PGLITE_OPTIONS)});
        await pg.waitReady;
        await pg.transaction(async (tx) => { for (const statement of JSON.parse(input)) await tx.query(statement); });
        await pg.close();
      } catch (e) { console.error(e && e.message ? e.message : String(e)); process.exit(1); }
    });`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['pipe', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const ended = new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', resolve);
  });
  child.stdin.end(JSON.stringify(freshSchemaStatements()));
  const code = await ended;
  if (code !== 0) throw new Error(`could not initialise the embedded database in ${dataDir}: ${stderr.trim() || `exit ${code}`}`);
}

/**
 * Embedded PostgreSQL (PGlite, WASM) in a data directory. PGlite has one connection, so calls
 * are serialized here; a transaction holds the queue until it ends. The directory is locked for
 * this process (`DatabaseLockedError` when another process has it open). A new directory is
 * initialised in a child process, so its memory is not kept.
 *
 * @example
 * const db = await openPglite('./data/db');
 * await db.query('select 1 as one');
 */
export async function openPglite(dataDir?: string): Promise<Database> {
  // one process per data directory: a second one would corrupt it
  const release = dataDir ? lockDataDir(dataDir) : () => undefined;
  let pg: PGlite;
  try {
    if (dataDir && !existsSync(join(dataDir, 'PG_VERSION'))) await initialiseInChild(dataDir);
    pg = dataDir ? new PGlite(dataDir, PGLITE_OPTIONS) : new PGlite(PGLITE_OPTIONS);
    await pg.waitReady;
  } catch (e) {
    release();
    throw e;
  }
  // One connection: calls run one at a time, urgent ones (an ingest a webhook waits on) first.
  const waiting: [Array<() => void>, Array<() => void>] = [[], []];
  let busy = false;
  const pump = () => {
    if (busy) return;
    const next = waiting[0].shift() ?? waiting[1].shift();
    if (!next) return;
    busy = true;
    next();
  };
  const serialize = <T>(fn: () => Promise<T>, urgent = false): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      waiting[urgent ? 0 : 1].push(() => {
        Promise.resolve()
          .then(fn)
          .then(resolve, reject)
          .finally(() => {
            busy = false;
            pump();
          });
      });
      pump();
    });
  const direct: Queryable = {
    async query<T>(sql: string, params: unknown[] = []): Promise<QueryResult<T>> {
      const result = await pg.query<T>(sql, params);
      return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length };
    },
  };
  return {
    kind: 'pglite',
    query: (sql, params) => serialize(() => direct.query(sql, params)),
    urgent: { query: (sql, params) => serialize(() => direct.query(sql, params), true) },
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
