import { z } from 'zod';
import { ApiError } from '../../http/errors.js';
import { getRunDetail } from '../../queries/runs.js';
import { defineRoute } from '../contract.js';
import { numericId } from './shared.js';

export default defineRoute({
  method: 'GET',
  path: '/api/v1/runs/{id}',
  summary: 'One run: its plan, journaled steps and error',
  tag: 'runs',
  auth: true,
  params: z.strictObject({ id: numericId }),
  responses: { 200: { description: 'Run' } },
  async handler({ params, server, c }) {
    const run = await getRunDetail(server.bridge.db, params.id);
    if (!run) throw new ApiError(404, 'not-found', `no run ${params.id}`);
    return c.json(run);
  },
});
