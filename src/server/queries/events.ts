import type { Queryable } from '../../engine/db/types.js';
import { NO_CURSOR } from './page.js';

export interface EventSummary {
  id: number;
  source: string;
  externalId: string;
  connectionId: string | null;
  type: string;
  recordId: string | null;
  receivedAt: string;
}

interface Row {
  id: string;
  source: string;
  external_id: string;
  connection_id: string | null;
  type: string;
  record_id: string | null;
  received_at: Date | string;
  payload?: Record<string, unknown>;
  original_payload?: string | null;
}

const summary = (r: Row): EventSummary => ({ id: Number(r.id), source: r.source, externalId: r.external_id, connectionId: r.connection_id, type: r.type, recordId: r.record_id, receivedAt: new Date(r.received_at).toISOString() });

/** Events newest first (no payloads: a list stays small), by source and type, after a keyset id. */
export async function listEvents(db: Queryable, f: { source?: string; type?: string; before: number | null; limit: number }): Promise<EventSummary[]> {
  const { rows } = await db.query<Row>(
    `select id, source, external_id, connection_id, type, record_id, received_at from events
      where ($1::text is null or source = $1) and ($2::text is null or type = $2) and id < $3::bigint order by id desc limit $4`,
    [f.source ?? null, f.type ?? null, f.before === null ? NO_CURSOR : String(f.before), f.limit],
  );
  return rows.map(summary);
}

/**
 * One event with its payload and the runs it caused; `originalPayload` (escaped JSON text) when the
 * delivery held characters the database cannot store, which `payload` has replaced by U+FFFD.
 */
export async function getEvent(db: Queryable, id: number): Promise<(EventSummary & { payload: Record<string, unknown>; originalPayload?: string; runs: Array<{ id: number; recipeId: string; recipeVersion: number; status: string }> }) | null> {
  const { rows } = await db.query<Row>('select * from events where id = $1', [id]);
  if (!rows[0]) return null;
  const runs = await db.query<{ id: string; recipe_id: string; recipe_version: number; status: string }>('select id, recipe_id, recipe_version, status from runs where event_id = $1 and dry_run = false order by id', [id]);
  const original = rows[0].original_payload;
  return { ...summary(rows[0]), payload: rows[0].payload ?? {}, ...(original ? { originalPayload: original } : {}), runs: runs.rows.map((r) => ({ id: Number(r.id), recipeId: r.recipe_id, recipeVersion: r.recipe_version, status: r.status })) };
}
