import { z } from 'zod';
import { parseRecipeYielding, type ParseRecipeResult } from '../../../engine/recipes/index.js';
import { RECIPE_TEXT_LIMIT, sizeProblem } from '../../../engine/text/limits.js';
import { ApiError } from '../../http/errors.js';

/**
 * A recipe as a JSON object, or `{ text }` holding YAML or JSON. The object itself is checked by
 * `parseRecipe` (its own errors with paths); this schema only refuses what is neither.
 */
export const recipeInput = z.record(z.string(), z.unknown()).superRefine((o, ctx) => {
  if (!('text' in o)) return;
  if (typeof o.text !== 'string') ctx.addIssue({ code: 'custom', path: ['text'], message: 'expected the recipe as YAML or JSON text' });
  const extra = Object.keys(o).find((k) => k !== 'text');
  if (extra) ctx.addIssue({ code: 'custom', path: [extra], message: `unknown field "${extra}" beside "text" (send either a recipe object or { text })` });
});

/**
 * Parses the body's recipe (text or object) without holding up the event loop for long. A recipe
 * over `RECIPE_TEXT_LIMIT` is a 413 naming both sizes (field `text`, or `body` for an object).
 *
 * @example
 * const parsed = await readRecipeInput({ text: 'id: r\nversion: 1\n…' });
 */
export async function readRecipeInput(input: Record<string, unknown>): Promise<ParseRecipeResult> {
  if (typeof input.text === 'string') {
    const tooLarge = sizeProblem('recipe text', Buffer.byteLength(input.text, 'utf8'), RECIPE_TEXT_LIMIT);
    if (tooLarge) throw new ApiError(413, 'too-large', `text: ${tooLarge}`, 'text');
    return parseRecipeYielding(input.text);
  }
  const tooLarge = sizeProblem('recipe (as JSON)', Buffer.byteLength(JSON.stringify(input), 'utf8'), RECIPE_TEXT_LIMIT);
  if (tooLarge) throw new ApiError(413, 'too-large', `body: ${tooLarge}`, 'body');
  return parseRecipeYielding(input);
}
