import { z } from 'zod';
import { defineRoute } from '../contract.js';
import { API_ACTOR, resolveSelection, selectionBody } from './dead-letter-selection.js';
import { dismissReason } from './shared.js';

export default defineRoute({
  method: 'POST',
  path: '/api/v1/dead-letters/dismiss',
  summary: "Dismiss dead letters by the runs list's filters (recipe, connection, record, contact, email, errorCode, since, until) or all: true, with a reason: they are kept and never run",
  tag: 'dead-letters',
  auth: true,
  body: z.strictObject({ ...selectionBody, reason: dismissReason }),
  responses: { 200: { description: 'the runs dismissed', body: z.object({ dismissed: z.array(z.number().int()) }) } },
  async handler({ body, server, c }) {
    const selection = await resolveSelection(server.bridge.db, body);
    return c.json({ dismissed: await server.bridge.engine.dismissDeadLetters(selection, body.reason, API_ACTOR) });
  },
});
