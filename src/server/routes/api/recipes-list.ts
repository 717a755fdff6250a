import { z } from 'zod';
import { listRecipes } from '../../queries/recipes.js';
import { offsetPage, pageQuery } from '../../queries/page.js';
import { defineRoute } from '../contract.js';

export default defineRoute({
  method: 'GET',
  path: '/api/v1/recipes',
  summary: 'List recipes (newest version of each)',
  tag: 'recipes',
  auth: true,
  query: z.strictObject({ ...pageQuery }),
  responses: { 200: { description: '{ items: [{ id, version, enabled, trigger, connection, name? }], next? }' } },
  async handler({ query, server, c }) {
    return c.json(offsetPage(await listRecipes(server.bridge.db), query.limit, query.cursor));
  },
});
