import { explainDeadLetter, recipeLocator, type DeadLetterExplanation } from '../../engine/index.js';
import type { Bridge } from '../bridge.js';
import type { RunSummary } from './runs.js';

/**
 * An explainer of dead letters for one answer: the recipes folder is read once and the
 * connections listed once (their summaries: never a secret), however many runs it explains.
 *
 * @example
 * const explain = deadLetterExplainer(server.bridge);
 * const items = await Promise.all(rows.map(async (r) => ({ ...r, explanation: await explain(r) })));
 */
export function deadLetterExplainer(bridge: Pick<Bridge, 'config' | 'engine' | 'connections'>): (run: Pick<RunSummary, 'id' | 'recipeId' | 'recipeVersion' | 'attempts' | 'error'>) => Promise<DeadLetterExplanation> {
  const locate = recipeLocator(bridge.config.recipes.dir);
  let connections: Promise<Map<string, { id: string; config: Record<string, unknown> }>> | null = null;
  return async (run) => {
    const recipe = await bridge.engine.recipeVersion(run.recipeId, run.recipeVersion);
    connections ??= bridge.connections.list().then((all) => new Map(all.map((c) => [c.id, { id: c.id, config: c.config }])));
    const connection = recipe ? ((await connections).get(recipe.connection) ?? null) : null;
    return explainDeadLetter(run, { recipe, connection, locate });
  };
}
