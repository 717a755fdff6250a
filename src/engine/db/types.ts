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
  close(): Promise<void>;
}
