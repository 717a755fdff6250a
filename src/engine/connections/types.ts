import type { SecretKey } from './secret-key.js';
import type { Secrets } from './secrets.js';

/**
 * The app accounts the engine connects to. What each keeps (by convention; the repository checks
 * only that secrets are strings and that `config` holds none):
 * - `ghl-location`: config `{ locationId, auth: 'oauth' | 'pit', clientId?, webhookPublicKey? }`; secrets `{ pit }`
 *   or `{ clientSecret }` (OAuth; the tokens themselves live in the token store under `location:<id>`).
 * - `ghl-agency`: config `{ companyId, clientId }`; secrets `{ clientSecret }` (tokens under `agency:<id>`).
 * - `recruitee`: config `{ companyId }`; secrets `{ token }`.
 * - `connecteam`: config `{}`; secrets `{ apiKey }`.
 * - `webhook`: config `{ source }`; secrets `{ signingSecret }`.
 * - `erp`: config `{ baseUrl | file, … }`; secrets `{ apiKey }`.
 */
export const CONNECTION_APPS = ['ghl-location', 'ghl-agency', 'recruitee', 'connecteam', 'webhook', 'erp'] as const;
export type ConnectionApp = (typeof CONNECTION_APPS)[number];

/** A connection as listed: everything but its secrets. */
export interface ConnectionSummary {
  id: string;
  app: ConnectionApp;
  name: string;
  config: Record<string, unknown>;
  /** Whether secrets are stored (their values and names are not shown here). */
  hasSecrets: boolean;
  /** Id of the key the secrets are sealed with (null without secrets). */
  keyId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** A connection with its secrets opened. */
export interface Connection extends ConnectionSummary {
  secrets: Secrets;
}

export interface NewConnection {
  /** Default: `con_` + 16 random URL-safe characters. */
  id?: string;
  app: ConnectionApp;
  name: string;
  /** Non-secret settings (JSON). Keys that look like secrets are refused: put those in `secrets`. */
  config?: Record<string, unknown>;
  secrets?: Readonly<Record<string, string>>;
}

export interface ConnectionPatch {
  name?: string;
  config?: Record<string, unknown>;
  /** Replaces every secret; null removes them. */
  secrets?: Readonly<Record<string, string>> | null;
}

export interface RotationResult {
  /** The new current key (print-safe; `key.export()` gives the material to keep). */
  key: SecretKey;
  /** Sealed values re-sealed, per table. */
  connections: number;
  tokens: number;
}

export interface RotateOptions {
  /** The new key (default: a fresh random one). */
  newKey?: SecretKey;
  /**
   * A key file to keep in step: before the re-sealing it holds the new key and every old one
   * (whatever happens, everything stays readable), after it only the new key.
   */
  keyFile?: string;
}

/** Connections with their secrets sealed at rest. */
export interface ConnectionRepository {
  create(input: NewConnection): Promise<ConnectionSummary>;
  /** The connection with its secrets opened, or null. */
  get(id: string): Promise<Connection | null>;
  /** Every connection (of one app), without secrets, oldest first. */
  list(filter?: { app?: ConnectionApp }): Promise<ConnectionSummary[]>;
  update(id: string, patch: ConnectionPatch): Promise<ConnectionSummary>;
  /** True when it existed. */
  delete(id: string): Promise<boolean>;
  /** Re-seals every connection secret and OAuth token with a new key in one transaction. */
  rotate(options?: RotateOptions): Promise<RotationResult>;
}
