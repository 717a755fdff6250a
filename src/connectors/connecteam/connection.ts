/**
 * A Connecteam connection: where the API is, the company API key, and how webhooks are signed.
 * Connecteam documents a webhook `secretKey` but not the signature header, algorithm or encoding,
 * so the scheme is configuration (default: `X-Connecteam-Signature` = hex HMAC-SHA256 of the raw
 * body, what community receivers assume) and can be corrected without a release.
 */
import { z } from 'zod';
import { readSettings } from '../settings.js';
import type { ConnectorConnection } from '../types.js';
import type { HmacScheme } from '../webhooks/index.js';

export const DEFAULT_BASE_URL = 'https://api.connecteam.com';
export const DEFAULT_SIGNATURE_HEADER = 'x-connecteam-signature';

export const signatureConfigSchema = z.strictObject({
  header: z.string().regex(/^[A-Za-z0-9-]+$/, { error: 'a header name is letters, digits and "-"' }).default(DEFAULT_SIGNATURE_HEADER),
  encoding: z.enum(['hex', 'base64']).default('hex'),
  /** e.g. `sha256=` when the value is prefixed (GitHub style) */
  prefix: z.string().min(1).optional(),
  /** a header with Unix seconds, checked against `toleranceSeconds` (not signed: Connecteam signs only the body, if anything) */
  timestampHeader: z.string().min(1).optional(),
  toleranceSeconds: z.number().int().min(0).default(0),
});

export const connecteamConfigSchema = z.strictObject({
  baseUrl: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).default(DEFAULT_BASE_URL),
  signature: signatureConfigSchema.optional(),
  /** page size of polls and full syncs (the API allows 1–500) */
  pageSize: z.number().int().min(1).max(500).default(100),
  /**
   * seconds each poll reads back before its watermark: a user whose modifiedAt lands behind one
   * already seen (clock skew, a slow write) is still found; re-read users dedupe on their ids
   */
  pollOverlapSeconds: z.number().int().min(0).max(86_400).default(60),
});

export const connecteamSecretsSchema = z.looseObject({
  apiKey: z.string({ error: 'required' }).min(1, { error: 'required' }),
  webhookSecret: z.string().min(1, { error: 'cannot be empty' }).optional(),
});

export type ConnecteamConfig = z.input<typeof connecteamConfigSchema>;

/** A typed Connecteam connection. `apiKey` and `webhookSecret` are non-enumerable: logging the object shows no secret. */
export interface ConnecteamConnection {
  id: string;
  source: string;
  baseUrl: string;
  pageSize: number;
  pollOverlapSeconds: number;
  scheme: HmacScheme;
  readonly apiKey: string;
  readonly webhookSecret: string | undefined;
}

/** Thrown for an unusable stored connection; names the field, never a secret value. */
export class ConnecteamConnectionError extends Error {
  constructor(
    readonly connectionId: string,
    readonly field: string,
    message: string,
  ) {
    super(`connecteam connection ${connectionId}: ${field}: ${message}`);
    this.name = 'ConnecteamConnectionError';
  }
}


/** The HMAC scheme from the connection's `signature` settings. */
export function schemeFromConfig(signature: z.output<typeof signatureConfigSchema> | undefined): HmacScheme {
  const s = signature ?? signatureConfigSchema.parse({});
  return {
    signatureHeader: s.header.toLowerCase(),
    format: s.prefix ? 'prefixed' : 'bare',
    ...(s.prefix ? { prefix: s.prefix } : {}),
    encoding: s.encoding,
    signs: 'body',
    key: 'utf8',
    ...(s.timestampHeader ? { timestampHeader: s.timestampHeader.toLowerCase() } : {}),
    toleranceSeconds: s.timestampHeader ? s.toleranceSeconds : 0,
    rejectFuture: false,
  };
}

/**
 * Reads a stored connection (throws `ConnecteamConnectionError` naming the field).
 *
 * @example
 * const conn = connecteamConnection({ id: 'connecteam-main', app: 'connecteam', source: 'connecteam',
 *   config: { baseUrl: fake.url }, secrets: { apiKey: 'k', webhookSecret: 's' } });
 * conn.scheme.signatureHeader; // 'x-connecteam-signature'
 */
export function connecteamConnection(stored: ConnectorConnection): ConnecteamConnection {
  const fail = (field: string, message: string): never => {
    throw new ConnecteamConnectionError(stored.id, field, message);
  };
  const config = { data: readSettings(connecteamConfigSchema, stored.config, 'config', fail) };
  const secrets = { data: readSettings(connecteamSecretsSchema, stored.secrets, 'secrets', fail) };
  const conn = {
    id: stored.id,
    source: stored.source || 'connecteam',
    baseUrl: config.data.baseUrl.replace(/\/+$/, ''),
    pageSize: config.data.pageSize,
    pollOverlapSeconds: config.data.pollOverlapSeconds,
    scheme: schemeFromConfig(config.data.signature),
  } as ConnecteamConnection;
  Object.defineProperties(conn, {
    apiKey: { value: secrets.data.apiKey, enumerable: false },
    webhookSecret: { value: secrets.data.webhookSecret, enumerable: false },
  });
  return conn;
}
