/**
 * What PostgreSQL can store. JSON may carry characters its `jsonb` and `text` refuse: `\u0000`
 * (NUL) and a lone UTF-16 surrogate (`\ud800` with no partner). A signed delivery holding one
 * must still get in (a sender refused with a 500 gives up), so the event keeps a faithful copy
 * as escaped JSON text and the recipe sees the text with each such character replaced by U+FFFD.
 */

/** Deeper than this, a payload is refused (no real sender nests so far; recursion elsewhere would overflow). */
export const MAX_PAYLOAD_DEPTH = 64;

/** The replacement for a character PostgreSQL cannot store. */
const REPLACEMENT = '\ufffd';
// NUL, a high surrogate not followed by a low one, or a low one not preceded by a high one
// eslint-disable-next-line no-control-regex -- NUL is exactly what has to be found
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** A payload too deep to take, naming where the limit was crossed. */
export class PayloadTooDeepError extends Error {
  constructor(
    readonly field: string,
    readonly limit: number,
  ) {
    super(`nested deeper than ${limit} levels (at ${field})`);
    this.name = 'PayloadTooDeepError';
  }
}

/** `text` with NUL and lone surrogates replaced by U+FFFD (the same string when there are none). */
export function storableText(text: string): string {
  return text.replace(UNSTORABLE, REPLACEMENT);
}

function hasUnstorable(text: string): boolean {
  UNSTORABLE.lastIndex = 0;
  const found = UNSTORABLE.test(text);
  UNSTORABLE.lastIndex = 0;
  return found;
}

/** Visits every string (keys too) of a JSON value without recursion; deeper than `maxDepth` throws. */
function walk(value: unknown, maxDepth: number, visit: (text: string, holder: Record<string, unknown> | unknown[] | null, key: string | number | null) => void): void {
  const stack: Array<{ node: unknown; depth: number; path: string }> = [{ node: value, depth: 0, path: '' }];
  while (stack.length > 0) {
    const { node, depth, path } = stack.pop()!;
    if (typeof node === 'string') visit(node, null, null);
    if (typeof node !== 'object' || node === null) continue;
    if (depth >= maxDepth) throw new PayloadTooDeepError(path || '(top)', maxDepth);
    const entries: Array<[string | number, unknown]> = Array.isArray(node) ? node.map((v, i) => [i, v]) : Object.entries(node);
    for (const [k, v] of entries) {
      if (typeof k === 'string') visit(k, node as Record<string, unknown>, null);
      if (typeof v === 'string') visit(v, node as Record<string, unknown> | unknown[], k);
      else if (typeof v === 'object' && v !== null) stack.push({ node: v, depth: depth + 1, path: typeof k === 'number' ? `${path}[${k}]` : path ? `${path}.${k}` : k });
    }
  }
}

/**
 * A JSON value as PostgreSQL can store it: strings (keys too) cleaned by `storableText`. The
 * input is never modified: when nothing needs cleaning it is returned as is, else a cleaned copy.
 * Walks without recursion, so no input can overflow the stack; deeper than `maxDepth` throws
 * `PayloadTooDeepError` with the path where the limit was crossed.
 *
 * @example
 * storableJson({ name: 'Ann\u0000' }); // { value: { name: 'Ann\ufffd' }, changed: true }
 */
export function storableJson<T>(value: T, maxDepth = MAX_PAYLOAD_DEPTH): { value: T; changed: boolean } {
  let found = false;
  walk(value, maxDepth, (text) => {
    if (!found && hasUnstorable(text)) found = true;
  });
  if (!found) return { value, changed: false };
  if (typeof value === 'string') return { value: storableText(value) as T, changed: true };
  // JSON.stringify escapes both kinds, so the copy holds them and is then cleaned in place
  const copy = JSON.parse(JSON.stringify(value)) as T;
  const renamed: Array<Record<string, unknown>> = [];
  walk(copy, maxDepth, (text, holder, key) => {
    if (holder === null) return;
    if (key === null) {
      if (hasUnstorable(text)) renamed.push(holder as Record<string, unknown>);
    } else if (hasUnstorable(text)) (holder as Record<string | number, unknown>)[key] = storableText(text);
  });
  for (const obj of renamed) {
    // a key needs cleaning: rebuild the object, keeping the order of its keys
    const entries = Object.entries(obj);
    for (const [k] of entries) delete obj[k];
    // defineProperty: a key `__proto__` stays a plain key, as JSON.parse made it
    for (const [k, v] of entries) Object.defineProperty(obj, storableText(k), { value: v, enumerable: true, writable: true, configurable: true });
  }
  return { value: copy, changed: true };
}

/**
 * How deep a JSON text nests, from its bytes, without parsing it: stops counting at `limit + 1`,
 * so a megabyte of `[` costs one pass and no stack.
 *
 * @example
 * jsonNestingDepth(Buffer.from('{"a":[1]}')); // 2
 */
export function jsonNestingDepth(raw: Buffer, limit = MAX_PAYLOAD_DEPTH): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < raw.length; i++) {
    const b = raw[i]!;
    if (inString) {
      if (b === 0x5c) i++; // a backslash escapes the next byte
      else if (b === 0x22) inString = false;
      continue;
    }
    if (b === 0x22) inString = true;
    else if (b === 0x7b || b === 0x5b) {
      depth++;
      if (depth > max) {
        max = depth;
        if (max > limit) return max;
      }
    } else if (b === 0x7d || b === 0x5d) depth--;
  }
  return max;
}
