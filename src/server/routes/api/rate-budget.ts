import { z } from 'zod';
import { rateBudgetStates } from '../../queries/rate-budget.js';
import { offsetPage, pageQuery } from '../../queries/page.js';
import { defineRoute } from '../contract.js';

export default defineRoute({
  method: 'GET',
  path: '/api/v1/rate-budget',
  summary: 'The shared GHL rate budget per location: limits learnt, remaining in the window, daily count',
  tag: 'operations',
  auth: true,
  query: z.strictObject({ ...pageQuery }),
  responses: { 200: { description: '{ items: RateBudgetState[], next? } (with the connections of each location)' } },
  async handler({ query, server, c }) {
    const { bridge } = server;
    const [states, connections] = await Promise.all([rateBudgetStates(bridge.ghl.budget, Date.now()), bridge.connections.list()]);
    const items = states.map((s) => ({ ...s, connections: connections.filter((k) => k.config.locationId === s.key || k.config.companyId === s.key).map((k) => k.id) }));
    return c.json(offsetPage(items, query.limit, query.cursor));
  },
});
