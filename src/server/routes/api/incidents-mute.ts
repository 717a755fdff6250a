import { z } from 'zod';
import { muteIncident } from '../../../engine/incidents/index.js';
import { ApiError } from '../../http/errors.js';
import { defineRoute } from '../contract.js';
import { incidentSchema } from './incidents-schema.js';
import { numericId } from './shared.js';

export default defineRoute({
  method: 'POST',
  path: '/api/v1/incidents/{id}/mute',
  summary: 'Mute an open incident for some minutes: no notification until then (a reminder or resolve due is told after)',
  tag: 'incidents',
  auth: true,
  params: z.strictObject({ id: numericId }),
  body: z.strictObject({ minutes: z.number().int().min(1).max(43_200).describe('1 to 43200 (30 days)') }),
  responses: { 200: { description: 'the incident, muted until mutedUntil', body: incidentSchema } },
  async handler({ params, body, server, c }) {
    const incident = await muteIncident(server.bridge.db, params.id, body.minutes);
    if (!incident) throw new ApiError(404, 'not-found', `no incident ${params.id}`);
    if (incident.status !== 'open') throw new ApiError(409, 'conflict', `incident ${params.id} is resolved already`);
    return c.json(incident);
  },
});
