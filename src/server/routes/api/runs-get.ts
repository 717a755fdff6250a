import { z } from 'zod';
import { ApiError } from '../../http/errors.js';
import { deadLetterExplainer } from '../../queries/dead-letters.js';
import { getConsoleRun } from '../../queries/runs.js';
import { defineRoute } from '../contract.js';
import { consoleRunSchema } from './runs-filters.js';
import { numericId } from './shared.js';

export default defineRoute({
  method: 'GET',
  path: '/api/v1/runs/{id}',
  summary: 'One run: its event (credentials redacted), mapping output, plan with field diffs, journaled steps, error with what to do, history and recipe versions',
  tag: 'runs',
  auth: true,
  params: z.strictObject({ id: numericId }),
  responses: { 200: { description: 'The run as stored (nothing is re-planned: a run without a stored plan says so in mapping.missing)', body: consoleRunSchema } },
  async handler({ params, server, c }) {
    const run = await getConsoleRun(server.bridge.db, params.id);
    if (!run) throw new ApiError(404, 'not-found', `no run ${params.id}`);
    const explanation = run.error ? await deadLetterExplainer(server.bridge)(run) : null;
    return c.json({ ...run, explanation });
  },
});
