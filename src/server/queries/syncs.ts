import type { Queryable } from '../../engine/db/types.js';
import { NO_CURSOR } from './page.js';

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

export interface SyncListItem extends SyncRow {
  records: number;
  matched: number;
  ingested: number;
}

/** `syncs` rows newest first (keyset on the id), optionally of one status or connection. */
export async function listSyncs(db: Queryable, f: { status?: string; connectionId?: string; before: number | null; limit: number }): Promise<SyncListItem[]> {
  const { rows } = await db.query<{ id: string; connection_id: string; recipe_id: string | null; schedule_id: string | null; status: string; filter: unknown; error: string | null; records: number; matched: number; ingested: number; started_at: Date | string; finished_at: Date | string | null }>(
    `select id, connection_id, recipe_id, schedule_id, status, filter, error, records, matched, ingested, started_at, finished_at from syncs
      where ($1::text is null or status = $1) and ($2::text is null or connection_id = $2) and id < $3::bigint
      order by id desc limit $4`,
    [f.status ?? null, f.connectionId ?? null, f.before === null ? NO_CURSOR : String(f.before), f.limit],
  );
  return rows.map((r) => ({
    id: Number(r.id), connectionId: r.connection_id, recipeId: r.recipe_id, scheduleId: r.schedule_id, status: r.status, filter: r.filter, error: r.error,
    records: r.records, matched: r.matched, ingested: r.ingested,
    startedAt: new Date(r.started_at).toISOString(), finishedAt: r.finished_at === null ? null : new Date(r.finished_at).toISOString(),
  }));
}

/** The dead runs of a sync (newest first, at most `limit`), and when its last run finished. */
export async function syncRunFacts(db: Queryable, syncId: number, limit: number): Promise<{ failedRunIds: number[]; lastFinishedAt: string | null }> {
  const pattern = `sync:${syncId}:%`;
  const [dead, last] = await Promise.all([
    db.query<{ id: string }>(`select r.id from runs r join events e on e.id = r.event_id where e.external_id like $1 and r.status = 'dead' and r.dry_run = false order by r.id desc limit $2`, [pattern, limit]),
    db.query<{ at: Date | string | null }>(`select max(r.finished_at) as at from runs r join events e on e.id = r.event_id where e.external_id like $1 and r.dry_run = false`, [pattern]),
  ]);
  const at = last.rows[0]?.at ?? null;
  return { failedRunIds: dead.rows.map((r) => Number(r.id)), lastFinishedAt: at === null ? null : new Date(at).toISOString() };
}
