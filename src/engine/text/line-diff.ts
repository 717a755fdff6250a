/**
 * A unified line diff of two texts (recipe versions), without a dependency: recipes are small
 * (at most `RECIPE_TEXT_LIMIT`), so a longest-common-subsequence table over the lines that differ
 * (common head and tail cut first) is quick enough.
 */

export interface LineDiff {
  added: number;
  removed: number;
  /** `@@ -a,b +c,d @@` headers, then lines starting with ' ', '-' or '+' */
  lines: string[];
}

/** Past this many table cells the middle is shown as removed-then-added (still a correct diff). */
const MAX_CELLS = 4_000_000;

type Op = { kind: ' ' | '-' | '+'; text: string };

function middleOps(a: string[], b: string[]): Op[] {
  if (a.length * b.length > MAX_CELLS) return [...a.map((text) => ({ kind: '-' as const, text })), ...b.map((text) => ({ kind: '+' as const, text }))];
  // lcs[i][j]: the longest common subsequence of a[i..] and b[j..]
  const lcs = Array.from({ length: a.length + 1 }, () => new Uint32Array(b.length + 1));
  for (let i = a.length - 1; i >= 0; i--) for (let j = b.length - 1; j >= 0; j--) lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  // on a tie the removal comes first, as `diff -u` shows a replaced line
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      ops.push({ kind: ' ', text: a[i++]! });
      j++;
    } else if (j < b.length && (i === a.length || lcs[i]![j + 1]! > lcs[i + 1]![j]!)) ops.push({ kind: '+', text: b[j++]! });
    else ops.push({ kind: '-', text: a[i++]! });
  }
  return ops;
}

const splitLines = (text: string): string[] => (text === '' ? [] : text.replace(/\r\n/g, '\n').replace(/\n$/, '').split('\n'));

/**
 * @example
 * lineDiff('a\nb\n', 'a\nc\n'); // { added: 1, removed: 1, lines: ['@@ -1,2 +1,2 @@', ' a', '-b', '+c'] }
 */
export function lineDiff(before: string, after: string, context = 2): LineDiff {
  const a = splitLines(before);
  const b = splitLines(after);
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const ops: Op[] = [
    ...a.slice(0, head).map((text) => ({ kind: ' ' as const, text })),
    ...middleOps(a.slice(head, a.length - tail), b.slice(head, b.length - tail)),
    ...a.slice(a.length - tail).map((text) => ({ kind: ' ' as const, text })),
  ];
  const added = ops.filter((o) => o.kind === '+').length;
  const removed = ops.filter((o) => o.kind === '-').length;
  return { added, removed, lines: hunks(ops, context) };
}

/** Changed lines with `context` unchanged lines around them, in hunks with their line numbers. */
function hunks(ops: Op[], context: number): string[] {
  const changed = ops.map((o, k) => (o.kind === ' ' ? -1 : k)).filter((k) => k >= 0);
  if (changed.length === 0) return [];
  const groups: Array<[number, number]> = [];
  for (const k of changed) {
    const last = groups[groups.length - 1];
    if (last && k - last[1] <= 2 * context + 1) last[1] = k;
    else groups.push([k, k]);
  }
  const out: string[] = [];
  for (const [first, last] of groups) {
    const from = Math.max(0, first - context);
    const to = Math.min(ops.length - 1, last + context);
    // line numbers: how many old (new) lines come before `from`
    const before = ops.slice(0, from);
    const oldStart = before.filter((o) => o.kind !== '+').length + 1;
    const newStart = before.filter((o) => o.kind !== '-').length + 1;
    const slice = ops.slice(from, to + 1);
    out.push(`@@ -${oldStart},${slice.filter((o) => o.kind !== '+').length} +${newStart},${slice.filter((o) => o.kind !== '-').length} @@`);
    for (const o of slice) out.push(`${o.kind}${o.text}`);
  }
  return out;
}

/**
 * The short summary `recipes history` shows.
 *
 * @example
 * changeSummary({ added: 2, removed: 1, lines: [] }); // '+2 lines −1'
 */
export function changeSummary(d: Pick<LineDiff, 'added' | 'removed'>): string {
  if (d.added === 0 && d.removed === 0) return 'no line changed';
  return `+${d.added} line${d.added === 1 ? '' : 's'} −${d.removed}`;
}
