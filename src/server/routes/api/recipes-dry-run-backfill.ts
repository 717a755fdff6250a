import { z } from 'zod';
import { ConnectionProblem } from '../../../connectors/runtime/errors.js';
import type { ConnectorConnection } from '../../../connectors/types.js';
import { recipeMatchesTrigger } from '../../../engine/index.js';
import { evaluateCondition } from '../../../engine/recipes/index.js';
import { conditionSchema } from '../../../engine/recipes/schema-values.js';
import type { Recipe } from '../../../engine/recipes/types.js';
import { planFor } from '../../../engine/apply/run.js';
import type { Bridge } from '../../bridge.js';
import { ApiError } from '../../http/errors.js';
import { defineRoute } from '../contract.js';
import { requireRecipe } from './recipe-lookup.js';
import { idText, translate } from './shared.js';

const backfillOutcomeSchema = z.enum(['create', 'update', 'unchanged', 'skipped', 'error']);
export type BackfillOutcome = z.infer<typeof backfillOutcomeSchema>;

const backfillItemSchema = z.object({
  recordId: z.string(),
  outcome: backfillOutcomeSchema,
  calls: z.array(z.object({ operationId: z.string(), method: z.string(), path: z.string(), diff: z.array(z.object({ field: z.string(), from: z.unknown(), to: z.unknown() })) })),
  errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
});
export type BackfillItem = z.infer<typeof backfillItemSchema>;

/** The answer of `POST /api/v1/recipes/{id}/dry-run-backfill`. */
export const backfillDryRunSchema = z.object({
  recipeId: z.string(),
  version: z.number().int(),
  connection: z.string(),
  listed: z.number().int().describe('records read from the app (the one that showed there were more than `limit` is not counted)'),
  considered: z.number().int().describe("records of the trigger's event types that passed the filter: each is planned and listed in `items`"),
  truncated: z.boolean().describe('the app holds more considered records than `limit`'),
  summary: z.object({ create: z.number().int(), update: z.number().int(), unchanged: z.number().int(), skipped: z.number().int(), errors: z.number().int() }),
  items: z.array(backfillItemSchema),
});
export type BackfillDryRun = z.infer<typeof backfillDryRunSchema>;

const body = z.strictObject({
  connection: idText,
  limit: z.number().int().min(1).max(1000).default(100).describe('stop after this many considered records (default 100)'),
  filter: conditionSchema.optional().describe('only records whose event payload matches, as for POST /syncs'),
});

/** The stored app connection and its connector, if it can list everything it holds (what a full sync would refuse, answered as such). */
async function backfillSource(bridge: Bridge, id: string) {
  const stored: ConnectorConnection | null = await bridge.connectionSource(id);
  if (!stored) throw new ApiError(404, 'not-found', `no connection "${id}"`, 'connection');
  const connector = bridge.registry.forApp(stored.app);
  if (!connector?.listAll) throw new ApiError(409, 'conflict', `${stored.app} connections cannot list all their records`, 'connection');
  let conn: unknown;
  try {
    conn = connector.connection(stored);
  } catch (e) {
    // connectors' settings errors name the field, never a secret value
    throw new ApiError(422, 'misconfigured', `connection "${id}" is misconfigured: ${(e as Error).message}`, 'connection');
  }
  return { stored, listAll: connector.listAll.bind(connector), conn };
}

/** What one plan would do, in the words of a sync summary (`syncSummary` classifies finished runs the same way). */
function outcomeOf(result: Awaited<ReturnType<typeof planFor>>): Pick<BackfillItem, 'outcome' | 'calls' | 'errors'> {
  const { evaluation, plan } = result;
  if (!evaluation.matched) return { outcome: 'skipped', calls: [] };
  if (evaluation.errors.length > 0 || !plan) {
    const errors = evaluation.errors.length > 0 ? evaluation.errors.map((e) => ({ field: e.field, message: e.message })) : [{ field: 'recordId', message: 'no record id in the event' }];
    return { outcome: 'error', calls: [], errors };
  }
  const calls = plan.calls.map((c) => ({ operationId: c.operationId, method: c.method, path: c.path, diff: c.diff }));
  if (calls.length === 0) return { outcome: 'unchanged', calls };
  // no contact known yet and an upsert: the record creates (or links) its contact; else it writes to the linked one
  const creates = plan.contactId === null && calls.some((c) => c.operationId === 'upsert-contact');
  return { outcome: creates ? 'create' : 'update', calls };
}

