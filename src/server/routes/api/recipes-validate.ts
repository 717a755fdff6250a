import { z } from 'zod';
import { defineRoute } from '../contract.js';
import { readRecipeInput, recipeInput } from './recipe-body.js';
import { placedIssueSchema, placeIssues } from './recipe-positions.js';

const issue = placedIssueSchema.partial({ line: true, column: true, endLine: true, endColumn: true });

export default defineRoute({
  method: 'POST',
  path: '/api/v1/recipes/validate',
  summary: 'Validate a recipe (object, or { text } in YAML/JSON); nothing is saved. Problems of a text carry their line and column',
  tag: 'recipes',
  auth: true,
  body: recipeInput,
  responses: { 200: { description: '{ ok, errors: [{ path, message, line?, column?, endLine?, endColumn? }] } (positions for a text)', body: z.object({ ok: z.boolean(), errors: z.array(issue) }) } },
  async handler({ body, c }) {
    const parsed = await readRecipeInput(body);
    if (parsed.ok) return c.json({ ok: true, errors: [] });
    return c.json({ ok: false, errors: typeof body.text === 'string' ? placeIssues(body.text, parsed.errors) : parsed.errors });
  },
});
