import { z } from 'zod';
import { readContactView } from '../../../engine/index.js';
import { ApiError } from '../../http/errors.js';
import { defineRoute } from '../contract.js';
import { idText, translate } from './shared.js';

export default defineRoute({
  method: 'GET',
  path: '/api/v1/contacts/{ghlId}/view',
  summary: "A contact's 360° view from GHL: contact, tasks, notes, appointments, and its linked source records",
  tag: 'contacts',
  auth: true,
  params: z.strictObject({ ghlId: idText }),
  query: z.strictObject({ connection: z.string().min(1).max(200).default('ghl-main').describe('the GHL location connection') }),
  responses: { 200: { description: '{ contact, tasks, notes, appointments, links }' } },
  async handler({ params, query, server, c }) {
    const { bridge } = server;
    let target;
    try {
      target = await bridge.ghl(query.connection);
    } catch (e) {
      throw new ApiError(404, 'not-found', (e as Error).message, 'connection');
    }
    try {
      const view = await readContactView(target.client, params.ghlId, { locationId: target.locationId });
      return c.json({ ...view, links: await bridge.engine.links(params.ghlId) });
    } catch (e) {
      return translate(e, query.connection);
    }
  },
});
