/**
 * YAML text → data in linear time, with duplicate keys refused (the `yaml` library's own check
 * compares each key with every earlier one: 40,000 keys took 30 s). Works in steps (see
 * `steps.ts`) so the server can give the event loop turns meanwhile. Problems carry the path
 * and line; quoted text is escaped.
 */
import { Composer, isMap, isScalar, isSeq, Lexer, LineCounter, Parser, type Document } from 'yaml';
import type { RecipeIssue } from '../recipes/schema-errors.js';
import { formatPath, type PathSegment } from '../recipes/paths.js';
import { MAX_LISTED_PROBLEMS } from './limits.js';
import { printable, quote } from './printable.js';
import type { Steps } from './steps.js';

export type YamlRead = { ok: true; data: unknown } | { ok: false; issues: RecipeIssue[]; total: number };

/** Lexical tokens (or nodes) handled between two points where the work may pause. */
const STEP = 256;

/** Syntax errors shown: after the first few, a syntax error's cascade is noise. */
const SYNTAX_ERRORS_SHOWN = 3;

/**
 * Reads one YAML document: syntax errors (the first few, with line and column), then every
 * duplicate key (the first `MAX_LISTED_PROBLEMS`, with the total), then the data.
 *
 * @example
 * const r = runSteps(readYaml('a: 1\na: 2\n'));
 * // { ok: false, total: 1, issues: [{ path: '', message: 'YAML: duplicate key "a" on line 2 (first on line 1)' }] }
 */
export function* readYaml(text: string, options: { maxAliasCount?: number } = {}): Steps<YamlRead> {
  const lines = new LineCounter();
  // (as `Parser.parse` does: the first line starts at 0)
  lines.addNewLine(0);
  const parser = new Parser(lines.addNewLine);
  const composer = new Composer({ uniqueKeys: false });
  const docs: Document.Parsed[] = [];
  let n = 0;
  for (const lexeme of new Lexer().lex(text)) {
    for (const token of parser.next(lexeme)) for (const doc of composer.next(token)) docs.push(doc);
    if (++n % STEP === 0) yield;
  }
  for (const token of parser.end()) for (const doc of composer.next(token)) docs.push(doc);
  yield;
  for (const doc of composer.end(true, text.length)) docs.push(doc);
  const at = (offset: number) => {
    const { line, col } = lines.linePos(offset);
    return `at line ${line}, column ${col}`;
  };
  const doc = docs[0]!;
  const second = docs[1];
  if (second) return failed([{ path: '', message: `YAML: multiple documents (the second starts ${at(second.range[0])}); this is one document: remove the "---" or "..." line` }]);
  if (doc.errors.length > 0) {
    // only the first few, and no count of the rest: a syntax error's cascade is noise
    return failed(doc.errors.slice(0, SYNTAX_ERRORS_SHOWN).map((e) => ({ path: '', message: `YAML: ${printable(firstLine(e.message), 200)} ${at(e.pos[0])}` })));
  }
  const duplicates = yield* duplicateKeys(doc, (offset) => lines.linePos(offset).line);
  if (duplicates.total > 0) return failed(duplicates.issues, duplicates.total);
  yield;
  try {
    return { ok: true, data: doc.toJS({ maxAliasCount: options.maxAliasCount ?? 100 }) as unknown };
  } catch (e) {
    return failed([{ path: '', message: `YAML: ${printable(e instanceof Error ? e.message : String(e), 200)}` }]);
  }
}

/** The library's message without its own position and source excerpt (ours is added). */
function firstLine(message: string): string {
  return (message.split('\n')[0] ?? '').replace(/:$/, '').replace(/ at line \d+, column \d+$/, '');
}

function failed(issues: RecipeIssue[], total = issues.length): YamlRead {
  return { ok: false, issues, total };
}

interface Frame {
  node: unknown;
  parent: Frame | null;
  segment: PathSegment | null;
}

function pathOf(frame: Frame): string {
  const segments: PathSegment[] = [];
  for (let f: Frame | null = frame; f && f.segment !== null; f = f.parent) segments.push(f.segment);
  return formatPath(segments.reverse());
}

/**
 * Every mapping's keys checked with a set: a key equal (as the data's key, so `1` and `"1"`
 * too) to an earlier one of the same mapping is a problem.
 */
function* duplicateKeys(doc: Document.Parsed, lineOf: (offset: number) => number): Steps<{ issues: RecipeIssue[]; total: number }> {
  const issues: RecipeIssue[] = [];
  let total = 0;
  let n = 0;
  const stack: Frame[] = [{ node: doc.contents, parent: null, segment: null }];
  while (stack.length > 0) {
    const frame = stack.pop()!;
    const children: Frame[] = [];
    if (isMap(frame.node)) {
      const firstSeen = new Map<string, number>();
      for (const { key, value } of frame.node.items) {
        const name = isScalar(key) ? String(key.value ?? '') : null;
        if (name !== null) {
          const line = lineOf(isScalar(key) && key.range ? key.range[0] : 0);
          const first = firstSeen.get(name);
          if (first === undefined) firstSeen.set(name, line);
          else if (++total <= MAX_LISTED_PROBLEMS) issues.push({ path: pathOf(frame), message: `YAML: duplicate key ${quote(name)} on line ${line} (first on line ${first})` });
        }
        if (value) children.push({ node: value, parent: frame, segment: name ?? '?' });
      }
    } else if (isSeq(frame.node)) {
      frame.node.items.forEach((item, i) => children.push({ node: item, parent: frame, segment: i }));
    }
    // depth first, in document order
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
    n += children.length + 1;
    if (n >= STEP) {
      n = 0;
      yield;
    }
  }
  return { issues, total };
}
