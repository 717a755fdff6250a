import { GhlRateLimitError } from '../core/errors.js';
import type { GhlRequest, GhlResponse, Layer } from '../core/types.js';
import { abortedError, sleep as defaultSleep, type Sleep } from '../layers/wait.js';
import { Lane } from './lane.js';
import { observationOf } from './observation.js';
import type { RateBudgetStore } from './types.js';

export interface GovernorOptions {
  store: RateBudgetStore;
  /**
   * The budget a request spends (HighLevel counts per app per location or company). Default: the
   * request's `resourceId`; anonymous requests (the token endpoint) and requests without a key
   * pass through ungoverned.
   */
  keyOf?: (request: GhlRequest) => string | undefined;
  /** Clock, epoch ms (default Date.now). */
  now?: () => number;
  sleep?: Sleep;
}

const defaultKey = (request: GhlRequest) => (request.anonymous ? undefined : request.resourceId);

const WAITING = 'waiting for rate budget';

/**
 * The rate governor: paces requests per location (or company) so that none is sent into a spent
 * window. Each request waits its turn (FIFO per key; keys are independent), takes a slot from the
 * `RateBudgetStore`, and gives it back with the answer's time and `X-RateLimit-*` headers. A spent
 * daily budget fails fast with `GhlRateLimitError` (scope `daily`, `resetAt`) without sending.
 * Place it inside `retry()` so that every retry is paced again.
 *
 * @example
 * const store = new MemoryRateBudgetStore();
 * const send = compose([retry(), governor({ store }), headers(), auth], fetchTransport({ baseUrl }));
 * await createCall(send)({ method: 'GET', path: '/contacts/', query: { locationId }, idempotent: true, resourceId: locationId });
 */
export function governor(options: GovernorOptions): Layer {
  const { store, keyOf = defaultKey, now = Date.now, sleep = defaultSleep } = options;
  const lanes = new Map<string, Lane>();

  /** Sleeps `ms` unless the lane is woken first; throws if the caller aborts. */
  async function pause(ms: number, woken: AbortSignal, request: GhlRequest): Promise<void> {
    if (woken.aborted) return;
    const signal = request.signal ? AbortSignal.any([request.signal, woken]) : woken;
    try {
      await sleep(Math.max(1, ms), signal);
    } catch (error) {
      if (request.signal?.aborted) throw abortedError(request, WAITING, false);
      if (!woken.aborted) throw error;
    }
  }

  async function admit(key: string, request: GhlRequest): Promise<string> {
    let lane = lanes.get(key);
    if (!lane) lanes.set(key, (lane = new Lane()));
    try {
      await lane.enter(request.signal);
    } catch {
      throw abortedError(request, WAITING, false);
    }
    try {
      for (;;) {
        // Subscribe before asking, so an answer that arrives meanwhile is not missed.
        const woken = new AbortController();
        const unsubscribe = lane.onWake(() => woken.abort());
        try {
          const admission = await store.acquire(key, now());
          if (admission.granted) return admission.ticket;
          if (admission.scope === 'daily') throw dailyError(request, key, admission.retryAt);
          await pause(admission.retryAt - now(), woken.signal, request);
        } finally {
          unsubscribe();
        }
      }
    } finally {
      lane.leave();
      if (lane.idle) lanes.delete(key);
    }
  }

  return (next) => async (request) => {
    const key = keyOf(request);
    if (key === undefined) return next(request);
    const ticket = await admit(key, request);
    const sentAt = now();
    let response: GhlResponse;
    try {
      response = await next(request);
    } catch (error) {
      // No answer: HighLevel may have counted it, until now at the latest.
      await store.release(key, ticket, now());
      lanes.get(key)?.wake();
      throw error;
    }
    const at = now();
    await store.release(key, ticket, at);
    await store.observe(key, observationOf(response, at, sentAt));
    lanes.get(key)?.wake();
    return response;
  };
}

function dailyError(request: GhlRequest, key: string, resetAt: number): GhlRateLimitError {
  return new GhlRateLimitError(
    `${request.method} ${request.path} not sent: the daily request budget of ${key} is spent until ${new Date(resetAt).toISOString()}`,
    { status: null, method: request.method, path: request.path, operationId: request.operationId },
    'daily',
    resetAt,
  );
}
