import { MIGRATIONS } from './migrations/index.js';
import type { Database } from './types.js';

export { MIGRATIONS };

/** An arbitrary constant: the advisory lock that keeps two starting workers from migrating at once. */
const MIGRATION_LOCK = 7_143_223;

/**
 * Applies the migrations not yet applied, each in its own transaction, under an advisory lock
 * (so many processes may start together). Returns the versions it applied.
 *
 * @example
 * await migrate(db);
 */
export async function migrate(db: Database): Promise<number[]> {
  return db.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await tx.query(SCHEMA_MIGRATIONS);
    const { rows } = await tx.query<{ version: number }>('select version from schema_migrations');
    const done = new Set(rows.map((r) => r.version));
    const applied: number[] = [];
    for (const m of MIGRATIONS) {
      if (done.has(m.version)) continue;
      for (const statement of splitStatements(m.sql)) await tx.query(statement);
      await tx.query('insert into schema_migrations (version, name) values ($1, $2)', [m.version, m.name]);
      applied.push(m.version);
    }
    return applied;
  });
}

const SCHEMA_MIGRATIONS = `create table if not exists schema_migrations (version int primary key, name text not null, applied_at timestamptz not null default now())`;

/**
 * Every statement that brings a new, empty database to the latest schema, bookkeeping included,
 * as `migrate` would run them (for a database initialised elsewhere: the embedded one's child process).
 */
export function freshSchemaStatements(): string[] {
  const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;
  return [SCHEMA_MIGRATIONS, ...MIGRATIONS.flatMap((m) => [...splitStatements(m.sql), `insert into schema_migrations (version, name) values (${Number(m.version)}, ${quote(m.name)})`])];
}

/** Splits a migration on `;` at line ends (a procedural body marks its own line-end `;` with `--`, see migration 006). */
function splitStatements(sql: string): string[] {
  return sql.split(/;\s*$/m).map((s) => s.trim()).filter(Boolean);
}
