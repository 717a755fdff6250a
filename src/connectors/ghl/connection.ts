import { createHash } from 'node:crypto';
import { createGhlClient, GHL_BASE_URL, type GhlClient } from '../../ghl/client.js';
import { parsePublicKey } from '../../ghl/webhooks/index.js';
import type { ConnectorConnection } from '../types.js';

/**
 * The `ghl` connector's view of a location connection: where the API is, which location, the
 * keys webhooks are verified with, and the Private Integration Token. (The engine's own GHL
 * connections for writing stay as they are; this is what triggers and catalog actions use.)
 */
export interface GhlConnection {
  id: string;
  /** The engine event source of this connection's events (default `ghl`). */
  source: string;
  baseUrl: string;
  locationId: string;
  /** HighLevel's Ed25519 webhook key: PEM, raw 32 bytes base64/hex or SPKI DER base64. */
  webhookPublicKey: string;
  /** RSA key (PEM) of the legacy `x-wh-signature`; without it that header is not trusted. */
  legacyRsaPublicKey: string | null;
  /** How far back the first reconciliation looks (ms, default 24 h). */
  reconcileLookbackMs: number;
  /** The typed client, built once per connection (it owns the learned rate budget). */
  client(): GhlClient;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const CONFIG_KEYS = ['baseUrl', 'locationId', 'webhookPublicKey', 'legacyRsaPublicKey', 'reconcileLookbackMs'];
/** Keys of the engine's `ghl-location` connection (how it writes), read elsewhere: one stored connection serves both. */
const ENGINE_KEYS = ['auth', 'clientId', 'source'];
/** Every config key a stored `ghl-location` connection may hold (this connector's and the engine's). */
export const GHL_LOCATION_CONFIG_KEYS: readonly string[] = [...CONFIG_KEYS, ...ENGINE_KEYS];

/** Clients by connection and credentials, so a re-read connection keeps its rate budget. */
const clients = new Map<string, GhlClient>();

function text(value: unknown, field: string, required: boolean): string | undefined {
  if (value === undefined || value === null || value === '') {
    if (required) throw new TypeError(`ghl connection: ${field} is required`);
    return undefined;
  }
  if (typeof value !== 'string') throw new TypeError(`ghl connection: ${field} must be a string`);
  return value;
}

/**
 * Reads a stored `ghl` connection. Config `{ baseUrl?, locationId, webhookPublicKey,
 * legacyRsaPublicKey?, reconcileLookbackMs? }` (the engine's `auth`/`clientId` may stand beside them),
 * secrets `{ token }` or `{ pit }` (a location PIT). Errors name
 * the field and never echo a secret; the webhook keys are parsed here so a bad key fails at load,
 * not at the first delivery.
 *
 * @example
 * const conn = readConnection({ id: 'ghl-main', app: 'ghl', source: 'ghl', config: { locationId, webhookPublicKey: pem }, secrets: { token: pit } });
 * await conn.client().contacts.get(contactId);
 */
export function readConnection(stored: ConnectorConnection): GhlConnection {
  const config = stored.config ?? {};
  for (const key of Object.keys(config)) if (!CONFIG_KEYS.includes(key) && !ENGINE_KEYS.includes(key)) throw new TypeError(`ghl connection: config.${key} is not a known field`);
  const baseUrl = text(config.baseUrl, 'config.baseUrl', false) ?? GHL_BASE_URL;
  try {
    new URL(baseUrl);
  } catch {
    throw new TypeError('ghl connection: config.baseUrl must be an absolute URL');
  }
  const locationId = text(config.locationId, 'config.locationId', true)!;
  const webhookPublicKey = text(config.webhookPublicKey, 'config.webhookPublicKey', true)!;
  const legacyRsaPublicKey = text(config.legacyRsaPublicKey, 'config.legacyRsaPublicKey', false) ?? null;
  try {
    parsePublicKey(webhookPublicKey, 'ed25519');
  } catch {
    throw new TypeError('ghl connection: config.webhookPublicKey is not an Ed25519 public key (PEM, base64 or hex)');
  }
  if (legacyRsaPublicKey) {
    try {
      parsePublicKey(legacyRsaPublicKey, 'rsa');
    } catch {
      throw new TypeError('ghl connection: config.legacyRsaPublicKey is not an RSA public key (PEM)');
    }
  }
  const lookback = config.reconcileLookbackMs ?? DAY_MS;
  if (typeof lookback !== 'number' || !(lookback > 0)) throw new TypeError('ghl connection: config.reconcileLookbackMs must be a positive number');
  // `pit` is the engine's name for it on a ghl-location connection
  const token = stored.secrets.token ?? stored.secrets.pit;
  if (typeof token !== 'string' || token === '') throw new TypeError('ghl connection: secrets.token (or pit) is required: a Private Integration Token (an OAuth-only location cannot be a source yet)');

  const key = [stored.id, baseUrl, locationId, createHash('sha256').update(token).digest('hex')].join('\0');
  return {
    id: stored.id,
    source: stored.source || 'ghl',
    baseUrl,
    locationId,
    webhookPublicKey,
    legacyRsaPublicKey,
    reconcileLookbackMs: lookback,
    client() {
      let client = clients.get(key);
      if (!client) {
        client = createGhlClient({ baseUrl, auth: { privateIntegrationToken: token }, locationId });
        clients.set(key, client);
      }
      return client;
    },
  };
}
