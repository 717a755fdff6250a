import { z } from 'zod';
import { ApiError } from '../../http/errors.js';
import { defineRoute } from '../contract.js';
import { readRecipeInput, recipeInput } from './recipe-body.js';
import { placeIssues } from './recipe-positions.js';

export default defineRoute({
  method: 'POST',
  path: '/api/v1/recipes',
  summary: 'Save a recipe version (a saved version never changes: raise `version` to change it)',
  tag: 'recipes',
  auth: true,
  body: recipeInput,
  responses: { 201: { description: '{ id, version }', body: z.object({ id: z.string(), version: z.number().int() }) } },
  async handler({ body, server, c }) {
    const parsed = await readRecipeInput(body);
    if (!parsed.ok) {
      const first = parsed.errors[0]!;
      return c.json({ error: { code: 'invalid-recipe', message: parsed.errors.map((e) => `${e.path || '(recipe)'}: ${e.message}`).join('; '), field: first.path || 'body' }, errors: typeof body.text === 'string' ? placeIssues(body.text, parsed.errors) : parsed.errors }, 422);
    }
    try {
      // the text, when sent as one, is kept for `recipes show`
      await server.bridge.engine.saveRecipe(parsed.recipe, typeof body.text === 'string' ? body.text : undefined);
    } catch (e) {
      throw new ApiError(409, 'conflict', (e as Error).message, 'version');
    }
    return c.json({ id: parsed.recipe.id, version: parsed.recipe.version }, 201);
  },
});
