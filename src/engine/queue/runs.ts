import { hostname } from 'node:os';
import type { Queryable } from '../db/types.js';
import type { Plan } from '../plan/types.js';
import type { SkipReason } from '../recipes/skip.js';
import { heldRun } from './holds.js';

/**
 * Run states: queued → running → succeeded | skipped | dead (dead letter, replayable); a dead
 * letter a person dismissed is 'dismissed' (kept, with why, and never run again).
 */
export type RunStatus = 'queued' | 'running' | 'succeeded' | 'skipped' | 'dead' | 'dismissed';

export interface RunRow {
  id: number;
  eventId: number;
  recipeId: string;
  recipeVersion: number;
  recordKey: string | null;
  status: RunStatus;
  /** real faults met so far (a wait for rate budget or for an earlier run is not one) */
  attempts: number;
  plan: Plan | null;
  error: RunError | null;
  /** why a run did no work: skipped (filter, event type, recipe disabled) or succeeded without a call (unchanged) */
  skipReason: SkipReason | null;
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
  error: StoredError | null;
}

/**
 * The `error` column holds why a run did not do its work: a `RunError` for a run that failed, or
 * `{ skip }` for one that had nothing to do (a skip is not an error: it is read apart).
 */
type StoredError = RunError | { skip: SkipReason };

/**
 * Splits the stored `error` column into the run's error and its skip reason.
 *
 * @example
 * splitStoredError({ skip: { code: 'filter', message: 'filter: a exists is false' } }); // { error: null, skipReason: { code: 'filter', … } }
 */
export function splitStoredError(stored: unknown): { error: RunError | null; skipReason: SkipReason | null } {
  if (stored === null || typeof stored !== 'object') return { error: null, skipReason: null };
  if ('skip' in stored) return { error: null, skipReason: (stored as { skip: SkipReason }).skip };
  return { error: stored as RunError, skipReason: null };
}

