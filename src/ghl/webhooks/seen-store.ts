/**
 * The `SeenStore` port: remembers webhook ids so a delivery is accepted once. `claim` records
 * `id` for `ttlMs` and answers true, or answers false when it is already recorded. A shared store
 * (the engine's database) makes the guard hold across processes; `claim` must be atomic there.
 */
export interface SeenStore {
  claim(id: string, ttlMs: number): Promise<boolean>;
}

export interface MemorySeenStoreOptions {
  now?: () => number;
  /** Most ids kept; the oldest are dropped first (default 100 000). */
  maxEntries?: number;
}

/**
 * An in-process `SeenStore` with a TTL per id and a size cap.
 *
 * @example
 * const verifier = createWebhookVerifier({ publicKey, seen: new MemorySeenStore({ maxEntries: 10_000 }) });
 */
export class MemorySeenStore implements SeenStore {
  /** id → expiry (epoch ms), in insertion order (= expiry order for a constant TTL). */
  private readonly ids = new Map<string, number>();
  private readonly now: () => number;
  private readonly maxEntries: number;

  constructor(options: MemorySeenStoreOptions = {}) {
    this.now = options.now ?? Date.now;
    this.maxEntries = options.maxEntries ?? 100_000;
  }

  async claim(id: string, ttlMs: number): Promise<boolean> {
    const now = this.now();
    this.sweep(now);
    const until = this.ids.get(id);
    if (until !== undefined && until > now) return false;
    this.ids.delete(id);
    this.ids.set(id, now + ttlMs);
    while (this.ids.size > this.maxEntries) this.ids.delete(this.ids.keys().next().value!);
    return true;
  }

  get size(): number {
    return this.ids.size;
  }

  private sweep(now: number): void {
    for (const [id, until] of this.ids) {
      if (until > now) break;
      this.ids.delete(id);
    }
  }
}
