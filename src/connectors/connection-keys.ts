/**
 * The config and secret names each kind of connection takes, so a misspelt one (`pitt`) is
 * refused when the connection is created instead of being stored and never read. Only the top
 * level: nested settings are checked by the connectors' own strict schemas.
 */
import type { ConnectionApp } from '../engine/connections/types.js';
import { didYouMean } from '../engine/recipes/schema-errors.js';
import { printable } from '../engine/text/printable.js';
import { connecteamConfigSchema, connecteamSecretsSchema } from './connecteam/connection.js';
import { erpConfigSchema } from './erp/schemas.js';
import { GHL_LOCATION_CONFIG_KEYS } from './ghl/connection.js';
import { configSchema as recruiteeConfigSchema, secretsSchema as recruiteeSecretsSchema } from './recruitee/schemas.js';
import { webhookConfigSchema } from './webhook/schemas.js';

/** `source` (the engine's event source name) may stand in any connection's config. */
const SOURCE = 'source';

/** The names each app's connection reads. */
export const CONNECTION_KEYS: Readonly<Record<ConnectionApp, { config: readonly string[]; secrets: readonly string[] }>> = {
  // the engine reads `pit` (a Private Integration Token) or OAuth with `clientSecret`
  'ghl-location': { config: GHL_LOCATION_CONFIG_KEYS, secrets: ['pit', 'clientSecret'] },
  'ghl-agency': { config: ['companyId', 'clientId', SOURCE], secrets: ['clientSecret'] },
  recruitee: { config: [...Object.keys(recruiteeConfigSchema.shape), SOURCE], secrets: Object.keys(recruiteeSecretsSchema.shape) },
  connecteam: { config: [...Object.keys(connecteamConfigSchema.shape), SOURCE], secrets: Object.keys(connecteamSecretsSchema.shape) },
  // read by connectors/webhook/index.ts: the signing secret(s), and the secret of webhook.send
  webhook: { config: [...Object.keys(webhookConfigSchema.shape), SOURCE], secrets: ['signingSecret', 'sendSecret'] },
  // read by connectors/erp/index.ts
  erp: { config: [...Object.keys(erpConfigSchema.shape), SOURCE], secrets: ['apiKey'] },
};

/** Names people reach for that mean another one here. */
const ALIASES: Partial<Record<ConnectionApp, Record<string, string>>> = {
  'ghl-location': { token: 'pit', privateIntegrationToken: 'pit', apiKey: 'pit' },
};

/**
 * The first config or secret name the app's connection does not take, as a field (`secrets.pitt`)
 * and a message suggesting the right name, or null. Only names are quoted, never values.
 *
 * @example
 * unknownConnectionKey('ghl-location', {}, { pitt: '…' });
 * // { field: 'secrets.pitt', message: 'secrets.pitt: not a secret of a ghl-location connection (did you mean "pit"?); it takes pit, clientSecret' }
 */
export function unknownConnectionKey(app: ConnectionApp, config: Record<string, unknown>, secrets: Record<string, unknown>): { field: string; message: string } | null {
  const known = CONNECTION_KEYS[app];
  for (const [part, names, what] of [['config', known.config, 'setting'], ['secrets', known.secrets, 'secret']] as const) {
    const given = part === 'config' ? config : secrets;
    const unknown = Object.keys(given).find((k) => !names.includes(k));
    if (unknown === undefined) continue;
    const field = `${part}.${printable(unknown, 80)}`;
    if (part === 'config' && known.secrets.includes(unknown)) return { field, message: `${field}: a secret of a ${app} connection: pass it in secrets (sealed at rest), not in config` };
    const alias = ALIASES[app]?.[unknown];
    const hint = alias ? ` (did you mean "${alias}"?)` : didYouMean(unknown, names);
    return { field, message: `${field}: not a ${what} of a ${app} connection${hint}; it takes ${names.join(', ')}` };
  }
  return null;
}
