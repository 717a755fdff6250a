import type { GhlClient } from '../../ghl/client.js';
import { GhlError, GhlRateLimitError } from '../../ghl/core/errors.js';
import { sleep, type Sleep } from '../../ghl/layers/wait.js';
import { applyPlan } from './steps.js';
import { AppActionError, type AppActions } from './apps.js';
import { Reschedule } from '../queue/reschedule.js';

export { Reschedule };
import type { Database } from '../db/types.js';
import { ledgerEntries } from '../ledger/entries.js';
import { buildPlan } from '../plan/build.js';
import type { Plan } from '../plan/types.js';
import { recipeVersion } from '../recipes/store.js';
import { evaluateRecipe } from '../recipes/evaluate.js';
import type { Recipe, RecipeEvaluation } from '../recipes/types.js';
import { CLAIM_LEASE_SECONDS, claimRun, getRun, hasEarlierOpenRun, setRunStatus, type RunError, type RunRow } from '../queue/runs.js';

/** A GHL connection as the engine uses it: a client and the location it writes to. */
export interface GhlTarget {
  client: GhlClient;
  locationId: string;
}

export interface RunnerDeps {
  db: Database;
  /** The GHL client of a recipe's connection. */
  ghl: (connectionId: string) => Promise<GhlTarget>;
  /** Attempts before a retryable failure is dead-lettered (default 5). */
  maxAttempts?: number;
  now?: () => number;
  onCall?: (operationId: string, runId: number) => void;
  /** source-app actions (`type: app` recipe actions) */
  apps?: AppActions;
}

/**
 * The governor's wait for the engine: a short wait sleeps inline, a longer one ends the run's turn
 * (`Reschedule`) so the worker slot serves other locations meanwhile.
 *
 * @example
 * const client = createGhlClient({ auth, rateBudget: sqlStore, rateWait: rescheduleLongWaits(1000) });
 */
export function rescheduleLongWaits(maxInlineMs = 1000, now: () => number = Date.now): Sleep {
  return async (ms, signal) => {
    if (ms > maxInlineMs) throw new Reschedule(now() + ms, `no rate budget for ${Math.round(ms)} ms`);
    await sleep(ms, signal);
  };
}

interface EventRow {
  id: string;
  source: string;
  connection_id: string | null;
  type: string;
  payload: Record<string, unknown>;
}

async function loadEvent(db: Database, id: number): Promise<EventRow> {
  const { rows } = await db.query<EventRow>('select id, source, connection_id, type, payload from events where id = $1', [id]);
  if (!rows[0]) throw new Error(`event ${id} not found`);
  return rows[0];
}

function childIds(evaluation: RecipeEvaluation): string[] {
  return evaluation.actions.flatMap((a) => ('sourceId' in a ? [a.sourceId] : []));
}

/** Evaluates and plans one event for one recipe, reading only the database (the dry run). */
export async function planFor(deps: Pick<RunnerDeps, 'db' | 'ghl' | 'apps'>, recipe: Recipe, event: { source: string; type: string; payload: Record<string, unknown> }, target?: GhlTarget): Promise<{ evaluation: RecipeEvaluation; plan: Plan | null; locationId: string }> {
  const evaluation = evaluateRecipe(recipe, event.payload, event.type);
  const { locationId } = target ?? (await deps.ghl(recipe.connection));
  if (evaluation.matched) evaluation.errors.push(...checkAppActions(deps.apps, evaluation));
  if (!evaluation.matched || evaluation.errors.length > 0 || evaluation.recordId === null) return { evaluation, plan: null, locationId };
  const ledger = await ledgerEntries(deps.db, { connectionId: recipe.connection, source: event.source }, evaluation.recordId, childIds(evaluation));
  return { evaluation, plan: buildPlan({ evaluation, locationId, ledger, apps: (id) => deps.apps?.describe(id) ?? null }), locationId };
}

/** App actions exist and their inputs pass the action's schema (a per-run mapping error otherwise). */
function checkAppActions(apps: AppActions | undefined, evaluation: RecipeEvaluation): RecipeEvaluation['errors'] {
  return evaluation.actions.flatMap((a) => {
    if (a.type !== 'app') return [];
    const info = apps?.describe(a.action);
    if (!info) return [{ field: `app:${a.action}`, message: apps ? `no connector offers the action "${a.action}"` : 'no connectors are configured for app actions' }];
    return info.validate(a.input).map((e) => ({ field: `app:${a.action}.input${e.field ? `.${e.field}` : ''}`, message: e.message }));
  });
}

