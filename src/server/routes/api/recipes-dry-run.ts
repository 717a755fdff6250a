import { z } from 'zod';
import { planFor, unchanged } from '../../../engine/apply/run.js';
import type { Recipe } from '../../../engine/recipes/types.js';
import { ApiError } from '../../http/errors.js';
import { defineRoute } from '../contract.js';
import { chooseEvent, InvalidRecipeText, invalidTextBody, recipeOfText, type EventChoice } from './recipe-event.js';
import { placedIssueSchema } from './recipe-positions.js';
import { requireRecipe } from './recipe-lookup.js';
import { idText, numericId, translate } from './shared.js';

/** The recipe of `text`, checked as `recipes validate` does (422 with every problem placed), whose id is the path's. */
async function unsavedRecipe(text: string, id: string): Promise<{ recipe: Recipe; enabled: boolean }> {
  const recipe = await recipeOfText(text);
  if (recipe.id !== id) throw new ApiError(400, 'invalid-input', `text: the recipe's id is ${recipe.id}, not ${id}`, 'text');
  return { recipe, enabled: recipe.enabled !== false };
}

const call = z.object({
  step: z.number().int(), action: z.string(), operationId: z.string(), method: z.string(), path: z.string(), body: z.record(z.string(), z.unknown()).optional(),
  idempotent: z.boolean(), diff: z.array(z.object({ field: z.string(), from: z.unknown(), to: z.unknown() })), reason: z.string(),
}).loose();

const answer = z.object({
  recipeId: z.string(),
  version: z.number().int(),
  enabled: z.boolean(),
  saved: z.boolean().describe('false: the text sent was planned'),
  event: z.object({ id: z.number().int(), source: z.string(), type: z.string(), receivedAt: z.string() }).optional().describe('with eventId: the stored event'),
  sample: z.object({ type: z.string(), triggerId: z.string() }).optional().describe('with sample: which catalog sample'),
  evaluation: z.object({ matched: z.boolean(), recordId: z.string().nullable(), contact: z.record(z.string(), z.unknown()), actions: z.array(z.record(z.string(), z.unknown())), errors: z.array(z.object({ field: z.string(), message: z.string() })) }).loose(),
  plan: z.object({ recordId: z.string(), locationId: z.string(), contactId: z.string().nullable(), calls: z.array(call), skipped: z.array(z.record(z.string(), z.unknown())) }).loose().nullable(),
  locationId: z.string(),
  skipReason: z.object({ code: z.string(), message: z.string() }).nullable(),
});

export default defineRoute({
  method: 'POST',
  path: '/api/v1/recipes/{id}/dry-run',
  summary: 'The exact GHL calls and field diffs one event would cause through this recipe (saved, or a text); nothing is written',
  tag: 'recipes',
  auth: true,
  params: z.strictObject({ id: idText }),
  body: z
    .strictObject({
      type: z.string().min(1).max(200).optional().describe("the event's type (default the recipe's only event; with sample: which sample)"),
      payload: z.record(z.string(), z.unknown()).optional(),
      source: z.string().min(1).max(200).optional().describe("default the recipe's trigger source"),
      eventId: numericId.optional().describe('a stored event (GET /api/v1/events/{id}) planned with its own type, source and payload, instead of payload'),
      sample: z.literal(true).optional().describe("the catalog sample of the trigger that feeds the recipe, instead of payload"),
      text: z.string().optional().describe('a recipe not saved yet (YAML or JSON, its id {id}), planned instead of the saved one: try a file before `recipes save`'),
    })
    .superRefine((b, ctx) => {
      if (b.eventId !== undefined) {
        for (const k of ['payload', 'type', 'source', 'sample'] as const) if (b[k] !== undefined) ctx.addIssue({ code: 'custom', path: [k], message: `${k}: not with eventId (the stored event's own is used)` });
      } else if (b.sample !== undefined) {
        for (const k of ['payload', 'source'] as const) if (b[k] !== undefined) ctx.addIssue({ code: 'custom', path: [k], message: `${k}: not with sample (the catalog sample's own is used)` });
      } else if (b.payload === undefined) ctx.addIssue({ code: 'custom', path: ['payload'], message: 'payload: required (the event payload), or eventId (a stored event), or sample: true' });
    }),
  responses: {
    200: { description: 'skipReason `{ code, message }` says why the event would do nothing (event-type, filter, unchanged), else null', body: answer },
    422: { description: 'the text does not validate: { error, errors: placed problems }', body: z.object({ error: z.object({ code: z.string(), message: z.string(), field: z.string().optional() }), errors: z.array(placedIssueSchema).optional() }) },
  },
  async handler({ params, body, server, c }) {
    const { bridge } = server;
    let found;
    try {
      found = body.text !== undefined ? await unsavedRecipe(body.text, params.id) : await requireRecipe(bridge.db, params.id);
    } catch (e) {
      if (e instanceof InvalidRecipeText) return c.json(invalidTextBody(e), 422);
      throw e;
    }
    const choice: EventChoice = body.eventId !== undefined ? { eventId: body.eventId } : body.sample ? { sample: true, ...(body.type ? { type: body.type } : {}) } : { payload: body.payload!, ...(body.type ? { type: body.type } : {}), ...(body.source ? { source: body.source } : {}) };
    const event = await chooseEvent(bridge, found.recipe, choice, '');
    try {
      // a stored event's "now" is its own received time, as for the worker; a payload's is the current time
      const result = await planFor({ db: bridge.db, ghl: bridge.ghl, apps: bridge.apps }, found.recipe, event);
      // the words a worker would store on the run, so the dry run and `runs show` agree
      const skipReason = result.evaluation.skip ?? (result.plan && result.plan.calls.length === 0 ? unchanged(result.plan) : null);
      const from = event.from;
      return c.json({
        recipeId: found.recipe.id, version: found.recipe.version, enabled: found.enabled, saved: body.text === undefined,
        ...(from.kind === 'event' ? { event: { id: from.id, source: event.source, type: event.type, receivedAt: from.receivedAt } } : {}),
        ...(from.kind === 'sample' ? { sample: { type: event.type, triggerId: from.triggerId } } : {}),
        ...result, skipReason,
      });
    } catch (e) {
      if (e instanceof ApiError) throw e;
      if (e instanceof Error && /connection/i.test(e.message) && !(e as { status?: unknown }).status) throw new ApiError(422, 'misconfigured', e.message);
      return translate(e, found.recipe.connection);
    }
  },
});
