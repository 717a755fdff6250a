import { z } from 'zod';
import { ApiError } from '../../http/errors.js';
import { runStatus } from '../../queries/runs.js';
import { defineRoute } from '../contract.js';
import { API_ACTOR } from './dead-letter-selection.js';
import { numericId } from './shared.js';

export default defineRoute({
  method: 'POST',
  path: '/api/v1/dead-letters/{runId}/replay',
  summary: "Replay one dead-lettered run, with its recipe's newest version unless originalVersion",
  tag: 'dead-letters',
  auth: true,
  params: z.strictObject({ runId: numericId }),
  body: z.strictObject({ originalVersion: z.boolean().optional().describe('keep the recipe version the run used (default: the newest version)') }).optional(),
  responses: { 200: { description: 'the run put back in the queue, with the version it had and the one it runs with', body: z.object({ replayed: z.array(z.number().int()), runs: z.array(z.object({ runId: z.number().int(), fromVersion: z.number().int(), toVersion: z.number().int(), keptPlan: z.boolean() })) }) } },
  async handler({ params, body, server, c }) {
    const runs = await server.bridge.engine.replayDeadLetters({ runIds: [params.runId] }, { originalVersion: body?.originalVersion, actor: API_ACTOR });
    if (runs.length === 0) {
      const status = await runStatus(server.bridge.db, params.runId);
      if (status === null) throw new ApiError(404, 'not-found', `no run ${params.runId}`);
      throw new ApiError(409, 'conflict', `run ${params.runId} is ${status}, not a dead letter`);
    }
    return c.json({ replayed: runs.map((r) => r.runId), runs });
  },
});
