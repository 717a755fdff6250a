import { GhlReauthorizationRequiredError, isPermissionRefusal } from '../../ghl/auth/errors.js';
import { GhlAuthenticationError, GhlError, GhlRateLimitError } from '../../ghl/core/errors.js';
import { holdConnection } from '../queue/holds.js';
import type { Database } from '../db/types.js';
import type { EngineLog } from '../log.js';
import type { EngineMetrics } from '../metrics.js';
import { planFor } from '../plan/event.js';
import type { Plan } from '../plan/types.js';
import { Reschedule } from '../queue/reschedule.js';
import { finishRun, requeueRun, runSteps, type ClaimedRun, type RunError } from '../queue/runs.js';
import { evaluateRecipe } from '../recipes/evaluate.js';
import type { SkipReason } from '../recipes/skip.js';
import type { Recipe, RecipeEvaluation } from '../recipes/types.js';
import { AppActionError, type AppActions } from './apps.js';
import { logDeadLetter } from './dead-letter-log.js';
import { applyPlan } from './steps.js';
import type { GhlTargets } from './target.js';

export { Reschedule };
export { rescheduleLongWaits, type GhlTarget, type GhlTargets } from './target.js';
export { planFor } from '../plan/event.js';

export interface RunnerDeps {
  db: Database;
  /** The GHL client of a recipe's connection. */
  ghl: GhlTargets;
  /** A recipe version (immutable, so the worker caches it). */
  recipes: (id: string, version: number) => Promise<Recipe | null>;
  /** Real faults (network, 5xx, refusals worth retrying) before a run is dead-lettered (default 5). */
  maxAttempts?: number;
  now?: () => number;
  onCall?: (operationId: string, runId: number) => void;
  /** source-app actions (`type: app` recipe actions) */
  apps?: AppActions;
  metrics?: EngineMetrics;
  /** dead letters (structured fields) and worker trouble */
  log?: EngineLog;
}

/**
 * How a run's turn ended: finished, back in the queue for `at` (`laneBlockedUntil`: its GHL
 * connection has no budget until then), or lost (its claim lapsed and another worker has it).
 */
export type TurnOutcome =
  | { kind: 'finished'; status: 'succeeded' | 'skipped' | 'dead' }
  | { kind: 'requeued'; at: number; fault: boolean; laneBlockedUntil?: number }
  | { kind: 'lost' };

function classify(error: unknown): RunError {
  if (error instanceof GhlError) {
    const retryable = error.code === 'NETWORK' || error.code === 'SERVER' || error.code === 'RATE_LIMIT';
    return { reason: error.message, code: error.code, status: error.status, retryable, details: error.body };
  }
  if (error instanceof AppActionError) return { reason: error.message, code: 'APP', status: error.status ?? undefined, retryable: error.retryable };
  return { reason: (error as Error).message ?? String(error), retryable: false };
}

/**
 * Credentials refused for good: a refresh HighLevel turned down (or nothing to refresh with), or a
 * 401 that is not about scopes (a revoked or rejected token, a PIT deleted). Retrying cannot help.
 */
export function needsReauthorization(error: unknown): boolean {
  if (error instanceof GhlReauthorizationRequiredError) return true;
  return error instanceof GhlAuthenticationError && !isPermissionRefusal(error.body);
}

/**
 * Why a plan without a call did nothing: what the ledger says is already in GHL, action by action.
 *
 * @example
 * unchanged({ ...plan, calls: [], skipped: [{ action: 'tags', reason: 'tags unchanged' }] });
 * // { code: 'unchanged', message: 'unchanged since the last sync (tags: tags unchanged): no GHL call was needed' }
 */
export function unchanged(plan: Plan): SkipReason {
  const why = plan.skipped.map((s) => `${s.action}: ${s.reason}`).join('; ');
  return { code: 'unchanged', message: `unchanged since the last sync${why ? ` (${why})` : ''}: no GHL call was needed` };
}

/** Backoff after the n-th real fault: 1 s, 2 s, 4 s … up to a minute. */
const backoffMs = (faults: number) => Math.min(60_000, 500 * 2 ** faults);

/**
 * One turn of a claimed run: skipped (filter), succeeded, dead-lettered with the reason, or put
 * back in the queue. Waiting is not failing: a wait for rate budget (the governor's, or a 429)
 * puts the run back without counting an attempt; only real faults count, and a run is
 * dead-lettered after `maxAttempts` of them. A plan made this turn is stored with the first step's
 * journal entry, and the run ends in the transaction of its last step.
 *
 * @example
 * const [run] = await claimRuns(db, { limit: 1, workerId, blockedLanes: [] });
 * const outcome = await processRun({ db, ghl, recipes: recipeVersionCache(db), workerId }, run);
 */