function classify(error: unknown): RunError {
  if (error instanceof GhlError) {
    const retryable = error.code === 'NETWORK' || error.code === 'SERVER' || error.code === 'RATE_LIMIT';
    return { reason: error.message, code: error.code, status: error.status, retryable, details: error.body };
  }
  if (error instanceof AppActionError) return { reason: error.message, code: 'APP', status: error.status ?? undefined, retryable: error.retryable };
  return { reason: (error as Error).message ?? String(error), retryable: false };
}

/**
 * Runs one queued run to its end: skipped (filter), succeeded, or dead-lettered with the reason.
 * Throws `Reschedule` when it must wait: an earlier event of the same record is still open, the
 * location has no rate budget, or a retryable failure waits for its backoff.
 */
export async function processRun(deps: RunnerDeps, runId: number): Promise<RunRow['status']> {
  const { db } = deps;
  const now = deps.now ?? Date.now;
  const run = await getRun(db, runId);
  if (!run) throw new Error(`run ${runId} not found`);
  if (run.status !== 'queued' && run.status !== 'running') return run.status;
  if (await hasEarlierOpenRun(db, run)) throw new Reschedule(now() + 250, 'an earlier event of this record is still open');
  const recipe = await recipeVersion(db, run.recipeId, run.recipeVersion);
  if (!recipe) {
    await setRunStatus(db, runId, 'dead', { error: { reason: `recipe ${run.recipeId} v${run.recipeVersion} is gone`, retryable: false } });
    return 'dead';
  }
  const event = await loadEvent(db, run.eventId);
  // Another worker holds it: look again after its lease, in case that worker has died.
  if (!(await claimRun(db, runId))) throw new Reschedule(now() + CLAIM_LEASE_SECONDS * 1000, 'claimed by another worker');
  const attempts = run.attempts + 1;
  try {
    let plan = run.plan;
    let evaluation: RecipeEvaluation;
    const target = await deps.ghl(recipe.connection);
    if (plan) {
      evaluation = evaluateRecipe(recipe, event.payload, event.type);
    } else {
      const planned = await planFor(deps, recipe, event, target);
      evaluation = planned.evaluation;
      if (!evaluation.matched) {
        await setRunStatus(db, runId, 'skipped', { error: null });
        return 'skipped';
      }
      if (evaluation.errors.length > 0 || !planned.plan) {
        const reason = evaluation.errors.map((e) => `${e.field}: ${e.message}`).join('; ') || 'no record id in the event';
        await setRunStatus(db, runId, 'dead', { error: { reason, code: 'MAPPING', retryable: false, details: evaluation.errors } });
        return 'dead';
      }
      plan = planned.plan;
      await setRunStatus(db, runId, 'running', { plan });
    }
    const { tags: _tags, ...mappedContact } = evaluation.contact;
    await applyPlan(
      { db, ghl: target.client, ledger: { connectionId: recipe.connection, source: event.source }, runId, eventId: Number(event.id), recipeId: recipe.id, recipeVersion: recipe.version, mappedContact, onCall: (op) => deps.onCall?.(op, runId), apps: deps.apps },
      plan,
    );
    await setRunStatus(db, runId, 'succeeded', { error: null });
    return 'succeeded';
  } catch (error) {
    if (error instanceof Reschedule) {
      await setRunStatus(db, runId, 'queued');
      throw error;
    }
    const failure = classify(error);
    if (error instanceof GhlRateLimitError) {
      await setRunStatus(db, runId, 'queued', { attempts: run.attempts, error: failure });
      throw new Reschedule(error.resetAt, `rate limit (${error.scope})`);
    }
    if (failure.retryable && attempts < (deps.maxAttempts ?? 5)) {
      await setRunStatus(db, runId, 'queued', { error: failure });
      throw new Reschedule(now() + Math.min(60_000, 500 * 2 ** attempts), failure.reason);
    }
    await setRunStatus(db, runId, 'dead', { error: failure });
    return 'dead';
  }
}
