import { createHash } from 'node:crypto';

/** Stable JSON (sorted keys) so the same fields always hash the same. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().filter((k) => (value as Record<string, unknown>)[k] !== undefined).map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Hash of the fields last written, to skip calls whose content did not change. */
export function fieldsHash(fields: unknown): string {
  return createHash('sha256').update(stableJson(fields)).digest('base64url').slice(0, 32);
}
