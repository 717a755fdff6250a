/**
 * `webhook.send`: a signed Standard Webhooks message to the app's own endpoint (`sendUrl`), for
 * two-way flows (GHL → your app) and the 360° contact view. The message id (`webhook-id`, on which
 * the app drops redeliveries) is, in order: the input's `id`; else derived from the engine's
 * idempotency key (stable across retries of one run step, unique per step), so a retry after an
 * ambiguous failure is the same message while a real change repeated later (tag A → removed → A)
 * is a new one; else, outside the engine, a hash of the content.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { ActionDef } from '../types.js';
import type { WebhookConn } from './schemas.js';
import { standardWebhookHeaders } from './sign.js';

export const sendInput = z
  .object({
    type: z.string().regex(/^[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)*$/, { error: 'an event type is dot-delimited letters, digits and "_", e.g. contact.updated' }),
    data: z.record(z.string(), z.unknown()).default({}),
    /** Message id; default derived from the engine's idempotency key (one per run step), else from type and data. */
    id: z.string().min(1).max(200).optional(),
    /** Filled by the engine when the recipe says `contactView: true`. */
    contactView: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

export type SendInput = z.output<typeof sendInput>;

export interface SendOutput {
  id: string;
  status: number;
}

/** Thrown when the app answers something other than 2xx (the status only: no body, no secret). */
export class WebhookSendError extends Error {
  constructor(readonly status: number) {
    super(`webhook.send: the app answered ${status}`);
    this.name = 'WebhookSendError';
  }
}

function messageId(input: SendInput, idempotencyKey: string | undefined): string {
  const what = idempotencyKey !== undefined ? ['key', idempotencyKey] : [input.type, input.data, input.contactView ?? null];
  const digest = createHash('sha256').update(JSON.stringify(what)).digest('base64url');
  return `msg_${digest.slice(0, 27)}`;
}

export const sendAction: ActionDef<WebhookConn, SendInput, SendOutput> = {
  id: 'webhook.send',
  title: 'Send a signed message to your app',
  endpoint: 'POST {sendUrl}',
  idempotent: true,
  input: sendInput as z.ZodType<SendInput>,
  output: { type: 'object', required: ['id', 'status'], properties: { id: { type: 'string' }, status: { type: 'integer' } }, additionalProperties: false },
  async run({ conn, signal, idempotencyKey }, input) {
    if (!conn.sendUrl) throw new Error('webhook.send: the connection has no config.sendUrl');
    if (!conn.sendSecret) throw new Error('webhook.send: the connection has no secrets.sendSecret or signingSecret');
    const id = input.id ?? messageId(input, idempotencyKey);
    const body = JSON.stringify({ type: input.type, timestamp: new Date().toISOString(), data: input.contactView ? { ...input.data, contactView: input.contactView } : input.data });
    const headers = standardWebhookHeaders(conn.sendSecret, { id, timestamp: Math.floor(Date.now() / 1000), body });
    const res = await fetch(conn.sendUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'ghl-bridge-webhook', ...headers },
      body,
      signal: signal ?? AbortSignal.timeout(15_000),
    });
    await res.arrayBuffer();
    if (res.status < 200 || res.status > 299) throw new WebhookSendError(res.status);
    return { id, status: res.status };
  },
};
