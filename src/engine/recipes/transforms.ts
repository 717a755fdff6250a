/**
 * The transforms of the mapping language. Every transform but `split` and `join` works on one
 * value and, given a list, on each item (missing items are dropped). A missing value (undefined,
 * null, '') passes through untouched: `default` deals with it afterwards.
 */
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { shiftDate } from './dates.js';
import type { Transform } from './types.js';

export type TransformResult = { ok: true; value: unknown } | { ok: false; message: string };

/** The transforms written as a bare name. */
export const SIMPLE_TRANSFORMS = ['trim', 'lowercase', 'uppercase', 'titleCase', 'email', 'firstName', 'lastName', 'string', 'number', 'boolean'] as const;
/** The transforms written as a one-key object (`map` may add `fallback`). */
export const OBJECT_TRANSFORMS = ['phone', 'date', 'map', 'split', 'join'] as const;

const EMAIL = /^[^\s@<>(),;:"[\]]+@[^\s@<>(),;:"[\]]+\.[^\s@<>(),;:"[\]]+$/;
const TRUE_WORDS = new Set(['true', 'yes', 'y', '1', 'on']);
const FALSE_WORDS = new Set(['false', 'no', 'n', '0', 'off']);

/**
 * True for the values the mapping language treats as absent: undefined, null and ''.
 *
 * @example
 * isMissing(''); // true
 * isMissing(0);  // false
 */
export function isMissing(value: unknown): value is undefined | null | '' {
  return value === undefined || value === null || value === '';
}

/**
 * Applies transforms in order; stops at the first failure, whose message names the transform.
 *
 * @example
 * applyTransforms('  Ada@Example.COM ', ['email']); // { ok: true, value: 'ada@example.com' }
 * applyTransforms('hired', [{ map: { hired: 'employee' }, fallback: 'candidate' }]); // { ok: true, value: 'employee' }
 */
export function applyTransforms(value: unknown, transforms: readonly Transform[] = []): TransformResult {
  let current = value;
  for (const transform of transforms) {
    const result = applyTransform(current, transform);
    if (!result.ok) return { ok: false, message: `${transformName(transform)}: ${result.message}` };
    current = result.value;
  }
  return { ok: true, value: current };
}

/**
 * Applies one transform (to each item of a list, except `split` and `join`).
 *
 * @example
 * applyTransform('Ada King Lovelace', 'lastName');                  // { ok: true, value: 'King Lovelace' }
 * applyTransform('(415) 555-2671', { phone: { defaultCountry: 'US' } }); // { ok: true, value: '+14155552671' }
 * applyTransform('a; b', { split: ';' });                           // { ok: true, value: ['a', 'b'] }
 */
export function applyTransform(value: unknown, transform: Transform): TransformResult {
  if (isMissing(value)) return { ok: true, value: undefined };
  if (typeof transform === 'object' && 'split' in transform) {
    const items = Array.isArray(value) ? value : [value];
    const parts: string[] = [];
    for (const item of items) {
      if (isMissing(item)) continue;
      const text = asText(item);
      if (text === null) return { ok: false, message: `expected text, got ${kind(item)}` };
      parts.push(...text.split(transform.split).map((p) => p.trim()).filter((p) => p !== ''));
    }
    return { ok: true, value: parts };
  }
  if (typeof transform === 'object' && 'join' in transform) {
    const items = Array.isArray(value) ? value : [value];
    const texts: string[] = [];
    for (const item of items) {
      if (isMissing(item)) continue;
      const text = asText(item);
      if (text === null) return { ok: false, message: `expected text, got ${kind(item)}` };
      texts.push(text);
    }
    return { ok: true, value: texts.join(transform.join) };
  }
  if (!Array.isArray(value)) return applyToOne(value, transform);
  const out: unknown[] = [];
  for (const [i, item] of value.entries()) {
    if (isMissing(item)) continue;
    const result = applyToOne(item, transform);
    if (!result.ok) return { ok: false, message: `[${i}]: ${result.message}` };
    if (!isMissing(result.value)) out.push(result.value);
  }
  return { ok: true, value: out };
}

function applyToOne(value: unknown, transform: Transform): TransformResult {
  if (typeof transform === 'object') {
    if ('phone' in transform) return toPhone(value, transform.phone.defaultCountry);
    if ('date' in transform) return shiftDate(value, transform.date);
    if ('map' in transform) {
      const key = asText(value);
      if (key !== null && Object.hasOwn(transform.map, key)) return { ok: true, value: transform.map[key] };
      return { ok: true, value: transform.fallback };
    }
    return { ok: false, message: 'unknown transform' };
  }
  if (transform === 'number') return toNumber(value);
  if (transform === 'boolean') return toBoolean(value);
  const text = asText(value);
  if (text === null) return { ok: false, message: `expected text, got ${kind(value)}` };
  switch (transform) {
    case 'trim': return { ok: true, value: text.trim() };
    case 'lowercase': return { ok: true, value: text.toLowerCase() };
    case 'uppercase': return { ok: true, value: text.toUpperCase() };
    case 'titleCase': return { ok: true, value: titleCase(text) };
    case 'string': return { ok: true, value: text };
    case 'firstName': return { ok: true, value: splitName(text).firstName };
    case 'lastName': return { ok: true, value: splitName(text).lastName };
    case 'email': {
      const email = text.trim().toLowerCase();
      return EMAIL.test(email) && email.length <= 254 ? { ok: true, value: email } : { ok: false, message: `invalid email ${JSON.stringify(text)}` };
    }
  }
}

/**
 * Each word with a capital first letter and the rest lower case. The parts of a word after a
 * hyphen or an apostrophe are words too (O'Neil-Smith), except a single letter after an
 * apostrophe (Ada's). Spacing is kept as written.
 *
 * @example
 * titleCase('ada LOVELACE');  // 'Ada Lovelace'
 * titleCase("o'neil-smith");  // "O'Neil-Smith"
 * titleCase("ada's (pa)");    // "Ada's (Pa)"
 */
export function titleCase(text: string): string {
  return text
    .toLowerCase()
    .replace(/(?<![\p{L}\p{N}\p{M}])\p{L}/gu, (letter, at: number, all: string) => {
      const afterApostrophe = at > 0 && /['’]/.test(all[at - 1]!) && !/^\p{L}{2}/u.test(all.slice(at));
      return afterApostrophe ? letter : letter.toUpperCase();
    });
}

/**
 * Splits a full name: `"Lovelace, Ada"` is last-name-first, otherwise the first word is the first
 * name and the rest the last name (absent for a single word).
 *
 * @example
 * splitName('  Ada   King Lovelace '); // { firstName: 'Ada', lastName: 'King Lovelace' }
 * splitName('Lovelace, Ada');          // { firstName: 'Ada', lastName: 'Lovelace' }
 */
export function splitName(fullName: string): { firstName?: string; lastName?: string } {
  const clean = fullName.trim().replace(/\s+/g, ' ');
  const comma = clean.indexOf(',');
  if (comma >= 0) {
    const last = clean.slice(0, comma).trim();
    const first = clean.slice(comma + 1).trim();
    return { firstName: first || undefined, lastName: last || undefined };
  }
  const space = clean.indexOf(' ');
  if (space < 0) return { firstName: clean || undefined };
  return { firstName: clean.slice(0, space), lastName: clean.slice(space + 1) };
}

function toPhone(value: unknown, defaultCountry: string | undefined): TransformResult {
  const text = asText(value);
  if (text === null) return { ok: false, message: `expected text, got ${kind(value)}` };
  const phone = parsePhoneNumberFromString(text, defaultCountry as CountryCode | undefined);
  if (phone?.isValid()) return { ok: true, value: phone.number };
  const hint = defaultCountry ? ` for default country ${defaultCountry}` : ' (no defaultCountry, and no +country code)';
  return { ok: false, message: `${JSON.stringify(text)} is not a valid phone number${hint}` };
}

function toNumber(value: unknown): TransformResult {
  if (typeof value === 'number' && Number.isFinite(value)) return { ok: true, value };
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value.trim()))) return { ok: true, value: Number(value.trim()) };
  return { ok: false, message: `not a number: ${typeof value === 'string' ? JSON.stringify(value) : kind(value)}` };
}

function toBoolean(value: unknown): TransformResult {
  if (typeof value === 'boolean') return { ok: true, value };
  if (value === 1 || value === 0) return { ok: true, value: value === 1 };
  const word = typeof value === 'string' ? value.trim().toLowerCase() : null;
  if (word !== null && TRUE_WORDS.has(word)) return { ok: true, value: true };
  if (word !== null && FALSE_WORDS.has(word)) return { ok: true, value: false };
  return { ok: false, message: `not a yes/no value: ${typeof value === 'string' ? JSON.stringify(value) : kind(value)}` };
}

/** A scalar as text (numbers and booleans converted), or null for lists, objects and the rest. */
function asText(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if ((typeof value === 'number' && Number.isFinite(value)) || typeof value === 'boolean') return String(value);
  return null;
}

function kind(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'an object' : typeof value;
}

/**
 * The name of a transform, as written in recipes and error messages.
 *
 * @example
 * transformName({ phone: { defaultCountry: 'US' } }); // 'phone'
 * transformName('email');                              // 'email'
 */
export function transformName(transform: Transform): string {
  if (typeof transform === 'string') return transform;
  return OBJECT_TRANSFORMS.find((name) => name in transform) ?? 'unknown';
}
