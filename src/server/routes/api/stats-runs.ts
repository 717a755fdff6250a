import { z } from 'zod';
import { OUTCOMES, runStats, STATS_RANGES, type StatsRange } from '../../queries/stats.js';
import { defineRoute } from '../contract.js';

const counts = Object.fromEntries(OUTCOMES.map((o) => [o, z.number()])) as Record<(typeof OUTCOMES)[number], z.ZodNumber>;

/**
 * `GET /api/v1/stats/runs`: runs over time by outcome for the overview's chart — per minute over
 * 1h, per 15 minutes over 24h, per hour over 7d, by creation time with their status now.
 *
 * @example
 * // GET /api/v1/stats/runs?range=24h
 * // → { range: '24h', step: 900, from: '…', to: '…', buckets: [{ at: '…', succeeded: 3, dead: 1, … }, …96], totals: { succeeded: 41, …, all: 45 } }
 */
export default defineRoute({
  method: 'GET',
  path: '/api/v1/stats/runs',
  summary: 'Runs over time by outcome: per minute over 1h, per 15 minutes over 24h, per hour over 7d (by creation time, status now)',
  tag: 'runs',
  auth: true,
  query: z.strictObject({ range: z.enum(Object.keys(STATS_RANGES) as [StatsRange, ...StatsRange[]]).default('24h').describe('1h, 24h (default) or 7d') }),
  responses: {
    200: {
      description: 'buckets oldest first, and totals',
      body: z.object({
        range: z.enum(Object.keys(STATS_RANGES) as [StatsRange, ...StatsRange[]]),
        step: z.number().describe('bucket width in seconds'),
        from: z.string(),
        to: z.string(),
        buckets: z.array(z.object({ at: z.string().describe("the bucket's start"), ...counts })),
        totals: z.object({ ...counts, all: z.number() }),
      }),
    },
  },
  async handler({ query, server, c }) {
    return c.json(await runStats(server.bridge.db, query.range, Date.now()));
  },
});
