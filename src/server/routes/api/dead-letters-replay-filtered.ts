import { z } from 'zod';
import { defineRoute } from '../contract.js';
import { API_ACTOR, resolveSelection, selectionBody } from './dead-letter-selection.js';

export default defineRoute({
  method: 'POST',
  path: '/api/v1/dead-letters/replay',
  summary: "Replay dead letters by the runs list's filters (recipe, connection, record, contact, email, errorCode, since, until) or all: true, with each recipe's newest version unless originalVersion",
  tag: 'dead-letters',
  auth: true,
  body: z.strictObject({ ...selectionBody, originalVersion: z.boolean().optional().describe('keep the recipe version each run used (default: the newest version of each recipe)') }).optional(),
  responses: { 200: { description: 'the runs put back in the queue, each with the version it had and the one it runs with', body: z.object({ replayed: z.array(z.number().int()), runs: z.array(z.object({ runId: z.number().int(), fromVersion: z.number().int(), toVersion: z.number().int(), keptPlan: z.boolean() })) }) } },
  async handler({ body, server, c }) {
    const selection = await resolveSelection(server.bridge.db, body ?? {});
    const runs = await server.bridge.engine.replayDeadLetters(selection, { originalVersion: body?.originalVersion, actor: API_ACTOR });
    return c.json({ replayed: runs.map((r) => r.runId), runs });
  },
});
