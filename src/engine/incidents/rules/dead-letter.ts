import type { Finding, Rule } from '../types.js';
import { recipeFields } from '../recipes.js';
import { oneLine, plural } from '../text.js';

/**
 * What to do about dead letters of one error code.
 *
 * @example
 * deadLetterAdvice('MAPPING', 'app-signup'); // "the recipe's mapping cannot read these events: fix recipe app-signup …"
 * deadLetterAdvice('SERVER', 'app-signup', { runId: 12 }); // "look at one run (`ghl-bridge runs show 12`) …"
 */
export function deadLetterAdvice(code: string, recipeId: string, o: { runId?: number; connection?: string | null } = {}): string {
  const replay = `then replay them: \`ghl-bridge dlq replay --all\` (or dismiss them)`;
  if (code === 'MAPPING') return `the recipe's mapping cannot read these events: fix recipe ${recipeId} (or the source data), ${replay}`;
  // how to renew them depends on the connection's auth kind (a new PIT, or OAuth again): `connections test` says which
  if (code === 'AUTHENTICATION' || code === 'FORBIDDEN') {
    const how = o.connection ? `\`ghl-bridge connections test ${o.connection}\` says how to renew them` : '`ghl-bridge connections test` with the recipe\'s GHL connection says how to renew them';
    return `HighLevel refused the credentials: ${how}, ${replay}`;
  }
  if (code === 'APP') return `the source app refused the action: check the app connection and its permissions, ${replay}`;
  const look = o.runId === undefined ? 'look at one run (`ghl-bridge runs list --status dead`, then `runs show` with its id)' : `look at one run (\`ghl-bridge runs show ${o.runId}\`)`;
  return `${look} for the error, fix its cause, ${replay}`;
}

/**
 * Dead letters, grouped by recipe, error code and the step that failed (`-` when it failed before
 * any step, e.g. a mapping error): one incident per group while any such dead run remains; it
 * resolves when none remain (replayed, dismissed).
 */
export const deadLetterRule: Rule = {
  name: 'deadLetter',
  async find({ q, recipes }) {
    const { rows } = await q.query<{ recipe_id: string; code: string; step: string; action: string | null; n: string; first: string; latest: string; reason: string | null }>(
      `select r.recipe_id, coalesce(r.error->>'code', 'ERROR') as code, coalesce(f.step::text, '-') as step, min(f.action) as action,
              count(*) as n, min(r.id) as first, max(r.id) as latest, (array_agg(r.error->>'reason' order by r.id desc))[1] as reason
         from runs r
         left join lateral (select s.step, s.action from run_steps s where s.run_id = r.id and s.status <> 'done' order by s.step limit 1) f on true
        where r.status = 'dead' and r.dry_run = false
        group by 1, 2, 3`,
    );
    return rows.map((r): Finding => {
      const n = Number(r.n);
      const where = r.step === '-' ? '' : ` at step ${r.step}${r.action ? ` (${r.action})` : ''}`;
      return {
        key: `${r.recipe_id}|${r.code}|${r.step}`,
        ...recipeFields(recipes, r.recipe_id),
        cause: oneLine(`${plural(n, 'dead run')} of recipe ${r.recipe_id}: ${r.code}${where}: ${r.reason ?? 'no reason recorded'}`),
        advice: deadLetterAdvice(r.code, r.recipe_id, { runId: Number(r.first), connection: recipes.get(r.recipe_id)?.connection ?? null }),
        count: n,
        firstRunId: Number(r.first),
        latestRunId: Number(r.latest),
        details: { code: r.code, step: r.step },
      };
    });
  },
};
