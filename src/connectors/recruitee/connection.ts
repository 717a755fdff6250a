/**
 * A stored Recruitee connection → the typed connection the triggers and actions use. The secrets
 * stay in closures (the client's token, the webhook verifier), so logging a connection leaks none.
 */
import { readSettings } from '../settings.js';
import type { ConnectorConnection } from '../types.js';
import { SCHEMES, verifyHmac, type Headers, type Verification } from '../webhooks/index.js';
import { createRecruiteeClient, type RecruiteeClient } from './client.js';
import { configSchema, DEFAULT_EVENT_TYPES, secretsSchema, type RecruiteeConfig, type RecruiteeEventType } from './schemas.js';

export interface RecruiteeConn {
  id: string;
  /** engine event source (default `recruitee`) */
  source: string;
  config: RecruiteeConfig;
  /** `event_type[/event_subtype]` → engine event type, defaults merged with the config's */
  eventTypes: Readonly<Record<string, RecruiteeEventType>>;
  client: RecruiteeClient;
  /** Checks `X-Recruitee-Signature` (hex HMAC-SHA256 of the raw body); fails closed without a secret. */
  verifySignature(delivery: { rawBody: Buffer | string; headers: Headers; now?: number }): Verification;
}

/** A connection setting or secret that is missing or wrong; the message names the field, never a secret's value. */
export class RecruiteeConnectionError extends Error {
  constructor(
    readonly connectionId: string,
    readonly field: string,
    message: string,
  ) {
    super(`recruitee connection "${connectionId}": ${field}: ${message}`);
    this.name = 'RecruiteeConnectionError';
  }
}


/**
 * @example
 * const conn = recruiteeConnection({ id: 'recruitee-main', app: 'recruitee', source: 'recruitee',
 *   config: { companyId: 90001 }, secrets: { token: process.env.RECRUITEE_TOKEN!, webhookSecret: '…' } });
 * await conn.client.candidates.get(5000001);
 */
export function recruiteeConnection(stored: ConnectorConnection): RecruiteeConn {
  const fail = (field: string, message: string): never => {
    throw new RecruiteeConnectionError(stored.id, field, message);
  };
  const config = { data: readSettings(configSchema, stored.config, 'config', fail) };
  const secrets = { data: readSettings(secretsSchema, stored.secrets, 'secrets', fail) };
  const { token, webhookSecret } = secrets.data;
  const client = createRecruiteeClient({ baseUrl: config.data.baseUrl, companyId: config.data.companyId, token, timeoutMs: config.data.timeoutMs });
  return {
    id: stored.id,
    source: stored.source || 'recruitee',
    config: config.data,
    eventTypes: { ...DEFAULT_EVENT_TYPES, ...config.data.eventTypes },
    client,
    verifySignature(delivery) {
      // no secret configured: nothing can be verified, so nothing is accepted
      if (!webhookSecret) return { ok: false, reason: 'bad-signature' };
      return verifyHmac(SCHEMES.recruitee, webhookSecret, delivery);
    },
  };
}
