import type { Database } from '../db/types.js';
import type { JobQueue } from '../queue/types.js';
import { activeRecipes } from '../recipes/store.js';
import { evaluateRecipe } from '../recipes/evaluate.js';
import type { Recipe } from '../recipes/types.js';

export const RUNS_QUEUE = 'runs';

export interface IncomingEvent {
  /** e.g. `recruitee`, `connecteam`, `webhook:my-app` */
  source: string;
  /** the source's own event id: the dedupe key with `source` */
  externalId: string;
  type: string;
  payload: Record<string, unknown>;
  connectionId?: string;
  /** Only these recipes run it (a full sync for one recipe); default every matching recipe. */
  recipeIds?: string[];
}

export interface IngestResult {
  eventId: number;
  /** the same (source, externalId) was stored before: nothing was enqueued again */
  duplicate: boolean;
  runIds: number[];
}

export function recipeMatchesTrigger(recipe: Recipe, source: string, type: string): boolean {
  return recipe.trigger.source === source && (!recipe.trigger.events || recipe.trigger.events.length === 0 || recipe.trigger.events.includes(type));
}

/**
 * Stores an event before it is acknowledged, deduplicated by (source, external id), and in the
 * same transaction creates one run per matching recipe and enqueues it. A crash before commit
 * loses nothing that was acknowledged; a redelivery enqueues nothing twice.
 *
 * @example
 * const { duplicate } = await ingestEvent({ db, queue }, { source: 'recruitee', externalId: 'evt-1', type: 'candidate.created', payload });
 */
export async function ingestEvent(deps: { db: Database; queue: JobQueue }, event: IncomingEvent): Promise<IngestResult> {
  const recipes = (await activeRecipes(deps.db)).filter((r) => recipeMatchesTrigger(r, event.source, event.type) && (!event.recipeIds || event.recipeIds.includes(r.id)));
  return deps.db.transaction(async (tx) => {
    const inserted = await tx.query<{ id: string }>(
      `insert into events (source, external_id, connection_id, type, payload) values ($1, $2, $3, $4, $5)
       on conflict (source, external_id) do nothing returning id`,
      [event.source, event.externalId, event.connectionId ?? null, event.type, JSON.stringify(event.payload)],
    );
    if (!inserted.rows[0]) {
      const { rows } = await tx.query<{ id: string }>('select id from events where source = $1 and external_id = $2', [event.source, event.externalId]);
      return { eventId: Number(rows[0]!.id), duplicate: true, runIds: [] };
    }
    const eventId = Number(inserted.rows[0].id);
    const runIds: number[] = [];
    for (const recipe of recipes) {
      const recordId = evaluateRecipe(recipe, event.payload, event.type).recordId;
      const { rows } = await tx.query<{ id: string }>(
        `insert into runs (event_id, recipe_id, recipe_version, record_key, status) values ($1, $2, $3, $4, 'queued') returning id`,
        [eventId, recipe.id, recipe.version, recordId === null ? null : `${event.source}:${recordId}`],
      );
      const runId = Number(rows[0]!.id);
      runIds.push(runId);
      await deps.queue.send(RUNS_QUEUE, { runId }, { tx });
    }
    return { eventId, duplicate: false, runIds };
  });
}
