/**
 * zod schemas of the mapping language's building blocks: paths, templates, transforms,
 * conditions and value specs. Every object is strict; messages name the problem for authors.
 */
import { isSupportedCountry } from 'libphonenumber-js';
import { z } from 'zod';
import { clockProblem, isTimeZone, knownTimeZones, offsetProblem } from './date-math.js';
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
  const shape = 'a transform is a name (trim, lowercase, uppercase, titleCase, email, firstName, lastName, string, number, boolean) or an object: { phone: { defaultCountry } }, { date: { add, startOf, at, timeZone, format } }, { map, fallback }, { split }, { join }';
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

/** An IANA time zone `Intl` knows, e.g. `Europe/Oslo` (a typo gets a "did you mean"). */
export const timeZoneSchema = z
  .string()
  .superRefine((value, ctx) => {
    if (!isTimeZone(value)) ctx.addIssue({ code: 'custom', message: `unknown time zone ${quote(value)}${didYouMean(value, knownTimeZones()) || ' (an IANA name such as "Europe/Oslo" or "America/New_York")'}` });
  })
  .describe('IANA time zone, e.g. Europe/Oslo (default UTC)');

/** A relative offset: `+2d`, `-3h`, `+30m`, `+1w`, `+2bd` (business days). */
export const offsetSchema = z
  .string()
  .superRefine((value, ctx) => {
    const problem = offsetProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .describe('Offset: +2d, -3h, +30m, +1w, +2bd (business days, Saturday and Sunday skipped)');

const clockSchema = z
  .string()
  .superRefine((value, ctx) => {
    const problem = clockProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .describe('Clock time HH:MM (24 h) in the time zone');

const startOfSchema = z.enum(['hour', 'day', 'week'], { error: (issue) => `startOf is hour, day or week${typeof issue.input === 'string' ? didYouMean(issue.input, ['hour', 'day', 'week']) : ''}` })
  .describe('Start of the hour, day or week (Monday), in the time zone');

/** One transform: a bare name or a one-key object. */
export const transformSchema: z.ZodType<Transform> = z.union(
  [
    z.enum(SIMPLE_TRANSFORMS, { error: (issue) => transformMessage(issue.input) }),
    strict({ phone: strict({ defaultCountry: countrySchema.optional() }) }, 'Phone number to E.164; defaultCountry (ISO 3166 alpha-2) reads national numbers'),
    strict(
      { date: strict({ add: offsetSchema.optional(), startOf: startOfSchema.optional(), at: clockSchema.optional(), timeZone: timeZoneSchema.optional(), format: z.enum(['iso', 'date']).optional() }) },
      'Date to ISO 8601 (iso, default) or YYYY-MM-DD (date); add an offset, then startOf, then at, in timeZone',
    ),
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

const NOW_SHAPE = 'now is true (the event\'s time) or an offset such as "+2d", "-3h", "+2bd"';

const valueSpecObject = strict({
  path: pathSchema.optional(),
  template: templateSchema.optional(),
  value: z.unknown().optional().describe('A constant'),
  now: z.union([z.literal(true, { error: NOW_SHAPE }), offsetSchema], { error: NOW_SHAPE }).optional()
    .describe("The event's time (true), or an offset from it: +2d, -3h, +30m, +1w, +2bd; stable for one event"),
  startOf: startOfSchema.optional(),
  at: clockSchema.optional(),
  timeZone: timeZoneSchema.optional(),
  transforms: z.array(transformSchema).optional(),
  default: z.unknown().optional().describe('Used when the value is missing after the transforms'),
  when: conditionSchema.optional().describe('Only when this holds (else the field is left out)'),
}).superRefine((spec, ctx) => {
  const sources = (['path', 'template', 'value', 'now'] as const).filter((k) => spec[k] !== undefined);
  if (sources.length > 1) ctx.addIssue({ code: 'custom', message: `use only one of ${sources.join(', ')}` });
  if (sources.length === 0 && spec.default === undefined) ctx.addIssue({ code: 'custom', message: 'needs a path, template, value or now (or a default)' });
  if (spec.now === undefined) {
    // these belong to now; on a path, the date transform does the same
    for (const key of ['startOf', 'at', 'timeZone'] as const) {
      if (spec[key] !== undefined) ctx.addIssue({ code: 'custom', path: [key], message: `${key} goes with now (for a path or template use the transform { date: { ${key} } })` });
    }
  }
});

/** Where a mapped value comes from: a path (shorthand) or `{ path | template | value | now, transforms, default, when }`. */
export const valueSpecSchema: z.ZodType<ValueSpec> = z.union([pathSchema, valueSpecObject], {
  error: () => 'expected a path (text) or a value spec { path | template | value | now, transforms?, default?, when? }',
}).meta({ id: 'ValueSpec' });
