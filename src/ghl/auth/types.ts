import type { GhlRequest } from '../core/types.js';

/** The `TokenProvider` port: where the auth layer gets bearer tokens. */
export interface TokenProvider {
  /** A token for this request (refreshing proactively when it is about to expire). */
  token(request: GhlRequest): Promise<string>;
  /**
   * Called once when HighLevel answered 401 to `rejected`. Returns a fresh token to retry with,
   * or null when nothing better can be had (the 401 then surfaces).
   */
  refresh?(rejected: string, request: GhlRequest): Promise<string | null>;
}

/** OAuth tokens as stored (times are epoch ms). */
export interface StoredTokens {
  accessToken: string;
  refreshToken: string | null;
  expiresAt: number;
  scope?: string;
  userType?: 'Location' | 'Company';
  locationId?: string;
  companyId?: string;
}

/**
 * The `TokenStore` port. `lock` runs `fn` while no other holder of the same key runs — in this
 * process for the memory store, across processes for the engine's PostgreSQL store — so that a
 * single-use refresh token is used once. `set` must be durable before it resolves: the rotated
 * refresh token is persisted before the old one is forgotten.
 */
export interface TokenStore {
  get(key: string): Promise<StoredTokens | null>;
  set(key: string, tokens: StoredTokens): Promise<void>;
  lock<T>(key: string, fn: () => Promise<T>): Promise<T>;
}
