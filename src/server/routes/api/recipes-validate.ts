import { defineRoute } from '../contract.js';
import { readRecipeInput, recipeInput } from './recipe-body.js';

export default defineRoute({
  method: 'POST',
  path: '/api/v1/recipes/validate',
  summary: 'Validate a recipe (object, or { text } in YAML/JSON); nothing is saved',
  tag: 'recipes',
  auth: true,
  body: recipeInput,
  responses: { 200: { description: '{ ok, errors: [{ path, message }] }' } },
  async handler({ body, c }) {
    const parsed = await readRecipeInput(body);
    return c.json(parsed.ok ? { ok: true, errors: [] } : { ok: false, errors: parsed.errors });
  },
});
