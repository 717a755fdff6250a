import { z } from 'zod';
import { defineRoute } from '../contract.js';
import { requireRecipe } from './recipe-lookup.js';
import { idText } from './shared.js';

/** `POST /api/v1/recipes/{id}/resume`: a paused recipe (by hand or auto-paused) works its waiting runs at once. */
export default defineRoute({
  method: 'POST',
  path: '/api/v1/recipes/{id}/resume',
  summary: 'Resume a paused recipe: its waiting runs are worked at once',
  tag: 'recipes',
  auth: true,
  params: z.strictObject({ id: idText }),
  responses: { 200: { description: '{ id, paused: false, changed }', body: z.object({ id: z.string(), paused: z.boolean(), changed: z.boolean() }) } },
  async handler({ params, server, c }) {
    await requireRecipe(server.bridge.db, params.id);
    const changed = await server.bridge.engine.resumeRecipe(params.id);
    if (changed) server.bridge.logger.warn({ recipe: params.id }, 'recipe resumed: its waiting runs are worked now');
    return c.json({ id: params.id, paused: false, changed });
  },
});
