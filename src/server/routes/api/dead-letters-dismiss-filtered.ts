import { z } from 'zod';
import { defineRoute } from '../contract.js';
import { API_ACTOR, selectionBody, selectionOf } from './dead-letter-selection.js';
import { dismissReason } from './shared.js';

export default defineRoute({
  method: 'POST',
  path: '/api/v1/dead-letters/dismiss',
  summary: 'Dismiss dead letters by filter (recipe, errorCode, since) or all: true, with a reason: they are kept and never run',
  tag: 'dead-letters',
  auth: true,
  body: z.strictObject({ ...selectionBody, reason: dismissReason }),
  responses: { 200: { description: '{ dismissed: [runIds] }' } },
  async handler({ body, server, c }) {
    const selection = selectionOf(body);
    return c.json({ dismissed: await server.bridge.engine.dismissDeadLetters(selection, body.reason, API_ACTOR) });
  },
});
