import type { Queryable } from '../../engine/db/types.js';
import { runHistory, type RunHistoryEntry } from '../../engine/queue/history.js';
import { splitStoredError, type RunError, type RunStatus } from '../../engine/queue/runs.js';
import type { SkipReason } from '../../engine/recipes/skip.js';
import { NO_CURSOR } from './page.js';

export interface RunSummary {
  id: number;
  eventId: number;
  recipeId: string;
  recipeVersion: number;
  recordKey: string | null;
  status: RunStatus;
  attempts: number;
  error: RunError | null;
  /** why the run did no work: `{ code, message }` (filter, event-type, recipe-disabled, unchanged), else null */
  skipReason: SkipReason | null;
  createdAt: string;
  finishedAt: string | null;
}

interface Row {
  id: string;
  event_id: string;
  recipe_id: string;
  recipe_version: number;
  record_key: string | null;
  status: RunStatus;
  attempts: number;
  error: unknown;
  created_at: Date | string;
  finished_at: Date | string | null;
}

const summary = (r: Row): RunSummary => ({
  id: Number(r.id), eventId: Number(r.event_id), recipeId: r.recipe_id, recipeVersion: r.recipe_version, recordKey: r.record_key, status: r.status,
  attempts: r.attempts, ...splitStoredError(r.error), createdAt: new Date(r.created_at).toISOString(), finishedAt: r.finished_at === null ? null : new Date(r.finished_at).toISOString(),
});

/**
 * Runs newest first, by status, recipe and GHL contact. A contact's runs are found three ways:
 * its ledger entries' records (`record_key` = `<source>:<source id>`), its audit rows, and steps
 * that returned its id (a run that created it).
 */
export async function listRuns(db: Queryable, f: { status?: string; recipe?: string; contact?: string; errorCode?: string; since?: string; before: number | null; limit: number }): Promise<RunSummary[]> {
  const { rows } = await db.query<Row>(
    `select id, event_id, recipe_id, recipe_version, record_key, status, attempts, error, created_at, finished_at from runs r
      where dry_run = false and ($1::text is null or status = $1) and ($2::text is null or recipe_id = $2) and id < $3::bigint
        and ($6::text is null or error->>'code' = $6)
        and ($7::timestamptz is null or coalesce(finished_at, created_at) >= $7::timestamptz)
        and ($4::text is null
             or record_key in (select source || ':' || source_id from ledger where ghl_id = $4 and kind = 'contact')
             or id in (select run_id from audit where contact_id = $4 and run_id is not null)
             or exists (select 1 from run_steps s where s.run_id = r.id and s.ghl_id = $4))
      order by id desc limit $5`,
    [f.status ?? null, f.recipe ?? null, f.before === null ? NO_CURSOR : String(f.before), f.contact ?? null, f.limit, f.errorCode ?? null, f.since ?? null],
  );
  return rows.map(summary);
}

export interface RunStep {
  step: number;
  action: string;
  status: string;
  request: unknown;
  response: unknown;
  ghlId: string | null;
  error: unknown;
  startedAt: string | null;
  finishedAt: string | null;
}

/** One run with its plan, journaled steps, and history (dead-lettered, replayed, dismissed …). */
export async function getRunDetail(db: Queryable, id: number): Promise<(RunSummary & { plan: unknown; steps: RunStep[]; dismissedReason: string | null; history: RunHistoryEntry[] }) | null> {
  const { rows } = await db.query<Row & { plan: unknown; dismissed_reason: string | null }>('select * from runs where id = $1 and dry_run = false', [id]);
  if (!rows[0]) return null;
  const steps = await db.query<{ step: number; action: string; status: string; request: unknown; response: unknown; ghl_id: string | null; error: unknown; started_at: Date | null; finished_at: Date | null }>(
    'select step, action, status, request, response, ghl_id, error, started_at, finished_at from run_steps where run_id = $1 order by step',
    [id],
  );
  const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());
  return {
    ...summary(rows[0]),
    plan: rows[0].plan,
    dismissedReason: rows[0].dismissed_reason,
    history: await runHistory(db, id),
    steps: steps.rows.map((s) => ({ step: s.step, action: s.action, status: s.status, request: s.request, response: s.response, ghlId: s.ghl_id, error: s.error, startedAt: iso(s.started_at), finishedAt: iso(s.finished_at) })),
  };
}

/** A run's status, or null when there is none. */
export async function runStatus(db: Queryable, id: number): Promise<string | null> {
  const { rows } = await db.query<{ status: string }>('select status from runs where id = $1 and dry_run = false', [id]);
  return rows[0]?.status ?? null;
}
