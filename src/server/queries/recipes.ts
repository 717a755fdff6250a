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

/** A recipe's runs: finished in the last 24 hours by outcome, and waiting now (queued or running). */
export interface RecipeOutcomes {
  succeeded: number;
  skipped: number;
  dead: number;
  queued: number;
}

/**
 * Outcome counts per recipe id (dry runs left out): `succeeded`, `skipped`, `dead` finished in the
 * last 24 hours, `queued` waiting or running now. A recipe without runs is absent. Two index reads
 * joined: the finished ones by the run's time (`runs_list_at`, migration 012: a finished run's
 * time is its `finished_at`), the waiting ones by status (`runs_status`, migration 001).
 */
export async function recipeOutcomes(db: Queryable, hours = 24): Promise<Map<string, RecipeOutcomes>> {
  const { rows } = await db.query<{ recipe_id: string; succeeded: string; skipped: string; dead: string; queued: string }>(
    `select recipe_id,
            count(*) filter (where status = 'succeeded') as succeeded,
            count(*) filter (where status = 'skipped') as skipped,
            count(*) filter (where status = 'dead') as dead,
            count(*) filter (where status in ('queued', 'running')) as queued
       from (select recipe_id, status from runs
              where dry_run = false and status in ('succeeded', 'skipped', 'dead')
                and coalesce(finished_at, created_at) >= now() - make_interval(hours => $1::int)
                and finished_at >= now() - make_interval(hours => $1::int)
             union all
             select recipe_id, status from runs where dry_run = false and status in ('queued', 'running')) counted
      group by recipe_id`,
    [hours],
  );
  return new Map(rows.map((r) => [r.recipe_id, { succeeded: Number(r.succeeded), skipped: Number(r.skipped), dead: Number(r.dead), queued: Number(r.queued) }]));
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
