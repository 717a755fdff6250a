import { z } from 'zod';
import { setRecipeEnabled } from '../../../engine/recipes/store.js';
import { defineRoute } from '../contract.js';
import { requireRecipe } from './recipe-lookup.js';
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
    responses: { 200: { description: '{ id, enabled }', body: z.object({ id: z.string(), enabled: z.boolean() }) } },
    async handler({ params, server, c }) {
      await requireRecipe(server.bridge.db, params.id);
      await setRecipeEnabled(server.bridge.db, params.id, enabled);
      return c.json({ id: params.id, enabled });
    },
  });
}
