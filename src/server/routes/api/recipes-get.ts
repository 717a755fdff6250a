import { z } from 'zod';
import { recipeVersionText } from '../../../engine/index.js';
import { ApiError } from '../../http/errors.js';
import { defineRoute } from '../contract.js';
import { recipeNotFound } from './recipe-lookup.js';
import { idText } from './shared.js';

/** `GET /api/v1/recipes/{id}?version=N`: one version (default the newest) with the text it was saved from. */
export default defineRoute({
  method: 'GET',
  path: '/api/v1/recipes/{id}',
  summary: 'One recipe version (default the newest) with its text as saved, comments included',
  tag: 'recipes',
  auth: true,
  params: z.strictObject({ id: idText }),
  query: z.strictObject({ version: z.coerce.number().int().min(1).max(2_147_483_647).optional() }),
  responses: {
    200: {
      description: "{ id, version, versions, savedAt, enabled, text, savedFrom ('text', or 'object': the text is the definition as YAML), definition }",
      body: z.object({ id: z.string(), version: z.number().int(), versions: z.number().int().describe('the newest version'), savedAt: z.string(), enabled: z.boolean(), text: z.string(), savedFrom: z.enum(['text', 'object']), definition: z.record(z.string(), z.unknown()) }),
    },
  },
  async handler({ params, query, server, c }) {
    const { db } = server.bridge;
    const newest = await recipeVersionText(db, params.id);
    if (!newest) throw await recipeNotFound(db, params.id);
    const found = query.version === undefined ? newest : await recipeVersionText(db, params.id, query.version);
    if (!found) throw new ApiError(404, 'not-found', `recipe ${params.id} has no version ${query.version} (its newest is v${newest.version}; \`ghl-bridge recipes history ${params.id}\` lists them)`, 'version');
    return c.json({ id: params.id, version: found.version, versions: newest.version, savedAt: found.savedAt, enabled: found.enabled, text: found.text, savedFrom: found.savedFrom, definition: found.definition });
  },
});
