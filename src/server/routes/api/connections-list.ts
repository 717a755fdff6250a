import { z } from 'zod';
import { CONNECTION_APPS } from '../../../engine/index.js';
import { offsetPage, pageQuery } from '../../queries/page.js';
import { defineRoute } from '../contract.js';

/**
 * Every connection without secrets (the repository's summaries never read the sealed column), with
 * `needsReauth` while its credentials are refused and its recipes' runs wait.
 */
export default defineRoute({
  method: 'GET',
  path: '/api/v1/connections',
  summary: 'List connections (never their secrets)',
  tag: 'connections',
  auth: true,
  query: z.strictObject({ app: z.enum(CONNECTION_APPS).optional(), ...pageQuery }),
  responses: { 200: { description: '{ items: (ConnectionSummary & { needsReauth? })[], next? }' } },
  async handler({ query, server, c }) {
    const [all, holds] = await Promise.all([server.bridge.connections.list(query.app ? { app: query.app } : {}), server.bridge.engine.holds()]);
    const held = new Map(holds.connections.map((h) => [h.connectionId, h]));
    const items = all.map((conn) => {
      const h = held.get(conn.id);
      return h ? { ...conn, needsReauth: { reason: h.reason, since: h.since.toISOString(), failures: h.failures } } : conn;
    });
    return c.json(offsetPage(items, query.limit, query.cursor));
  },
});
