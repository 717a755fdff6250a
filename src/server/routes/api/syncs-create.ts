import { z } from 'zod';
import { sourceMismatch } from '../../../connectors/runtime/sync-target.js';
import { activeRecipes } from '../../../engine/index.js';
import { conditionSchema } from '../../../engine/recipes/index.js';
import { ApiError } from '../../http/errors.js';
import { newestRecipe } from '../../queries/recipes.js';
import { defineRoute } from '../contract.js';
import { syncAcceptedSchema } from './syncs-schema.js';
import { recipeNotFound } from './recipe-lookup.js';

/** Checks what `fullSync` would refuse, so a bad request is answered now rather than failing after 202. */
export async function checkSyncTarget(bridge: import('../../bridge.js').Bridge, connectionId: string, recipeId: string): Promise<void> {
  const all = await bridge.connections.list();
  const stored = all.find((s) => s.id === connectionId);
  if (!stored) throw new ApiError(404, 'not-found', `no connection "${connectionId}"`, 'connection');
  const recipe = (await activeRecipes(bridge.db)).find((r) => r.id === recipeId);
  if (!recipe) {
    // a typo is named as such; a recipe that exists but is disabled is told apart
    if (!(await newestRecipe(bridge.db, recipeId))) throw await recipeNotFound(bridge.db, recipeId, 'recipe');
    throw new ApiError(404, 'not-found', `no enabled recipe "${recipeId}"`, 'recipe');
  }
  // every record would be listed and none run: the recipe never sees this connection's events
  const mismatch = sourceMismatch(recipe, stored, all);
  if (mismatch) throw new ApiError(400, 'invalid-input', mismatch, 'connection');
  const connector = bridge.registry.forApp(stored.app);
  if (!connector?.listAll) throw new ApiError(409, 'conflict', `${stored.app} connections cannot list all their records`, 'connection');
}

export default defineRoute({
  method: 'POST',
  path: '/api/v1/syncs',
  summary: 'Start a full sync of an app connection through one recipe (runs in the server process)',
  tag: 'syncs',
  auth: true,
  body: z.strictObject({ connection: z.string().min(1).max(200), recipe: z.string().min(1).max(200), filter: conditionSchema.optional() }),
  responses: { 202: { description: 'started: poll GET /syncs/{id}', body: syncAcceptedSchema } },
  async handler({ body, server, c }) {
    await checkSyncTarget(server.bridge, body.connection, body.recipe);
    const id = await server.syncs.start({ connectionId: body.connection, recipeId: body.recipe, filter: body.filter });
    c.header('location', `/api/v1/syncs/${id}`);
    return c.json({ id }, 202);
  },
});
