/**
 * Safe paths into event payloads: `a.b.c`, `items[0]`, `fields["first name"]`, `a['x.y']`.
 *
 * Only own properties of plain objects and indices of arrays are read: `__proto__`, `prototype`
 * and `constructor` are refused when a path is parsed, and inherited properties (`toString`,
 * `length` of a string…) are never reached.
 */

/** One step of a path: an object key or an array index. */
export type PathSegment = string | number;

export type ParsedPath = { ok: true; segments: PathSegment[] } | { ok: false; message: string };

const FORBIDDEN = new Set(['__proto__', 'prototype', 'constructor']);
/** Characters of an unquoted key: anything but separators, brackets, quotes, braces and spaces. */
const KEY_CHAR = /[^.[\]'"{}\s]/;
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

/**
 * Parses a path into segments, or says what is wrong with it (with the character position).
 *
 * @example
 * parsePath('candidate.emails[0]'); // { ok: true, segments: ['candidate', 'emails', 0] }
 * parsePath('a["x.y"]');            // { ok: true, segments: ['a', 'x.y'] }
 * parsePath('a..b');                // { ok: false, message: 'invalid path "a..b": empty key at 2' }
 */
export function parsePath(path: string): ParsedPath {
  const segments: PathSegment[] = [];
  const fail = (why: string): ParsedPath => ({ ok: false, message: `invalid path ${JSON.stringify(path)}: ${why}` });
  if (path.length === 0) return fail('empty');
  let i = 0;
  let expectKey = true; // at the start and after a dot
  while (i < path.length) {
    const ch = path[i]!;
    if (ch === '[') {
      const end = readBracket(path, i);
      if (typeof end === 'string') return fail(end);
      segments.push(end.segment);
      i = end.next;
      expectKey = false;
      if (i < path.length && path[i] !== '.' && path[i] !== '[') return fail(`unexpected ${JSON.stringify(path[i])} at ${i}`);
    } else if (ch === '.') {
      if (expectKey) return fail(`empty key at ${i}`);
      expectKey = true;
      i++;
      if (i === path.length) return fail('ends with "."');
    } else {
      if (!expectKey) return fail(`unexpected ${JSON.stringify(ch)} at ${i}`);
      let j = i;
      while (j < path.length && KEY_CHAR.test(path[j]!)) j++;
      if (j === i) return fail(`unexpected ${JSON.stringify(ch)} at ${i}`);
      segments.push(path.slice(i, j));
      i = j;
      expectKey = false;
    }
  }
  const bad = segments.find((s) => typeof s === 'string' && FORBIDDEN.has(s));
  if (bad !== undefined) return fail(`key "${String(bad)}" is not allowed`);
  return { ok: true, segments };
}

function readBracket(path: string, start: number): { segment: PathSegment; next: number } | string {
  const quote = path[start + 1];
  if (quote === '"' || quote === "'") {
    let key = '';
    let i = start + 2;
    while (i < path.length && path[i] !== quote) {
      if (path[i] === '\\' && i + 1 < path.length) i++;
      key += path[i];
      i++;
    }
    if (i >= path.length) return `unclosed quote at ${start + 1}`;
    if (path[i + 1] !== ']') return `expected "]" at ${i + 1}`;
    return { segment: key, next: i + 2 };
  }
  const close = path.indexOf(']', start);
  if (close < 0) return `unclosed "[" at ${start}`;
  const index = path.slice(start + 1, close);
  if (!/^(0|[1-9][0-9]*)$/.test(index)) return `index ${JSON.stringify(index)} at ${start} is not a non-negative integer (quote keys: ["key"])`;
  return { segment: Number(index), next: close + 1 };
}

/**
 * Reads the value at a path; `undefined` when any step is absent (never throws). A string path
 * that does not parse reads nothing.
 *
 * @example
 * getPath({ candidate: { emails: ['ada@example.com'] } }, 'candidate.emails[0]'); // 'ada@example.com'
 * getPath({}, 'constructor'); // undefined
 */
export function getPath(source: unknown, path: string | readonly PathSegment[]): unknown {
  let segments: readonly PathSegment[];
  if (typeof path === 'string') {
    const parsed = parsePath(path);
    if (!parsed.ok) return undefined;
    segments = parsed.segments;
  } else segments = path;
  let current: unknown = source;
  for (const segment of segments) {
    current = step(current, segment);
    if (current === undefined) return undefined;
  }
  return current;
}

function step(current: unknown, segment: PathSegment): unknown {
  if (typeof segment === 'string' && FORBIDDEN.has(segment)) return undefined;
  if (Array.isArray(current)) {
    const index = typeof segment === 'number' ? segment : /^(0|[1-9][0-9]*)$/.test(segment) ? Number(segment) : -1;
    return index >= 0 && index < current.length ? (current[index] as unknown) : undefined;
  }
  if (current === null || typeof current !== 'object') return undefined;
  const key = String(segment);
  return Object.hasOwn(current, key) ? (current as Record<string, unknown>)[key] : undefined;
}

/**
 * Writes segments back as a path: identifiers after dots, indices and other keys in brackets.
 *
 * @example
 * formatPath(['mapping', 'contact', 'customFields', 'contact.stage']); // 'mapping.contact.customFields["contact.stage"]'
 * formatPath(['actions', 2, 'type']); // 'actions[2].type'
 */
export function formatPath(segments: readonly PathSegment[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (IDENTIFIER.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}
