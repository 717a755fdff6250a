/**
 * A wake-up for the worker loop: `wait(ms)` resolves after `ms` or at the next `fire()`, whichever
 * comes first. A `fire()` while nobody waits is kept, so a wake between two waits is never lost.
 *
 * @example
 * const signal = new Signal();
 * setTimeout(() => signal.fire(), 10);
 * await signal.wait(500); // after ~10 ms
 */
export class Signal {
  private pending = false;
  private waiter: (() => void) | null = null;
  private timers = new Set<NodeJS.Timeout>();

  fire(): void {
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = null;
      w();
    } else this.pending = true;
  }

  /** Fires at `at` (epoch ms): a run this process put back for later falls due then. */
  fireAt(at: number, now = Date.now()): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.fire();
    }, Math.max(0, at - now));
    timer.unref();
    this.timers.add(timer);
  }

  wait(ms: number): Promise<void> {
    if (this.pending) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        if (this.waiter === done) this.waiter = null;
        resolve();
      }, Math.max(0, ms));
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      this.waiter = done;
    });
  }

  clear(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.fire();
  }
}
