/**
 * "Your app": any app that sends signed webhooks. Standard Webhooks by default (`webhook-id`,
 * `webhook-timestamp`, `webhook-signature`, `whsec_` secrets, 5-minute window); Stripe-style,
 * GitHub-style or a custom HMAC scheme by configuration. The event type is read from the payload
 * and the payload is passed through for the recipe to map. ERP webhooks (where an ERP has them)
 * come in through this connector too, with the ERP's own scheme configured as a custom one.
 */
import { ConnectionSettingsError, readSettings } from '../settings.js';
import { defineConnector, type ConnectorConnection, type JsonSchema, type TriggerDef } from '../types.js';
import { resolveScheme, splitSecrets, webhookConfigSchema, type SchemeName, type WebhookConn } from './schemas.js';
import { sendAction } from './send.js';
import { webhookSpec } from './webhook.js';

export { createAppFake, type AppFake, type AppFakeOptions } from './fake.js';
export { signForScheme, standardWebhookHeaders, stripeHeaders } from './sign.js';
export { resolveScheme, splitSecrets, type WebhookConn, type WebhookConfig } from './schemas.js';
export { sendAction, WebhookSendError, type SendInput } from './send.js';

/**
 * Reads a stored connection (throws naming the field).
 *
 * @example
 * webhookConnection({ id: 'app-main', app: 'webhook', source: 'my-app', config: {}, secrets: { signingSecret: 'whsec_…' } });
 */
export function webhookConnection(stored: ConnectorConnection): WebhookConn {
  const parsed = { data: readSettings(webhookConfigSchema, stored.config, 'config', (field, message) => {
    throw new ConnectionSettingsError(stored.id, field, message, 'webhook');
  }) };
  const config = parsed.data;
  const secrets = splitSecrets(stored.secrets.signingSecret);
  if (secrets.length === 0) throw new Error(`connection ${stored.id}: secrets.signingSecret: required (one secret, or several separated by spaces or commas while rotating)`);
  const { name, scheme } = resolveScheme(config);
  const conn = {
    id: stored.id,
    source: stored.source,
    schemeName: name,
    scheme,
    eventTypePath: config.eventTypePath,
    // Stripe-style messages carry their id in the body (`evt_…`), not in a header
    idPath: config.idPath ?? (name === 'stripe' ? 'id' : undefined),
    dataPath: config.dataPath,
    sendUrl: config.sendUrl,
  } as WebhookConn;
  // the secrets are readable by the connector's parts but not enumerable: JSON.stringify, spreads,
  // util.inspect and loggers never see them
  Object.defineProperties(conn, {
    secrets: { value: Object.freeze([...secrets]), enumerable: false, writable: false },
    sendSecret: { value: stored.secrets.sendSecret ?? secrets[0], enumerable: false, writable: false },
  });
  return conn;
}

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
});

export default webhook;
