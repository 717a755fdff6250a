import { z } from 'zod';
import { traceRecipe } from '../../../engine/recipes/index.js';
import type { ResolvedAction } from '../../../engine/recipes/types.js';
import { redactSecrets } from '../../queries/runs.js';
import { defineRoute } from '../contract.js';
import { chooseEvent, chosenEventSchema, eventChoice, InvalidRecipeText, invalidTextBody, recipeOfText } from './recipe-event.js';
import { placedIssueSchema, placeIssues } from './recipe-positions.js';

const task = z.object({ action: z.number().int(), sourceId: z.string(), title: z.string(), body: z.string().optional(), dueDate: z.string(), completed: z.boolean().optional(), assignedTo: z.string().optional() });
const note = z.object({ action: z.number().int(), sourceId: z.string(), body: z.string(), userId: z.string().optional() });

const previewBody = z.object({
  recipeId: z.string(),
  event: chosenEventSchema,
  matched: z.boolean().describe('false: the event type or the filter leaves this event out (reason says which)'),
  reason: z.string().optional(),
  recordId: z.string().nullable(),
  contact: z.object({
    fields: z.record(z.string(), z.unknown()).describe('GHL contact fields (without tags and custom fields)'),
    customFields: z.array(z.object({ key: z.string(), field_value: z.unknown() })),
    tags: z.array(z.string()).describe("the mapping's contact tags"),
  }),
  tags: z.object({ add: z.array(z.string()), remove: z.array(z.string()) }).describe('every tag the mapping and the tags actions add or remove'),
  tasks: z.array(task),
  notes: z.array(note),
  actions: z.array(z.object({ index: z.number().int(), type: z.string(), resolved: z.record(z.string(), z.unknown()) })).describe('each planned action with its values'),
  skippedActions: z.array(z.object({ action: z.string(), reason: z.string() })),
  fields: z.array(z.object({ field: z.string(), source: z.string().nullable(), sourceValue: z.unknown(), status: z.string(), value: z.unknown().optional(), message: z.string().optional() })).describe('each mapped field: its source path, source value and result'),
  errors: z.array(placedIssueSchema).describe('mapping problems for this event, placed in the text'),
});

/** The action index of each resolved action (actions whose `when` is false are left out of `actions`). */
function indexed(all: number, skipped: Array<{ action: string }>, actions: ResolvedAction[]): Array<{ index: number; action: ResolvedAction }> {
  const gone = new Set(skipped.map((s) => Number(/^actions\[(\d+)\]/.exec(s.action)?.[1] ?? -1)));
  const indexes = Array.from({ length: all }, (_, i) => i).filter((i) => !gone.has(i));
  return actions.map((action, k) => ({ index: indexes[k] ?? k, action }));
}

/**
 * `POST /api/v1/recipes/preview`: what the mapping of a recipe text makes of one event — the
 * contact fields, tags, tasks and notes, action by action, and each mapping problem at its place
 * in the text. Pure evaluation: neither GHL nor the ledger is asked (the dry run does that).
 *
 * @example
 * // POST /api/v1/recipes/preview { "text": "id: app-signup\n…", "event": { "sample": true } }
 * // → { contact: { fields: { email: 'ada@example.com', firstName: 'Ada' }, … }, tasks: [{ title: 'Welcome Ada Lovelace', dueDate: '…' }], errors: [] }
 */
export default defineRoute({
  method: 'POST',
  path: '/api/v1/recipes/preview',
  summary: "What a recipe text's mapping makes of one event (a catalog sample, a stored event or a payload): contact fields, tags, tasks, notes; GHL is not called",
  tag: 'recipes',
  auth: true,
  body: z.strictObject({
    text: z.string().describe('the recipe as YAML or JSON text (saved or not)'),
    event: eventChoice.default({ sample: true }),
  }),
  responses: {
    200: { description: 'the mapping result for the event', body: previewBody },
    422: { description: '{ error, errors: placed problems } when the text does not validate', body: z.object({ error: z.object({ code: z.string(), message: z.string(), field: z.string().optional() }), errors: z.array(placedIssueSchema) }) },
  },
  async handler({ body, server, c }) {
    let recipe;
    try {
      recipe = await recipeOfText(body.text);
    } catch (e) {
      if (e instanceof InvalidRecipeText) return c.json(invalidTextBody(e), 422);
      throw e;
    }
    const event = await chooseEvent(server.bridge, recipe, body.event);
    const { evaluation, fields, reason } = traceRecipe(recipe, event.payload, event.type, { eventTime: event.receivedAt ?? new Date() });
    const { tags: contactTags, customFields, ...contactFields } = evaluation.contact as { tags?: string[]; customFields?: Array<{ key: string; field_value: unknown }> } & Record<string, unknown>;
    const add = new Set<string>(contactTags ?? []);
    const remove = new Set<string>();
    const tasks: z.infer<typeof task>[] = [];
    const notes: z.infer<typeof note>[] = [];
    const skipped = evaluation.skipped ?? [];
    const actions = indexed(recipe.actions.length, skipped, evaluation.actions).map(({ index, action }) => {
      if (action.type === 'tags') {
        action.add.forEach((t) => add.add(t));
        action.remove.forEach((t) => remove.add(t));
      } else if (action.type === 'task') tasks.push({ action: index, sourceId: action.sourceId, ...action.fields });
      else if (action.type === 'note') notes.push({ action: index, sourceId: action.sourceId, ...action.fields });
      const { type, ...resolved } = action;
      return { index, type, resolved: resolved as Record<string, unknown> };
    });
    const errors = placeIssues(body.text, evaluation.errors.map((e) => ({ path: e.field, message: e.message })));
    return c.json({
      recipeId: recipe.id,
      // a stored event is shown with its credentials redacted, as the run detail shows it (the mapping above read it whole)
      event: { source: event.source, type: event.type, payload: event.from.kind === 'event' ? (redactSecrets(event.payload) as Record<string, unknown>) : event.payload, from: event.from },
      matched: evaluation.matched,
      ...(reason !== undefined ? { reason } : {}),
      recordId: evaluation.recordId,
      contact: { fields: contactFields, customFields: customFields ?? [], tags: contactTags ?? [] },
      tags: { add: [...add], remove: [...remove] },
      tasks,
      notes,
      actions,
      skippedActions: skipped,
      fields: fields.map((f) => ({ ...f, source: f.source ?? null })),
      errors,
    } satisfies z.input<typeof previewBody>);
  },
});
