import { z } from 'zod';
import { listIncidents } from '../../../engine/incidents/index.js';
import { decodeCursor, pageOf, pageQuery } from '../../queries/page.js';
import { defineRoute } from '../contract.js';
import { incidentSchema } from './incidents-schema.js';

export default defineRoute({
  method: 'GET',
  path: '/api/v1/incidents',
  summary: 'Incidents (one per rule and cause), newest first',
  tag: 'incidents',
  auth: true,
  query: z.strictObject({ status: z.enum(['open', 'resolved', 'all']).default('open').describe('open (default), resolved or all'), ...pageQuery }),
  responses: { 200: { description: 'a page of incidents', body: z.object({ items: z.array(incidentSchema), next: z.string().optional() }) } },
  async handler({ query, server, c }) {
    const rows = await listIncidents(server.bridge.db, { status: query.status, before: decodeCursor(query.cursor), limit: query.limit + 1 });
    return c.json(pageOf(rows, query.limit, (r) => r.id));
  },
});
