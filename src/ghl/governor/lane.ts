/**
 * One key's turn: the holder asks the store for admission while the others queue behind it, first
 * come first served, so no caller of a busy key starves. `wake` tells the holder that an answer
 * arrived (its admission may have changed) so it can ask again before its timer ends.
 */
export class Lane {
  private held = false;
  private readonly queue: Array<() => void> = [];
  private readonly wakers = new Set<() => void>();

  /** Resolves when it is the caller's turn; rejects with the signal's reason if it aborts first. */
  enter(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason as Error);
    if (!this.held) {
      this.held = true;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const turn = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = () => {
        const i = this.queue.indexOf(turn);
        if (i >= 0) this.queue.splice(i, 1);
        reject(signal!.reason as Error);
      };
      this.queue.push(turn);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Hands the turn to the next in line. */
  leave(): void {
    const next = this.queue.shift();
    if (next) next();
    else this.held = false;
  }

  get idle(): boolean {
    return !this.held && this.queue.length === 0;
  }

  /** Calls `fn` at the next `wake()`; returns the unsubscribe. */
  onWake(fn: () => void): () => void {
    this.wakers.add(fn);
    return () => this.wakers.delete(fn);
  }

  wake(): void {
    for (const fn of [...this.wakers]) fn();
  }
}
