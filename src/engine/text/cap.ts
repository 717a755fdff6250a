/**
 * Problem lists cut to what people read: the first `MAX_LISTED_PROBLEMS`, then "and N more";
 * each message made printable and cut to `MAX_MESSAGE_LENGTH`.
 */
import type { RecipeIssue } from '../recipes/schema-errors.js';
import { MAX_LISTED_PROBLEMS, MAX_MESSAGE_LENGTH } from './limits.js';
import { printable } from './printable.js';

/**
 * The line closing a cut list.
 *
 * @example
 * moreProblems(39_950); // 'and 39,950 more problems (fix the ones above first)'
 */
export function moreProblems(n: number): string {
  return `and ${n.toLocaleString('en-US')} more problem${n === 1 ? '' : 's'} (fix the ones above first)`;
}

/**
 * Issues cut to `max`, the last one saying how many of `total` were left out.
 *
 * @example
 * capIssues(errors, 40_000); // 50 issues, then { path: '', message: 'and 39,950 more problems (fix the ones above first)' }
 */
export function capIssues(issues: readonly RecipeIssue[], total = issues.length, max = MAX_LISTED_PROBLEMS): RecipeIssue[] {
  const shown: RecipeIssue[] = issues.slice(0, max).map((i) => ({ path: printable(i.path, 200), message: printable(i.message, MAX_MESSAGE_LENGTH) }));
  if (total > shown.length) shown.push({ path: '', message: moreProblems(total - shown.length), more: total - shown.length });
  return shown;
}

/**
 * How many problems a (possibly cut) list stands for.
 *
 * @example
 * issueCount(capIssues(errors, 40_000)); // 40000
 */
export function issueCount(issues: readonly RecipeIssue[]): number {
  return issues.reduce((n, i) => n + (i.more ?? 1), 0);
}

/**
 * Problem lines cut the same way.
 *
 * @example
 * capLines(problems); // at most 51 lines
 */
export function capLines(lines: readonly string[], total = lines.length, max = MAX_LISTED_PROBLEMS): string[] {
  const shown = lines.slice(0, max).map((l) => printable(l, MAX_MESSAGE_LENGTH));
  if (total > shown.length) shown.push(moreProblems(total - shown.length));
  return shown;
}

/**
 * How many problems a (possibly cut) list of lines stands for.
 *
 * @example
 * lineCount(capLines(problems)); // problems.length
 */
export function lineCount(lines: readonly string[]): number {
  const more = MORE_LINE.exec(lines[lines.length - 1] ?? '');
  return more ? lines.length - 1 + Number(more[1]!.replace(/,/g, '')) : lines.length;
}

const MORE_LINE = /^and ([\d,]+) more problems? \(fix the ones above first\)$/;
