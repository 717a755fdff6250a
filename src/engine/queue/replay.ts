import type { Database } from '../db/types.js';
import { RUNS_CHANNEL } from './runs.js';
import { selectionSql, type DeadLetterSelection } from './selection.js';
import type { Signal } from './signal.js';

export interface ReplayOptions {
  /** keep the recipe version the run used (default: the newest saved version of its recipe) */
  originalVersion?: boolean;
  /** who asked (run_history.actor) */
  actor?: string;
}

export interface ReplayedRun {
  runId: number;
  fromVersion: number;
  toVersion: number;
  /** an interrupted step: the run keeps its plan and journal, and so its version */
  keptPlan: boolean;
}

/**
 * Re-queues dead-lettered runs, due at once, their attempts counted afresh, with the newest saved
 * version of their recipe (the fix people just saved) unless `originalVersion`. A run with an
 * interrupted step (`run_steps.status = 'started'`: a call that may have reached GHL) keeps its
 * plan, journal and version whatever is asked, so the step is resolved before anything is
 * re-sent; any other run is planned afresh from the ledger, which already holds what its
 * finished steps wrote. Each replay is in `run_history` ('replayed', { fromVersion, toVersion }).
 *
 * @example
 * const replayed = await replayDeadLetters(db, { recipeId: 'app-signup' }, { actor: 'admin-api' }, wake);
 * // [{ runId: 7, fromVersion: 1, toVersion: 2, keptPlan: false }]
 */
export async function replayDeadLetters(db: Database, selection: DeadLetterSelection, options: ReplayOptions = {}, wake?: Signal): Promise<ReplayedRun[]> {
  const { where, params } = selectionSql(selection, 3);
  const replayed = await db.transaction(async (tx) => {
    const { rows } = await tx.query<{ id: string; from_version: number; to_version: number; kept_plan: boolean }>(
      `with picked as (
         select r.id, r.recipe_version as from_version,
                exists (select 1 from run_steps s where s.run_id = r.id and s.status = 'started') as interrupted,
                (select max(v.version) from recipes v where v.id = r.recipe_id) as newest
           from runs r
          where r.status = 'dead' and ${where}
          for update of r
       ), chosen as (
         select p.*, case when p.interrupted or $1::boolean or p.newest is null then p.from_version else p.newest end as to_version from picked p
       ), requeued as (
         update runs r set status = 'queued', run_at = now(), attempts = 0, error = null, finished_at = null, claimed_by = null,
             recipe_version = c.to_version,
             -- a new version may write through another GHL connection: its lane follows
             lane = coalesce((select v.definition->>'connection' from recipes v where v.id = r.recipe_id and v.version = c.to_version), r.lane),
             plan = case when c.interrupted then r.plan else null end
           from chosen c where r.id = c.id
         returning r.id, c.from_version, c.to_version, c.interrupted as kept_plan
       ), logged as (
         insert into run_history (run_id, action, detail, actor)
         select q.id, 'replayed',
                jsonb_build_object('fromVersion', q.from_version, 'toVersion', q.to_version)
                  || case when q.kept_plan then jsonb_build_object('keptPlan', true, 'why', 'a step was interrupted (it may have reached GHL): the run keeps its plan, journal and version') else '{}'::jsonb end,
                $2
           from requeued q
       )
       select * from requeued order by id`,
      [options.originalVersion ?? false, options.actor ?? null, ...params],
    );
    const replanned = rows.filter((r) => !r.kept_plan).map((r) => Number(r.id));
    if (replanned.length > 0) await tx.query('delete from run_steps where run_id = any($1::bigint[])', [replanned]);
    if (rows.length > 0) await tx.query(`select pg_notify($1, '')::text`, [RUNS_CHANNEL]);
    return rows.map((r) => ({ runId: Number(r.id), fromVersion: r.from_version, toVersion: r.to_version, keptPlan: r.kept_plan }));
  });
  if (replayed.length > 0) wake?.fire();
  return replayed;
}

/**
 * The runs left open (queued, or running under a claim that no live worker renews, e.g. after
 * `db import`): a queued run is worked as it is; a running one is put back once its lease lapses.
 * Answers how many are open.
 */
export async function openRunCount(db: Database): Promise<number> {
  const { rows } = await db.query<{ n: string }>(`select count(*) as n from runs where status in ('queued', 'running') and dry_run = false`);
  return Number(rows[0]!.n);
}
