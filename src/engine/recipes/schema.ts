/**
 * The recipe schema (zod, strict at every level), its JSON Schema, and `parseRecipe` for YAML or
 * JSON text. Errors carry the path of the problem, e.g.
 * `mapping.contact.phone.transforms[0]: unknown transform "phoen" (did you mean "phone"?)`.
 */
import { z } from 'zod';
import { capIssues } from '../text/cap.js';
import { RECIPE_TEXT_LIMIT, sizeProblem } from '../text/limits.js';
import { textProblem } from '../text/decode.js';
import { runSteps, runStepsYielding, type Steps } from '../text/steps.js';
import { readYaml, type YamlRead } from '../text/yaml.js';
import { validateCron } from './cron.js';
import { didYouMean, toRecipeIssues, type RecipeIssue } from './schema-errors.js';
import { conditionSchema, pathSchema, strict, valueSpecSchema } from './schema-values.js';
import { checkStepRefs } from './step-refs.js';
import type { ContactField, Recipe } from './types.js';

/** The GHL contact fields a mapping may set (besides `customFields` and `tags`). */
export const CONTACT_FIELDS = [
  'firstName', 'lastName', 'name', 'email', 'phone', 'companyName', 'address1', 'city', 'state', 'postalCode',
  'country', 'website', 'timezone', 'source', 'dateOfBirth', 'assignedTo', 'dnd',
] as const satisfies readonly ContactField[];

const ACTION_TYPES = ['upsertContact', 'tags', 'task', 'note', 'completeTask', 'deleteContact', 'app'];

const spec = valueSpecSchema;
const optional = () => valueSpecSchema.optional();
const tagSchema = z.string().trim().min(1, { error: 'a tag cannot be empty' });

const scheduleSchema = z
  .string()
  .superRefine((value, ctx) => {
    const problem = validateCron(value);
    if (problem) ctx.addIssue({ code: 'custom', message: `invalid schedule: ${problem}` });
  })
  .describe('Cron (minute hour day-of-month month day-of-week, UTC) or @hourly/@daily/@weekly/@monthly/@yearly');

const triggerSchema = strict({
  source: z.string().min(1).describe('Event source: recruitee, connecteam, webhook:my-app, ghl, schedule…'),
  events: z.array(z.string().min(1)).optional().describe('Event types handled (absent or empty: all of the source)'),
  schedule: scheduleSchema.optional(),
}).superRefine((trigger, ctx) => {
  if (trigger.source === 'schedule' && trigger.schedule === undefined) {
    ctx.addIssue({ code: 'custom', path: ['schedule'], message: 'required when the source is "schedule"' });
  }
});

const contactFieldShape = Object.fromEntries(CONTACT_FIELDS.map((f) => [f, optional()])) as Record<ContactField, ReturnType<typeof optional>>;

const contactMappingSchema = strict({
  ...contactFieldShape,
  customFields: z
    .record(z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/, { error: 'a custom field key is letters, digits, "_", "." and "-", e.g. contact.stage' }), spec)
    .optional()
    .describe('Custom fields by key (or id): written as customFields: [{ key, field_value }]'),
  tags: optional().describe('Tags (text or list): trimmed, lower-cased, deduplicated'),
});

const when = () => conditionSchema.optional().describe('Plan this action only when the condition holds (else it is skipped, with the reason)');
const stepId = () => z.string().regex(/^[A-Za-z][A-Za-z0-9_-]{0,39}$/, { error: 'a step id is a letter, then up to 39 letters, digits, "_" or "-"' }).optional()
  .describe('Names the step, so later actions can read its output as steps.<id>…');

const actionSchema = z.discriminatedUnion(
  'type',
  [
    strict({ type: z.literal('upsertContact'), when: when() }, 'Create or update the contact of the source record'),
    strict({ type: z.literal('tags'), add: optional(), remove: optional(), managed: z.array(tagSchema).optional(), when: when() }, 'Add/remove tags (diffs, never an overwrite)')
      .superRefine((a, ctx) => {
        if (a.add === undefined && a.remove === undefined && a.managed === undefined) ctx.addIssue({ code: 'custom', message: 'a tags action needs add, remove or managed' });
      }),
    strict({ type: z.literal('task'), id: stepId(), when: when(), sourceId: spec, title: spec, body: optional(), dueDate: spec, completed: optional(), assignedTo: optional() }, 'A task matched by sourceId'),
    strict({ type: z.literal('note'), id: stepId(), when: when(), sourceId: spec, body: spec, userId: optional() }, 'A note matched by sourceId'),
    strict({ type: z.literal('completeTask'), sourceId: spec, completed: optional(), when: when() }, 'Mark the task of sourceId completed (or not)'),
    strict({ type: z.literal('deleteContact'), policy: z.enum(['delete', 'tag']), tag: tagSchema.optional(), when: when() }, 'The source record was deleted: delete the contact or tag it (default tag "inactive")'),
    strict(
      {
        type: z.literal('app'),
        id: stepId(),
        when: when(),
        connection: z.string().min(1).describe('The app connection the action runs on'),
        action: z.string().regex(/^[a-z][a-z0-9-]*\.[A-Za-z0-9_.-]+$/, { error: 'an action id is <app>.<name>, e.g. recruitee.addNote (see `ghl-bridge ops list`)' }),
        input: z.record(z.string().min(1), spec).optional().describe('The action input, each value mapped from the event'),
        contactView: z.boolean().optional().describe("Pass the GHL contact's 360° view (contact, tasks, notes, appointments) as input.contactView"),
      },
      'An action on a source app (operations catalog id), e.g. write back to Recruitee',
    ),
  ],
  {
    error: (issue) => {
      const type = issue.input !== null && typeof issue.input === 'object' ? (issue.input as { type?: unknown }).type : undefined;
      const expected = `one of ${ACTION_TYPES.join(', ')}`;
      if (type === undefined) return `required: ${expected}`;
      return `unknown action type ${JSON.stringify(type)}${typeof type === 'string' ? didYouMean(type, ACTION_TYPES) : ''}; expected ${expected}`;
    },
  },
).meta({ id: 'Action' });

