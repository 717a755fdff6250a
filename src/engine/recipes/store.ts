import type { Queryable } from '../db/types.js';
import type { Recipe } from './types.js';
import { stableJson } from '../plan/hash.js';

/**
 * Recipes by id and version. A run records the version it used; a version, once saved, never
 * changes (saving different content under an existing version is refused).
 */
export async function saveRecipe(db: Queryable, recipe: Recipe, text?: string): Promise<void> {
  const { rows } = await db.query<{ definition: Recipe }>('select definition from recipes where id = $1 and version = $2', [recipe.id, recipe.version]);
  if (rows[0]) {
    if (stableJson(rows[0].definition) !== stableJson(recipe)) throw new Error(`recipe ${recipe.id} version ${recipe.version} exists with other content: raise the version`);
    return;
  }
  // `text`: what the recipe was parsed from, so `recipes show` prints it as written
  await db.query('insert into recipes (id, version, definition, enabled, source) values ($1, $2, $3, $4, $5)', [recipe.id, recipe.version, JSON.stringify(recipe), recipe.enabled !== false, text ?? null]);
}

/** The newest version of every enabled recipe. */
export async function activeRecipes(db: Queryable): Promise<Recipe[]> {
  const { rows } = await db.query<{ definition: Recipe; enabled: boolean }>(
    `select distinct on (id) definition, enabled from recipes order by id, version desc`,
  );
  // the column is what enable/disable switch (it starts as the file's `enabled`)
  return rows.filter((r) => r.enabled).map((r) => r.definition);
}

export async function recipeVersion(db: Queryable, id: string, version: number): Promise<Recipe | null> {
  const { rows } = await db.query<{ definition: Recipe }>('select definition from recipes where id = $1 and version = $2', [id, version]);
  return rows[0]?.definition ?? null;
}

export async function setRecipeEnabled(db: Queryable, id: string, enabled: boolean): Promise<void> {
  await db.query('update recipes set enabled = $2 where id = $1', [id, enabled]);
}

/**
 * `recipeVersion` through a cache: a saved version never changes, so it is read once per process.
 * A version not found is asked again next time.
 *
 * @example
 * const versionOf = recipeVersionCache(db);
 * const recipe = await versionOf('candidates', 3);
 */
export function recipeVersionCache(db: Queryable): (id: string, version: number) => Promise<Recipe | null> {
  const cache = new Map<string, Recipe>();
  return async (id, version) => {
    const key = `${version}:${id}`;
    const hit = cache.get(key);
    if (hit) return hit;
    const recipe = await recipeVersion(db, id, version);
    if (recipe) cache.set(key, recipe);
    return recipe;
  };
}
