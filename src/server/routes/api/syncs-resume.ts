import { z } from 'zod';
import type { Condition } from '../../../engine/recipes/types.js';
import { ApiError } from '../../http/errors.js';
import { getSync } from '../../queries/syncs.js';
import { defineRoute } from '../contract.js';
import { syncAcceptedSchema } from './syncs-schema.js';
import { numericId } from './shared.js';
import { checkSyncTarget } from './syncs-create.js';

export default defineRoute({
  method: 'POST',
  path: '/api/v1/syncs/{id}/resume',
  summary: 'Resume an interrupted full sync under its id (records already ingested are not ingested again); one left running by a stopped server is taken over',
  tag: 'syncs',
  auth: true,
  params: z.strictObject({ id: numericId }),
  responses: { 202: { description: 'resumed: poll GET /syncs/{id}', body: syncAcceptedSchema } },
  async handler({ params, server, c }) {
    const row = await getSync(server.bridge.db, params.id);
    if (!row) throw new ApiError(404, 'not-found', `no sync ${params.id}`);
    if (server.syncs.isRunning(params.id)) throw new ApiError(409, 'conflict', `sync ${params.id} is running`);
    // a schedule's turn may be running it in this process, outside the sync manager
    if (row.status === 'running' && row.scheduleId) throw new ApiError(409, 'conflict', `sync ${params.id} runs under schedule "${row.scheduleId}"; its next turn resumes it if it was interrupted`);
    if (row.status === 'done') throw new ApiError(409, 'conflict', `sync ${params.id} is done; start a new one`);
    if (!row.recipeId) throw new ApiError(409, 'conflict', `sync ${params.id} has no recipe (a schedule's sync resumes with its schedule)`);
    await checkSyncTarget(server.bridge, row.connectionId, row.recipeId);
    // after the awaits above, a claim taken synchronously: of two racing resumes one gets the 409
    server.syncs.resume(params.id, { connectionId: row.connectionId, recipeId: row.recipeId, filter: (row.filter ?? undefined) as Condition | undefined, status: row.status });
    return c.json({ id: params.id }, 202);
  },
});
