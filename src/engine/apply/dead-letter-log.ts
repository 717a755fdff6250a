import type { Queryable } from '../db/types.js';
import type { EngineLog } from '../log.js';
import type { Plan } from '../plan/types.js';
import type { ClaimedRun, RunError } from '../queue/runs.js';

/** A cause is one line, short enough for a log search result; the full reason stays on the run. */
const CAUSE_MAX = 300;
/** Longest wait for the failing step before the line is written without it. */
const STEP_LOOKUP_MS = 1000;

/** The first line of a reason, capped. */
export function oneLineCause(reason: string | undefined): string {
  const line = (reason ?? 'unknown').split(/\r?\n/, 1)[0]!.trim();
  return line.length > CAUSE_MAX ? `${line.slice(0, CAUSE_MAX - 1)}…` : line;
}

/**
 * The step a dead run stopped at: the first step of its stored plan not journaled `done`. Read
 * from the database because the failure itself does not carry it (a step not sent leaves no
 * journal row, so "the started row" would miss it).
 */
async function failingStep(db: Queryable, runId: number): Promise<{ step: number; operation: string } | null> {
  const { rows } = await db.query<{ plan: Plan | null; done: number[] | null }>(
    `select r.plan, (select array_agg(s.step) from run_steps s where s.run_id = r.id and s.status = 'done') as done from runs r where r.id = $1`,
    [runId],
  );
  const row = rows[0];
  if (!row?.plan) return null;
  const done = new Set((row.done ?? []).map(Number));
  const call = row.plan.calls.find((c) => !done.has(c.step));
  return call ? { step: call.step, operation: call.operationId } : null;
}

/**
 * One warn line per dead letter, with what an operator filters and acts on as fields: run,
 * recipe, connection, error code and HTTP status, failing step, one-line cause. No payload, no
 * request body: record data and secrets stay in the database. Never throws: a failed lookup of
 * the step still logs the dead letter without it.
 */
export async function logDeadLetter(deps: { db: Queryable; log?: EngineLog }, run: ClaimedRun, error: RunError | null | undefined): Promise<void> {
  if (!deps.log) return;
  let step: Awaited<ReturnType<typeof failingStep>> = null;
  let timer: NodeJS.Timeout | undefined;
  try {
    // bounded: a database closed under the run (shutdown) may never answer, and the line matters more than its step
    const timeout = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), STEP_LOOKUP_MS).unref()));
    step = await Promise.race([failingStep(deps.db, run.id), timeout]);
  } catch {
    // the database failed: the line is still worth writing
  } finally {
    clearTimeout(timer);
  }
  const cause = oneLineCause(error?.reason);
  deps.log('warn', `run ${run.id} (recipe ${run.recipeId}) dead-lettered: ${cause}`, {
    event: 'run.dead-lettered',
    runId: run.id,
    recipeId: run.recipeId,
    recipeVersion: run.recipeVersion,
    connection: run.lane,
    errorCode: error?.code ?? 'ERROR',
    httpStatus: error?.status ?? null,
    retryable: error?.retryable ?? false,
    step: step?.step ?? null,
    operation: step?.operation ?? null,
    cause,
  });
}
