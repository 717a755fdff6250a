import type { AppActions } from '../apply/apps.js';
import type { GhlTarget } from '../apply/target.js';
import type { Queryable } from '../db/types.js';
import { ledgerEntries } from '../ledger/entries.js';
import { evaluateRecipe } from '../recipes/evaluate.js';
import type { Recipe, RecipeEvaluation } from '../recipes/types.js';
import { buildPlan } from './build.js';
import type { Plan } from './types.js';

function childIds(evaluation: RecipeEvaluation): string[] {
  return evaluation.actions.flatMap((a) => ('sourceId' in a ? [a.sourceId] : []));
}

/**
 * Evaluates and plans one event for one recipe, reading only the database (so it is also the dry
 * run): the recipe's mapping, then the exact GHL calls from the ledger. `receivedAt` is when the
 * event was stored: `now` in the recipe reads it, so re-planning the same event (a replay, a run
 * resumed) maps the same dates; a payload never stored (a dry run) uses the current time.
 *
 * @example
 * const { plan } = await planFor({ db, ghl, apps }, recipe, { source: 'recruitee', type: 'candidate.created', payload });
 */
export async function planFor(
  deps: { db: Queryable; ghl: (connectionId: string) => Promise<GhlTarget>; apps?: AppActions },
  recipe: Recipe,
  event: { source: string; type: string; payload: Record<string, unknown>; receivedAt?: Date },
  target?: GhlTarget,
): Promise<{ evaluation: RecipeEvaluation; plan: Plan | null; locationId: string }> {
  const evaluation = evaluateRecipe(recipe, event.payload, event.type, { eventTime: event.receivedAt ?? new Date() });
  const { locationId } = target ?? (await deps.ghl(recipe.connection));
  if (evaluation.matched) evaluation.errors.push(...checkAppActions(deps.apps, evaluation));
  if (!evaluation.matched || evaluation.errors.length > 0 || evaluation.recordId === null) return { evaluation, plan: null, locationId };
  const ledger = await ledgerEntries(deps.db, { connectionId: recipe.connection, source: event.source }, evaluation.recordId, childIds(evaluation));
  return { evaluation, plan: buildPlan({ evaluation, locationId, ledger, apps: (id) => deps.apps?.describe(id) ?? null, payload: event.payload }), locationId };
}

/** App actions exist and their inputs pass the action's schema (a per-run mapping error otherwise). */
function checkAppActions(apps: AppActions | undefined, evaluation: RecipeEvaluation): RecipeEvaluation['errors'] {
  return evaluation.actions.flatMap((a) => {
    if (a.type !== 'app') return [];
    const info = apps?.describe(a.action);
    if (!info) return [{ field: `app:${a.action}`, message: apps ? `no connector offers the action "${a.action}"` : 'no connectors are configured for app actions' }];
    // an input that reads a step output holds a placeholder until apply: its value is checked by the app then
    const later = (field: string) => a.deferred?.some((d) => field === d.key || field.startsWith(`${d.key}.`) || field.startsWith(`${d.key}[`)) ?? false;
    return info.validate(a.input).filter((e) => !later(e.field)).map((e) => ({ field: `app:${a.action}.input${e.field ? `.${e.field}` : ''}`, message: e.message }));
  });
}
