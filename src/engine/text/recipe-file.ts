import { readTextFile, type TextRead } from './decode.js';
import { RECIPE_TEXT_LIMIT } from './limits.js';

/**
 * A recipe or schedule file's text: at most `RECIPE_TEXT_LIMIT`, UTF-8, no binary. File-system
 * errors are thrown as they are (the caller words "no such file").
 *
 * @example
 * const r = readRecipeFile('recipes/app-signup.yaml');
 * if (!r.ok) console.error(`recipes/app-signup.yaml: ${r.problem}`);
 */
export function readRecipeFile(file: string): TextRead {
  return readTextFile(file, RECIPE_TEXT_LIMIT);
}
