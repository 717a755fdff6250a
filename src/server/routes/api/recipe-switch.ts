import { z } from 'zod';
import { setRecipeEnabled } from '../../../engine/recipes/store.js';
import { ApiError } from '../../http/errors.js';
import { newestRecipe } from '../../queries/recipes.js';
import { defineRoute } from '../contract.js';
import { idText } from './shared.js';

/**
 * `POST /api/v1/recipes/{id}/enable` or `…/disable`: the two routes differ only in the state they set.
 *
 * @example
 * export default recipeSwitchRoute(true); // recipes-enable.ts
 */
export function recipeSwitchRoute(enabled: boolean) {
  const verb = enabled ? 'enable' : 'disable';
  return defineRoute({
    method: 'POST',
    path: `/api/v1/recipes/{id}/${verb}`,
    summary: `${enabled ? 'Enable' : 'Disable'} a recipe (every version)`,
    tag: 'recipes',
    auth: true,
    params: z.strictObject({ id: idText }),
    responses: { 200: { description: '{ id, enabled }' } },
    async handler({ params, server, c }) {
      if (!(await newestRecipe(server.bridge.db, params.id))) throw new ApiError(404, 'not-found', `no recipe "${params.id}"`);
      await setRecipeEnabled(server.bridge.db, params.id, enabled);
      return c.json({ id: params.id, enabled });
    },
  });
}
