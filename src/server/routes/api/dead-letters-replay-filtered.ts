import { z } from 'zod';
import { defineRoute } from '../contract.js';
import { API_ACTOR, selectionBody, selectionOf } from './dead-letter-selection.js';

export default defineRoute({
  method: 'POST',
  path: '/api/v1/dead-letters/replay',
  summary: "Replay dead letters by filter (recipe, errorCode, since) or all: true, with each recipe's newest version unless originalVersion",
  tag: 'dead-letters',
  auth: true,
  body: z.strictObject({ ...selectionBody, originalVersion: z.boolean().optional().describe('keep the recipe version each run used') }).optional(),
  responses: { 200: { description: '{ replayed: [runIds], runs: [{ runId, fromVersion, toVersion, keptPlan }] }' } },
  async handler({ body, server, c }) {
    const selection = selectionOf(body ?? {});
    const runs = await server.bridge.engine.replayDeadLetters(selection, { originalVersion: body?.originalVersion, actor: API_ACTOR });
    return c.json({ replayed: runs.map((r) => r.runId), runs });
  },
});
