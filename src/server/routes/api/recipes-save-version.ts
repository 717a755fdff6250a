import { z } from 'zod';
import { defineRoute } from '../contract.js';
import { readRecipeInput } from './recipe-body.js';
import { placedIssueSchema, placeIssues } from './recipe-positions.js';
import { idText } from './shared.js';

const diff = z.object({ added: z.number().int(), removed: z.number().int(), lines: z.array(z.string()).describe('unified diff: @@ headers, then lines starting with " ", "-" or "+"') });

/**
 * `POST /api/v1/recipes/{id}/versions {"text": …}`: saves the text as the recipe's next version
 * (what `recipes save` and `start --watch-recipes` do). The text's own `version:` is a floor: a
 * higher one is kept, a lower one becomes newest+1 (and the stored text says so). The same content
 * as the newest version stores nothing (200 `unchanged`).
 */
export default defineRoute({
  method: 'POST',
  path: '/api/v1/recipes/{id}/versions',
  summary: 'Save a recipe text as its next version; the same content as the newest is kept (unchanged)',
  tag: 'recipes',
  auth: true,
  params: z.strictObject({ id: idText }),
  body: z.strictObject({ text: z.string().describe('the recipe as YAML or JSON text (comments are kept)') }),
  responses: {
    201: { description: 'a new version, with the unified diff against the previous one', body: z.object({ outcome: z.literal('created'), id: z.string(), version: z.number().int(), previous: z.number().int().nullable(), requested: z.number().int(), diff }) },
    200: { description: 'the same content as the newest: nothing stored', body: z.object({ outcome: z.literal('unchanged'), id: z.string(), version: z.number().int(), requested: z.number().int() }) },
    422: { description: 'the text does not validate: every problem, placed in the text', body: z.object({ error: z.object({ code: z.string(), message: z.string(), field: z.string().optional() }), errors: z.array(placedIssueSchema).optional() }) },
  },
  async handler({ params, body, server, c }) {
    const parsed = await readRecipeInput(body);
    if (!parsed.ok) {
      const first = parsed.errors[0]!;
      return c.json({ error: { code: 'invalid-recipe', message: parsed.errors.map((e) => `${e.path || '(recipe)'}: ${e.message}`).join('; '), field: first.path || 'text' }, errors: placeIssues(body.text, parsed.errors) }, 422);
    }
    if (parsed.recipe.id !== params.id) return c.json({ error: { code: 'invalid-recipe', message: `id: the text is recipe ${parsed.recipe.id}, not ${params.id} (save it at /api/v1/recipes/${parsed.recipe.id}/versions)`, field: 'id' } }, 422);
    const saved = await server.bridge.engine.saveRecipeVersion(parsed.recipe, { text: body.text, mode: 'next' });
    if (saved.outcome === 'created') server.bridge.logger.info({ recipe: saved.id, from: saved.previous, to: saved.version }, 'recipe saved');
    return c.json(saved, saved.outcome === 'created' ? 201 : 200);
  },
});
