import { z } from 'zod';
import { listEvents } from '../../queries/events.js';
import { decodeCursor, pageOf, pageQuery } from '../../queries/page.js';
import { defineRoute } from '../contract.js';
import { eventPageSchema } from './events-schema.js';

export default defineRoute({
  method: 'GET',
  path: '/api/v1/events',
  summary: 'Stored events, newest first (without payloads)',
  tag: 'events',
  auth: true,
  query: z.strictObject({ source: z.string().min(1).max(200).optional(), type: z.string().min(1).max(200).optional(), ...pageQuery }),
  responses: { 200: { description: 'A page of events (newest first, without payloads) and the cursor of the next one', body: eventPageSchema } },
  async handler({ query, server, c }) {
    const rows = await listEvents(server.bridge.db, { source: query.source, type: query.type, before: decodeCursor(query.cursor), limit: query.limit + 1 });
    return c.json(pageOf(rows, query.limit, (e) => e.id));
  },
});