const toRun = (r: Raw): RunRow => ({
  id: Number(r.id), eventId: Number(r.event_id), recipeId: r.recipe_id, recipeVersion: r.recipe_version, recordKey: r.record_key,
  status: r.status, attempts: r.attempts, plan: r.plan, ...splitStoredError(r.error),
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

export { RUNS_CHANNEL } from './channel.js';

/** How long a worker owns a run it claimed without renewing the claim (default; `workers.leaseSeconds`). */
export const CLAIM_LEASE_SECONDS = 30;

/** The event a claimed run works on, loaded by the claim itself. */
export interface RunEvent {
  id: number;
  source: string;
  type: string;
  payload: Record<string, unknown>;
  connectionId: string | null;
  /** when the event was stored: the recipe's `now` (stable across replays and resumed runs) */
  receivedAt: Date;
}

/** A run as a worker holds it: its row, its event, and the version of its GHL connection (`lane`). */
export interface ClaimedRun extends RunRow {
  event: RunEvent;
  /** the GHL connection its recipe writes to (runs of a lane without budget wait together) */
  lane: string | null;
  /** changes when the stored connection changes (a new PIT, re-authorized): the client is rebuilt */
  laneVersion: string | null;
  /** false when its recipe was disabled after the run was queued: the run ends skipped, saying so */
  recipeEnabled: boolean;
}

interface ClaimedRaw extends Raw {
  lane: string | null;
  lane_version: string | null;
  recipe_enabled: boolean | null;
  source: string;
  type: string;
  payload: Record<string, unknown>;
  connection_id: string | null;
  received_at: Date | string;
}

/**
 * Claims up to `limit` runs that are due, in one statement that also loads their events: queued,
 * `run_at` passed, not in a lane that is waiting for rate budget, and with no earlier open run of
 * the same record (per-record order). `skip locked` lets many workers, in one process or many,
 * claim side by side without ever taking the same run.
 *
 * @example
 * const runs = await claimRuns(db, { limit: 10, workerId: WORKER_ID, blockedLanes: [] });
 */
export async function claimRuns(db: Queryable, o: { limit: number; workerId: string; blockedLanes: string[] }): Promise<ClaimedRun[]> {
  const { rows } = await db.query<ClaimedRaw>(
    `with picked as (
       select r.id from runs r
        where r.status = 'queued' and r.dry_run = false and r.run_at <= now()
          and (r.lane is null or r.lane <> all($3::text[]))
          and not ${heldRun('r')}
          and not exists (select 1 from runs o where o.record_key = r.record_key and o.id < r.id and o.status in ('queued', 'running') and o.dry_run = false
                            -- a held run (paused recipe, connection to re-authorize) does not hold up the record's other recipes
                            and not ${heldRun('o')})
        order by r.run_at, r.id
        limit $1
        for update of r skip locked
     )
     update runs r set status = 'running', claimed_at = now(), claimed_by = $2, started_at = coalesce(r.started_at, now())
       from picked p, events e
      where r.id = p.id and e.id = r.event_id
     returning r.id, r.event_id, r.recipe_id, r.recipe_version, r.record_key, r.status, r.attempts, r.plan, r.error, r.lane,
       e.source, e.type, e.payload, e.connection_id, e.received_at,
       (select c.updated_at::text || ':' || coalesce(c.key_id, '') from connections c where c.id = r.lane) as lane_version,
       (select v.enabled from recipes v where v.id = r.recipe_id and v.version = r.recipe_version) as recipe_enabled`,
    [o.limit, o.workerId, o.blockedLanes],
  );
  return rows
    .map((r) => ({
      ...toRun(r),
      lane: r.lane,
      laneVersion: r.lane_version,
      recipeEnabled: r.recipe_enabled !== false,
      event: { id: Number(r.event_id), source: r.source, type: r.type, payload: r.payload, connectionId: r.connection_id, receivedAt: new Date(r.received_at) },
    }))
    .sort((a, b) => a.id - b.id);
}

/**
 * The step a dead run stopped at: its first journaled step not done (a call that may have been
 * applied stays 'started'), else the first planned step without a done entry (a call never sent,
 * or refused by a 4xx, leaves no entry), else null (it died before planning, e.g. a mapping error). Reads `ended e`.
 */
const FAILED_STEP = `coalesce(
  (select min(s.step) from run_steps s where s.run_id = e.id and s.status <> 'done'),
  (select min((c->>'step')::int) from jsonb_array_elements(coalesce(e.plan->'calls', '[]'::jsonb)) c
     where not exists (select 1 from run_steps s where s.run_id = e.id and s.step = (c->>'step')::int and s.status = 'done')))`;

/**
 * Ends a run held by `workerId` (a run whose claim lapsed and was taken by another worker is left
 * alone: answers false). `plan` stores the plan of a run that made no call; `skip` says why a run
 * did no work (kept in the `error` column as `{ skip }`, read back as `skipReason`). A dead letter's
 * history entry ('dead-lettered' with code, step and reason) is written by the same statement, so
 * no dead run is ever without one.
 *
 * @example
 * await finishRun(db, run.id, WORKER_ID, 'dead', { error: { reason: 'mapping.contact.email: required', code: 'MAPPING', retryable: false } });
 */
export async function finishRun(q: Queryable, id: number, workerId: string, status: 'succeeded' | 'skipped' | 'dead', fields: { error?: RunError | null; plan?: Plan; fault?: boolean; skip?: SkipReason } = {}): Promise<boolean> {
  const stored: StoredError | null = fields.error ?? (fields.skip ? { skip: fields.skip } : null);
  const { rows } = await q.query<{ id: string }>(
    `with ended as (
       update runs set status = $3, error = $4::jsonb, plan = coalesce($5::jsonb, plan), finished_at = now(),
           attempts = attempts + case when $6::boolean then 1 else 0 end
        where id = $1 and status = 'running' and claimed_by = $2
        returning id, plan
     ), logged as (
       insert into run_history (run_id, action, detail, actor)
       select e.id, 'dead-lettered',
              jsonb_build_object('code', $4::jsonb->>'code', 'reason', $4::jsonb->>'reason', 'step', ${FAILED_STEP}),
              'worker ' || $2
         from ended e where $3 = 'dead'
     )
     select id from ended`,
    [id, workerId, status, stored ? JSON.stringify(stored) : null, fields.plan ? JSON.stringify(fields.plan) : null, fields.fault ?? false],
  );
  return rows.length > 0;
}

/**
 * Gives a held run back to the queue, due at `at` (epoch ms). `fault` counts one attempt (a real
 * failure); a wait for budget or for an earlier run does not.
 */
export async function requeueRun(q: Queryable, id: number, workerId: string, at: number, fields: { fault?: boolean; error?: RunError | null } = {}): Promise<boolean> {
  const { rowCount } = await q.query(
    `update runs set status = 'queued', run_at = to_timestamp($3::double precision / 1000), claimed_by = null,
        attempts = attempts + case when $4::boolean then 1 else 0 end,
        error = case when $5::boolean then $6::jsonb else error end
      where id = $1 and status = 'running' and claimed_by = $2`,
    [id, workerId, at, fields.fault ?? false, 'error' in fields, fields.error ? JSON.stringify(fields.error) : null],
  );
  return rowCount > 0;
}

/** Renews this worker's claim on the runs it still works (a long run is never taken by a second worker). */
export async function renewClaims(q: Queryable, ids: number[], workerId: string): Promise<void> {
  if (ids.length === 0) return;
  await q.query(`update runs set claimed_at = now() where id = any($1::bigint[]) and status = 'running' and claimed_by = $2`, [ids, workerId]);
}

/**
 * Puts back in the queue the runs whose claim lapsed (their worker died or froze): due at once.
 * `allBut` takes every running run not held by that worker (the embedded database at start: it
 * belongs to this process, so a run held by another worker id was left by a process that is gone;
 * a second worker of this process holds runs under the same id and keeps them).
 */
export async function reapLapsedClaims(q: Queryable, o: { leaseSeconds: number; allBut?: string }): Promise<number[]> {
  const { rows } = await q.query<{ id: string }>(
    `update runs set status = 'queued', run_at = now(), claimed_by = null
      where status = 'running' and dry_run = false
        and (($2::text is not null and claimed_by is distinct from $2::text) or claimed_at is null or claimed_at < now() - make_interval(secs => $1))
      returning id`,
    [o.leaseSeconds, o.allBut ?? null],
  );
  return rows.map((r) => Number(r.id));
}

/** When the next queued run falls due (epoch ms), or null when none waits. */
export async function nextDueAt(q: Queryable): Promise<number | null> {
  const { rows } = await q.query<{ at: string | null }>(`select (extract(epoch from min(run_at)) * 1000)::float8 as at from runs where status = 'queued' and dry_run = false`);
  return rows[0]?.at == null ? null : Number(rows[0].at);
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
