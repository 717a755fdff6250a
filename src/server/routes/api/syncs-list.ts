import { z } from 'zod';
import { decodeCursor, pageOf, pageQuery } from '../../queries/page.js';
import { listSyncs } from '../../queries/syncs.js';
import { defineRoute } from '../contract.js';
import { SYNC_STATUSES, syncListItemSchema } from './syncs-schema.js';

export default defineRoute({
  method: 'GET',
  path: '/api/v1/syncs',
  summary: 'Full syncs newest first (their listing counts; GET /syncs/{id} has their runs and outcomes)',
  tag: 'syncs',
  auth: true,
  query: z.strictObject({ status: z.enum(SYNC_STATUSES).optional(), connection: z.string().min(1).max(200).optional(), ...pageQuery }),
  responses: { 200: { description: 'a page of syncs', body: z.object({ items: z.array(syncListItemSchema), next: z.string().optional() }) } },
  async handler({ query, server, c }) {
    const rows = await listSyncs(server.bridge.db, { status: query.status, connectionId: query.connection, before: decodeCursor(query.cursor), limit: query.limit + 1 });
    const page = pageOf(rows, query.limit, (r) => r.id);
    return c.json({ ...page, items: page.items.map((r) => ({ ...r, running: server.syncs.isRunning(r.id) })) });
  },
});
