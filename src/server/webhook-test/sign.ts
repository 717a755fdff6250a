/**
 * A test delivery for a webhook (your app) connection, signed with the connection's own secret and
 * scheme: what `ghl-bridge webhook send` asks the server for, so a person can try a connection's
 * ingress without ever handling its secret.
 */
import { randomBytes } from 'node:crypto';
import type { ConnectorRegistry } from '../../connectors/runtime/registry.js';
import type { ConnectorConnection } from '../../connectors/types.js';
import { signForScheme, webhookConnection, type WebhookConn } from '../../connectors/webhook/index.js';
import { readPath } from '../../connectors/webhook/paths.js';
import { ApiError } from '../http/errors.js';

export interface TestDeliveryInput {
  payload: Record<string, unknown>;
  type?: string;
  id?: string;
}

export interface SignedTestDelivery {
  scheme: string;
  /** the event type the payload carries */
  type: string;
  request: { url: string; headers: Record<string, string>; body: string };
}

/** Writes the type at a dotted path (`type`, `event.name`); indexes are refused (nothing to create them from). */
function withType(payload: Record<string, unknown>, path: string, type: string): Record<string, unknown> {
  if (/\[/.test(path)) throw new ApiError(422, 'invalid-input', `this connection reads the event type at ${path}, which --type cannot write: put the type in the payload`, 'type');
  const copy = structuredClone(payload);
  const keys = path.split('.');
  let at: Record<string, unknown> = copy;
  for (const k of keys.slice(0, -1)) {
    const next = at[k];
    if (next !== undefined && (next === null || typeof next !== 'object' || Array.isArray(next))) throw new ApiError(422, 'invalid-input', `payload.${keys.slice(0, keys.indexOf(k) + 1).join('.')}: expected an object (the event type goes at ${path})`, 'payload');
    at = (at[k] ??= {}) as Record<string, unknown>;
  }
  at[keys.at(-1)!] = type;
  return copy;
}

/**
 * @example
 * const signed = signedTestDelivery(bridge.registry, await bridge.connectionSource('my-app'), { payload, type: 'user.created' }, `${publicUrl}/hooks/my-app`);
 * await bridge.runtime.receiveWebhook('my-app', { rawBody: Buffer.from(signed.request.body), headers: signed.request.headers });
 */
export function signedTestDelivery(registry: ConnectorRegistry, stored: ConnectorConnection & { app: string }, input: TestDeliveryInput, url: string, now = Date.now()): SignedTestDelivery {
  if (stored.app !== 'webhook' || registry.forApp('webhook') === undefined) {
    throw new ApiError(422, 'invalid-input', `connection "${stored.id}" is of app ${stored.app}: webhook send signs for your-app connections (app webhook) only; the other apps sign their own deliveries`, 'id');
  }
  let conn: WebhookConn;
  try {
    conn = webhookConnection(stored);
  } catch (e) {
    throw new ApiError(422, 'misconfigured', (e as Error).message, 'id');
  }
  const payload = input.type === undefined ? input.payload : withType(input.payload, conn.eventTypePath, input.type);
  const type = readPath(payload, conn.eventTypePath);
  if (typeof type !== 'string' || type.trim() === '') throw new ApiError(422, 'invalid-input', `payload.${conn.eventTypePath}: required, the event type (e.g. user.created): put it in the payload or pass --type`, 'type');
  const body = JSON.stringify(payload);
  const id = input.id ?? `msg_test_${randomBytes(12).toString('base64url')}`;
  // while a secret rotates every listed one verifies; the first is also what webhook.send signs with
  const secret = conn.secrets[0]!;
  const headers = { 'content-type': 'application/json', 'user-agent': 'ghl-bridge-webhook-send', ...signForScheme(conn.scheme, secret, { id, timestamp: Math.floor(now / 1000), body }) };
  return { scheme: conn.schemeName, type: type.trim(), request: { url, headers, body } };
}
