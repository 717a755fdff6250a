import type { Queryable } from '../../db/types.js';
import type { Finding, Rule, RuleContext } from '../types.js';
import { recipeFields } from '../recipes.js';

/**
 * Pauses a recipe whose last `minRuns` finished runs (succeeded or dead) failed at `failureRatio`
 * or more: a row in `recipe_pauses` (paused_by 'auto'), so the workers leave its runs queued
 * instead of dead-lettering them one by one. The incident is open while that row exists; a resume
 * deletes it. The incident keeps the latest run counted (`latest_run_id`); only later runs count
 * towards the next pause, so a resume is not undone at once by the failures that caused the pause.
 */
export const autoPauseRule: Rule = {
  name: 'autoPause',
  async find(ctx) {
    await pauseFailingRecipes(ctx);
    const { rows } = await ctx.q.query<{ recipe_id: string; reason: string; paused_at: Date | string }>(`select recipe_id, reason, paused_at from recipe_pauses where paused_by = 'auto'`);
    return rows.map((r): Finding => ({
      key: r.recipe_id,
      ...recipeFields(ctx.recipes, r.recipe_id),
      cause: `recipe ${r.recipe_id} was paused automatically: ${r.reason}`,
      advice: `its runs wait, queued; fix the cause (\`ghl-bridge dlq list --recipe ${r.recipe_id}\`), then resume the recipe and replay its dead letters`,
      count: 1,
      latestRunId: latestCounted(r.reason),
      details: { pausedAt: new Date(r.paused_at).toISOString(), reason: r.reason },
    }));
  },
};

async function pauseFailingRecipes(ctx: RuleContext): Promise<void> {
  const rule = ctx.alerts.rules.autoPause;
  for (const recipe of ctx.recipes.values()) {
    const own = recipe.alerts?.autoPause;
    if (own?.enabled === false) continue;
    const minRuns = own?.minRuns ?? rule.minRuns;
    const ratio = own?.failureRatio ?? rule.failureRatio;
    const last = await lastFinished(ctx.q, recipe.id, minRuns);
    if (last.finished < minRuns || last.dead / last.finished < ratio) continue;
    const reason = `${last.dead} of its last ${last.finished} finished runs failed (auto-pause at ${Math.round(ratio * 100)}%), ${LATEST} ${last.latestRunId}`;
    const { rowCount } = await ctx.q.query(`insert into recipe_pauses (recipe_id, paused_by, reason) values ($1, 'auto', $2) on conflict (recipe_id) do nothing`, [recipe.id, reason]);
    if (rowCount > 0) ctx.log.warn({ rule: 'autoPause', recipe: recipe.id, connection: recipe.connection, cause: reason }, `recipe ${recipe.id} paused automatically`);
  }
}

async function lastFinished(q: Queryable, recipeId: string, n: number): Promise<{ finished: number; dead: number; latestRunId: number | null }> {
  const { rows } = await q.query<{ finished: string; dead: string; latest: string | null }>(
    `select count(*) as finished, count(*) filter (where status = 'dead') as dead, max(id) as latest
       from (select id, status from runs
              where recipe_id = $1 and status in ('succeeded', 'dead') and dry_run = false
                and id > coalesce((select max(latest_run_id) from incidents where rule = 'autoPause' and key = $1), 0)
              order by finished_at desc, id desc limit $2) x`,
    [recipeId, n],
  );
  const r = rows[0]!;
  return { finished: Number(r.finished), dead: Number(r.dead), latestRunId: r.latest === null ? null : Number(r.latest) };
}

const LATEST = 'the latest run';

/** The latest run counted by a pause, as its reason says it (the one place it is kept until the incident holds it). */
function latestCounted(reason: string): number | null {
  const m = new RegExp(`${LATEST} (\\d+)$`).exec(reason);
  return m ? Number(m[1]) : null;
}
