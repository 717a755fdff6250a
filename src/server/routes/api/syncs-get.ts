import { z } from 'zod';
import { ApiError } from '../../http/errors.js';
import { getSync } from '../../queries/syncs.js';
import { defineRoute } from '../contract.js';
import { numericId } from './shared.js';

export default defineRoute({
  method: 'GET',
  path: '/api/v1/syncs/{id}',
  summary: "A full sync's summary (created, updated, unchanged, failed; runs by status) and live progress",
  tag: 'syncs',
  auth: true,
  params: z.strictObject({ id: numericId }),
  responses: { 200: { description: 'SyncSummary & { connection, recipe, running, progress, error, startedAt, finishedAt }' } },
  async handler({ params, server, c }) {
    // live first: a listing leaves the map only after its row is written, so a row read after
    // this says `running` only while the listing runs (read the other way round, a sync that ended
    // in between would look running in no process)
    const live = server.syncs.progress(params.id);
    const row = await getSync(server.bridge.db, params.id);
    if (!row) throw new ApiError(404, 'not-found', `no sync ${params.id}`);
    const summary = await server.bridge.runtime.syncSummary(params.id);
    return c.json({
      ...summary,
      connection: row.connectionId,
      recipe: row.recipeId,
      filter: row.filter,
      running: live !== null,
      // the row is written when the listing ends; meanwhile the live counts tell
      progress: live ?? { records: summary.records, matched: summary.matched, ingested: summary.ingested },
      error: row.error,
      startedAt: row.startedAt,
      finishedAt: row.finishedAt,
    });
  },
});
