import type { Queryable } from '../../engine/db/types.js';
import type { Recipe } from '../../engine/recipes/types.js';

export interface RecipeSummary {
  id: string;
  version: number;
  enabled: boolean;
  trigger: Recipe['trigger'];
  connection: string;
  name?: string;
  /** set while paused: its runs wait, queued */
  paused?: { by: 'auto' | 'user'; reason: string; since: string };
}

/** The newest version of every recipe, by id, with its enabled flag (the column `setRecipeEnabled` writes) and its pause. */
export async function listRecipes(db: Queryable): Promise<RecipeSummary[]> {
  const { rows } = await db.query<{ definition: Recipe; enabled: boolean; version: number; paused_by: 'auto' | 'user' | null; pause_reason: string | null; paused_at: Date | string | null }>(
    `select distinct on (r.id) r.id, r.version, r.definition, r.enabled, p.paused_by, p.reason as pause_reason, p.paused_at
       from recipes r left join recipe_pauses p on p.recipe_id = r.id order by r.id, r.version desc`,
  );
  return rows.map((r) => ({
    id: r.definition.id,
    version: r.version,
    enabled: r.enabled,
    trigger: r.definition.trigger,
    connection: r.definition.connection,
    ...(r.definition.name ? { name: r.definition.name } : {}),
    ...(r.paused_by ? { paused: { by: r.paused_by, reason: r.pause_reason ?? '', since: new Date(r.paused_at!).toISOString() } } : {}),
  }));
}

/** The newest version of one recipe (enabled or not). */
export async function newestRecipe(db: Queryable, id: string): Promise<{ recipe: Recipe; enabled: boolean } | null> {
  const { rows } = await db.query<{ definition: Recipe; enabled: boolean }>('select definition, enabled from recipes where id = $1 order by version desc limit 1', [id]);
  return rows[0] ? { recipe: rows[0].definition, enabled: rows[0].enabled } : null;
}
