/** Reads a dotted path (`data.object.id`, `items[0].id`) from a parsed JSON body: own keys only. */
export function readPath(value: unknown, path: string): unknown {
  let current = value;
  for (const part of path.split('.')) {
    const [, key, indexes = ''] = /^([^[]+)((?:\[\d+\])*)$/.exec(part) ?? [];
    if (key === undefined) return undefined;
    current = own(current, key);
    for (const m of indexes.matchAll(/\[(\d+)\]/g)) current = Array.isArray(current) ? current[Number(m[1])] : undefined;
  }
  return current;
}

function own(value: unknown, key: string): unknown {
  // no prototype walk: `__proto__` or `constructor` in a path reads nothing
  return value !== null && typeof value === 'object' && !Array.isArray(value) && Object.prototype.hasOwnProperty.call(value, key) ? (value as Record<string, unknown>)[key] : undefined;
}
