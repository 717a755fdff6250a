/**
 * "Your app": any app that sends signed webhooks. Standard Webhooks by default (`webhook-id`,
 * `webhook-timestamp`, `webhook-signature`, `whsec_` secrets, 5-minute window); Stripe-style,
 * GitHub-style or a custom HMAC scheme by configuration. The event type is read from the payload
 * and the payload is passed through for the recipe to map. ERP webhooks (where an ERP has them)
 * come in through this connector too, with the ERP's own scheme configured as a custom one.
 */
import { defineConnector, type JsonSchema, type TriggerDef } from '../types.js';
import { webhookConnection } from './connection.js';
import type { SchemeName, WebhookConn } from './schemas.js';
import { sendAction } from './send.js';
import { webhookSamples } from './samples.js';
import { webhookSpec } from './webhook.js';

export { webhookConnection };

export { createAppFake, type AppFake, type AppFakeOptions } from './fake.js';
export { signForScheme, standardWebhookHeaders, stripeHeaders } from './sign.js';
export { resolveScheme, splitSecrets, type WebhookConn, type WebhookConfig } from './schemas.js';
export { sendAction, WebhookSendError, type SendInput } from './send.js';

const output: JsonSchema = {
  type: 'object',
  description: "The app's JSON body as sent (or the part at config.dataPath); the event type is read from config.eventTypePath (default `type`)",
  required: ['type'],
  properties: { type: { type: 'string' }, timestamp: { type: 'string' }, data: { type: 'object' } },
  additionalProperties: true,
};

const SCHEME_TRIGGERS: Array<{ name: SchemeName; title: string; scope: string }> = [
  { name: 'standard-webhooks', title: 'Your app: Standard Webhooks message', scope: 'webhook-id, webhook-timestamp, webhook-signature (v1, whsec_ key), 5-minute window' },
  { name: 'stripe', title: 'Your app: Stripe-style signed message', scope: 'Stripe-Signature t=…,v1=… (hex, UTF-8 key), 5-minute window on old events; id from the body' },
  { name: 'github', title: 'Your app: GitHub-style signed message', scope: 'X-Hub-Signature-256 sha256=… (hex); no timestamp; deduplicated by the hash of the signed body (X-GitHub-Delivery is unsigned)' },
  { name: 'custom', title: 'Your app: custom HMAC-SHA256 scheme', scope: 'header, prefix, encoding, signed string and key decoding as configured; an id header counts only when signed (id.t.body), else idPath or the body hash' },
];

const triggers: TriggerDef<WebhookConn>[] = SCHEME_TRIGGERS.map((t) => ({
  id: `webhook.${t.name}`,
  title: t.title,
  kind: 'webhook',
  // the event types are the app's own, read from each payload
  events: ['*'],
  endpoint: 'POST /hooks/{connectionId}',
  scope: t.scope,
  output,
}));

/**
 * The generic "your app" webhook connector (app id `webhook`).
 *
 * @example
 * const connections = staticConnections([{ id: 'app-main', app: 'webhook', source: 'my-app', config: { scheme: 'standard-webhooks' }, secrets: { signingSecret: 'whsec_…' } }]);
 * const runtime = createConnectorRuntime({ engine, connectors: [webhook], connections });
 * // recipes: trigger: { source: my-app, events: [user.created] }
 */
export const webhook = defineConnector<WebhookConn>({
  app: 'webhook',
  title: 'Your app (signed webhooks)',
  connection: webhookConnection,
  triggers,
  actions: [sendAction],
  webhook: webhookSpec,
  samples: webhookSamples,
});

export default webhook;
