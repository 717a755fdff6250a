/**
 * The one "no such recipe" answer of every route that takes a recipe id, with the nearest id
 * when the given one looks like a typo, so the API and the CLI say the same thing.
 */
import type { Queryable } from '../../../engine/db/types.js';
import { suggest } from '../../../engine/recipes/schema-errors.js';
import { ApiError } from '../../http/errors.js';
import { newestRecipe } from '../../queries/recipes.js';

/** Up to this many ids are listed when none is near. */
const LISTED = 8;

/**
 * The 404 for an unknown recipe id: `no recipe recruitee-candidate (did you mean recruitee-candidates?)`.
 *
 * @example
 * throw await recipeNotFound(db, 'recruitee-candidate');
 */
export async function recipeNotFound(db: Queryable, id: string, field = 'id'): Promise<ApiError> {
  const { rows } = await db.query<{ id: string }>('select distinct id from recipes order by id');
  const ids = rows.map((r) => r.id);
  const near = suggest(id, ids);
  const hint = near !== undefined ? ` (did you mean ${near}?)` : ids.length === 0 ? ' (none is saved yet)' : ids.length <= LISTED ? ` (the recipes are ${ids.join(', ')})` : ' (`ghl-bridge recipes list` shows them)';
  return new ApiError(404, 'not-found', `no recipe ${id}${hint}`, field);
}

/**
 * The newest version of a recipe, or the 404 of `recipeNotFound`.
 *
 * @example
 * const { recipe, enabled } = await requireRecipe(server.bridge.db, params.id);
 */
export async function requireRecipe(db: Queryable, id: string): Promise<NonNullable<Awaited<ReturnType<typeof newestRecipe>>>> {
  const found = await newestRecipe(db, id);
  if (!found) throw await recipeNotFound(db, id);
  return found;
}
