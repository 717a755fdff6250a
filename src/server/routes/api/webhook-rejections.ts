import { z } from 'zod';
import { decodeCursor, pageOf, pageQuery } from '../../queries/page.js';
import { listRejections } from '../../queries/rejections.js';
import { defineRoute } from '../contract.js';

export default defineRoute({
  method: 'GET',
  path: '/api/v1/webhook-rejections',
  summary: 'Refused webhook deliveries (headers redacted; bodies only as their hash), newest first',
  tag: 'webhooks',
  auth: true,
  query: z.strictObject({ connection: z.string().min(1).max(200).optional(), ...pageQuery }),
  responses: { 200: { description: '{ items: WebhookRejection[], next? }' } },
  async handler({ query, server, c }) {
    const rows = await listRejections(server.bridge.db, { connectionId: query.connection, before: decodeCursor(query.cursor), limit: query.limit + 1 });
    return c.json(pageOf(rows, query.limit, (r) => r.id));
  },
});
