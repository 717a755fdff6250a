/**
 * The recipe YAML editor: CodeMirror 6 with YAML highlighting, the server's validator as the
 * linter (problems at their line and column, debounced), and completion of keys, values and
 * `{{ event paths }}` from the server's recipe schema. The browser knows no recipe rules itself.
 */
import { autocompletion, type Completion, type CompletionContext, type CompletionResult } from '@codemirror/autocomplete';
import { yaml } from '@codemirror/lang-yaml';
import { linter, lintGutter, type Diagnostic } from '@codemirror/lint';
import { Annotation, EditorState, type Text } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { basicSetup } from 'codemirror';
import { useEffect, useRef } from 'react';

/** Marks the editor's text being set from outside (a load, a discard): not an edit. */
const external = Annotation.define<boolean>();

/** A problem of the server's validator, placed in the text (1-based). */
export interface Problem { path: string; message: string; line?: number; column?: number; endLine?: number; endColumn?: number }

/** What completion offers: from `GET /api/v1/recipes/schema`. */
export interface CompletionSource {
  schema: Record<string, unknown>;
  contactFields: string[];
  transforms: string[];
  paths: Array<{ path: string; kind: string; example?: unknown }>;
}

/** A 1-based line/column as an offset of `doc` (clamped to it). */
export function offsetOf(doc: Text, line: number, column: number): number {
  const l = doc.line(Math.min(Math.max(1, line), doc.lines));
  return Math.min(l.to, l.from + Math.max(0, column - 1));
}

function toDiagnostics(doc: Text, problems: Problem[]): Diagnostic[] {
  return problems.map((p) => {
    const from = offsetOf(doc, p.line ?? 1, p.column ?? 1);
    let to = offsetOf(doc, p.endLine ?? p.line ?? 1, p.endColumn ?? (p.column ?? 1) + 1);
    if (to <= from) to = Math.min(doc.length, from + 1);
    return { from, to, severity: 'error', message: p.path ? `${p.path}: ${p.message}` : p.message, source: 'ghl-bridge' };
  });
}

// ---- completion: where the cursor is in the recipe, and what the schema says fits there

type Schema = Record<string, unknown>;

