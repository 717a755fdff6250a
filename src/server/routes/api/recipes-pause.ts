import { z } from 'zod';
import { defineRoute } from '../contract.js';
import { requireRecipe } from './recipe-lookup.js';
import { idText } from './shared.js';

/**
 * `POST /api/v1/recipes/{id}/pause`: the recipe's runs wait, queued, until it is resumed; events
 * are still taken in and queued (unlike disable, which stops new runs). Nothing is lost.
 */
export default defineRoute({
  method: 'POST',
  path: '/api/v1/recipes/{id}/pause',
  summary: 'Pause a recipe: its runs wait, queued, until resumed (events are still taken in)',
  tag: 'recipes',
  auth: true,
  params: z.strictObject({ id: idText }),
  body: z.strictObject({ reason: z.string().min(1).max(500).optional() }).optional(),
  responses: { 200: { description: '{ id, paused: true, changed }', body: z.object({ id: z.string(), paused: z.boolean(), changed: z.boolean() }) } },
  async handler({ params, body, server, c }) {
    await requireRecipe(server.bridge.db, params.id);
    const changed = await server.bridge.engine.pauseRecipe(params.id, { by: 'user', reason: body?.reason ?? 'paused by hand' });
    if (changed) server.bridge.logger.warn({ recipe: params.id, reason: body?.reason ?? 'paused by hand' }, 'recipe paused: its runs wait until it is resumed');
    return c.json({ id: params.id, paused: true, changed });
  },
});
