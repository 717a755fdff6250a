import { z } from 'zod';
import { ApiError } from '../../http/errors.js';
import { getEvent } from '../../queries/events.js';
import { defineRoute } from '../contract.js';
import { eventDetailSchema } from './events-schema.js';
import { numericId } from './shared.js';

export default defineRoute({
  method: 'GET',
  path: '/api/v1/events/{id}',
  summary: 'One event with its payload and runs',
  tag: 'events',
  auth: true,
  params: z.strictObject({ id: numericId }),
  responses: { 200: { description: 'The event, its payload and the (non dry) runs it caused', body: eventDetailSchema } },
  async handler({ params, server, c }) {
    const event = await getEvent(server.bridge.db, params.id);
    if (!event) throw new ApiError(404, 'not-found', `no event ${params.id}`);
    return c.json(event);
  },
});
