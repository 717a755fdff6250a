import type { StoredTokens, TokenStore } from './types.js';
import { KeyedMutex } from './keyed-mutex.js';

/**
 * An in-memory `TokenStore`: tokens in a Map (copied in and out, so callers cannot change what is
 * stored by accident) and `lock` as an in-process mutex per key. Tokens are lost when the process
 * ends; the engine's PostgreSQL store replaces it where that matters, and its lock then also
 * holds across processes.
 *
 * @example
 * const store = new MemoryTokenStore();
 * await store.set('location:abc', oauth.toStoredTokens(await oauth.exchangeCode({ code }), Date.now()));
 * const provider = oauthTokens({ oauth, store, key: 'location:abc' });
 */
export class MemoryTokenStore implements TokenStore {
  private readonly tokens = new Map<string, StoredTokens>();
  /** The tail of each key's queue of lock holders. */
  private readonly mutex = new KeyedMutex();

  constructor(initial: Record<string, StoredTokens> = {}) {
    for (const [key, value] of Object.entries(initial)) this.tokens.set(key, { ...value });
  }

  async get(key: string): Promise<StoredTokens | null> {
    const found = this.tokens.get(key);
    return found ? { ...found } : null;
  }

  async set(key: string, tokens: StoredTokens): Promise<void> {
    this.tokens.set(key, { ...tokens });
  }

  /** Forgets a connection's tokens (uninstall, disconnect). */
  async delete(key: string): Promise<void> {
    this.tokens.delete(key);
  }

  /** Runs `fn` after every earlier holder of `key` has finished (whether it resolved or threw). */
  lock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    return this.mutex.run(key, fn);
  }

  /** Whether someone holds or waits for the lock of `key` (for tests and metrics). */
  isLocked(key: string): boolean {
    return this.mutex.isLocked(key);
  }
}
