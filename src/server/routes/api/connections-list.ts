import { z } from 'zod';
import { CONNECTION_APPS } from '../../../engine/index.js';
import { offsetPage, pageQuery } from '../../queries/page.js';
import { defineRoute } from '../contract.js';

/** Every connection without secrets (the repository's summaries never read the sealed column). */
export default defineRoute({
  method: 'GET',
  path: '/api/v1/connections',
  summary: 'List connections (never their secrets)',
  tag: 'connections',
  auth: true,
  query: z.strictObject({ app: z.enum(CONNECTION_APPS).optional(), ...pageQuery }),
  responses: { 200: { description: '{ items: ConnectionSummary[], next? }' } },
  async handler({ query, server, c }) {
    const all = await server.bridge.connections.list(query.app ? { app: query.app } : {});
    return c.json(offsetPage(all, query.limit, query.cursor));
  },
});
