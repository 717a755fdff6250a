/**
 * Previews a recipe on a sample payload: the evaluation the planner would get, plus for each
 * mapped field where its value came from — for the web UI and `ghl-bridge recipes preview`.
 */
import { traceRecipe, type FieldTrace } from './evaluate.js';
import type { Recipe, RecipeEvaluation } from './types.js';

/** One mapped field in a preview: its recipe path, source, source value, and what it became. */
export type PreviewField = FieldTrace;

export interface RecipePreview extends RecipeEvaluation {
  /** every mapped field that was resolved, in recipe order */
  fields: PreviewField[];
  /** why the event does not match, when `matched` is false */
  reason?: string;
}

/**
 * Evaluates a recipe on a sample payload and shows, per field, the source value it came from.
 * Without `eventType` the trigger's event list is not checked (the filter still is).
 *
 * @example
 * const p = preview(recipe, { candidate: { id: 7, name: 'Ada Lovelace' }, stage: { name: 'Offer' } }, 'candidate.moved');
 * p.contact;   // { firstName: 'Ada', lastName: 'Lovelace' }
 * p.fields[0]; // { field: 'mapping.contact.firstName', source: 'candidate.name', sourceValue: 'Ada Lovelace', status: 'mapped', value: 'Ada' }
 */
export function preview(recipe: Recipe, samplePayload: unknown, eventType?: string): RecipePreview {
  const { evaluation, fields, reason } = traceRecipe(recipe, samplePayload, eventType);
  return reason === undefined ? { ...evaluation, fields } : { ...evaluation, fields, reason };
}
