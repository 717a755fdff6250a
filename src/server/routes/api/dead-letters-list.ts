import { z } from 'zod';
import { pageQuery } from '../../queries/page.js';
import { deadLetterExplainer } from '../../queries/dead-letters.js';
import { listRuns } from '../../queries/runs.js';
import { defineRoute } from '../contract.js';
import { deadLetterFilters } from './dead-letter-selection.js';
import { runFilterOf } from './runs-filters.js';

export default defineRoute({
  method: 'GET',
  path: '/api/v1/dead-letters',
  summary: 'Dead-lettered runs, newest first, each with its explanation (cause, fix, command)',
  tag: 'dead-letters',
  auth: true,
  query: z.strictObject({ ...deadLetterFilters, ...pageQuery }),
  responses: { 200: { description: '{ items: Array<RunSummary & { explanation: { cause, fix, command? } }>, next? }' } },
  async handler({ query, server, c }) {
    const page = await listRuns(server.bridge.db, { ...runFilterOf(query), status: 'dead', cursor: query.cursor, limit: query.limit });
    const explain = deadLetterExplainer(server.bridge);
    const items = [];
    for (const run of page.items) items.push({ ...run, explanation: await explain(run) });
    return c.json({ ...page, items });
  },
});
