/**
 * The `Database` port: one PostgreSQL dialect, two deployments — PGlite in-process (embedded
 * default) or a PostgreSQL server (`DATABASE_URL`, any number of worker processes).
 */
export interface QueryResult<T> {
  rows: T[];
  rowCount: number;
}

export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<QueryResult<T>>;
}

export interface Database extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /** Runs parameterless SQL that may hold several statements; answers the last statement's rows. */
  exec(sql: string): Promise<QueryResult<Record<string, unknown>>>;
  /** Runs `fn` in one transaction on one connection; rolls back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * Runs `fn` on one connection held for its whole duration, without opening a transaction, so
   * session state set by its queries (a session-level `pg_advisory_lock`, `set`) lasts between
   * them. `fn` must query through `conn` only. If `fn` throws, a server connection is closed
   * instead of returned to the pool, so no session state it left behind can leak to later users.
   * On PGlite (one connection) other calls on this `Database` wait until `fn` ends, so calling
   * them from inside `fn` would deadlock.
   *
   * @example
   * await db.withConnection(async (conn) => {
   *   await conn.query('select pg_advisory_lock(42)');
   *   try { await work(conn); } finally { await conn.query('select pg_advisory_unlock(42)'); }
   * });
   */
  withConnection<T>(fn: (conn: Queryable) => Promise<T>): Promise<T>;
  /**
   * Calls `fn` on every `NOTIFY` of `channel` from any process, on a connection of its own that
   * reconnects by itself; answers the unsubscribe. Only a server has it: the embedded database
   * belongs to one process, where an in-process signal does.
   */
  listen?(channel: string, fn: () => void): Promise<() => Promise<void>>;
  /**
   * Statements someone waits on (the ingest behind a webhook's answer), run before the calls
   * already waiting for PGlite's one connection. A server's pool has no such queue: absent there.
   */
  urgent?: Queryable;
  close(): Promise<void>;
}
