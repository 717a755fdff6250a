/**
 * Webhook delivery for the fakes: POSTs the exact bytes that were signed, retries on what the app
 * counts as failure (e.g. Recruitee: anything but 200) with the given delays, and keeps a log of
 * every attempt so tests can see what was sent and what was answered.
 */
export interface DeliveryAttempt {
  at: number;
  status: number | null;
  error?: string;
}

export interface Delivery {
  url: string;
  body: string;
  headers: Record<string, string>;
  attempts: DeliveryAttempt[];
  delivered: boolean;
}

export interface DelivererOptions {
  /** A status the receiver must answer for success (default: any 2xx). */
  success?: (status: number) => boolean;
  /** Delays before each retry, in ms (default [50, 200]: three attempts in all). */
  retryDelaysMs?: number[];
}

/**
 * @example
 * const deliverer = createDeliverer({ success: (s) => s === 200 });
 * await deliverer.send(url, JSON.stringify(body), { 'x-recruitee-signature': sig });
 * deliverer.log; // every delivery with its attempts
 */
export function createDeliverer(options: DelivererOptions = {}) {
  const success = options.success ?? ((s: number) => s >= 200 && s < 300);
  const delays = options.retryDelaysMs ?? [50, 200];
  const log: Delivery[] = [];
  const pending = new Set<Promise<Delivery>>();

  async function attempt(d: Delivery): Promise<Delivery> {
    for (let i = 0; i <= delays.length; i++) {
      if (i > 0) await new Promise((r) => setTimeout(r, delays[i - 1]));
      try {
        const res = await fetch(d.url, { method: 'POST', headers: { 'content-type': 'application/json', ...d.headers }, body: d.body, signal: AbortSignal.timeout(10_000) });
        await res.arrayBuffer();
        d.attempts.push({ at: Date.now(), status: res.status });
        if (success(res.status)) {
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
    /** Sends one delivery (with retries); resolves when it is delivered or the retries are spent. */
    send(url: string, body: string, headers: Record<string, string>): Promise<Delivery> {
      const d: Delivery = { url, body, headers, attempts: [], delivered: false };
      log.push(d);
      const p = attempt(d).finally(() => pending.delete(p));
      pending.add(p);
      return p;
    },
    /** Waits for every delivery in flight. */
    async idle(): Promise<void> {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
  };
}

export type Deliverer = ReturnType<typeof createDeliverer>;
