/**
 * The shapes the evaluation writes: text, yes/no, ISO due dates and normalised tag lists. Each
 * takes a resolved value (never missing) and returns it in shape or says why it cannot.
 */
import { formatDate } from './dates.js';
import { applyTransform, isMissing } from './transforms.js';

export type Shaped<T> = { ok: true; value: T } | { ok: false; message: string };

/** The output shapes of mapped values. `any` keeps the value as it is (custom fields); `calendarDate` is YYYY-MM-DD (dateOfBirth). */
export type OutputKind = 'text' | 'boolean' | 'isoDate' | 'calendarDate' | 'tags' | 'any';

/**
 * Brings a resolved value into an output shape.
 *
 * @example
 * shapeValue(42, 'text');                  // { ok: true, value: '42' }
 * shapeValue('yes', 'boolean');            // { ok: true, value: true }
 * shapeValue('2026-12-01', 'isoDate');     // { ok: true, value: '2026-12-01T00:00:00.000Z' }
 * shapeValue('2026-12-01T10:00:00Z', 'calendarDate'); // { ok: true, value: '2026-12-01' }
 * shapeValue([' VIP', ['new']], 'tags');   // { ok: true, value: ['vip', 'new'] }
 */
export function shapeValue(value: unknown, kind: OutputKind): Shaped<unknown> {
  switch (kind) {
    case 'text':
      if (typeof value === 'string') return { ok: true, value };
      if ((typeof value === 'number' && Number.isFinite(value)) || typeof value === 'boolean') return { ok: true, value: String(value) };
      return { ok: false, message: Array.isArray(value) ? 'expected one value, got a list (pick an item with [0], or use the join transform)' : 'expected text, got an object' };
    case 'boolean': {
      const result = applyTransform(value, 'boolean');
      return result.ok ? result : { ok: false, message: result.message };
    }
    case 'isoDate':
      return formatDate(value, 'iso');
    case 'calendarDate':
      return formatDate(value, 'date');
    case 'tags':
      return normalizeTags(value);
    case 'any':
      return { ok: true, value };
  }
}

/**
 * Tags as HighLevel stores them: lists flattened (up to 3 levels), each tag trimmed and lower-cased, empty ones
 * dropped, duplicates removed (first occurrence kept).
 *
 * @example
 * normalizeTags(['VIP ', 'vip', ['New Hire'], '']); // { ok: true, value: ['vip', 'new hire'] }
 * normalizeTags({ a: 1 });                          // { ok: false, message: 'a tag must be text, got an object' }
 */
export function normalizeTags(value: unknown): Shaped<string[]> {
  const tags: string[] = [];
  const visit = (item: unknown, depth = 0): string | null => {
    if (isMissing(item)) return null;
    if (Array.isArray(item)) {
      if (depth >= 3) return 'tag lists nest too deep';
      for (const inner of item) {
        const problem = visit(inner, depth + 1);
        if (problem) return problem;
      }
      return null;
    }
    if (typeof item !== 'string' && typeof item !== 'number' && typeof item !== 'boolean') return `a tag must be text, got ${item === null ? 'null' : 'an object'}`;
    const tag = String(item).trim().toLowerCase();
    if (tag !== '' && !tags.includes(tag)) tags.push(tag);
    return null;
  };
  const problem = visit(value);
  return problem ? { ok: false, message: problem } : { ok: true, value: tags };
}