export async function processRun(deps: RunnerDeps & { workerId: string }, run: ClaimedRun): Promise<TurnOutcome> {
  const { db, workerId } = deps;
  const now = deps.now ?? Date.now;
  const finish = async (status: 'succeeded' | 'skipped' | 'dead', fields: { error?: RunError | null; plan?: Plan; fault?: boolean; skip?: SkipReason } = {}): Promise<TurnOutcome> => {
    if (!(await finishRun(db, run.id, workerId, status, fields))) return { kind: 'lost' };
    return ended(status, fields.error);
  };
  const ended = async (status: 'succeeded' | 'skipped' | 'dead', error?: RunError | null): Promise<TurnOutcome> => {
    deps.metrics?.runEnded?.(run.recipeId, status);
    if (status === 'dead') await logDeadLetter(deps, run, error);
    return { kind: 'finished', status };
  };
  const requeue = async (at: number, o: { fault: boolean; error?: RunError; laneBlockedUntil?: number }): Promise<TurnOutcome> => {
    if (!(await requeueRun(db, run.id, workerId, at, { fault: o.fault, ...(o.error ? { error: o.error } : {}) }))) return { kind: 'lost' };
    deps.metrics?.runEnded?.(run.recipeId, o.fault ? 'retry' : 'rescheduled');
    return { kind: 'requeued', at, fault: o.fault, ...(o.laneBlockedUntil ? { laneBlockedUntil: o.laneBlockedUntil } : {}) };
  };

  const recipe = await deps.recipes(run.recipeId, run.recipeVersion);
  if (!recipe) return finish('dead', { error: { reason: `recipe ${run.recipeId} v${run.recipeVersion} is gone`, retryable: false } });
  // disabled after the run was queued (or a dead letter replayed since): nothing is planned or sent
  if (!run.recipeEnabled && !run.plan) return finish('skipped', { skip: { code: 'recipe-disabled', message: `recipe ${run.recipeId} is disabled (\`ghl-bridge recipes enable ${run.recipeId}\` to run its new events)` } });
  try {
    const target = await deps.ghl(recipe.connection, run.laneVersion);
    let plan = run.plan;
    let evaluation: RecipeEvaluation;
    let fresh = false;
    if (plan) {
      evaluation = evaluateRecipe(recipe, run.event.payload, run.event.type, { eventTime: run.event.receivedAt });
    } else {
      const planned = await planFor(deps, recipe, run.event, target);
      evaluation = planned.evaluation;
      if (!evaluation.matched) return finish('skipped', { error: null, ...(evaluation.skip ? { skip: evaluation.skip } : {}) });
      if (evaluation.errors.length > 0 || !planned.plan) {
        const reason = evaluation.errors.map((e) => `${e.field}: ${e.message}`).join('; ') || 'no record id in the event';
        return finish('dead', { error: { reason, code: 'MAPPING', retryable: false, details: evaluation.errors } });
      }
      plan = planned.plan;
      fresh = true;
    }
    // nothing to send (unchanged): one statement ends the run and keeps its plan for people to read
    if (plan.calls.length === 0) return finish('succeeded', { error: null, skip: unchanged(plan), ...(fresh ? { plan } : {}) });
    const { tags: _tags, ...mappedContact } = evaluation.contact;
    const { finished } = await applyPlan(
      {
        db,
        ghl: target.client,
        ledger: { connectionId: recipe.connection, source: run.event.source },
        runId: run.id,
        eventId: run.event.id,
        recipeId: recipe.id,
        recipeVersion: recipe.version,
        mappedContact,
        onCall: (op) => deps.onCall?.(op, run.id),
        apps: deps.apps,
        metrics: deps.metrics,
        payload: run.event.payload,
        journal: fresh ? new Map() : await runSteps(db, run.id),
        ...(fresh ? { savePlan: plan } : {}),
        finish: (tx) => finishRun(tx, run.id, workerId, 'succeeded', { error: null }),
      },
      plan,
    );
    return finished ? ended('succeeded') : finish('succeeded', { error: null });
  } catch (error) {
    if (error instanceof Reschedule) return requeue(error.at, { fault: false, ...(error.budget ? { laneBlockedUntil: error.at } : {}) });
    const failure = classify(error);
    // the connection's credentials are refused: its runs wait for a re-authorization, spending no attempt
    if (needsReauthorization(error)) {
      if (await holdConnection(db, recipe.connection, failure.reason)) {
        deps.log?.('warn', `connection ${recipe.connection} needs re-authorization (${failure.reason}); the runs of its recipes wait until it is re-authorized (first: run ${run.id}, recipe ${run.recipeId})`, {
          event: 'connection.needs-reauth',
          connection: recipe.connection,
          runId: run.id,
          recipeId: run.recipeId,
          errorCode: failure.code,
          httpStatus: failure.status,
          cause: failure.reason,
        });
      }
      return requeue(now(), { fault: false, error: { ...failure, code: 'REAUTH' } });
    }
    // GHL refused for rate (a 429 the client could not wait out, or the day is spent): a wait, not a fault
    if (error instanceof GhlRateLimitError) return requeue(error.resetAt, { fault: false, error: failure, laneBlockedUntil: error.resetAt });
    const faults = run.attempts + 1;
    if (failure.retryable && faults < (deps.maxAttempts ?? 5)) return requeue(now() + backoffMs(faults), { fault: true, error: failure });
    return finish('dead', { error: failure, fault: failure.retryable });
  }
}
