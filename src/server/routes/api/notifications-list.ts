import { z } from 'zod';
import { listNotifications } from '../../queries/notifications.js';
import { decodeCursor, pageOf, pageQuery } from '../../queries/page.js';
import { defineRoute } from '../contract.js';
import { notificationSummarySchema } from './incidents-schema.js';
import { numericId } from './shared.js';

export const NOTIFICATION_STATUSES = ['pending', 'sent', 'failed'] as const;

export default defineRoute({
  method: 'GET',
  path: '/api/v1/notifications',
  summary: 'Notifications newest first (status, attempts, last error), by status, channel or incident',
  tag: 'alerts',
  auth: true,
  query: z.strictObject({
    status: z.enum(NOTIFICATION_STATUSES).optional(),
    channel: z.string().min(1).max(64).optional(),
    incident: numericId.optional().describe('an incident id'),
    ...pageQuery,
  }),
  responses: { 200: { description: 'a page of notifications', body: z.object({ items: z.array(notificationSummarySchema), next: z.string().optional() }) } },
  async handler({ query, server, c }) {
    const rows = await listNotifications(server.bridge.db, { status: query.status, channel: query.channel, incidentId: query.incident, before: decodeCursor(query.cursor), limit: query.limit + 1 });
    return c.json(pageOf(rows, query.limit, (r) => r.id));
  },
});
