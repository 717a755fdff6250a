import { z } from 'zod';
import { planFor, unchanged } from '../../../engine/apply/run.js';
import type { Queryable } from '../../../engine/db/types.js';
import type { Recipe } from '../../../engine/recipes/types.js';
import { ApiError } from '../../http/errors.js';
import { getEvent } from '../../queries/events.js';
import { defineRoute } from '../contract.js';
import { readRecipeInput } from './recipe-body.js';
import { requireRecipe } from './recipe-lookup.js';
import { idText, numericId, translate } from './shared.js';

/** A recipe handling one event type needs no `type`; one handling several says which it handles. */
function onlyEvent(recipe: Recipe): string {
  const events = recipe.trigger.events ?? [];
  if (events.length === 1) return events[0]!;
  throw new ApiError(400, 'invalid-input', `type: required (recipe ${recipe.id} handles ${events.length ? events.join(', ') : 'every event type'})`, 'type');
}

async function storedEvent(db: Queryable, id: number) {
  const event = await getEvent(db, id);
  if (!event) throw new ApiError(404, 'not-found', `no event ${id} (\`GET /api/v1/events\` lists the stored events, newest first)`, 'eventId');
  return event;
}

/** The recipe of `text`, checked as `recipes validate` does (422 with every problem), whose id is the path's. */
async function unsavedRecipe(text: string, id: string): Promise<{ recipe: Recipe; enabled: boolean }> {
  const parsed = await readRecipeInput({ text });
  if (!parsed.ok) throw new ApiError(422, 'invalid-recipe', parsed.errors.map((e) => `${e.path || '(recipe)'}: ${e.message}`).join('; '), parsed.errors[0]!.path || 'text');
  if (parsed.recipe.id !== id) throw new ApiError(400, 'invalid-input', `text: the recipe's id is ${parsed.recipe.id}, not ${id}`, 'text');
  return { recipe: parsed.recipe, enabled: parsed.recipe.enabled !== false };
}

export default defineRoute({
  method: 'POST',
  path: '/api/v1/recipes/{id}/dry-run',
  summary: 'The exact GHL calls and field diffs one event would cause through this recipe; nothing is written',
  tag: 'recipes',
  auth: true,
  params: z.strictObject({ id: idText }),
  body: z
    .strictObject({
      type: z.string().min(1).max(200).optional().describe("the event's type (default the recipe's only event)"),
      payload: z.record(z.string(), z.unknown()).optional(),
      source: z.string().min(1).max(200).optional().describe("default the recipe's trigger source"),
      eventId: numericId.optional().describe('a stored event (GET /api/v1/events/{id}) planned with its own type, source and payload, instead of payload'),
      text: z.string().optional().describe('a recipe not saved yet (YAML or JSON, its id {id}), planned instead of the saved one: try a file before `recipes save`'),
    })
    .superRefine((b, ctx) => {
      if (b.eventId !== undefined) {
        for (const k of ['payload', 'type', 'source'] as const) if (b[k] !== undefined) ctx.addIssue({ code: 'custom', path: [k], message: `${k}: not with eventId (the stored event's own is used)` });
      } else if (b.payload === undefined) ctx.addIssue({ code: 'custom', path: ['payload'], message: 'payload: required (the event payload), or eventId (a stored event)' });
    }),
  responses: { 200: { description: '{ recipeId, version, enabled, saved (false for text), event? (with eventId: id, source, type, receivedAt), evaluation, plan, locationId, skipReason }: skipReason `{ code, message }` says why the event would do nothing (event-type, filter, unchanged), else null' } },
  async handler({ params, body, server, c }) {
    const { bridge } = server;
    const found = body.text !== undefined ? await unsavedRecipe(body.text, params.id) : await requireRecipe(bridge.db, params.id);
    const event = body.eventId !== undefined ? await storedEvent(bridge.db, body.eventId) : { source: body.source ?? found.recipe.trigger.source, type: body.type ?? onlyEvent(found.recipe), payload: body.payload! };
    try {
      // a stored event's "now" is its own received time, as for the worker; a payload's is the current time
      const planned = 'id' in event ? { source: event.source, type: event.type, payload: event.payload, receivedAt: new Date(event.receivedAt) } : event;
      const result = await planFor({ db: bridge.db, ghl: bridge.ghl, apps: bridge.apps }, found.recipe, planned);
      // the words a worker would store on the run, so the dry run and `runs show` agree
      const skipReason = result.evaluation.skip ?? (result.plan && result.plan.calls.length === 0 ? unchanged(result.plan) : null);
      return c.json({ recipeId: found.recipe.id, version: found.recipe.version, enabled: found.enabled, saved: body.text === undefined, ...('id' in event ? { event: { id: event.id, source: event.source, type: event.type, receivedAt: event.receivedAt } } : {}), ...result, skipReason });
    } catch (e) {
      if (e instanceof ApiError) throw e;
      if (e instanceof Error && /connection/i.test(e.message) && !(e as { status?: unknown }).status) throw new ApiError(422, 'misconfigured', e.message);
      return translate(e, found.recipe.connection);
    }
  },
});
