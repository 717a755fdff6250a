/**
 * One recipe file of the recipes folder, read, parsed and saved: what `start` does for each file
 * at boot and `start --watch-recipes` does for each changed one, so both say the same things.
 */
import type { Engine, SaveMode, SaveOutcome } from '../engine/index.js';
import { parseRecipe } from '../engine/recipes/index.js';
import { readRecipeFile } from '../engine/text/recipe-file.js';

export type RecipeFileSave =
  | { kind: 'saved'; outcome: SaveOutcome }
  /** every problem, each as `<file>: <path>: <message>` */
  | { kind: 'invalid'; problems: string[] }
  /** not in `recipes.only` */
  | { kind: 'skipped'; id: string };

/**
 * @example
 * const r = await saveRecipeFile(bridge.engine, 'recipes/app-signup.yaml', 'next');
 * if (r.kind === 'saved' && r.outcome.outcome === 'created') log(`v${r.outcome.version}`);
 */
export async function saveRecipeFile(engine: Pick<Engine, 'saveRecipeVersion'>, file: string, mode: SaveMode, only?: string[]): Promise<RecipeFileSave> {
  let text: ReturnType<typeof readRecipeFile>;
  try {
    text = readRecipeFile(file);
  } catch (e) {
    return { kind: 'invalid', problems: [`${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`] };
  }
  if (!text.ok) return { kind: 'invalid', problems: [`${file}: ${text.problem}`] };
  const parsed = parseRecipe(text.text);
  if (!parsed.ok) return { kind: 'invalid', problems: parsed.errors.map((e) => `${file}: ${e.path || '(recipe)'}: ${e.message}`) };
  if (only && !only.includes(parsed.recipe.id)) return { kind: 'skipped', id: parsed.recipe.id };
  return { kind: 'saved', outcome: await engine.saveRecipeVersion(parsed.recipe, { text: text.text, mode }) };
}

/**
 * Why a file was not saved at boot although valid: the database holds a newer version (saved by
 * `recipes save` or the API), which goes on running.
 *
 * @example
 * behindProblem('recipes/a.yaml', { outcome: 'behind', id: 'a', version: 3, requested: 2 });
 */
export function behindProblem(file: string, o: { id: string; version: number; requested: number }): string {
  return `${file}: version ${o.requested} differs from the stored ${o.id} v${o.version}, which stays in use (raise the file's version, \`ghl-bridge recipes save ${file}\` to save it as v${o.version + 1}, or \`ghl-bridge recipes export ${o.id} --out <dir>\` to bring the file up to date)`;
}