/** Plans every considered record of the listing; reads only (the app, the ledger), writes nothing. */
async function dryRunBackfill(bridge: Bridge, recipe: Recipe, connectionId: string, options: z.output<typeof body>): Promise<Omit<BackfillDryRun, 'recipeId' | 'version'>> {
  const source = await backfillSource(bridge, connectionId);
  const deps = { db: bridge.db, ghl: bridge.ghl, apps: bridge.apps };
  // the recipe's own GHL connection first: a misconfigured one is one 422, not an error per record
  await bridge.ghl(recipe.connection);
  const out: Omit<BackfillDryRun, 'recipeId' | 'version'> = { connection: connectionId, listed: 0, considered: 0, truncated: false, summary: { create: 0, update: 0, unchanged: 0, skipped: 0, errors: 0 }, items: [] };
  const stop = new AbortController();
  let listing = true;
  try {
    for await (const event of source.listAll(source.conn, { signal: stop.signal })) {
      // same selection as a full sync of this recipe: its event types, then the filter
      const selected = recipeMatchesTrigger(recipe, source.stored.source, event.type) && (!options.filter || evaluateCondition(options.filter, event.payload));
      if (selected && out.considered === options.limit) {
        out.truncated = true;
        break;
      }
      out.listed++;
      if (!selected) continue;
      out.considered++;
      listing = false;
      const result = await planFor(deps, recipe, { source: source.stored.source, type: event.type, payload: event.payload });
      listing = true;
      const item: BackfillItem = { recordId: result.evaluation.recordId ?? event.externalId, ...outcomeOf(result) };
      out.summary[item.outcome === 'error' ? 'errors' : item.outcome]++;
      out.items.push(item);
    }
  } catch (e) {
    if (!listing || e instanceof ApiError) throw e;
    // the app failed to list: its connectors' errors carry no secrets (the API key is never in a message)
    throw new ApiError(502, 'app-error', `${source.stored.app} connection "${connectionId}" failed to list its records: ${(e instanceof Error ? e.message : String(e)).slice(0, 500)}`);
  } finally {
    stop.abort();
  }
  return out;
}

/**
 * What a backfill (full sync) of an app connection through this recipe would do, record by record:
 * the app's records are listed, and each one of the recipe's event types that passes the filter
 * is planned exactly like a single dry run. Nothing is stored: no event, run, ledger row or GHL write.
 *
 * @example
 * // POST /api/v1/recipes/erp-customers/dry-run-backfill { "connection": "erp-main", "limit": 50 }
 * // → { listed: 60, considered: 50, truncated: true, summary: { create: 10, update: 5, unchanged: 35, skipped: 0, errors: 0 }, items: [...] }
 */
export default defineRoute({
  method: 'POST',
  path: '/api/v1/recipes/{id}/dry-run-backfill',
  summary: "What a backfill of an app connection through this recipe would do per record (the app's records listed, each planned); nothing is written",
  tag: 'recipes',
  auth: true,
  params: z.strictObject({ id: idText }),
  body,
  responses: { 200: { description: 'what the backfill would do: the records listed and considered, a summary by outcome, and each considered record with its planned calls (or errors)', body: backfillDryRunSchema } },
  async handler({ params, body, server, c }) {
    const { bridge } = server;
    const found = await requireRecipe(bridge.db, params.id);
    try {
      const result = await dryRunBackfill(bridge, found.recipe, body.connection, body);
      return c.json({ recipeId: found.recipe.id, version: found.recipe.version, ...result } satisfies BackfillDryRun);
    } catch (e) {
      if (e instanceof ApiError) throw e;
      if (e instanceof ConnectionProblem) return translate(e, body.connection);
      // the recipe's GHL connection is missing or not a GHL location (as the single dry run answers)
      if (e instanceof Error && /connection/i.test(e.message) && !(e as { status?: unknown }).status) throw new ApiError(422, 'misconfigured', e.message);
      return translate(e, found.recipe.connection);
    }
  },
});
