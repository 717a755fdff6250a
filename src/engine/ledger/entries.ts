import type { Queryable } from '../db/types.js';
import type { LedgerEntry } from '../plan/types.js';

/**
 * The ledger: source record id ↔ GHL id (contact, task, note) per connection and source, with the
 * fields last written and their hash. Keyed by the source id, so it survives email and phone changes.
 */
export interface LedgerKey {
  connectionId: string;
  source: string;
}

interface Row {
  kind: LedgerEntry['kind'];
  source_id: string;
  ghl_id: string;
  fields_hash: string | null;
  fields: Record<string, unknown> | null;
}

/**
 * Every entry of one record: its contact, and the tasks and notes linked under it, by primary key
 * (the cost does not grow with the ledger; children are looked up only when asked for).
 */
export async function ledgerEntries(db: Queryable, key: LedgerKey, recordId: string, childIds: string[] = []): Promise<LedgerEntry[]> {
  const select = 'select kind, source_id, ghl_id, fields_hash, fields from ledger where connection_id = $1 and source = $2';
  const { rows } = childIds.length === 0
    ? await db.query<Row>(`${select} and kind = 'contact' and source_id = $3`, [key.connectionId, key.source, recordId])
    : await db.query<Row>(`${select} and kind in ('contact', 'task', 'note') and source_id = any($3::text[])`, [key.connectionId, key.source, [recordId, ...childIds]]);
  return rows
    .filter((r) => (r.kind === 'contact' ? r.source_id === recordId : childIds.includes(r.source_id)))
    .map((r) => ({ kind: r.kind, sourceId: r.source_id, ghlId: r.ghl_id, fieldsHash: r.fields_hash, fields: r.fields }));
}

export async function putLedger(
  db: Queryable,
  key: LedgerKey,
  entry: { kind: LedgerEntry['kind']; sourceId: string; ghlId: string; locationId: string; fieldsHash: string | null; fields: Record<string, unknown> },
): Promise<void> {
  await db.query(
    `insert into ledger (connection_id, source, kind, source_id, ghl_id, location_id, fields_hash, fields)
     values ($1, $2, $3, $4, $5, $6, $7, $8)
     on conflict (connection_id, source, kind, source_id)
     do update set ghl_id = excluded.ghl_id, location_id = excluded.location_id, fields_hash = excluded.fields_hash, fields = excluded.fields, updated_at = now()`,
    [key.connectionId, key.source, entry.kind, entry.sourceId, entry.ghlId, entry.locationId, entry.fieldsHash, JSON.stringify(entry.fields)],
  );
}

export async function deleteLedger(db: Queryable, key: LedgerKey, kind: LedgerEntry['kind'], sourceId: string): Promise<void> {
  await db.query('delete from ledger where connection_id = $1 and source = $2 and kind = $3 and source_id = $4', [key.connectionId, key.source, kind, sourceId]);
}

/** Reverse lookup: which source record a GHL id belongs to (loop prevention, admin). */
export async function ledgerByGhlId(db: Queryable, ghlId: string): Promise<Array<{ connectionId: string; source: string; kind: string; sourceId: string }>> {
  const { rows } = await db.query<{ connection_id: string; source: string; kind: string; source_id: string }>(
    'select connection_id, source, kind, source_id from ledger where ghl_id = $1',
    [ghlId],
  );
  return rows.map((r) => ({ connectionId: r.connection_id, source: r.source, kind: r.kind, sourceId: r.source_id }));
}
