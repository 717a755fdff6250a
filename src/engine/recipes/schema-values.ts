/**
 * zod schemas of the mapping language's building blocks: paths, templates, transforms,
 * conditions and value specs. Every object is strict; messages name the problem for authors.
 */
import { isSupportedCountry } from 'libphonenumber-js';
import { z } from 'zod';
import { parsePath } from './paths.js';
import { quote } from '../text/printable.js';
import { didYouMean } from './schema-errors.js';
import { parseTemplate } from './template.js';
import { OBJECT_TRANSFORMS, SIMPLE_TRANSFORMS } from './transforms.js';
import type { Condition, Transform, ValueSpec } from './types.js';

/**
 * A strict object whose unknown keys are reported with a "did you mean" hint.
 *
 * @example
 * strict({ path: z.string() }).safeParse({ paht: 'a' }); // issue: unknown key "paht" (did you mean "path"?)
 */
export function strict<T extends z.core.$ZodLooseShape>(shape: T, description?: string) {
  const known = Object.keys(shape);
  const schema = z.strictObject(shape, {
    error: (issue) => {
      if (issue.code !== 'unrecognized_keys') return undefined;
      if (issue.keys.length > 1) return `unknown keys ${quoteSome(issue.keys)} (allowed: ${known.join(', ')})`;
      const key = issue.keys[0] ?? '';
      return `unknown key ${quote(key)}${didYouMean(key, known) || ` (allowed: ${known.join(', ')})`}`;
    },
  });
  return description === undefined ? schema : schema.describe(description);
}

/** Keys named in a message: the first few (quoted, escaped), then how many more. */
function quoteSome(keys: readonly string[], shown = 10): string {
  const list = keys.slice(0, shown).map((k) => quote(k)).join(', ');
  return keys.length > shown ? `${list} and ${(keys.length - shown).toLocaleString('en-US')} more` : list;
}

/** A path into the event payload (`a.b`, `list[0]`, `map["odd key"]`). */
export const pathSchema = z
  .string()
  .superRefine((value, ctx) => {
    const parsed = parsePath(value);
    if (parsed.ok) return;
    const hint = value.includes('{{') ? ' (for a template write { template: "…" })' : '';
    ctx.addIssue({ code: 'custom', message: parsed.message + hint });
  })
  .describe('Path into the event payload: a.b.c, list[0], map["key with dots"]');

/** Text with `{{path}}` placeholders. */
export const templateSchema = z
  .string()
  .superRefine((value, ctx) => {
    const parsed = parseTemplate(value);
    if (!parsed.ok) ctx.addIssue({ code: 'custom', message: `invalid template: ${parsed.message}` });
  })
  .describe('Text with {{path}} placeholders, e.g. "{{candidate.name}} moved to {{stage.name}}"');

const ALL_TRANSFORMS = [...SIMPLE_TRANSFORMS, ...OBJECT_TRANSFORMS];

function transformMessage(input: unknown): string {
  const shape = 'a transform is a name (trim, lowercase, uppercase, email, firstName, lastName, string, number, boolean) or an object: { phone: { defaultCountry } }, { date: { format } }, { map, fallback }, { split }, { join }';
  if (typeof input === 'string') return `unknown transform "${input}"${didYouMean(input, ALL_TRANSFORMS)}`;
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return shape;
  const keys = Object.keys(input);
  const named = keys.filter((k) => (OBJECT_TRANSFORMS as readonly string[]).includes(k));
  if (named.length > 1) return `one transform per item, found ${named.join(' and ')}`;
  const unknown = keys.find((k) => !named.includes(k) && k !== 'fallback');
  if (named.length === 0 && unknown !== undefined) return `unknown transform "${unknown}"${didYouMean(unknown, ALL_TRANSFORMS)}`;
  return shape;
}

