/**
 * Webhook delivery for the Recruitee fake. Like the shared fake deliverer (only a 200 counts,
 * failures are retried), but each attempt is built afresh: Recruitee's envelope carries
 * `attempt_count`, which the real app increments on every retry, so each attempt's bytes (and
 * signature) differ while the envelope `id` stays the same.
 */
import type { Delivery } from '../fakes/deliver.js';

/** A delivery whose body changes per attempt: `body`/`headers` are the last attempt's, `bodies` all of them. */
export interface AttemptDelivery extends Delivery {
  bodies: string[];
}

export interface AttemptDelivererOptions {
  /** A status the receiver must answer for success (Recruitee: exactly 200). */
  success: (status: number) => boolean;
  /** Delays before each retry, in ms. */
  retryDelaysMs: number[];
}

/**
 * @example
 * const deliverer = createAttemptDeliverer({ success: (s) => s === 200, retryDelaysMs: [20, 50] });
 * await deliverer.send(url, (attempt) => { const body = JSON.stringify({ ...envelope, attempt_count: attempt }); return { body, headers: { 'x-recruitee-signature': sign(body) } }; });
 */
export function createAttemptDeliverer(options: AttemptDelivererOptions) {
  const log: AttemptDelivery[] = [];
  const pending = new Set<Promise<AttemptDelivery>>();

  async function run(d: AttemptDelivery, build: (attempt: number) => { body: string; headers: Record<string, string> }): Promise<AttemptDelivery> {
    const delays = options.retryDelaysMs;
    for (let i = 0; i <= delays.length; i++) {
      if (i > 0) await new Promise((r) => setTimeout(r, delays[i - 1]));
      const { body, headers } = build(i + 1);
      d.body = body;
      d.headers = headers;
      d.bodies.push(body);
      try {
        const res = await fetch(d.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body, signal: AbortSignal.timeout(10_000) });
        await res.arrayBuffer();
        d.attempts.push({ at: Date.now(), status: res.status });
        if (options.success(res.status)) {
          d.delivered = true;
          return d;
        }
      } catch (e) {
        d.attempts.push({ at: Date.now(), status: null, error: (e as Error).message });
      }
    }
    return d;
  }

  return {
    log,
    /** Sends one delivery, `build(attempt)` giving each attempt's bytes (attempt 1, 2, …). */
    send(url: string, build: (attempt: number) => { body: string; headers: Record<string, string> }): Promise<AttemptDelivery> {
      const d: AttemptDelivery = { url, body: '', headers: {}, attempts: [], delivered: false, bodies: [] };
      log.push(d);
      const p = run(d, build).finally(() => pending.delete(p));
      pending.add(p);
      return p;
    },
    /** Waits for every delivery in flight. */
    async idle(): Promise<void> {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
  };
}
