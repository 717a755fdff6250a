import { z } from 'zod';
import { buildCatalog } from '../../../connectors/index.js';
import { offsetPage } from '../../queries/page.js';
import { defineRoute } from '../contract.js';

export default defineRoute({
  method: 'GET',
  path: '/api/v1/operations',
  summary: 'The operations catalog: every trigger and action, with input and output JSON Schemas, triggers\' samples and actions\' examples',
  tag: 'operations',
  auth: true,
  query: z.strictObject({
    app: z.string().min(1).max(100).optional(),
    kind: z.enum(['trigger', 'action']).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(500),
    cursor: z.string().min(1).max(200).optional(),
  }),
  responses: { 200: { description: '{ items: CatalogEntry[], next? }' } },
  handler({ query, server, c }) {
    const all = buildCatalog(server.bridge.registry.connectors).filter((e) => (!query.app || e.app === query.app) && (!query.kind || e.kind === query.kind));
    return c.json(offsetPage(all, query.limit, query.cursor));
  },
});
