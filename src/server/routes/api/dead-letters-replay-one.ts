import { z } from 'zod';
import { ApiError } from '../../http/errors.js';
import { runStatus } from '../../queries/runs.js';
import { defineRoute } from '../contract.js';
import { numericId } from './shared.js';

export default defineRoute({
  method: 'POST',
  path: '/api/v1/dead-letters/{runId}/replay',
  summary: 'Replay one dead-lettered run',
  tag: 'dead-letters',
  auth: true,
  params: z.strictObject({ runId: numericId }),
  responses: { 200: { description: '{ replayed: [runId] }' } },
  async handler({ params, server, c }) {
    const replayed = await server.bridge.engine.replay([params.runId]);
    if (replayed.length === 0) {
      const status = await runStatus(server.bridge.db, params.runId);
      if (status === null) throw new ApiError(404, 'not-found', `no run ${params.runId}`);
      throw new ApiError(409, 'conflict', `run ${params.runId} is ${status}, not a dead letter`);
    }
    return c.json({ replayed });
  },
});
