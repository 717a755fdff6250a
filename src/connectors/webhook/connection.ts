/** A stored "your app" connection → the typed connection (secrets readable, never enumerable). */
import { ConnectionSettingsError, readSettings } from '../settings.js';
import type { ConnectorConnection } from '../types.js';
import { resolveScheme, splitSecrets, webhookConfigSchema, type WebhookConn } from './schemas.js';

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

