import { z } from 'zod';
import { decodeCursor, pageOf, pageQuery } from '../../queries/page.js';
import { listRejections } from '../../queries/rejections.js';
import { defineRoute } from '../contract.js';

export const webhookRejectionSchema = z.object({
  id: z.number(),
  connectionId: z.string(),
  status: z.number().describe('the HTTP status answered to the sender'),
  reason: z.string().describe('why it was refused, e.g. bad-signature, stale-timestamp, unknown-connection'),
  detail: z.string().nullable(),
  headers: z.record(z.string(), z.string()).describe('the kept headers, secrets redacted'),
  bodySha256: z.string(),
  bodyBytes: z.number(),
  at: z.string(),
});

export default defineRoute({
  method: 'GET',
  path: '/api/v1/webhook-rejections',
  summary: 'Refused webhook deliveries (headers redacted; bodies only as their hash), newest first, by connection or reason',
  tag: 'webhooks',
  auth: true,
  query: z.strictObject({ connection: z.string().min(1).max(200).optional(), reason: z.string().min(1).max(100).optional().describe('e.g. bad-signature'), ...pageQuery }),
  responses: { 200: { description: 'a page of rejections', body: z.object({ items: z.array(webhookRejectionSchema), next: z.string().optional() }) } },
  async handler({ query, server, c }) {
    const rows = await listRejections(server.bridge.db, { connectionId: query.connection, reason: query.reason, before: decodeCursor(query.cursor), limit: query.limit + 1 });
    return c.json(pageOf(rows, query.limit, (r) => r.id));
  },
});
