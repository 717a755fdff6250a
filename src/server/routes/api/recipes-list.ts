import { z } from 'zod';
import { listRecipes, recipeOutcomes } from '../../queries/recipes.js';
import { offsetPage, pageQuery } from '../../queries/page.js';
import { defineRoute } from '../contract.js';

const item = z.object({
  id: z.string(),
  version: z.number().int().describe('the current (newest) version'),
  enabled: z.boolean(),
  paused: z.object({ by: z.enum(['auto', 'user']), reason: z.string(), since: z.string() }).nullable().describe('set while paused: its runs wait, queued'),
  trigger: z.object({ source: z.string(), events: z.array(z.string()).optional(), schedule: z.string().optional() }),
  connection: z.string(),
  name: z.string().optional(),
  outcomes: z.object({ succeeded: z.number().int(), skipped: z.number().int(), dead: z.number().int(), queued: z.number().int() })
    .describe('runs finished in the last 24 h by outcome; queued: waiting or running now'),
});

export default defineRoute({
  method: 'GET',
  path: '/api/v1/recipes',
  summary: 'List recipes (newest version of each) with enabled/paused and the last 24 h outcomes',
  tag: 'recipes',
  auth: true,
  query: z.strictObject({ ...pageQuery }),
  responses: { 200: { description: '{ items: [{ id, version, enabled, paused, trigger, connection, name?, outcomes }], next? }', body: z.object({ items: z.array(item), next: z.string().optional() }) } },
  async handler({ query, server, c }) {
    const { db } = server.bridge;
    const [recipes, outcomes] = await Promise.all([listRecipes(db), recipeOutcomes(db)]);
    const items = recipes.map((r) => ({ ...r, paused: r.paused ?? null, outcomes: outcomes.get(r.id) ?? { succeeded: 0, skipped: 0, dead: 0, queued: 0 } }));
    return c.json(offsetPage(items, query.limit, query.cursor));
  },
});