const ratio = z.number().gt(0).max(1);
/** Per-recipe overrides of `alerts:` in ghl-bridge.yaml (channels by name; the rules' numbers). */
const recipeAlertsSchema = strict({
  channels: z.array(z.string().min(1)).optional().describe('channel names of alerts.channels for this recipe\'s incidents'),
  failureRate: strict({ enabled: z.boolean().optional(), threshold: ratio.optional(), windowMinutes: z.number().int().min(1).max(1440).optional(), minRuns: z.number().int().min(1).optional() }).optional(),
  autoPause: strict({ enabled: z.boolean().optional(), failureRatio: ratio.optional(), minRuns: z.number().int().min(1).optional() }).optional(),
}, 'Incident alerts of this recipe: where they go, and its own failure-rate and auto-pause thresholds');

/** A recipe: trigger → optional filter → mapping → ordered actions. */
export const recipeSchema = strict({
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/, { error: 'an id is 1-100 letters, digits, ".", "_", ":" or "-"' }),
  version: z.number().int().min(1),
  name: z.string().optional(),
  description: z.string().optional(),
  enabled: z.boolean().optional(),
  trigger: triggerSchema,
  connection: z.string().min(1).describe('GHL connection (a location) the actions write to'),
  recordId: pathSchema.describe('Path of the source record id in the payload (the ledger key)'),
  filter: conditionSchema.optional(),
  mapping: strict({ contact: contactMappingSchema }),
  actions: z.array(actionSchema).min(1, { error: 'a recipe needs at least one action' }),
  alerts: recipeAlertsSchema.optional(),
}).superRefine((recipe, ctx) => checkStepRefs(recipe, ctx)).meta({ title: 'ghl-bridge recipe', description: 'Trigger → filter → mapping → actions, syncing an app into HighLevel contacts' });

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** Compile-time guard: the schema's output is exactly `Recipe`. */
const _schemaMatchesRecipe: Same<z.output<typeof recipeSchema>, Recipe> = true;

export type ParseRecipeResult = { ok: true; recipe: Recipe } | { ok: false; errors: RecipeIssue[] };

/**
 * Reads and validates a recipe from YAML or JSON text, or from an already parsed object. The
 * format defaults to JSON when the text starts with `{`, else YAML. Text over
 * `RECIPE_TEXT_LIMIT`, or holding control characters, is refused; the errors listed stop at
 * `MAX_LISTED_PROBLEMS` (then "and N more").
 *
 * @example
 * const r = parseRecipe(readFileSync('recipes/recruitee.yaml', 'utf8'));
 * if (!r.ok) for (const e of r.errors) console.error(`${e.path || '(recipe)'}: ${e.message}`);
 * // mapping.contact.phone.transforms[0]: unknown transform "phoen" (did you mean "phone"?)
 */
export function parseRecipe(input: unknown, options: { format?: 'yaml' | 'json' } = {}): ParseRecipeResult {
  return runSteps(recipeSteps(input, options));
}

/**
 * `parseRecipe` giving the event loop a turn every few milliseconds: what the server uses, so a
 * large recipe never holds up webhooks and other requests.
 *
 * @example
 * const r = await parseRecipeYielding(body.text);
 */
export function parseRecipeYielding(input: unknown, options: { format?: 'yaml' | 'json' } = {}): Promise<ParseRecipeResult> {
  return runStepsYielding(recipeSteps(input, options));
}

function* recipeSteps(input: unknown, options: { format?: 'yaml' | 'json' }): Steps<ParseRecipeResult> {
  let data: unknown = input;
  if (typeof input === 'string') {
    const read = yield* readText(input, options.format ?? (input.trimStart().startsWith('{') ? 'json' : 'yaml'));
    if (!read.ok) return { ok: false, errors: capIssues(read.issues, read.total) };
    data = read.data;
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return { ok: false, errors: [{ path: '', message: `a recipe is an object (a YAML mapping or JSON object), got ${data === null ? 'null' : Array.isArray(data) ? 'a list' : typeof data}` }] };
  }
  yield;
  const result = recipeSchema.safeParse(data);
  if (result.success) return { ok: true, recipe: result.data };
  yield;
  const issues = toRecipeIssues(result.error.issues, data);
  return { ok: false, errors: capIssues(issues) };
}

function* readText(text: string, format: 'yaml' | 'json'): Steps<YamlRead> {
  const problem = sizeProblem('recipe', Buffer.byteLength(text, 'utf8'), RECIPE_TEXT_LIMIT) ?? textProblem(text, 'text');
  if (problem) return { ok: false, issues: [{ path: '', message: problem }], total: 1 };
  if (format === 'yaml') return yield* readYaml(text, { maxAliasCount: 100 });
  try {
    return { ok: true, data: JSON.parse(text) as unknown };
  } catch (e) {
    return { ok: false, issues: [{ path: '', message: `JSON: ${e instanceof Error ? e.message : String(e)}` }], total: 1 };
  }
}

/**
 * The recipe schema as JSON Schema (draft 2020-12), for editors and the web UI. Checks that JSON
 * Schema cannot say (path and template syntax, cron ranges, one source per value) are `parseRecipe`'s.
 *
 * @example
 * writeFileSync('recipe.schema.json', JSON.stringify(recipeJsonSchema(), null, 2));
 */
export function recipeJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(recipeSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}
