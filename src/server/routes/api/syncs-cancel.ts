import { z } from 'zod';
import { ApiError } from '../../http/errors.js';
import { failSync, getSync } from '../../queries/syncs.js';
import { defineRoute } from '../contract.js';
import { numericId } from './shared.js';

export default defineRoute({
  method: 'POST',
  path: '/api/v1/syncs/{id}/cancel',
  summary: 'Cancel a running full sync (resumable)',
  tag: 'syncs',
  auth: true,
  params: z.strictObject({ id: numericId }),
  responses: { 200: { description: 'stopped (resumable)', body: z.object({ id: z.number(), status: z.string() }) } },
  async handler({ params, server, c }) {
    const row = await getSync(server.bridge.db, params.id);
    if (!row) throw new ApiError(404, 'not-found', `no sync ${params.id}`);
    if (!(await server.syncs.cancel(params.id))) {
      if (row.status !== 'running') throw new ApiError(409, 'conflict', `sync ${params.id} is ${row.status}, not running`);
      // running in no live process (the server stopped mid-sync): mark it so it can be resumed
      await failSync(server.bridge.db, params.id, 'cancelled', 'cancelled while not running in this process');
    }
    return c.json({ id: params.id, status: (await getSync(server.bridge.db, params.id))!.status });
  },
});
