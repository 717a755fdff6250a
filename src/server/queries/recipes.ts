import type { Queryable } from '../../engine/db/types.js';
import type { Recipe } from '../../engine/recipes/types.js';

export interface RecipeSummary {
  id: string;
  version: number;
  enabled: boolean;
  trigger: Recipe['trigger'];
  connection: string;
  name?: string;
}

/** The newest version of every recipe, by id, with its enabled flag (the column `setRecipeEnabled` writes). */
export async function listRecipes(db: Queryable): Promise<RecipeSummary[]> {
  const { rows } = await db.query<{ definition: Recipe; enabled: boolean; version: number }>('select distinct on (id) id, version, definition, enabled from recipes order by id, version desc');
  return rows.map((r) => ({ id: r.definition.id, version: r.version, enabled: r.enabled, trigger: r.definition.trigger, connection: r.definition.connection, ...(r.definition.name ? { name: r.definition.name } : {}) }));
}

/** The newest version of one recipe (enabled or not). */
export async function newestRecipe(db: Queryable, id: string): Promise<{ recipe: Recipe; enabled: boolean } | null> {
  const { rows } = await db.query<{ definition: Recipe; enabled: boolean }>('select definition, enabled from recipes where id = $1 order by version desc limit 1', [id]);
  return rows[0] ? { recipe: rows[0].definition, enabled: rows[0].enabled } : null;
}
