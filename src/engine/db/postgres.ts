import pg from 'pg';
import type { Database, QueryResult } from './types.js';

/**
 * A PostgreSQL server through a `pg` pool (`DATABASE_URL`), for scale-out with many workers.
 *
 * @example
 * const db = openPostgres('postgres://127.0.0.1:5432/test');
 */
export function openPostgres(connectionString: string, options: { max?: number } = {}): Database {
  const pool = new pg.Pool({ connectionString, max: options.max ?? 10 });
  // An idle client that errors (server restart) must not crash the process; the next query reconnects.
  pool.on('error', (error) => process.stderr.write(`ghl-bridge: idle database connection lost: ${error.message}\n`));
  return {
    kind: 'postgres',
    async query<T>(sql: string, params: unknown[] = []): Promise<QueryResult<T>> {
      const r = await pool.query(sql, params);
      return { rows: r.rows as T[], rowCount: r.rowCount ?? r.rows.length };
    },
    async exec(sql) {
      const result = (await pool.query(sql)) as unknown as pg.QueryResult | pg.QueryResult[];
      const last = Array.isArray(result) ? result[result.length - 1] : result;
      return { rows: (last?.rows ?? []) as Record<string, unknown>[], rowCount: last?.rowCount ?? 0 };
    },
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn({
          query: async <T>(sql: string, params: unknown[] = []) => {
            const r = await client.query(sql, params);
            return { rows: r.rows as T[], rowCount: r.rowCount ?? r.rows.length };
          },
        });
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    async withConnection(fn) {
      const client = await pool.connect();
      let failure: Error | undefined;
      try {
        return await fn({
          query: async <T>(sql: string, params: unknown[] = []) => {
            const r = await client.query(sql, params);
            return { rows: r.rows as T[], rowCount: r.rowCount ?? r.rows.length };
          },
        });
      } catch (error) {
        failure = error instanceof Error ? error : new Error(String(error));
        throw error;
      } finally {
        // Passing an error destroys the client: whatever session state fn left cannot reach the next user.
        client.release(failure);
      }
    },
    listen: (channel, fn) => listenOn(connectionString, channel, fn),
    close: () => pool.end(),
  };
}

/** A dedicated connection that LISTENs, reconnecting after a loss (a missed NOTIFY costs one poll interval at most). */
async function listenOn(connectionString: string, channel: string, fn: () => void): Promise<() => Promise<void>> {
  let client: pg.Client | null = null;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;
  const reconnect = (): void => {
    clearTimeout(retry);
    if (!closed) retry = setTimeout(() => void connect().catch(reconnect), 1000);
  };
  const connect = async (): Promise<void> => {
    const c = new pg.Client({ connectionString });
    c.on('notification', (m) => m.channel === channel && fn());
    c.on('error', () => {
      c.end().catch(() => undefined);
      if (client === c) client = null;
      reconnect();
    });
    try {
      await c.connect();
      await c.query(`listen ${pg.escapeIdentifier(channel)}`);
    } catch (error) {
      // a half-open client is not left behind; the caller retries (or, at start, reports the error)
      await c.end().catch(() => undefined);
      throw error;
    }
    if (closed) await c.end();
    else {
      client = c;
      fn(); // anything sent while no one listened is looked for now
    }
  };
  await connect();
  return async () => {
    closed = true;
    clearTimeout(retry);
    await client?.end().catch(() => undefined);
  };
}
