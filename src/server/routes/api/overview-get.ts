import { z } from 'zod';
import { connectionHealth, openIncidents, queueState } from '../../queries/overview.js';
import { rateBudgetView } from '../../queries/rate-budget.js';
import { defineRoute } from '../contract.js';
import { rateBudgetStateSchema } from './rate-budget.js';

const connectionHealthSchema = z.object({
  id: z.string(),
  app: z.string(),
  name: z.string(),
  locationId: z.string().nullable().describe('the GHL location (or agency) of a GHL connection'),
  auth: z.string().nullable().describe('oauth, pit, or null for app connections'),
  lastSuccessAt: z.string().nullable().describe('its newest succeeded run (among the newest 50,000 runs)'),
  lastError: z
    .object({ at: z.string(), message: z.string(), kind: z.enum(['run', 'webhook', 'credentials']), runId: z.number().nullable() })
    .nullable()
    .describe('the newest failure: a dead run, a refused webhook delivery or refused credentials'),
  token: z
    .object({ updatedAt: z.string(), ageSeconds: z.number(), expiresAt: z.string(), expiresInSeconds: z.number().describe('negative once expired (it is refreshed when next used)') })
    .nullable()
    .describe('its stored OAuth tokens (metadata only, never a token)'),
  reconnectNeeded: z.boolean().describe('its credentials are refused: re-authorize it (POST /connect/ghl with its id)'),
  hold: z.object({ reason: z.string(), since: z.string(), failures: z.number() }).nullable(),
  queued: z.number().describe('queued runs writing to it'),
  state: z.enum(['reconnect-needed', 'failing', 'healthy', 'idle']).describe('reconnect-needed (credentials refused), failing (its newest outcome is an error), healthy, or idle (nothing ran yet)'),
});

const overviewSchema = z.object({
  generatedAt: z.string(),
  connections: z.array(connectionHealthSchema),
  queue: z.object({
    queued: z.number().describe('runs waiting (status queued)'),
    due: z.number().describe('of them, due now (the others wait for a retry time)'),
    running: z.number(),
    oldest: z.object({ runId: z.number(), waitingSeconds: z.number(), createdAt: z.string() }).nullable().describe('the oldest due run'),
  }),
  rateBudget: z.array(rateBudgetStateSchema),
  incidents: z.object({
    open: z.number(),
    items: z.array(
      z.object({ id: z.number(), rule: z.string(), cause: z.string(), recipeId: z.string().nullable(), connectionId: z.string().nullable(), count: z.number(), openedAt: z.string(), lastSeen: z.string(), acknowledged: z.boolean(), mutedUntil: z.string().nullable() }),
    ).describe('the newest open incidents (at most 10)'),
  }),
});

/**
 * `GET /api/v1/overview`: the console's overview, read now — each connection's health (last
 * success, last error, queue, state), the queue, each location's rate budget, open incidents.
 *
 * @example
 * // GET /api/v1/overview
 * // → { generatedAt: '…', connections: [{ id: 'ghl-main', state: 'healthy', lastSuccessAt: '…', … }], queue: { queued: 0, due: 0, running: 0, oldest: null }, rateBudget: [ … ], incidents: { open: 0, items: [] } }
 */
export default defineRoute({
  method: 'GET',
  path: '/api/v1/overview',
  summary: "The console's overview: each connection's health, the queue, each location's rate budget, open incidents",
  tag: 'operations',
  auth: true,
  responses: { 200: { description: 'the overview, read now', body: overviewSchema } },
  async handler({ server, c }) {
    const { bridge } = server;
    const now = Date.now();
    const all = await bridge.connections.list();
    const [connections, queue, rateBudget, incidents] = await Promise.all([connectionHealth(bridge.db, all, now), queueState(bridge.db), rateBudgetView(bridge.ghl.budget, all, now), openIncidents(bridge.db, 10)]);
    return c.json({ generatedAt: new Date(now).toISOString(), connections, queue, rateBudget, incidents });
  },
});
