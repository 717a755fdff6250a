import type { Queryable } from '../db/types.js';
import type { RecipeAlerts } from '../recipes/types.js';
import type { RecipeInfo } from './types.js';

/**
 * The newest version of every recipe (enabled or not: a disabled recipe's dead letters are still
 * there), with the location of its GHL connection when the connection says it.
 *
 * @example
 * const recipes = await recipeInfos(db); // Map { 'app-signup' => { connection: 'ghl-main', locationId: 'loc-1', alerts: undefined } }
 */
export async function recipeInfos(q: Queryable): Promise<Map<string, RecipeInfo>> {
  const { rows } = await q.query<{ id: string; connection: string; alerts: RecipeAlerts | null; location_id: string | null }>(
    `select r.id, r.definition->>'connection' as connection, r.definition->'alerts' as alerts, c.config->>'locationId' as location_id
       from (select distinct on (id) id, definition from recipes order by id, version desc) r
       left join connections c on c.id = r.definition->>'connection'`,
  );
  return new Map(rows.map((r) => [r.id, { id: r.id, connection: r.connection, locationId: r.location_id, alerts: r.alerts ?? undefined }]));
}

/** The recipe fields of a finding about one recipe. */
export function recipeFields(recipes: Map<string, RecipeInfo>, recipeId: string): { recipeId: string; connectionId: string | null; locationId: string | null } {
  const info = recipes.get(recipeId);
  return { recipeId, connectionId: info?.connection ?? null, locationId: info?.locationId ?? null };
}
