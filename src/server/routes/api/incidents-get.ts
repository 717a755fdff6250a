import { z } from 'zod';
import { getIncident, incidentNotifications } from '../../../engine/incidents/index.js';
import { ApiError } from '../../http/errors.js';
import { defineRoute } from '../contract.js';
import { incidentNotificationSchema, incidentSchema } from './incidents-schema.js';
import { numericId } from './shared.js';

export default defineRoute({
  method: 'GET',
  path: '/api/v1/incidents/{id}',
  summary: 'One incident with its notifications and their delivery status',
  tag: 'incidents',
  auth: true,
  params: z.strictObject({ id: numericId }),
  responses: { 200: { description: 'the incident with its notifications', body: incidentSchema.extend({ notifications: z.array(incidentNotificationSchema) }) } },
  async handler({ params, server, c }) {
    const incident = await getIncident(server.bridge.db, params.id);
    if (!incident) throw new ApiError(404, 'not-found', `no incident ${params.id}`);
    return c.json({ ...incident, notifications: await incidentNotifications(server.bridge.db, params.id) });
  },
});
