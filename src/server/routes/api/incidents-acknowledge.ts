import { z } from 'zod';
import { acknowledgeIncident } from '../../../engine/incidents/index.js';
import { ApiError } from '../../http/errors.js';
import { defineRoute } from '../contract.js';
import { incidentSchema } from './incidents-schema.js';
import { numericId } from './shared.js';

export default defineRoute({
  method: 'POST',
  path: '/api/v1/incidents/{id}/acknowledge',
  summary: 'Acknowledge an open incident: no more reminders (its resolve is still told)',
  tag: 'incidents',
  auth: true,
  params: z.strictObject({ id: numericId }),
  // no body at all is an acknowledgement by "admin"
  body: z.strictObject({ by: z.string().trim().min(1).max(200).optional().describe('who acknowledges (default "admin")') }).optional(),
  responses: { 200: { description: 'the incident, acknowledged', body: incidentSchema } },
  async handler({ params, body, server, c }) {
    const incident = await acknowledgeIncident(server.bridge.db, params.id, body?.by ?? 'admin');
    if (!incident) throw new ApiError(404, 'not-found', `no incident ${params.id}`);
    if (incident.status !== 'open') throw new ApiError(409, 'conflict', `incident ${params.id} is resolved already`);
    return c.json(incident);
  },
});
