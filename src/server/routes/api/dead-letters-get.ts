import { z } from 'zod';
import { ApiError } from '../../http/errors.js';
import { deadLetterExplainer } from '../../queries/dead-letters.js';
import { getRunDetail } from '../../queries/runs.js';
import { defineRoute } from '../contract.js';
import { numericId } from './shared.js';

export default defineRoute({
  method: 'GET',
  path: '/api/v1/dead-letters/{runId}',
  summary: 'One run as a dead letter: the run, its explanation (null without an error) and its history',
  tag: 'dead-letters',
  auth: true,
  params: z.strictObject({ runId: numericId }),
  responses: { 200: { description: '{ run, explanation: { cause, fix, command? } | null, history }' } },
  async handler({ params, server, c }) {
    const run = await getRunDetail(server.bridge.db, params.runId);
    if (!run) throw new ApiError(404, 'not-found', `no run ${params.runId}`);
    // a replayed run that succeeded still shows what was done to it
    const explanation = run.error ? await deadLetterExplainer(server.bridge)(run) : null;
    const { history, ...rest } = run;
    return c.json({ run: rest, explanation, history });
  },
});
