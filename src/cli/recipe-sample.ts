/**
 * `recipes dry-run <id> --sample [--type T]`: the catalog sample of the trigger that feeds the
 * recipe (its source and event type), so a first dry run needs no payload file.
 */
import { feedingTrigger, sampleOf, sourceApp, type CatalogEntry } from '../connectors/catalog.js';
import { suggest } from '../engine/recipes/schema-errors.js';
import { CliError, EXIT } from './errors.js';

export interface RecipeTrigger {
  id: string;
  trigger: { source: string; events?: string[] };
}

export interface PickedSample {
  type: string;
  payload: Record<string, unknown>;
  /** the catalog trigger whose sample it is */
  triggerId: string;
  /** what was chosen and why, for people (stderr) */
  note: string;
}

/**
 * The sample for one recipe: of `type` when given (one of the recipe's events), else of the
 * recipe's first event that has one. Throws a usage error (exit 2) saying what exists.
 *
 * @example
 * pickSample(catalog, recipes, 'recruitee-candidates'); // { type: 'candidate.created', payload: { candidate: … }, triggerId: 'recruitee.candidate.created', note: '…' }
 */
export function pickSample(catalog: readonly CatalogEntry[], recipes: readonly RecipeTrigger[], id: string, type?: string): PickedSample {
  const recipe = recipes.find((r) => r.id === id);
  if (!recipe) {
    // the server's words for the same typo (`recipeNotFound`), so every command says it alike
    const near = suggest(id, recipes.map((r) => r.id));
    throw new CliError(EXIT.failed, `no recipe ${id}${near !== undefined ? ` (did you mean ${near}?)` : ''}`);
  }
  const { source, events = [] } = recipe.trigger;
  if (type !== undefined && events.length > 0 && !events.includes(type)) throw new CliError(EXIT.usage, `--type ${type}: recipe ${id} does not handle it; it handles ${events.join(', ')}`);
  const candidates = type !== undefined ? [type] : events;
  for (const t of candidates) {
    const trigger = feedingTrigger(catalog, source, t);
    const sample = trigger && sampleOf(trigger, t);
    if (!trigger || !sample) continue;
    const why = type !== undefined ? '' : events.length > 1 ? ` (the first of its events with a sample; --type picks another: ${events.join(', ')})` : '';
    return { type: t, payload: sample.payload, triggerId: trigger.id, note: `using the sample ${t} of ${trigger.id}${why}` };
  }
  const app = sourceApp(catalog, source);
  const shown = [...new Set(catalog.filter((e) => e.kind === 'trigger' && e.app === app).flatMap((e) => (e.samples ?? []).map((s) => s.type)))];
  const what = candidates.join(', ') || 'any event (the recipe names no events: give --type)';
  throw new CliError(EXIT.usage, `no catalog sample of ${what} from source ${source}${shown.length ? ` (the ${app} triggers show ${shown.join(', ')})` : ''}: give the event with --payload <file>`);
}
