import type { Queryable } from '../../engine/db/types.js';

export interface LedgerRow {
  connectionId: string;
  source: string;
  kind: string;
  sourceId: string;
  ghlId: string;
  locationId: string;
  fields: Record<string, unknown> | null;
  updatedAt: string;
}

/** Ledger entries by source record (`source` + `sourceId`) or by GHL id, ordered for paging by offset. */
export async function findLedger(db: Queryable, f: { source?: string; sourceId?: string; ghlId?: string; offset: number; limit: number }): Promise<LedgerRow[]> {
  const { rows } = await db.query<{ connection_id: string; source: string; kind: string; source_id: string; ghl_id: string; location_id: string; fields: Record<string, unknown> | null; updated_at: Date | string }>(
    `select connection_id, source, kind, source_id, ghl_id, location_id, fields, updated_at from ledger
      where ($1::text is null or source = $1) and ($2::text is null or source_id = $2) and ($3::text is null or ghl_id = $3)
      order by connection_id, source, kind, source_id offset $4 limit $5`,
    [f.source ?? null, f.sourceId ?? null, f.ghlId ?? null, f.offset, f.limit],
  );
  return rows.map((r) => ({ connectionId: r.connection_id, source: r.source, kind: r.kind, sourceId: r.source_id, ghlId: r.ghl_id, locationId: r.location_id, fields: r.fields, updatedAt: new Date(r.updated_at).toISOString() }));
}
