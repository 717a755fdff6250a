import { GhlNetworkError } from '../core/errors.js';
import type { GhlRequest } from '../core/types.js';

/** Waits `ms` milliseconds; rejects as soon as `signal` aborts. Injectable for tests. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/**
 * The default `Sleep`: a timer that is cleared when `signal` aborts (the promise then rejects with
 * the signal's reason).
 *
 * @example
 * await sleep(200, request.signal);
 */
export const sleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason as Error);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason as Error);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, Math.max(0, ms));
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/**
 * The error a layer throws when the caller's signal aborts while it waits between sends.
 *
 * @example
 * throw abortedError(request, 'waiting to retry', lastAttemptWasAmbiguous);
 */
export function abortedError(request: GhlRequest, while_: string, mayHaveSucceeded: boolean): GhlNetworkError {
  return new GhlNetworkError(
    `${request.method} ${request.path} aborted while ${while_}`,
    { status: null, method: request.method, path: request.path, operationId: request.operationId },
    mayHaveSucceeded,
    request.signal?.reason,
  );
}

/**
 * `Retry-After` in ms: delta-seconds or an HTTP date (RFC 9110 §10.2.3); undefined when absent or
 * unreadable.
 *
 * @example
 * retryAfterMs(new Headers({ 'retry-after': '3' }), Date.now()); // 3000
 */
export function retryAfterMs(headers: Headers, now: number): number | undefined {
  const value = headers.get('retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  const date = /[a-z]/i.test(value) ? Date.parse(value) : NaN;
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
