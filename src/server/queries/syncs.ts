import type { Queryable } from '../../engine/db/types.js';

export interface SyncRow {
  id: number;
  connectionId: string;
  recipeId: string | null;
  /** the schedule that started it, if one did */
  scheduleId: string | null;
  status: string;
  filter: unknown;
  error: string | null;
  startedAt: string;
  finishedAt: string | null;
}

/** A `syncs` row (migration 003). */
export async function getSync(db: Queryable, id: number): Promise<SyncRow | null> {
  const { rows } = await db.query<{ id: string; connection_id: string; recipe_id: string | null; schedule_id: string | null; status: string; filter: unknown; error: string | null; started_at: Date | string; finished_at: Date | string | null }>('select * from syncs where id = $1', [id]);
  const r = rows[0];
  if (!r) return null;
  return { id: Number(r.id), connectionId: r.connection_id, recipeId: r.recipe_id, scheduleId: r.schedule_id ?? null, status: r.status, filter: r.filter, error: r.error, startedAt: new Date(r.started_at).toISOString(), finishedAt: r.finished_at === null ? null : new Date(r.finished_at).toISOString() };
}

/**
 * A new sync row, `queued`, so its id can be answered before the listing starts; the runtime then
 * takes it over as a resumed sync (which sets it running).
 */
export async function insertSync(db: Queryable, s: { connectionId: string; recipeId: string; filter?: unknown }): Promise<number> {
  const { rows } = await db.query<{ id: string }>(`insert into syncs (connection_id, recipe_id, status, filter) values ($1, $2, 'queued', $3) returning id`, [s.connectionId, s.recipeId, JSON.stringify(s.filter ?? null)]);
  return Number(rows[0]!.id);
}

/** Ends a sync that never reached the runtime's own bookkeeping (it failed before listing). */
export async function failSync(db: Queryable, id: number, status: 'failed' | 'cancelled', error: string): Promise<void> {
  await db.query(`update syncs set status = $2, error = $3, finished_at = now() where id = $1 and status in ('queued', 'running')`, [id, status, error]);
}
