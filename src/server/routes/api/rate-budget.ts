import { z } from 'zod';
import { rateBudgetView } from '../../queries/rate-budget.js';
import { offsetPage, pageQuery } from '../../queries/page.js';
import { defineRoute } from '../contract.js';

/** One GHL location's (or agency's) shared rate budget, as the governor sees it now. */
export const rateBudgetStateSchema = z.object({
  key: z.string().describe('the location (or company) id'),
  limits: z.object({ max: z.number().describe('requests per burst window'), intervalMs: z.number().describe('the burst window (ms)'), daily: z.number().describe('requests per day') }),
  learned: z.boolean().describe('limits learnt from X-RateLimit-* headers (false: the defaults)'),
  inWindow: z.number().describe('requests in the current burst window'),
  remainingInWindow: z.number(),
  day: z.string().describe('UTC day of the daily count'),
  dailyUsed: z.number(),
  dailyRemaining: z.number(),
  blockedUntil: z.number().describe('epoch ms a 429 paused the key until (0: not paused)'),
  connections: z.array(z.string()).describe('the connections of this location'),
  windowUsed: z.number().describe('share of the burst window used, 0 to 1'),
  dailyUsedShare: z.number().describe('share of the daily limit used, 0 to 1'),
});

export default defineRoute({
  method: 'GET',
  path: '/api/v1/rate-budget',
  summary: 'The shared GHL rate budget per location: limits learnt, remaining in the window, daily count',
  tag: 'operations',
  auth: true,
  query: z.strictObject({ ...pageQuery }),
  responses: { 200: { description: 'the rate budget of each location, with its connections', body: z.object({ items: z.array(rateBudgetStateSchema), next: z.string().optional() }) } },
  async handler({ query, server, c }) {
    const { bridge } = server;
    const items = await rateBudgetView(bridge.ghl.budget, await bridge.connections.list(), Date.now());
    return c.json(offsetPage(items, query.limit, query.cursor));
  },
});