function resolve(root: Schema, node: unknown): Schema[] {
  if (!node || typeof node !== 'object') return [];
  const s = node as Schema;
  if (typeof s.$ref === 'string') {
    const name = s.$ref.replace(/^#\/(\$defs|definitions)\//, '');
    const defs = (root.$defs ?? root.definitions) as Record<string, unknown> | undefined;
    return resolve(root, defs?.[name]);
  }
  const branches = [...((s.anyOf as unknown[]) ?? []), ...((s.oneOf as unknown[]) ?? []), ...((s.allOf as unknown[]) ?? [])];
  return [s, ...branches.flatMap((b) => resolve(root, b))];
}

function child(root: Schema, nodes: Schema[], key: string): Schema[] {
  return nodes.flatMap((n) => {
    if (key === '[]') return resolve(root, n.items);
    const props = n.properties as Record<string, unknown> | undefined;
    if (props?.[key]) return resolve(root, props[key]);
    if (n.additionalProperties && typeof n.additionalProperties === 'object') return resolve(root, n.additionalProperties);
    return [];
  });
}

function keysOf(nodes: Schema[]): Array<{ key: string; info?: string }> {
  const out = new Map<string, string | undefined>();
  for (const n of nodes) for (const [k, v] of Object.entries((n.properties as Record<string, Schema>) ?? {})) if (!out.has(k)) out.set(k, typeof v.description === 'string' ? v.description : undefined);
  return [...out].map(([key, info]) => ({ key, ...(info ? { info } : {}) }));
}

function valuesOf(nodes: Schema[]): string[] {
  const out = new Set<string>();
  for (const n of nodes) {
    if (typeof n.const === 'string') out.add(n.const);
    if (Array.isArray(n.enum)) for (const v of n.enum) if (typeof v === 'string') out.add(v);
  }
  return [...out];
}

const KEY_LINE = /^(\s*)(-\s+)?([A-Za-z_][\w.-]*)\s*:(.*)$/;

/** The YAML key path of the line `lineNo` (0-based) of `lines`: `['actions', '[]']`, `['mapping', 'contact']`. */
export function yamlPath(lines: string[], lineNo: number): string[] {
  const current = lines[lineNo] ?? '';
  const m = /^(\s*)(-\s+)?/.exec(current)!;
  let indent = m[1]!.length + (m[2]?.length ?? 0);
  const path: string[] = [];
  if (m[2]) {
    path.unshift('[]');
    indent = m[1]!.length;
  }
  for (let i = lineNo - 1; i >= 0 && indent > 0; i--) {
    const l = lines[i]!;
    if (/^\s*(#.*)?$/.test(l)) continue;
    const k = KEY_LINE.exec(l);
    const lead = /^\s*/.exec(l)![0].length;
    const dash = k?.[2] ? lead : -1;
    const keyCol = lead + (k?.[2]?.length ?? 0);
    if (k && keyCol < indent) {
      path.unshift(k[3]!);
      indent = keyCol;
      if (dash >= 0) {
        path.unshift('[]');
        indent = dash;
      }
    } else if (k && dash >= 0 && keyCol === indent) {
      // a sibling key of the same list item
      path.unshift('[]');
      indent = dash;
    } else if (!k && /^\s*-\s/.test(l) && lead < indent) {
      path.unshift('[]');
      indent = lead;
    }
  }
  return path;
}

/** The completion source of a recipe, from the server's schema. */
export function recipeCompletion(source: () => CompletionSource | null) {
  return (ctx: CompletionContext): CompletionResult | null => {
    const s = source();
    if (!s) return null;
    const line = ctx.state.doc.lineAt(ctx.pos);
    const before = line.text.slice(0, ctx.pos - line.from);
    const paths: Completion[] = s.paths.map((p) => ({ label: p.path, type: 'variable', detail: p.kind, ...(p.example !== undefined ? { info: `e.g. ${JSON.stringify(p.example)}` } : {}) }));
    // {{ event paths }} inside a template
    const tpl = /\{\{\s*([\w.[\]"-]*)$/.exec(before);
    if (tpl) return { from: ctx.pos - tpl[1]!.length, options: paths, validFor: /^[\w.[\]"-]*$/ };
    // a transform name inside transforms: [ … ]
    const tr = /transforms:\s*\[[^\]]*?([\w]*)$/.exec(before);
    if (tr) return { from: ctx.pos - tr[1]!.length, options: s.transforms.map((t) => ({ label: t, type: 'function' })), validFor: /^\w*$/ };
    const lines = ctx.state.doc.toString().split('\n');
    const base = yamlPath(lines, line.number - 1);
    // inside a flow mapping on this line: `email: { pa`
    const flowOpen = /([A-Za-z_][\w.-]*):\s*\{([^}]*)$/.exec(before);
    const at = flowOpen ? [...base, flowOpen[1]!] : base;
    const nodes = at.reduce<Schema[]>((n, key) => child(s.schema, n, key), resolve(s.schema, s.schema));
    // a value after `key: `
    const value = /([A-Za-z_][\w.-]*):\s+([\w.[\]"-]*)$/.exec(before);
    if (value && !/\{\s*$/.test(before)) {
      const key = value[1]!;
      const word = value[2]!;
      const under = child(s.schema, nodes, key);
      const enumValues = valuesOf(under);
      const isPath = key === 'path' || key === 'recordId' || (at[0] === 'mapping' && at[1] === 'contact' && !flowOpen);
      const options: Completion[] = [...enumValues.map((v) => ({ label: v, type: 'enum' })), ...(isPath ? paths : [])];
      if (options.length === 0 && !ctx.explicit) return null;
      return { from: ctx.pos - word.length, options, validFor: /^[\w.[\]"-]*$/ };
    }
    // a key at the start of a line (or after `{` / `,` in a flow mapping)
    const key = flowOpen ? /(?:[{,]\s*)([\w]*)$/.exec(before) : /^\s*(?:-\s+)?([\w]*)$/.exec(before);
    if (!key) return null;
    const word = key[1]!;
    if (!word && !ctx.explicit) return null;
    const options = keysOf(nodes).map((k) => ({ label: k.key, type: 'property', apply: `${k.key}: `, ...(k.info ? { info: k.info } : {}) }));
    return options.length ? { from: ctx.pos - word.length, options, validFor: /^\w*$/ } : null;
  };
}

/**
 * The editor. `validate(text)` is the server's validator (called debounced as the linter);
 * `onProblems` hears its answer, so the page lists the problems too.
 *
 * @example
 * <YamlEditor label="Recipe YAML" value={text} onChange={setText} validate={validate} completion={() => schema} />
 */
/** The editor's look, from the console's CSS variables (they reach into the shadow root). */
const THEME = EditorView.theme({
  '&': { minHeight: '420px', maxHeight: '70vh', fontSize: '12.5px', backgroundColor: 'var(--panel)', color: 'var(--text)' },
  '&.cm-focused': { outline: '2px solid var(--focus)', outlineOffset: '-2px' },
  '.cm-scroller': { fontFamily: 'var(--mono)' },
  '.cm-gutters': { backgroundColor: 'var(--panel-2)', color: 'var(--muted)', borderRight: '1px solid var(--border)' },
  '.cm-content': { caretColor: 'var(--text)' },
  '.cm-cursor, .cm-dropCursor': { borderLeftColor: 'var(--text)' },
  '.cm-activeLine': { backgroundColor: 'color-mix(in srgb, var(--accent) 6%, transparent)' },
  '.cm-activeLineGutter': { backgroundColor: 'color-mix(in srgb, var(--accent) 10%, transparent)' },
  '&.cm-focused .cm-selectionBackground, .cm-selectionBackground, ::selection': { backgroundColor: 'color-mix(in srgb, var(--accent) 25%, transparent)' },
  '.cm-tooltip': { backgroundColor: 'var(--panel)', color: 'var(--text)', border: '1px solid var(--border)' },
  '.cm-tooltip-autocomplete > ul > li[aria-selected]': { backgroundColor: 'var(--accent)', color: 'var(--accent-text)' },
});

export function YamlEditor({ label, value, onChange, validate, onProblems, completion, readOnly, jumpTo, revision }: {
  label: string;
  value: string;
  onChange?: (text: string) => void;
  validate?: (text: string) => Promise<Problem[]>;
  onProblems?: (problems: Problem[], text: string) => void;
  completion?: () => CompletionSource | null;
  readOnly?: boolean;
  /** changed to force `value` into the editor (a discard), even when it was typed before */
  revision?: number;
  /** set to move the cursor (a clicked problem) */
  jumpTo?: { line: number; column: number; n: number } | null;
}) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  // texts this editor handed to onChange: their echo through `value` is no outside change (typing may be ahead of it)
  const emitted = useRef(new Set<string>());
  const forcedAt = useRef(revision);
  const latest = useRef({ onChange, validate, onProblems, completion });
  latest.current = { onChange, validate, onProblems, completion };

  useEffect(() => {
    const lint = linter(async (v) => {
      const check = latest.current.validate;
      if (!check) return [];
      const text = v.state.doc.toString();
      try {
        const problems = await check(text);
        // the text may have changed while the server answered: the next run places those
        if (v.state.doc.toString() !== text) return [];
        latest.current.onProblems?.(problems, text);
        return toDiagnostics(v.state.doc, problems);
      } catch {
        return [];
      }
    }, { delay: 400 });
    // CodeMirror's styles go into a shadow root's adopted style sheets: the page's CSP allows no <style> element
    const shadow = host.current!.shadowRoot ?? host.current!.attachShadow({ mode: 'open' });
    shadow.replaceChildren();
    const mount = document.createElement('div');
    shadow.append(mount);
    const editor = new EditorView({
      root: shadow,
      parent: mount,
      state: EditorState.create({
        doc: value,
        extensions: [
          basicSetup,
          yaml(),
          lintGutter(),
          lint,
          THEME,
          autocompletion({ override: [(ctx) => recipeCompletion(() => latest.current.completion?.() ?? null)(ctx)] }),
          EditorState.readOnly.of(readOnly ?? false),
          EditorView.editable.of(!readOnly),
          EditorView.contentAttributes.of({ 'aria-label': label, 'aria-multiline': 'true', tabindex: '0' }),
          EditorView.updateListener.of((u) => {
            if (!u.docChanged || u.transactions.some((t) => t.annotation(external))) return;
            const text = u.state.doc.toString();
            if (emitted.current.size > 500) emitted.current.clear();
            emitted.current.add(text);
            latest.current.onChange?.(text);
          }),
        ],
      }),
    });
    view.current = editor;
    return () => { editor.destroy(); view.current = null; };
    // the editor is made once; later values come in through the effect below
  }, []);

  useEffect(() => {
    const v = view.current;
    if (!v) return;
    const forced = forcedAt.current !== revision;
    forcedAt.current = revision;
    if (!forced && emitted.current.has(value)) return;
    emitted.current.clear();
    if (v.state.doc.toString() !== value) v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: value }, annotations: external.of(true) });
  }, [value, revision]);

  useEffect(() => {
    const v = view.current;
    if (!v || !jumpTo) return;
    const at = offsetOf(v.state.doc, jumpTo.line, jumpTo.column);
    v.dispatch({ selection: { anchor: at }, scrollIntoView: true });
    v.focus();
  }, [jumpTo]);

  return <div className="recipes-cm" ref={host} data-testid="recipe-editor" />;
}
