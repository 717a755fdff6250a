/**
 * The event a preview or a dry run works on: the catalog sample of the trigger that feeds the
 * recipe, a stored real event, or a pasted payload — the same choice for `POST /recipes/preview`
 * and `POST /recipes/{id}/dry-run`, so the console's two buttons see the same event.
 */
import { z } from 'zod';
import { buildCatalog, feedingTrigger, sampleOf, sourceApp } from '../../../connectors/catalog.js';
import { placeIssues, type PlacedIssue } from './recipe-positions.js';
import type { Recipe } from '../../../engine/recipes/types.js';
import type { Bridge } from '../../bridge.js';
import { ApiError } from '../../http/errors.js';
import { getEvent } from '../../queries/events.js';
import { readRecipeInput } from './recipe-body.js';
import { numericId } from './shared.js';

/** `{ sample: true }`, `{ eventId }` or `{ payload }` (each with an optional `type`, not for eventId). */
export const eventChoice = z.union([
  z.strictObject({ sample: z.literal(true), type: z.string().min(1).max(200).optional().describe('which event type of the trigger (default the recipe\'s first with a sample)') }),
  z.strictObject({ eventId: numericId.describe('a stored event (GET /api/v1/events)') }),
  z.strictObject({ payload: z.record(z.string(), z.unknown()), type: z.string().min(1).max(200).optional().describe("default the recipe's only event"), source: z.string().min(1).max(200).optional() }),
], { error: () => 'event: one of { sample: true }, { eventId }, { payload }' });

export type EventChoice = z.output<typeof eventChoice>;

export interface ChosenEvent {
  source: string;
  type: string;
  payload: Record<string, unknown>;
  /** a stored event's time (its "now"); absent: the current time */
  receivedAt?: Date;
  /** what it is, for people: `sample user.created of webhook.standard-webhooks`, `event 42` */
  from: { kind: 'sample'; triggerId: string } | { kind: 'event'; id: number; receivedAt: string } | { kind: 'payload' };
}

export const chosenEventSchema = z.object({
  source: z.string(),
  type: z.string(),
  payload: z.record(z.string(), z.unknown()),
  from: z.union([
    z.object({ kind: z.literal('sample'), triggerId: z.string() }),
    z.object({ kind: z.literal('event'), id: z.number().int(), receivedAt: z.string() }),
    z.object({ kind: z.literal('payload') }),
  ]),
});

/**
 * The event of `choice` for `recipe`; a missing sample or event is a 4xx naming the field.
 *
 * @example
 * const event = await chooseEvent(bridge, recipe, { sample: true });
 */
export async function chooseEvent(bridge: Bridge, recipe: Recipe, choice: EventChoice, field = 'event'): Promise<ChosenEvent> {
  const events = recipe.trigger.events ?? [];
  const at = (k: string) => (field ? `${field}.${k}` : k);
  if ('eventId' in choice) {
    const event = await getEvent(bridge.db, choice.eventId);
    if (!event) throw new ApiError(404, 'not-found', `no event ${choice.eventId} (\`GET /api/v1/events\` lists the stored events, newest first)`, at('eventId'));
    return { source: event.source, type: event.type, payload: event.payload, receivedAt: new Date(event.receivedAt), from: { kind: 'event', id: event.id, receivedAt: event.receivedAt } };
  }
  if ('sample' in choice) {
    const catalog = buildCatalog(bridge.registry.connectors);
    const source = recipe.trigger.source;
    if (choice.type !== undefined && events.length > 0 && !events.includes(choice.type)) throw new ApiError(400, 'invalid-input', `${at('type')}: recipe ${recipe.id} does not handle ${choice.type}; it handles ${events.join(', ')}`, at('type'));
    const candidates = choice.type !== undefined ? [choice.type] : events;
    for (const t of candidates) {
      const trigger = feedingTrigger(catalog, source, t);
      const sample = trigger && sampleOf(trigger, t);
      if (trigger && sample) return { source, type: t, payload: sample.payload, from: { kind: 'sample', triggerId: trigger.id } };
    }
    const app = sourceApp(catalog, source);
    const shown = [...new Set(catalog.filter((e) => e.kind === 'trigger' && e.app === app).flatMap((e) => (e.samples ?? []).map((s) => s.type)))];
    throw new ApiError(422, 'no-sample', `no catalog sample of ${candidates.join(', ') || 'any event (the recipe names no events: give a type)'} from source ${source}${shown.length ? ` (the ${app} triggers show ${shown.join(', ')})` : ''}: paste a payload instead`, at('sample'));
  }
  const type = choice.type ?? (events.length === 1 ? events[0]! : undefined);
  if (type === undefined) throw new ApiError(400, 'invalid-input', `${at('type')}: required (recipe ${recipe.id} handles ${events.length ? events.join(', ') : 'every event type'})`, at('type'));
  return { source: choice.source ?? recipe.trigger.source, type, payload: choice.payload, from: { kind: 'payload' } };
}

/** The answer for a recipe text that does not validate: every problem, placed in the text. */
export class InvalidRecipeText extends Error {
  constructor(readonly errors: PlacedIssue[]) {
    super(errors.map((e) => `${e.path || '(recipe)'}: ${e.message}`).join('; '));
  }
}

/**
 * The recipe of a text, or `InvalidRecipeText` with its placed problems.
 *
 * @example
 * const recipe = await recipeOfText(body.text);
 */
export async function recipeOfText(text: string): Promise<Recipe> {
  const parsed = await readRecipeInput({ text });
  if (!parsed.ok) throw new InvalidRecipeText(placeIssues(text, parsed.errors));
  return parsed.recipe;
}

/** The 422 body of an invalid text: the first problem as the error, all of them placed. */
export function invalidTextBody(e: InvalidRecipeText): { error: { code: string; message: string; field: string }; errors: PlacedIssue[] } {
  return { error: { code: 'invalid-recipe', message: e.message, field: e.errors[0]?.path || 'text' }, errors: e.errors };
}
