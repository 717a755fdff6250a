import { migrate } from './migrate.js';
import type { Database } from './types.js';

/**
 * Moves an engine database between deployments (embedded PGlite → PostgreSQL server) as JSON
 * lines: `{"table": …, "row": {…}}`. Bytes travel as base64, JSON columns as JSON. Queued work needs
 * nothing more: the runs table is the queue, so queued runs are claimed as they are, and running
 * ones once their lease has lapsed.
 *
 * @example
 * for await (const line of exportDatabase(pglite)) out.write(line + '\n');
 * await importDatabase(server, lines);
 */
const ORDER = ['connections', 'oauth_tokens', 'recipes', 'events', 'runs', 'run_steps', 'ledger', 'audit'];

interface Column {
  table_name: string;
  column_name: string;
  data_type: string;
}

async function columns(db: Database): Promise<Map<string, Column[]>> {
  const { rows } = await db.query<Column>(
    `select table_name, column_name, data_type from information_schema.columns
      where table_schema = 'public' and table_name <> 'schema_migrations' order by table_name, ordinal_position`,
  );
  const byTable = new Map<string, Column[]>();
  for (const c of rows) byTable.set(c.table_name, [...(byTable.get(c.table_name) ?? []), c]);
  return byTable;
}

function tableOrder(names: string[]): string[] {
  return [...ORDER.filter((t) => names.includes(t)), ...names.filter((t) => !ORDER.includes(t)).sort()];
}

export async function* exportDatabase(db: Database): AsyncGenerator<string> {
  const tables = await columns(db);
  for (const table of tableOrder([...tables.keys()])) {
    const { rows } = await db.query<Record<string, unknown>>(`select * from ${table}`);
    for (const row of rows) {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(row)) out[k] = v instanceof Uint8Array ? { $bytes: Buffer.from(v).toString('base64') } : v instanceof Date ? v.toISOString() : v;
      yield JSON.stringify({ table, row: out });
    }
  }
}

/** Imports an export into an empty engine database (migrated first); returns rows per table. */
export async function importDatabase(db: Database, lines: AsyncIterable<string> | Iterable<string>): Promise<Record<string, number>> {
  await migrate(db);
  const tables = await columns(db);
  const counts: Record<string, number> = {};
  await db.transaction(async (tx) => {
    for await (const line of lines) {
      if (!line.trim()) continue;
      const { table, row } = JSON.parse(line) as { table: string; row: Record<string, unknown> };
      const cols = tables.get(table);
      if (!cols) throw new Error(`import: unknown table ${table}`);
      const names = cols.map((c) => c.column_name).filter((n) => n in row);
      const values = names.map((n) => {
        const v = row[n];
        const type = cols.find((c) => c.column_name === n)!.data_type;
        if (v === null || v === undefined) return null;
        if (type === 'bytea') return Buffer.from((v as { $bytes: string }).$bytes, 'base64');
        if (type === 'jsonb' || type === 'json') return JSON.stringify(v);
        return v;
      });
      await tx.query(`insert into ${table} (${names.join(', ')}) values (${names.map((_, i) => `$${i + 1}`).join(', ')})`, values);
      counts[table] = (counts[table] ?? 0) + 1;
    }
    // bigserial sequences continue after the imported ids
    for (const table of ['events', 'runs', 'audit']) {
      if (tables.has(table)) await tx.query(`select setval(pg_get_serial_sequence('${table}', 'id'), greatest(1, (select coalesce(max(id), 0) from ${table})))`);
    }
  });
  return counts;
}
