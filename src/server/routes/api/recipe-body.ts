import { z } from 'zod';
import { parseRecipe, type ParseRecipeResult } from '../../../engine/recipes/index.js';

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

export function readRecipeInput(input: Record<string, unknown>): ParseRecipeResult {
  return typeof input.text === 'string' ? parseRecipe(input.text) : parseRecipe(input);
}
