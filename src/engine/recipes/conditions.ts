/**
 * Conditions (the recipe `filter` and a value's `when`), read against the event payload.
 *
 * - `{ path, exists: true }`: the value is present (not undefined, null or '');
 * - `{ path, equals: v }`: strict equality; when the value is a list, any item may match;
 * - `{ path, in: [a, b] }`: equals one of them (a list matches when any item does);
 * - `{ all: [...] }`, `{ any: [...] }`, `{ not: c }`.
 */
import { getPath } from './paths.js';
import { isMissing } from './transforms.js';
import type { Condition } from './types.js';

/**
 * Whether a condition holds for a payload (never throws).
 *
 * @example
 * const payload = { stage: { name: 'Hired' }, tags: ['vip'] };
 * evaluateCondition({ all: [{ path: 'stage.name', in: ['Hired', 'Offer'] }, { path: 'tags', equals: 'vip' }] }, payload); // true
 * evaluateCondition({ not: { path: 'candidate.email', exists: true } }, payload); // true
 */
export function evaluateCondition(condition: Condition, payload: unknown): boolean {
  if ('all' in condition) return condition.all.every((c) => evaluateCondition(c, payload));
  if ('any' in condition) return condition.any.some((c) => evaluateCondition(c, payload));
  if ('not' in condition) return !evaluateCondition(condition.not, payload);
  const value = getPath(payload, condition.path);
  if ('exists' in condition) return !isMissing(value) === condition.exists;
  const candidates = Array.isArray(value) ? value : [value];
  if ('equals' in condition) return candidates.some((v) => Object.is(v, condition.equals) || v === condition.equals);
  return candidates.some((v) => condition.in.some((option) => Object.is(v, option) || v === option));
}
