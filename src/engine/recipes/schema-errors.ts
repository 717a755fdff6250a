/**
 * Turns zod issues into recipe errors `{ path, message }` with readable paths
 * (`mapping.contact.phone.transforms[0]`). For a union (a value spec, a transform, a condition)
 * the branch the author evidently meant is chosen, so its own problem is reported rather than
 * "invalid input"; when no branch stands out, the union's message is.
 */
import type { z } from 'zod';
import { formatPath, getPath, type PathSegment } from './paths.js';

/** A problem in a recipe: where (`''` is the recipe itself) and what. */
export interface RecipeIssue {
  path: string;
  message: string;
  /** Only on the line closing a cut list ("and 39,950 more problems"): how many were left out. */
  more?: number;
}

type Issue = z.core.$ZodIssue;

/**
 * Flattens zod issues for `input` into recipe issues (deduplicated, in order).
 *
 * @example
 * const r = recipeSchema.safeParse(input);
 * if (!r.success) toRecipeIssues(r.error.issues, input); // [{ path: 'actions[2].type', message: 'unknown action type "tasks" …' }]
 */
export function toRecipeIssues(issues: readonly Issue[], input: unknown): RecipeIssue[] {
  const out: RecipeIssue[] = [];
  const seen = new Set<string>();
  const push = (at: PathSegment[], message: string) => {
    const path = formatPath(at);
    const key = `${path}\0${message}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ path, message });
  };
  const walk = (issue: Issue, base: PathSegment[]) => {
    const at = [...base, ...issue.path.map((p) => (typeof p === 'number' ? p : String(p)))];
    const missing = getPath(input, at) === undefined;
    if (missing && (issue.code === 'invalid_type' || (issue.code === 'invalid_union' && issue.discriminator === undefined))) {
      push(at, 'required');
    } else if (missing && issue.code === 'invalid_value') {
      push(at, `required: ${clean(issue.message)}`);
    } else if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      const branch = chooseBranch(issue.errors, at, input);
      if (branch) branch.forEach((inner) => walk(inner, at));
      else push(at, issue.message);
    } else if (issue.code === 'unrecognized_keys') {
      push(issue.keys.length === 1 ? [...at, issue.keys[0]!] : at, issue.message);
    } else if (issue.code === 'invalid_key') {
      issue.issues.forEach((inner) => push(at, `invalid key: ${clean(inner.message)}`));
    } else push(at, clean(issue.message));
  };
  issues.forEach((issue) => walk(issue, []));
  return out;
}

/** The branch with the clearly lowest mismatch score, or null when none stands out. */
function chooseBranch(branches: Issue[][], at: PathSegment[], input: unknown): Issue[] | null {
  const scored = branches.map((issues) => ({ issues, score: issues.reduce((sum, i) => sum + mismatch(i, at, input), 0) }));
  scored.sort((a, b) => a.score - b.score);
  const [best, next] = scored;
  if (!best || best.issues.length === 0) return null;
  return next === undefined || best.score < next.score ? best.issues : null;
}

/** Wrong type at the branch's root: far off; a wrong value there, each unknown or missing key: one step off. */
function mismatch(issue: Issue, at: PathSegment[], input: unknown): number {
  if (issue.path.length === 0 && issue.code === 'invalid_type') return 100;
  if (issue.path.length === 0 && issue.code === 'invalid_value') return typeof getPath(input, at) === 'object' ? 100 : 1;
  if (issue.path.length === 0 && issue.code === 'unrecognized_keys') return issue.keys.length;
  if (issue.path.length === 1 && getPath(input, [...at, String(issue.path[0])]) === undefined) return 1;
  return 0;
}

function clean(message: string): string {
  return message.replace(/^Invalid (input|option): /, '');
}

/**
 * The closest candidate to a misspelt word (case differences or a couple of edits), if any.
 *
 * @example
 * suggest('phoen', ['phone', 'date']); // 'phone'
 * suggest('xyz', ['phone', 'date']);   // undefined
 */
export function suggest(word: string, candidates: readonly string[]): string | undefined {
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    // the distance is at least the difference in length: a far longer word is no misspelling
    if (Math.abs(word.length - candidate.length) > Math.max(1, Math.floor(candidate.length / 3))) continue;
    const distance = candidate.toLowerCase() === word.toLowerCase() ? 0 : editDistance(word, candidate);
    if (distance <= Math.max(1, Math.floor(candidate.length / 3)) && (!best || distance < best.distance)) best = { candidate, distance };
  }
  return best?.candidate;
}

/** Edit distance counting a swap of two neighbouring letters as one edit (optimal string alignment). */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = d[i]!;
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(d[i - 1]![j]! + 1, row[j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * "did you mean" text for a misspelt word, or ''.
 *
 * @example
 * didYouMean('phoen', ['phone']); // ' (did you mean "phone"?)'
 */
export function didYouMean(word: string, candidates: readonly string[]): string {
  const s = suggest(word, candidates);
  return s === undefined ? '' : ` (did you mean "${s}"?)`;
}
