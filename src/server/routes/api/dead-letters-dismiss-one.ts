import { z } from 'zod';
import { ApiError } from '../../http/errors.js';
import { runStatus } from '../../queries/runs.js';
import { defineRoute } from '../contract.js';
import { API_ACTOR } from './dead-letter-selection.js';
import { dismissReason, numericId } from './shared.js';

export default defineRoute({
  method: 'POST',
  path: '/api/v1/dead-letters/{runId}/dismiss',
  summary: 'Dismiss one dead letter with a reason: it is kept and never run',
  tag: 'dead-letters',
  auth: true,
  params: z.strictObject({ runId: numericId }),
  body: z.strictObject({ reason: dismissReason }),
  responses: { 200: { description: 'the run dismissed', body: z.object({ dismissed: z.array(z.number().int()) }) } },
  async handler({ params, body, server, c }) {
    const dismissed = await server.bridge.engine.dismissDeadLetters({ runIds: [params.runId] }, body.reason, API_ACTOR);
    if (dismissed.length === 0) {
      const status = await runStatus(server.bridge.db, params.runId);
      if (status === null) throw new ApiError(404, 'not-found', `no run ${params.runId}`);
      throw new ApiError(409, 'conflict', `run ${params.runId} is ${status}, not a dead letter`);
    }
    return c.json({ dismissed });
  },
});
