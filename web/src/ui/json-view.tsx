import { useState } from 'react';

/** A JSON value as a tree; with `onPick`, every value is a button that hands back its path. */
export function JsonView({ value, onPick, label = 'JSON', collapsedDepth = 3 }: { value: unknown; onPick?: (path: string, value: unknown) => void; label?: string; collapsedDepth?: number }) {
  return (
    <div className="json" role="group" aria-label={label}>
      <Node value={value} path="" depth={0} onPick={onPick} collapsedDepth={collapsedDepth} />
    </div>
  );
}

/** A key as the recipe path syntax reads it: plain (`a.b`), else quoted (`a["first name"]`). */
const PLAIN_KEY = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;
function join(base: string, key: string | number): string {
  if (typeof key === 'number') return `${base}[${key}]`;
  if (!PLAIN_KEY.test(key)) return `${base}[${JSON.stringify(key)}]`;
  return base ? `${base}.${key}` : key;
}

function Node({ name, value, path, depth, onPick, collapsedDepth }: { name?: string; value: unknown; path: string; depth: number; onPick?: (path: string, value: unknown) => void; collapsedDepth: number }) {
  const [open, setOpen] = useState(depth < collapsedDepth);
  const isObj = value !== null && typeof value === 'object';
  const key = name !== undefined ? <span className="json-key">{name}: </span> : null;
  if (!isObj) {
    const text = typeof value === 'string' ? JSON.stringify(value) : String(value);
    const cls = `json-${value === null ? 'null' : typeof value}`;
    return (
      <div className="json-leaf">
        {key}
        {onPick ? (
          <button type="button" className={`json-pick ${cls}`} onClick={() => onPick(path, value)} title={`Use ${path}`} aria-label={`${text}: use ${path}`}>{text}</button>
        ) : (
          <span className={cls}>{text}</span>
        )}
      </div>
    );
  }
  const entries: Array<[string | number, unknown]> = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value as Record<string, unknown>);
  const brackets = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  return (
    <div>
      <button type="button" className="json-toggle" onClick={() => setOpen(!open)} aria-expanded={open} aria-label={`${open ? 'Collapse' : 'Expand'} ${name ?? 'root'}`}>
        {open ? '▾' : '▸'}
      </button>
      {key}
      <span className="muted">{brackets[0]}{open ? '' : ` ${entries.length} … ${brackets[1]}`}</span>
      {open ? (
        <div className="json-children">
          {entries.map(([k, v]) => <Node key={String(k)} name={String(k)} value={v} path={join(path, k)} depth={depth + 1} onPick={onPick} collapsedDepth={collapsedDepth} />)}
          <span className="muted">{brackets[1]}</span>
        </div>
      ) : null}
    </div>
  );
}
