import type { Finding, Rule } from '../types.js';
import { recipeFields } from '../recipes.js';
import { plural } from '../text.js';

/**
 * A recipe whose share of dead runs among its finished ones (succeeded or dead; a skipped run was
 * filtered out, not failed) over the last `windowMinutes` is at least `threshold`, with at least
 * `minRuns` finished. The recipe's `alerts.failureRate` overrides the numbers (or turns it off).
 * Not while the recipe has an open dead-letter incident (evaluated first): one cause, one message.
 */
export const failureRateRule: Rule = {
  name: 'failureRate',
  async find({ q, alerts, now, recipes }) {
    const rule = alerts.rules.failureRate;
    const { rows } = await q.query<{ recipe_id: string; minutes: number; finished: string; dead: string; first: string | null; latest: string | null }>(
      `with w as (select id, coalesce(nullif(definition->'alerts'->'failureRate'->>'windowMinutes', '')::int, $2::int) as minutes
                    from (select distinct on (id) id, definition from recipes order by id, version desc) x)
       select r.recipe_id, w.minutes, count(*) as finished, count(*) filter (where r.status = 'dead') as dead,
              min(r.id) filter (where r.status = 'dead') as first, max(r.id) filter (where r.status = 'dead') as latest
         from runs r join w on w.id = r.recipe_id
        where r.status in ('succeeded', 'dead') and r.dry_run = false
          and r.finished_at > to_timestamp($1::double precision / 1000) - make_interval(mins => w.minutes)
          -- an open dead-letter incident of the recipe already tells (with the cause): no second message
          and not exists (select 1 from incidents i where i.rule = 'deadLetter' and i.status = 'open' and i.recipe_id = r.recipe_id)
        group by r.recipe_id, w.minutes`,
      [now, rule.windowMinutes],
    );
    const found: Finding[] = [];
    for (const r of rows) {
      const own = recipes.get(r.recipe_id)?.alerts?.failureRate;
      if (own?.enabled === false) continue;
      const threshold = own?.threshold ?? rule.threshold;
      const minRuns = own?.minRuns ?? rule.minRuns;
      const finished = Number(r.finished);
      const dead = Number(r.dead);
      if (finished < minRuns || dead / finished < threshold) continue;
      found.push({
        key: r.recipe_id,
        ...recipeFields(recipes, r.recipe_id),
        cause: `recipe ${r.recipe_id}: ${Math.round((dead / finished) * 100)}% of its runs failed in the last ${r.minutes} min (${dead} of ${plural(finished, 'finished run')})`,
        advice: `look at its dead letters (\`ghl-bridge dlq list --recipe ${r.recipe_id}\`) for the cause; fix it, then replay them`,
        count: dead,
        firstRunId: r.first === null ? null : Number(r.first),
        latestRunId: r.latest === null ? null : Number(r.latest),
        details: { finished, dead, windowMinutes: r.minutes, threshold },
      });
    }
    return found;
  },
};
