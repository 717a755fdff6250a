import { z } from 'zod';
import { decodeCursor, pageOf, pageQuery } from '../../queries/page.js';
import { listRuns } from '../../queries/runs.js';
import { defineRoute } from '../contract.js';

export const RUN_STATUSES = ['queued', 'running', 'succeeded', 'skipped', 'dead', 'dismissed'] as const;

export default defineRoute({
  method: 'GET',
  path: '/api/v1/runs',
  summary: 'Runs newest first, by status, recipe, or GHL contact',
  tag: 'runs',
  auth: true,
  query: z.strictObject({
    status: z.enum(RUN_STATUSES).optional(),
    recipe: z.string().min(1).max(200).optional(),
    contact: z.string().min(1).max(200).optional().describe('a GHL contact id (through the ledger and the audit trail)'),
    ...pageQuery,
  }),
  responses: { 200: { description: '{ items: RunSummary[], next? }' } },
  async handler({ query, server, c }) {
    const rows = await listRuns(server.bridge.db, { status: query.status, recipe: query.recipe, contact: query.contact, before: decodeCursor(query.cursor), limit: query.limit + 1 });
    return c.json(pageOf(rows, query.limit, (r) => r.id));
  },
});
