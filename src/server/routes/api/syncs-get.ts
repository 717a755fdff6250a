import { z } from 'zod';
import { ApiError } from '../../http/errors.js';
import { getSync, syncRunFacts } from '../../queries/syncs.js';
import { defineRoute } from '../contract.js';
import { numericId } from './shared.js';
import { syncDetailSchema } from './syncs-schema.js';

const FINISHED = ['succeeded', 'skipped', 'dead', 'dismissed'];

/**
 * How far a sync's runs are: finished of all so far, the rate since it started and the time left
 * at that rate (unknown while the app is still listed, since more runs may come).
 */
export function completionOf(o: { runs: Record<string, number>; listing: boolean; listed: boolean; startedAt: string; lastFinishedAt: string | null; now: number }) {
  const total = Object.values(o.runs).reduce((a, b) => a + b, 0);
  const done = FINISHED.reduce((a, s) => a + (o.runs[s] ?? 0), 0);
  // a cancelled or failed listing is not complete however many of its runs finished (it can be resumed)
  const complete = o.listed && !o.listing && done === total;
  const start = Date.parse(o.startedAt);
  // a complete sync's rate is over the time it took, not until now
  const end = complete && o.lastFinishedAt ? Math.max(start, Date.parse(o.lastFinishedAt)) : o.now;
  const elapsed = Math.max(0.001, (end - start) / 1000);
  const rate = done / elapsed;
  const eta = complete ? 0 : !o.listed || o.listing || rate === 0 ? null : Math.ceil((total - done) / rate);
  return { done, total, listing: o.listing, complete, percent: total === 0 ? (complete ? 100 : 0) : Math.floor((done / total) * 1000) / 10, ratePerSecond: Math.round(rate * 100) / 100, etaSeconds: eta, elapsedSeconds: Math.round(elapsed) };
}

export default defineRoute({
  method: 'GET',
  path: '/api/v1/syncs/{id}',
  summary: "A full sync's summary (created, updated, unchanged, failed with the failed runs' ids; runs by status) and live progress (done of total, rate, ETA)",
  tag: 'syncs',
  auth: true,
  params: z.strictObject({ id: numericId }),
  responses: { 200: { description: 'the sync, its listing progress, its runs and their outcomes', body: syncDetailSchema } },
  async handler({ params, server, c }) {
    // live first: a listing leaves the map only after its row is written, so a row read after
    // this says `running` only while the listing runs (read the other way round, a sync that ended
    // in between would look running in no process)
    const live = server.syncs.progress(params.id);
    const row = await getSync(server.bridge.db, params.id);
    if (!row) throw new ApiError(404, 'not-found', `no sync ${params.id}`);
    const [summary, facts] = await Promise.all([server.bridge.runtime.syncSummary(params.id), syncRunFacts(server.bridge.db, params.id, 100)]);
    // a schedule's turn lists outside the sync manager; a queued row is about to start
    const listing = live !== null || row.status === 'queued' || (row.status === 'running' && row.scheduleId !== null);
    return c.json({
      ...summary,
      connection: row.connectionId,
      recipe: row.recipeId,
      filter: row.filter,
      running: live !== null,
      // the row is written when the listing ends; meanwhile the live counts tell
      progress: live ?? { records: summary.records, matched: summary.matched, ingested: summary.ingested },
      completion: completionOf({ runs: summary.runs, listing, listed: row.status === 'done', startedAt: row.startedAt, lastFinishedAt: facts.lastFinishedAt, now: Date.now() }),
      failedRunIds: facts.failedRunIds,
      error: row.error,
      startedAt: row.startedAt,
      finishedAt: row.finishedAt,
    });
  },
});
