import type { StoredTokens, TokenStore } from './types.js';

/**
 * The renewal protocol shared by the OAuth providers:
 *
 * 1. single-flight per key in this process: whoever asks while a renewal runs joins it;
 * 2. under `store.lock(key)` (across processes with a shared store) the stored tokens are read
 *    again: if someone else renewed meanwhile, their token is used and nothing is sent;
 * 3. otherwise `obtain` gets new tokens and `store.set` persists them before anyone uses them, so
 *    a rotated refresh token is never lost once the old one has been spent.
 */
export interface Renewal {
  /**
   * Whether stored tokens can be sent as they are: not within the skew of their expiry. The skew
   * is at most half the lifetime of the last tokens this renewal obtained for `key`, so short-lived
   * tokens (a sandbox with `--token-ttl 30`) are not renewed on every call.
   */
  usable(key: string, tokens: StoredTokens): boolean;
  /**
   * A usable access token for `key` other than `rejected` (the token HighLevel refused, or null
   * when renewing ahead of expiry).
   */
  renew(key: string, rejected: string | null, obtain: (current: StoredTokens | null) => Promise<StoredTokens>): Promise<string>;
}

export function createRenewal(store: TokenStore, now: () => number, skewMs: number): Renewal {
  const inFlight = new Map<string, Promise<string>>();
  const lifetimes = new Map<string, number>();
  const usable = (key: string, tokens: StoredTokens) => tokens.expiresAt - Math.min(skewMs, (lifetimes.get(key) ?? Infinity) / 2) > now();
  return {
    usable,
    renew(key, rejected, obtain) {
      const running = inFlight.get(key);
      if (running) return running;
      const renewal = store
        .lock(key, async () => {
          const current = await store.get(key);
          if (current && current.accessToken !== rejected && usable(key, current)) return current.accessToken;
          const fresh = await obtain(current);
          await store.set(key, fresh);
          lifetimes.set(key, fresh.expiresAt - now());
          return fresh.accessToken;
        })
        .finally(() => inFlight.delete(key));
      inFlight.set(key, renewal);
      return renewal;
    },
  };
}
