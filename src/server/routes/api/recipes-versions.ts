import { z } from 'zod';
import { recipeHistory } from '../../../engine/index.js';
import { changeSummary } from '../../../engine/text/line-diff.js';
import { defineRoute } from '../contract.js';
import { recipeNotFound } from './recipe-lookup.js';
import { idText } from './shared.js';

/** `GET /api/v1/recipes/{id}/versions`: every version, newest first, with what changed from the one before. */
export default defineRoute({
  method: 'GET',
  path: '/api/v1/recipes/{id}/versions',
  summary: 'Every version of a recipe, newest first, with the lines changed from the one before',
  tag: 'recipes',
  auth: true,
  params: z.strictObject({ id: idText }),
  responses: {
    200: {
      description: '{ id, items: [{ version, savedAt, enabled, added, removed, summary }] }',
      body: z.object({ id: z.string(), items: z.array(z.object({ version: z.number().int(), savedAt: z.string(), enabled: z.boolean(), added: z.number().int(), removed: z.number().int(), summary: z.string() })) }),
    },
  },
  async handler({ params, server, c }) {
    const items = await recipeHistory(server.bridge.db, params.id);
    if (items.length === 0) throw await recipeNotFound(server.bridge.db, params.id);
    return c.json({ id: params.id, items: items.map((v, i) => ({ ...v, summary: i === items.length - 1 ? `first version (${v.added} line${v.added === 1 ? '' : 's'})` : changeSummary(v) })) });
  },
});
