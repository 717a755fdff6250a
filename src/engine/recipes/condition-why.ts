/**
 * Why a condition does not hold, in words, naming the part that failed and the value found: what
 * a skipped action (`when`) reports.
 */
import { getPath } from './paths.js';
import { evaluateCondition } from './conditions.js';
import type { Condition } from './types.js';

/**
 * The failing part of a condition that does not hold (null when it holds).
 *
 * @example
 * whyFalse({ path: 'stage.name', equals: 'Hired' }, { stage: { name: 'Offer' } });
 * // 'stage.name equals "Hired" is false (the value is "Offer")'
 * whyFalse({ all: [{ path: 'a', exists: true }, { path: 'b', equals: 1 }] }, { a: 1, b: 2 });
 * // 'b equals 1 is false (the value is 2)'
 */
export function whyFalse(condition: Condition, payload: unknown): string | null {
  if (evaluateCondition(condition, payload)) return null;
  if ('all' in condition) {
    const failed = condition.all.find((c) => !evaluateCondition(c, payload));
    return failed ? whyFalse(failed, payload) : null;
  }
  if ('any' in condition) return `none of ${condition.any.length} holds: ${condition.any.map((c) => whyFalse(c, payload)).join('; ')}`;
  if ('not' in condition) return `not (${describe(condition.not)}) is false: it holds${found(condition.not, payload)}`;
  return `${describe(condition)} is false${found(condition, payload)}`;
}

function describe(c: Condition): string {
  if ('all' in c) return `all of ${c.all.map(describe).join(', ')}`;
  if ('any' in c) return `any of ${c.any.map(describe).join(', ')}`;
  if ('not' in c) return `not (${describe(c.not)})`;
  if ('exists' in c) return `${c.path} ${c.exists ? 'exists' : 'does not exist'}`;
  if ('equals' in c) return `${c.path} equals ${show(c.equals)}`;
  return `${c.path} in [${c.in.map(show).join(', ')}]`;
}

function found(c: Condition, payload: unknown): string {
  if (!('path' in c)) return '';
  const value = getPath(payload, c.path);
  return value === undefined ? ' (no value there)' : ` (the value is ${show(value)})`;
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
