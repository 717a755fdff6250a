/**
 * Where each problem of a recipe text sits: the validator's problems carry a recipe path
 * (`mapping.contact.email.transforms[0]`); this finds that node in the YAML document (JSON text is
 * YAML too) and gives its line and column, so an editor marks the problem in place. A syntax error
 * says its own position ("at line 3, column 5"); a path the text lacks (a required key) points at
 * the nearest enclosing key.
 */
import { z } from 'zod';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { parsePath } from '../../../engine/recipes/paths.js';
import type { RecipeIssue } from '../../../engine/recipes/schema-errors.js';

/** A recipe problem with its place in the text (1-based lines and columns; `end` exclusive). */
export interface PlacedIssue extends RecipeIssue {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export const placedIssueSchema = z.object({
  path: z.string().describe("the recipe path of the problem ('' is the recipe itself)"),
  message: z.string(),
  more: z.number().int().optional().describe('on the line closing a cut list: how many were left out'),
  line: z.number().int().describe('1-based line of the problem in the text'),
  column: z.number().int().describe('1-based column'),
  endLine: z.number().int(),
  endColumn: z.number().int().describe('1-based, exclusive'),
});

const SYNTAX_AT = /\bline (\d+), column (\d+)/;

/**
 * The issues of `text` with their positions.
 *
 * @example
 * placeIssues('id: a\nversion: x\n', [{ path: 'version', message: 'expected number' }]);
 * // [{ path: 'version', message: 'expected number', line: 2, column: 10, endLine: 2, endColumn: 11 }]
 */
export function placeIssues(text: string, issues: readonly RecipeIssue[]): PlacedIssue[] {
  const lines = new LineCounter();
  let doc: ReturnType<typeof parseDocument> | null = null;
  const needsDoc = issues.some((i) => !SYNTAX_AT.test(i.message));
  if (needsDoc) {
    try {
      doc = parseDocument(text, { lineCounter: lines, uniqueKeys: false, prettyErrors: false });
    } catch {
      doc = null;
    }
  }
  const pos = (offset: number) => lines.linePos(Math.max(0, Math.min(offset, text.length)));
  const lastLine = text.split('\n').length;
  return issues.map((issue) => {
    const syntax = SYNTAX_AT.exec(issue.message);
    if (syntax) {
      const line = Number(syntax[1]);
      const column = Number(syntax[2]);
      return { ...issue, line, column, endLine: line, endColumn: column + 1 };
    }
    const duplicate = /duplicate key .*? on line (\d+)/.exec(issue.message);
    if (duplicate) return { ...issue, ...wholeLine(text, Number(duplicate[1])) };
    const range = doc ? rangeOf(doc.contents as Node | null, issue.path) : null;
    if (!range) return { ...issue, ...wholeLine(text, issue.more !== undefined ? lastLine : 1) };
    const start = pos(range[0]);
    const end = pos(range[1]);
    return { ...issue, line: start.line, column: start.col, endLine: end.line, endColumn: end.line === start.line && end.col <= start.col ? start.col + 1 : end.col };
  });
}

/** The first non-blank run of a line (for problems that have only a line). */
function wholeLine(text: string, line: number): Pick<PlacedIssue, 'line' | 'column' | 'endLine' | 'endColumn'> {
  const content = text.split('\n')[line - 1] ?? '';
  const indent = content.length - content.trimStart().length;
  return { line, column: indent + 1, endLine: line, endColumn: Math.max(indent + 2, content.replace(/\s+$/, '').length + 1) };
}

/**
 * The text range of a path's node: a map entry's key through its value when the value is a scalar
 * (else the key alone, so a whole block is not underlined), a list item, or the nearest enclosing
 * key the text has.
 */
function rangeOf(root: Node | null, recipePath: string): [number, number] | null {
  if (recipePath === '') return root?.range ? [root.range[0], Math.min(root.range[1], root.range[0] + 1)] : null;
  const parsed = parsePath(recipePath);
  if (!parsed.ok) return null;
  let node: Node | null = root;
  let found: [number, number] | null = null;
  for (const segment of parsed.segments) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(segment));
      if (!pair) break;
      const key = pair.key as Node;
      const value = pair.value as Node | null;
      if (key.range) found = isScalar(value) && value.range ? [key.range[0], value.range[1]] : [key.range[0], key.range[1]];
      node = value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment] as Node | undefined;
      if (!item) break;
      if (item.range) found = isMap(item) && item.items[0] && isPair(item.items[0]) && (item.items[0].key as Node | null)?.range ? firstKey(item) : [item.range[0], item.range[1]];
      node = item;
    } else break;
  }
  return found;
}

/** A list item that is a map: its first key (`- type: task` marks `type`). */
function firstKey(item: Node): [number, number] {
  const first = (item as unknown as { items: Array<{ key: Node; value: Node | null }> }).items[0]!;
  const end = isScalar(first.value) && first.value.range ? first.value.range[1] : first.key.range![1];
  return [first.key.range![0], end];
}
