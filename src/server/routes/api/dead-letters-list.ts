import { z } from 'zod';
import { decodeCursor, pageOf, pageQuery } from '../../queries/page.js';
import { listRuns } from '../../queries/runs.js';
import { defineRoute } from '../contract.js';

export default defineRoute({
  method: 'GET',
  path: '/api/v1/dead-letters',
  summary: 'Dead-lettered runs with their reasons, newest first',
  tag: 'dead-letters',
  auth: true,
  query: z.strictObject({ recipe: z.string().min(1).max(200).optional(), ...pageQuery }),
  responses: { 200: { description: '{ items: RunSummary[], next? }' } },
  async handler({ query, server, c }) {
    const rows = await listRuns(server.bridge.db, { status: 'dead', recipe: query.recipe, before: decodeCursor(query.cursor), limit: query.limit + 1 });
    return c.json(pageOf(rows, query.limit, (r) => r.id));
  },
});
