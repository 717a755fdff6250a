import { evaluateCondition, type Condition } from '../../engine/recipes/index.js';
import { activeRecipes, recipeMatchesTrigger, type Engine } from '../../engine/index.js';
import type { ConnectionSource } from './connections.js';
import { sourceMismatch } from './sync-target.js';
import { ConnectionProblem } from './errors.js';
import type { ConnectorRegistry } from './registry.js';
import { resolveConnection } from './resolve.js';

export interface FullSyncOptions {
  connectionId: string;
  /** Only this recipe runs the records (default: every recipe of the source that matches). */
  recipeId?: string;
  /** Only records whose payload matches, e.g. `{ path: 'businessId', equals: 'b-42' }`. */
  filter?: Condition;
  /** Resume an interrupted sync: records already ingested under its id are not ingested again. */
  resume?: number;
  /** The schedule that started it (a later turn of the schedule resumes it if it was interrupted). */
  scheduleId?: string;
  signal?: AbortSignal;
  onProgress?: (p: { syncId: number; records: number; ingested: number; matched: number }) => void;
  /** Report progress every N records (default 50) and at the end. */
  progressEvery?: number;
}

export interface SyncSummary {
  syncId: number;
  status: 'running' | 'done' | 'failed' | 'cancelled';
  /** records the app listed */
  records: number;
  /** records of the recipe's event types that passed the filter */
  matched: number;
  /** records stored as events by this sync (not counting ones a resumed sync had already stored) */
  ingested: number;
  /** runs of this sync by status */
  runs: Record<string, number>;
  /** outcome per record of finished runs: linked or created in GHL, updated, unchanged, failed */
  created: number;
  updated: number;
  unchanged: number;
  failed: number;
}

/**
 * A full sync of every record an app holds (recipe 10): each record goes in as an event of its own
 * (`sync:<syncId>:<record event id>`), so the usual plan applies: new records are upserted, changed
 * ones updated field by field, unchanged ones cost no GHL call. Progress is kept in `syncs`, and an
 * interrupted sync resumes under its id without ingesting a record twice.
 *
 * @example
 * const { syncId } = await fullSync({ engine, registry, connections }, { connectionId: 'erp-main', recipeId: 'erp-customers' });
 * await settle(); console.table(await syncSummary(engine, syncId));
 */
