import { hostname } from 'node:os';
import type { Queryable } from '../db/types.js';
import type { Plan } from '../plan/types.js';

/** Run states: queued → running → succeeded | skipped | dead (dead letter, replayable). */
export type RunStatus = 'queued' | 'running' | 'succeeded' | 'skipped' | 'dead';

export interface RunRow {
  id: number;
  eventId: number;
  recipeId: string;
  recipeVersion: number;
  recordKey: string | null;
  status: RunStatus;
  attempts: number;
  plan: Plan | null;
  error: RunError | null;
}

/** Why a run is dead-lettered: for people and for replay decisions. */
export interface RunError {
  reason: string;
  code?: string;
  status?: number | null;
  retryable: boolean;
  details?: unknown;
}

interface Raw {
  id: string;
  event_id: string;
  recipe_id: string;
  recipe_version: number;
  record_key: string | null;
  status: RunStatus;
  attempts: number;
  plan: Plan | null;
  error: RunError | null;
}

const toRun = (r: Raw): RunRow => ({
  id: Number(r.id), eventId: Number(r.event_id), recipeId: r.recipe_id, recipeVersion: r.recipe_version, recordKey: r.record_key,
  status: r.status, attempts: r.attempts, plan: r.plan, error: r.error,
});

export async function getRun(db: Queryable, id: number): Promise<RunRow | null> {
  const { rows } = await db.query<Raw>('select * from runs where id = $1', [id]);
  return rows[0] ? toRun(rows[0]) : null;
}

export async function listRuns(db: Queryable, filter: { status?: RunStatus; recipeId?: string; limit?: number } = {}): Promise<RunRow[]> {
  const { rows } = await db.query<Raw>(
    `select * from runs where ($1::text is null or status = $1) and ($2::text is null or recipe_id = $2) order by id desc limit $3`,
    [filter.status ?? null, filter.recipeId ?? null, filter.limit ?? 100],
  );
  return rows.map(toRun);
}

/** Which process applied a run (host:pid), for operations and the scale-out test. */
export const WORKER_ID = `${hostname()}:${process.pid}`;

/** How long a worker owns a run it claimed; a crashed worker's claim lapses after this. */
export const CLAIM_LEASE_SECONDS = 30;

/**
 * Claims a run for this worker: queued, or running under a lapsed claim (its worker died).
 * Answers false when another worker holds it, so one run is never applied twice at once.
 */
export async function claimRun(db: Queryable, id: number): Promise<boolean> {
  const { rows } = await db.query(
    `update runs set status = 'running', claimed_at = now(), claimed_by = $3, attempts = attempts + 1, started_at = coalesce(started_at, now())
      where id = $1 and (status = 'queued' or (status = 'running' and (claimed_at is null or claimed_at < now() - make_interval(secs => $2))))
      returning id`,
    [id, CLAIM_LEASE_SECONDS, WORKER_ID],
  );
  return rows.length > 0;
}

/** An earlier run of the same record that has not ended: this one must wait (per-record order). */
export async function hasEarlierOpenRun(db: Queryable, run: RunRow): Promise<boolean> {
  if (!run.recordKey) return false;
  const { rows } = await db.query(`select 1 from runs where record_key = $1 and id < $2 and status in ('queued', 'running') and dry_run = false limit 1`, [run.recordKey, run.id]);
  return rows.length > 0;
}

export async function setRunStatus(db: Queryable, id: number, status: RunStatus, fields: { error?: RunError | null; plan?: Plan; attempts?: number } = {}): Promise<void> {
  await db.query(
    `update runs set status = $2,
       error = case when $3::boolean then $4::jsonb else error end,
       plan = coalesce($5::jsonb, plan),
       attempts = coalesce($6, attempts),
       started_at = case when $2 = 'running' and started_at is null then now() else started_at end,
       finished_at = case when $2 in ('succeeded', 'skipped', 'dead') then now() else null end
     where id = $1`,
    [id, status, 'error' in fields, fields.error ? JSON.stringify(fields.error) : null, fields.plan ? JSON.stringify(fields.plan) : null, fields.attempts ?? null],
  );
}

export interface StepRow {
  step: number;
  status: 'started' | 'done' | 'failed';
  ghlId: string | null;
  response: unknown;
}

export async function runSteps(db: Queryable, runId: number): Promise<Map<number, StepRow>> {
  const { rows } = await db.query<{ step: number; status: StepRow['status']; ghl_id: string | null; response: unknown }>('select step, status, ghl_id, response from run_steps where run_id = $1', [runId]);
  return new Map(rows.map((r) => [r.step, { step: r.step, status: r.status, ghlId: r.ghl_id, response: r.response }]));
}
