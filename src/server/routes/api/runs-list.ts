import { z } from 'zod';
import { pageQuery } from '../../queries/page.js';
import { countRuns, listRuns } from '../../queries/runs.js';
import { defineRoute } from '../contract.js';
import { runFilterOf, runListFilters, runPageSchema, statusesOf } from './runs-filters.js';

export { RUN_STATUSES } from './runs-filters.js';

export default defineRoute({
  method: 'GET',
  path: '/api/v1/runs',
  summary: 'Runs newest first, by status, recipe, connection, record, GHL contact, email and time range',
  tag: 'runs',
  auth: true,
  query: z.strictObject({
    ...runListFilters,
    count: z.enum(['true', 'false']).optional().describe('also answer `total`, how many runs match (a count: ask it when needed, not on every poll)'),
    ...pageQuery,
  }),
  responses: { 200: { description: 'A page of runs (newest first) and the cursor of the next one', body: runPageSchema } },
  async handler({ query, server, c }) {
    const filter = runFilterOf(query, statusesOf(c, query.status));
    const page = await listRuns(server.bridge.db, { ...filter, cursor: query.cursor, limit: query.limit });
    return c.json(query.count === 'true' ? { ...page, total: await countRuns(server.bridge.db, filter) } : page);
  },
});
