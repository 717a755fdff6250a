/**
 * A database read shared by the scrapes of `ttlMs` (every scraper, every dashboard refresh costs
 * one statement per window, not one each). A failed read is not cached: the next scrape tries again.
 *
 * @example
 * const queue = cachedRead(2000, (db: Database) => readQueueGauges(db));
 * const gauges = await queue(db, Date.now());
 */
export function cachedRead<S, T>(ttlMs: number, read: (source: S) => Promise<T>): (source: S, now: number) => Promise<T> {
  let cached: { at: number; value: Promise<T> } | undefined;
  return (source, now) => {
    if (!cached || now - cached.at >= ttlMs) {
      const value = read(source);
      cached = { at: now, value };
      value.catch(() => {
        if (cached?.value === value) cached = undefined;
      });
    }
    return cached.value;
  };
}
