/**
 * An in-process mutex per key: `run(key, fn)` starts `fn` after every earlier holder of `key` has
 * finished (resolved or thrown); different keys do not wait for each other. Not re-entrant.
 *
 * @example
 * const mutex = new KeyedMutex();
 * await mutex.run('location:abc', async () => refresh());
 */
export class KeyedMutex {
  /** The tail of each key's queue of holders. */
  private readonly tails = new Map<string, Promise<void>>();

  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => mine);
    this.tails.set(key, tail);
    await previous;
    try {
      return await fn();
    } finally {
      release();
      // the last holder cleans up so the map does not grow with every key ever locked
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }

  /** Whether someone holds or waits for `key`. */
  isLocked(key: string): boolean {
    return this.tails.has(key);
  }
}
