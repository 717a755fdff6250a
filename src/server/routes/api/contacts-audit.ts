import { z } from 'zod';
import { offsetPage, pageQuery } from '../../queries/page.js';
import { defineRoute } from '../contract.js';
import { idText } from './shared.js';

export default defineRoute({
  method: 'GET',
  path: '/api/v1/contacts/{ghlId}/audit',
  summary: "A GHL contact's audit trail: which event changed which field, from what to what, by which recipe version",
  tag: 'contacts',
  auth: true,
  params: z.strictObject({ ghlId: idText }),
  query: z.strictObject({ ...pageQuery }),
  responses: { 200: { description: '{ items: AuditRow[], next? } oldest first' } },
  async handler({ params, query, server, c }) {
    return c.json(offsetPage(await server.bridge.engine.audit(params.ghlId), query.limit, query.cursor));
  },
});
