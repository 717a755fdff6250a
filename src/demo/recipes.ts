/**
 * The ready-made recipes, loaded for the demo. `app-signup.yaml` assigns its welcome task to
 * `REPLACE_WITH_GHL_USER_ID`; the demo saves it with the sandbox location's user there instead.
 *
 * Why substitute while loading (same id, the file's version) rather than save a corrected copy
 * under a higher version: a saved version never changes, so loading the file as it is would store
 * a version 1 that assigns tasks to a user who does not exist, and `recipes list` would show a
 * version the recipes folder does not have. Substituted before the first save, the stored version
 * is the file's, and every restart substitutes the same user (the sandbox keeps its state), so the
 * content is identical and the save is a no-op. Consequence: in demo mode the CLI must not call
 * `bridge.loadRecipes()` itself (it would try to save the placeholder under the same version:
 * reported as a problem, not applied) — `wireDemo` returns the load report instead.
 */
import type { Engine, Recipe } from '../engine/index.js';
import { loadRecipesDir, type Bridge, type RecipeLoad } from '../server/bridge.js';

export const USER_PLACEHOLDER = 'REPLACE_WITH_GHL_USER_ID';

/** The recipe with every `{ value: REPLACE_WITH_GHL_USER_ID }` (anywhere) replaced by the user id. */
export function withGhlUser(recipe: Recipe, userId: string): Recipe {
  const walk = (v: unknown): unknown => {
    if (v === USER_PLACEHOLDER) return userId;
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(recipe) as Recipe;
}

/**
 * @example
 * const load = await loadDemoRecipes(bridge, sandboxUserId); // { loaded, schedules, problems }
 */
export async function loadDemoRecipes(bridge: Pick<Bridge, 'engine' | 'config'>, ghlUserId: string): Promise<RecipeLoad> {
  // the text too, so `recipes show` prints the version as stored
  const engine: Pick<Engine, 'saveRecipeVersion'> = { saveRecipeVersion: (recipe, o) => bridge.engine.saveRecipeVersion(withGhlUser(recipe, ghlUserId), { ...o, text: o.text?.replaceAll(USER_PLACEHOLDER, ghlUserId) }) };
  return loadRecipesDir(engine, bridge.config.recipes.dir, bridge.config.recipes.only);
}
