import { z } from 'zod';
import { setRecipeEnabled } from '../../../engine/recipe-store.js';
import { ApiError } from '../../http/errors.js';
import { newestRecipe } from '../../queries/recipes.js';
import { defineRoute } from '../contract.js';
import { idText } from './shared.js';

export default defineRoute({
  method: 'POST',
  path: '/api/v1/recipes/{id}/enable',
  summary: 'Enable a recipe (every version)',
  tag: 'recipes',
  auth: true,
  params: z.strictObject({ id: idText }),
  responses: { 200: { description: '{ id, enabled }' } },
  async handler({ params, server, c }) {
    if (!(await newestRecipe(server.bridge.db, params.id))) throw new ApiError(404, 'not-found', `no recipe "${params.id}"`);
    await setRecipeEnabled(server.bridge.db, params.id, true);
    return c.json({ id: params.id, enabled: true });
  },
});
