import type { GhlError } from '../core/errors.js';
import type { GhlRequest, Layer } from '../core/types.js';

/** What observers see: never a token, secret, code or signature (they are redacted). */
export interface RequestEvent {
  method: string;
  path: string;
  operationId?: string;
  attempt: number;
  headers: Record<string, string>;
  query: Record<string, string>;
}

export interface ResponseEvent extends RequestEvent {
  status: number | null;
  durationMs: number;
  rateLimit?: { remaining: number | null; dailyRemaining: number | null };
  error?: { name: string; message: string };
}

export interface Observer {
  onRequest?(event: RequestEvent): void;
  onResponse?(event: ResponseEvent): void;
}

const SECRET_HEADERS = /^(authorization|x-ghl-signature|x-wh-signature|cookie|set-cookie)$/i;
const SECRET_FIELDS = /token|secret|code|password|signature/i;

export function redactHeaders(h: Record<string, string> = {}): Record<string, string> {
  return Object.fromEntries(Object.entries(h).map(([k, v]) => [k, SECRET_HEADERS.test(k) ? '[REDACTED]' : v]));
}

export function redactQuery(q: GhlRequest['query'] = {}): Record<string, string> {
  return Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined).map(([k, v]) => [k, SECRET_FIELDS.test(k) ? '[REDACTED]' : String(v)]));
}

/**
 * Before/after events for logging and metrics. Placed innermost (next to the transport), it sees
 * every attempt, including retries and the refresh calls of the auth layer.
 *
 * @example
 * const layer = observe({ onResponse: (e) => console.log(e.method, e.path, e.status, e.durationMs) });
 */
export function observe(observer: Observer, now: () => number = () => performance.now()): Layer {
  return (next) => async (request) => {
    const base: RequestEvent = {
      method: request.method,
      path: request.path,
      operationId: request.operationId,
      attempt: request.attempt ?? 1,
      headers: redactHeaders(request.headers),
      query: redactQuery(request.query),
    };
    observer.onRequest?.(base);
    const started = now();
    try {
      const response = await next(request);
      const num = (name: string) => (response.headers.get(name) === null ? null : Number(response.headers.get(name)));
      observer.onResponse?.({
        ...base,
        status: response.status,
        durationMs: now() - started,
        rateLimit: { remaining: num('x-ratelimit-remaining'), dailyRemaining: num('x-ratelimit-daily-remaining') },
      });
      return response;
    } catch (error) {
      const e = error as GhlError;
      observer.onResponse?.({ ...base, status: e.status ?? null, durationMs: now() - started, error: { name: e.name, message: e.message } });
      throw error;
    }
  };
}
