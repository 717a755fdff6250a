import type { Database } from '../db/types.js';
import type { EngineMetrics } from '../metrics.js';
import type { Signal } from '../queue/signal.js';
import { RUNS_CHANNEL } from '../queue/runs.js';
import { activeRecipes } from '../recipes/store.js';
import { evaluateRecipe } from '../recipes/evaluate.js';
import { storableJson, storableText } from './storable.js';
import type { Recipe } from '../recipes/types.js';

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
  /**
   * The delivery as received, as JSON text with NUL and lone surrogates escaped, when the payload
   * had them replaced before (the webhook ingress); kept beside the event. Without it, `ingest`
   * keeps the payload's own escaped text when it has to clean it.
   */
  original?: string;
}

export interface IngestResult {
  eventId: number;
  /** the same (source, externalId) was stored before: nothing was enqueued again */
  duplicate: boolean;
  runIds: number[];
}

/**
 * The event as PostgreSQL can store it (see `storable.ts`): NUL and lone surrogates replaced in the
 * payload and in the ids, the escaped original kept; a payload nested too deep is refused
 * (`PayloadTooDeepError`) before anything is written.
 */
function storableEvent(event: IncomingEvent): IncomingEvent {
  const payload = storableJson(event.payload);
  const [source, externalId, type] = [storableText(event.source), storableText(event.externalId), storableText(event.type)];
  const changed = payload.changed || source !== event.source || externalId !== event.externalId || type !== event.type;
  if (!changed) return event;
  const connectionId = event.connectionId === undefined ? undefined : storableText(event.connectionId);
  const original = event.original ?? JSON.stringify({ source: event.source, externalId: event.externalId, type: event.type, payload: event.payload });
  return { ...event, source, externalId, type, payload: payload.value, ...(connectionId === undefined ? {} : { connectionId }), original };
}

export function recipeMatchesTrigger(recipe: Recipe, source: string, type: string): boolean {
  return recipe.trigger.source === source && (!recipe.trigger.events || recipe.trigger.events.length === 0 || recipe.trigger.events.includes(type));
}

/**
 * Stores an event before it is acknowledged, deduplicated by (source, external id), and with it
 * one queued run per matching recipe, in one statement (so one commit): a crash before it loses
 * nothing that was acknowledged; a redelivery enqueues nothing twice. The new runs are announced
 * (`NOTIFY` for workers of other processes, `wake` for this one's).
 *
 * @example
 * const { duplicate } = await ingestEvent({ db }, { source: 'recruitee', externalId: 'evt-1', type: 'candidate.created', payload });
 */
export async function ingestEvent(deps: { db: Database; wake?: Signal; metrics?: EngineMetrics }, incoming: IncomingEvent): Promise<IngestResult> {
  const event = storableEvent(incoming);
  // someone (a webhook sender) waits on this: on PGlite it goes before the workers' statements
  const q = deps.db.urgent ?? deps.db;
  const recipes = (await activeRecipes(q)).filter((r) => recipeMatchesTrigger(r, event.source, event.type) && (!event.recipeIds || event.recipeIds.includes(r.id)));
  const runs = recipes.map((recipe) => {
    const recordId = evaluateRecipe(recipe, event.payload, event.type).recordId;
    return { recipeId: recipe.id, version: recipe.version, recordKey: recordId === null ? null : `${event.source}:${recordId}`, lane: recipe.connection };
  });
  const { rows } = await q.query<{ event_id: string | null; run_ids: Array<string | number> }>(
    `with e as (
       insert into events (source, external_id, connection_id, type, payload, original_payload) values ($1, $2, $3, $4, $5, $11)
       on conflict (source, external_id) do nothing returning id
     ), r as (
       insert into runs (event_id, recipe_id, recipe_version, record_key, lane, status)
       select e.id, x.recipe_id, x.recipe_version, x.record_key, x.lane, 'queued'
         from e, unnest($6::text[], $7::int[], $8::text[], $9::text[]) as x(recipe_id, recipe_version, record_key, lane)
       returning id
     )
     select (select id from e) as event_id, array(select id from r order by id) as run_ids,
       (select pg_notify($10, '') where exists (select 1 from r))::text as notified`,
    [event.source, event.externalId, event.connectionId ?? null, event.type, JSON.stringify(event.payload), runs.map((r) => r.recipeId), runs.map((r) => r.version), runs.map((r) => r.recordKey), runs.map((r) => r.lane), RUNS_CHANNEL, event.original ?? null],
  );
  const stored = rows[0]?.event_id;
  if (stored == null) {
    const { rows: seen } = await q.query<{ id: string }>('select id from events where source = $1 and external_id = $2', [event.source, event.externalId]);
    return { eventId: Number(seen[0]!.id), duplicate: true, runIds: [] };
  }
  const runIds = rows[0]!.run_ids.map(Number);
  deps.metrics?.eventStored?.(event.source, runIds.length);
  if (runIds.length > 0) deps.wake?.fire();
  return { eventId: Number(stored), duplicate: false, runIds };
}
