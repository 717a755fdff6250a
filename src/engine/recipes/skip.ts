/**
 * Why a recipe does nothing with an event, said so a person can act on it: the event type is not
 * one the recipe handles, or the filter is false (and which condition made it false). The worker
 * stores it on the skipped run; the dry run answers it; both say the same words.
 */
import { evaluateCondition } from './conditions.js';
import { getPath } from './paths.js';
import type { Condition, Recipe } from './types.js';

/** Why a run did no work: the code is stable (scripts), the message is for people. */
export interface SkipReason {
  code: 'event-type' | 'filter' | 'unchanged' | 'recipe-disabled';
  message: string;
}

/** A value as a condition shows it: JSON, cut short (a payload can hold long text). */
function shown(value: unknown): string {
  if (value === undefined) return 'missing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}

/** One condition as written, e.g. `candidate.emails[0] exists`, `stage.name in ["Hired","Offer"]`. */
export function describeCondition(c: Condition): string {
  if ('all' in c) return `all of (${c.all.map(describeCondition).join('; ')})`;
  if ('any' in c) return `any of (${c.any.map(describeCondition).join('; ')})`;
  if ('not' in c) return `not (${describeCondition(c.not)})`;
  if ('exists' in c) return c.exists ? `${c.path} exists` : `${c.path} does not exist`;
  if ('equals' in c) return `${c.path} equals ${shown(c.equals)}`;
  return `${c.path} in ${shown(c.in)}`;
}

/**
 * The condition that makes `c` false for `payload`, as `<condition> is false` (with the value the
 * payload holds when it has one), or null when `c` holds. Of an `all`, the first false part; an
 * `any` is false as a whole (each of its parts is).
 *
 * @example
 * whyFalse({ all: [{ path: 'candidate.emails[0]', exists: true }] }, { candidate: { emails: [] } });
 * // 'candidate.emails[0] exists is false'
 * whyFalse({ path: 'stage.name', in: ['Hired'] }, { stage: { name: 'Applied' } });
 * // 'stage.name in ["Hired"] is false (it is "Applied")'
 */
export function whyFalse(c: Condition, payload: unknown): string | null {
  if (evaluateCondition(c, payload)) return null;
  if ('all' in c) {
    for (const part of c.all) {
      const why = whyFalse(part, payload);
      if (why !== null) return why;
    }
  }
  if ('any' in c && c.any.length === 1) return whyFalse(c.any[0]!, payload);
  const base = `${describeCondition(c)} is false`;
  if ('path' in c && !('exists' in c)) {
    const value = getPath(payload, c.path);
    return `${base} (${value === undefined ? 'no value there' : `it is ${shown(value)}`})`;
  }
  return base;
}

/**
 * Why `recipe` skips an event of `eventType` (not handled, or filtered out), or null when it
 * handles it. Without `eventType` only the filter is read.
 *
 * @example
 * skipReason(recipe, { candidate: { emails: [] } }, 'candidate.created');
 * // { code: 'filter', message: 'filter: candidate.emails[0] exists is false' }
 * skipReason(recipe, payload, 'offer.created');
 * // { code: 'event-type', message: 'recipe recruitee-candidates does not handle event type offer.created; it handles: candidate.created, candidate.updated' }
 */
export function skipReason(recipe: Pick<Recipe, 'id' | 'trigger' | 'filter'>, payload: unknown, eventType?: string): SkipReason | null {
  const events = recipe.trigger.events ?? [];
  if (eventType !== undefined && events.length > 0 && !events.includes(eventType)) {
    return { code: 'event-type', message: `recipe ${recipe.id} does not handle event type ${eventType}; it handles: ${events.join(', ')}` };
  }
  const why = recipe.filter === undefined ? null : whyFalse(recipe.filter, payload);
  return why === null ? null : { code: 'filter', message: `filter: ${why}` };
}
