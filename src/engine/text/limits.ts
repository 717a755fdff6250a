/**
 * The size limits of configuration and recipe text, and how many problems a list shows: one
 * place, so the API, the CLI and `start` refuse the same things with the same words.
 */

/** Largest recipe (or schedule) text: real recipes are 1–3 KiB, so this fits the largest twenty times over. */
export const RECIPE_TEXT_LIMIT = 64 * 1024;

/** Largest configuration file: a real one is 1–3 KiB. */
export const CONFIG_TEXT_LIMIT = 256 * 1024;

/** Problems listed before "and N more": the first ones tell, a list of thousands hides them. */
export const MAX_LISTED_PROBLEMS = 50;

/** Longest problem message shown (a quoted key or snippet is cut before this). */
export const MAX_MESSAGE_LENGTH = 500;

/**
 * A byte count for people: `812 bytes`, `64 KiB`, `1.03 MiB`.
 *
 * @example
 * formatSize(1_080_019); // '1.03 MiB'
 */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${trim(bytes / 1024)} KiB`;
  return `${trim(bytes / (1024 * 1024))} MiB`;
}

function trim(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(2);
}

/**
 * The refusal of a text over its limit, naming both sizes, or null when it fits.
 *
 * @example
 * sizeProblem('file', 1_080_019, RECIPE_TEXT_LIMIT); // 'the file is 1.03 MiB (1,080,019 bytes); the limit is 64 KiB'
 */
export function sizeProblem(noun: string, bytes: number, limit: number): string | null {
  if (bytes <= limit) return null;
  return `the ${noun} is ${formatSize(bytes)} (${bytes.toLocaleString('en-US')} bytes); the limit is ${formatSize(limit)}`;
}