export async function fullSync(deps: { engine: Engine; registry: ConnectorRegistry; connections: ConnectionSource }, options: FullSyncOptions): Promise<{ syncId: number }> {
  const { db } = deps.engine;
  let { connectionId, recipeId, filter } = options;
  let syncId = options.resume;
  let before = 0;
  if (syncId !== undefined) {
    // a resumed sync keeps what it was started with; one still making progress elsewhere is left alone
    const { rows } = await db.query<{ connection_id: string; recipe_id: string | null; filter: Condition | null; status: string; ingested: number; stale: boolean }>(
      `select connection_id, recipe_id, filter, status, ingested, updated_at < now() - interval '${STALE_SECONDS} seconds' as stale from syncs where id = $1`,
      [syncId],
    );
    const row = rows[0];
    if (!row) throw new ConnectionProblem(`no sync ${syncId}`, 404);
    if (row.status === 'done') throw new ConnectionProblem(`sync ${syncId} is done; start a new one`, 409);
    if (row.status === 'running' && !row.stale) throw new ConnectionProblem(`sync ${syncId} is running`, 409);
    connectionId = row.connection_id;
    recipeId = row.recipe_id ?? undefined;
    filter = row.filter ?? undefined;
    before = row.ingested;
  }
  const { stored, connector, conn } = await resolveConnection(deps.registry, deps.connections, connectionId);
  if (!connector.listAll) throw new ConnectionProblem(`${connector.app} connections cannot list all their records`, 409);
  // with one recipe, only the event types it handles count (a listing may hold other entities)
  const recipe = recipeId ? (await activeRecipes(db)).find((r) => r.id === recipeId) : undefined;
  if (recipeId && !recipe) throw new ConnectionProblem(`no enabled recipe "${recipeId}"`, 404);
  if (recipe && recipe.trigger.source !== stored.source) {
    throw new ConnectionProblem(sourceMismatch(recipe, { id: stored.id, app: stored.app, config: { source: stored.source } }, null) ?? '', 409);
  }
  if (syncId === undefined) {
    const { rows } = await db.query<{ id: string }>(`insert into syncs (connection_id, recipe_id, status, filter, schedule_id) values ($1, $2, 'running', $3, $4) returning id`, [connectionId, recipeId ?? null, JSON.stringify(filter ?? null), options.scheduleId ?? null]);
    syncId = Number(rows[0]!.id);
  } else {
    await db.query(`update syncs set status = 'running', records = 0, matched = 0, error = null, finished_at = null, updated_at = now() where id = $1`, [syncId]);
  }
  const progress = { syncId, records: 0, ingested: 0, matched: 0 };
  const every = options.progressEvery ?? 50;
  const save = (status: string, error: string | null = null) =>
    db.query(
      `update syncs set status = $2, records = $3, matched = $4, ingested = $5, error = $6, updated_at = now(), finished_at = case when $2 = 'running' then null else now() end where id = $1`,
      [syncId, status, progress.records, progress.matched, before + progress.ingested, error],
    );
  try {
    for await (const event of connector.listAll(conn, { signal: options.signal })) {
      options.signal?.throwIfAborted();
      progress.records++;
      if (!recipe || recipeMatchesTrigger(recipe, stored.source, event.type)) {
        if (!filter || evaluateCondition(filter, event.payload)) {
          progress.matched++;
          const r = await deps.engine.ingest({ source: stored.source, externalId: `sync:${syncId}:${event.externalId}`, type: event.type, payload: event.payload, connectionId, ...(recipeId ? { recipeIds: [recipeId] } : {}) });
          if (!r.duplicate) progress.ingested++;
        }
      }
      if (progress.records % every === 0) {
        await save('running');
        options.onProgress?.({ ...progress });
      }
    }
    await save('done');
    options.onProgress?.({ ...progress });
  } catch (e) {
    await save(options.signal?.aborted ? 'cancelled' : 'failed', (e as Error).message);
    throw e;
  }
  return { syncId };
}

/** A running sync whose progress has not moved for this long is taken for dead (resumable). */
const STALE_SECONDS = 120;

/**
 * Where a full sync stands: its counts, its runs by status and the outcome per record.
 *
 * @example
 * const s = await syncSummary(engine, syncId); // { records: 120, created: 100, updated: 5, unchanged: 15, failed: 0, … }
 */
export async function syncSummary(engine: Pick<Engine, 'db'>, syncId: number): Promise<SyncSummary> {
  const { rows } = await engine.db.query<{ status: SyncSummary['status']; records: number; matched: number; ingested: number }>('select status, records, matched, ingested from syncs where id = $1', [syncId]);
  if (!rows[0]) throw new ConnectionProblem(`no sync ${syncId}`, 404);
  const { rows: runs } = await engine.db.query<{ status: string; plan: { contactId?: string | null; calls?: Array<{ operationId: string }> } | null }>(
    `select r.status, r.plan from runs r join events e on e.id = r.event_id where e.external_id like $1`,
    [`sync:${syncId}:%`],
  );
  const summary: SyncSummary = { syncId, ...rows[0], runs: {}, created: 0, updated: 0, unchanged: 0, failed: 0 };
  for (const run of runs) {
    summary.runs[run.status] = (summary.runs[run.status] ?? 0) + 1;
    const ops = new Set((run.plan?.calls ?? []).map((c) => c.operationId));
    if (run.status === 'dead') summary.failed++;
    else if (run.status !== 'succeeded') continue;
    // a contact the ledger did not know yet is created (or linked); a known one with a write is updated
    else if (run.plan?.contactId == null && ops.has('upsert-contact')) summary.created++;
    else if (ops.has('update-contact') || ops.has('upsert-contact')) summary.updated++;
    else summary.unchanged++;
  }
  return summary;
}