const countrySchema = z
  .string()
  .regex(/^[A-Z]{2}$/, { error: 'expected a two-letter country code in capitals, e.g. "US"', abort: true })
  .refine((c) => isSupportedCountry(c), { error: (issue) => `unknown country "${String(issue.input)}"` });

/** One transform: a bare name or a one-key object. */
export const transformSchema: z.ZodType<Transform> = z.union(
  [
    z.enum(SIMPLE_TRANSFORMS, { error: (issue) => transformMessage(issue.input) }),
    strict({ phone: strict({ defaultCountry: countrySchema.optional() }) }, 'Phone number to E.164; defaultCountry (ISO 3166 alpha-2) reads national numbers'),
    strict({ date: strict({ format: z.enum(['iso', 'date']).optional() }) }, 'Date to ISO 8601 (iso, default) or YYYY-MM-DD (date)'),
    strict({ map: z.record(z.string(), z.unknown()), fallback: z.unknown().optional() }, 'Value map; fallback for values not in the map (else the value is dropped)'),
    strict({ split: z.string().min(1) }, 'Text to a list, split on this separator (items trimmed, empty ones dropped)'),
    strict({ join: z.string() }, 'List to text, joined with this separator'),
  ],
  { error: (issue) => transformMessage(issue.input) },
).meta({ id: 'Transform' });

const CONDITION_KEYS = ['path', 'exists', 'equals', 'in', 'all', 'any', 'not'];

function conditionMessage(input: unknown): string {
  const shape = 'a condition is { path, exists }, { path, equals }, { path, in }, { all: [...] }, { any: [...] } or { not: {...} }';
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return shape;
  const keys = Object.keys(input);
  const unknown = keys.find((k) => !CONDITION_KEYS.includes(k));
  if (unknown !== undefined) return `unknown key "${unknown}" in a condition${didYouMean(unknown, CONDITION_KEYS)}; ${shape}`;
  const tests = keys.filter((k) => k === 'exists' || k === 'equals' || k === 'in');
  if (tests.length > 1) return `use only one of ${tests.join(', ')} in a condition`;
  if (keys.includes('path') && tests.length === 0) return 'a condition with a path needs exists, equals or in';
  return shape;
}

/** A condition on the payload (recipe `filter`, value `when`). */
export const conditionSchema: z.ZodType<Condition> = z.union(
  [
    strict({ path: pathSchema, exists: z.boolean() }),
    strict({ path: pathSchema, equals: z.unknown() }),
    strict({ path: pathSchema, in: z.array(z.unknown()).min(1) }),
    strict({ get all() { return z.array(conditionSchema).min(1); } }),
    strict({ get any() { return z.array(conditionSchema).min(1); } }),
    strict({ get not() { return conditionSchema; } }),
  ],
  { error: (issue) => conditionMessage(issue.input) },
).meta({ id: 'Condition' });

const valueSpecObject = strict({
  path: pathSchema.optional(),
  template: templateSchema.optional(),
  value: z.unknown().optional().describe('A constant'),
  transforms: z.array(transformSchema).optional(),
  default: z.unknown().optional().describe('Used when the value is missing after the transforms'),
  when: conditionSchema.optional().describe('Only when this holds (else the field is left out)'),
}).superRefine((spec, ctx) => {
  const sources = (['path', 'template', 'value'] as const).filter((k) => spec[k] !== undefined);
  if (sources.length > 1) ctx.addIssue({ code: 'custom', message: `use only one of ${sources.join(', ')}` });
  if (sources.length === 0 && spec.default === undefined) ctx.addIssue({ code: 'custom', message: 'needs a path, template or value (or a default)' });
});

/** Where a mapped value comes from: a path (shorthand) or `{ path | template | value, transforms, default, when }`. */
export const valueSpecSchema: z.ZodType<ValueSpec> = z.union([pathSchema, valueSpecObject], {
  error: () => 'expected a path (text) or a value spec { path | template | value, transforms?, default?, when? }',
}).meta({ id: 'ValueSpec' });
