import { z } from 'zod';
import { readLimitedBody } from '../../http/body.js';
import { defineRoute } from '../contract.js';

/**
 * Webhook ingress: the raw bytes (signatures cover them exactly), capped at `server.bodyLimit`
 * (413 above, unread), handed to the connector runtime, which verifies, stores the events and
 * answers; the answer goes out as soon as they are stored.
 */
export default defineRoute({
  method: 'POST',
  path: '/hooks/{connectionId}',
  summary: "Webhook ingress of a connection (verified over the raw body; events stored before the answer)",
  tag: 'webhooks',
  auth: false,
  rawBody: true,
  params: z.strictObject({ connectionId: z.string().regex(/^[A-Za-z0-9._:-]{1,128}$/, { error: 'a connection id: 1-128 letters, digits, . _ : -' }) }),
  query: z.record(z.string(), z.string()).describe('ignored (some senders add their own)'),
  responses: { 200: { description: '{ ok, accepted, duplicates } (Recruitee: exactly 200)' }, 400: { description: 'a verified delivery that cannot be taken: stale, malformed (naming the field), nested too deep' }, 401: { description: 'not verified: bad or missing signature, or no such endpoint (one answer for all)' }, 413: { description: 'body too large' } },
  async handler({ params, c, server }) {
    const rawBody = await readLimitedBody(c, server.bridge.config.server.bodyLimit);
    const answer = await server.bridge.runtime.receiveWebhook(params.connectionId, { rawBody, headers: c.env?.incoming?.headers ?? Object.fromEntries(c.req.raw.headers) });
    // unknown ids stay out of metric labels: a stranger could otherwise create series at will
    server.metrics.webhooks.inc({ connection: answer.known ? params.connectionId : 'unknown', status: String(answer.status) });
    return c.json(answer.body, answer.status as 200);
  },
});
