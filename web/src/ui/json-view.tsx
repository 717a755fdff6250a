import { useState } from 'react';

/** A JSON value as a tree; with `onPick`, every value is a button that hands back its path. */
export function JsonView({ value, onPick, label = 'JSON', collapsedDepth = 3 }: { value: unknown; onPick?: (path: string, value: unknown) => void; label?: string; collapsedDepth?: number }) {
  return (
    <div className="json" role="tree" aria-label={label}>
      <Node value={value} path="" depth={0} onPick={onPick} collapsedDepth={collapsedDepth} />
    </div>
  );
}

const join = (base: string, key: string | number) => (typeof key === 'number' ? `${base}[${key}]` : base ? `${base}.${key}` : key);

function Node({ name, value, path, depth, onPick, collapsedDepth }: { name?: string; value: unknown; path: string; depth: number; onPick?: (path: string, value: unknown) => void; collapsedDepth: number }) {
  const [open, setOpen] = useState(depth < collapsedDepth);
  const isObj = value !== null && typeof value === 'object';
  const key = name !== undefined ? <span className="json-key">{name}: </span> : null;
  if (!isObj) {
    const text = typeof value === 'string' ? JSON.stringify(value) : String(value);
    const cls = `json-${value === null ? 'null' : typeof value}`;
    return (
      <div role="treeitem" aria-selected={false} className="json-leaf">
        {key}
        {onPick ? (
          <button type="button" className={`json-pick ${cls}`} onClick={() => onPick(path, value)} title={`Use ${path}`}>{text}</button>
        ) : (
          <span className={cls}>{text}</span>
        )}
      </div>
    );
  }
  const entries: Array<[string | number, unknown]> = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value as Record<string, unknown>);
  const brackets = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  return (
    <div role="treeitem" aria-expanded={open} aria-selected={false}>
      <button type="button" className="json-toggle" onClick={() => setOpen(!open)} aria-label={`${open ? 'Collapse' : 'Expand'} ${name ?? 'root'}`}>
        {open ? '▾' : '▸'}
      </button>
      {key}
      <span className="muted">{brackets[0]}{open ? '' : ` ${entries.length} … ${brackets[1]}`}</span>
      {open ? (
        <div role="group" className="json-children">
          {entries.map(([k, v]) => <Node key={String(k)} name={String(k)} value={v} path={join(path, k)} depth={depth + 1} onPick={onPick} collapsedDepth={collapsedDepth} />)}
          <span className="muted">{brackets[1]}</span>
        </div>
      ) : null}
    </div>
  );
}
