/**
 * Webhook delivery for the fakes: POSTs the exact bytes that were signed, retries on what the app
 * counts as failure (e.g. Recruitee: anything but 200) with the given delays, and keeps a log of
 * every attempt so tests can see what was sent and what was answered. An attempt's bytes may be
 * built afresh per attempt (Recruitee's envelope counts its attempts, so each retry is signed anew).
 */
export interface DeliveryAttempt {
  at: number;
  status: number | null;
  error?: string;
}

export interface Delivery {
  url: string;
  /** the last attempt's body and headers */
  body: string;
  headers: Record<string, string>;
  /** every attempt's body, in order */
  bodies: string[];
  attempts: DeliveryAttempt[];
  delivered: boolean;
}

export interface DelivererOptions {
  /** A status the receiver must answer for success (default: any 2xx). */
  success?: (status: number) => boolean;
  /** Delays before each retry, in ms (default [50, 200]: three attempts in all). */
  retryDelaysMs?: number[];
}

/** Builds attempt `n` (1, 2, …): its bytes and headers. */
export type AttemptBuilder = (attempt: number) => { body: string; headers: Record<string, string> };

/**
 * @example
 * const deliverer = createDeliverer({ success: (s) => s === 200 });
 * await deliverer.send(url, JSON.stringify(body), { 'x-recruitee-signature': sig });
 * await deliverer.send(url, (attempt) => { const b = JSON.stringify({ ...envelope, attempt_count: attempt }); return { body: b, headers: { 'x-recruitee-signature': sign(b) } }; });
 * deliverer.log; // every delivery with its attempts
 */
export function createDeliverer(options: DelivererOptions = {}) {
  const success = options.success ?? ((s: number) => s >= 200 && s < 300);
  const delays = options.retryDelaysMs ?? [50, 200];
  const log: Delivery[] = [];
  const pending = new Set<Promise<Delivery>>();

  async function attempt(d: Delivery, build: AttemptBuilder): Promise<Delivery> {
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
    /**
     * Sends one delivery (with retries): the same bytes every attempt, or `build(attempt)`'s.
     * Resolves when it is delivered or the retries are spent.
     */
    send(url: string, body: string | AttemptBuilder, headers: Record<string, string> = {}): Promise<Delivery> {
      const build: AttemptBuilder = typeof body === 'string' ? () => ({ body, headers }) : body;
      const d: Delivery = { url, body: '', headers: {}, bodies: [], attempts: [], delivered: false };
      log.push(d);
      const p = attempt(d, build).finally(() => pending.delete(p));
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
