import { GhlNetworkError } from './errors.js';
import type { GhlRequest, GhlResponse, Send } from './types.js';

/**
 * The transport: Node's own fetch. Builds the URL, encodes JSON or form bodies, applies the
 * timeout and the caller's AbortSignal, and parses the answer. Network failures become
 * `GhlNetworkError`; every HTTP status is returned as a response for the layers to judge.
 */
export interface FetchTransportOptions {
  baseUrl: string;
  /** Default per-request timeout in ms (default 30 000). */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export function buildUrl(baseUrl: string, request: GhlRequest): string {
  const url = new URL(request.path, baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  // keep the path exactly as given (URL resolution would drop a leading base path otherwise)
  url.pathname = `${new URL(baseUrl).pathname.replace(/\/$/, '')}${request.path}`;
  for (const [k, v] of Object.entries(request.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
  return url.toString();
}

export function fetchTransport(options: FetchTransportOptions): Send {
  const doFetch = options.fetch ?? fetch;
  return async (request: GhlRequest): Promise<GhlResponse> => {
    const headers: Record<string, string> = { accept: 'application/json', ...request.headers };
    let body: string | undefined;
    if (request.form) {
      body = new URLSearchParams(Object.entries(request.form).filter((e): e is [string, string] => e[1] !== undefined)).toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
    } else if (request.body !== undefined) {
      body = JSON.stringify(request.body);
      headers['content-type'] = 'application/json';
    }
    const timeout = AbortSignal.timeout(request.timeoutMs ?? options.timeoutMs ?? 30_000);
    const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
    let sent = false;
    try {
      const res = await doFetch(buildUrl(options.baseUrl, request), { method: request.method, headers, body, signal });
      sent = true;
      const text = await res.text();
      let parsed: unknown = text === '' ? undefined : text;
      if (text !== '' && (res.headers.get('content-type') ?? '').includes('json')) {
        try {
          parsed = JSON.parse(text);
        } catch {
          parsed = text;
        }
      }
      return { status: res.status, headers: res.headers, body: parsed, request };
    } catch (error) {
      const aborted = request.signal?.aborted === true;
      const timedOut = timeout.aborted && !aborted;
      const reason = aborted ? 'aborted' : timedOut ? 'timed out' : `network error (${describe(error)})`;
      // Refused before any byte left: the request cannot have reached HighLevel.
      const refused = !sent && /ECONNREFUSED|ENOTFOUND|EAI_AGAIN/.test(describe(error));
      throw new GhlNetworkError(`${request.method} ${request.path} ${reason}`, { status: null, method: request.method, path: request.path, operationId: request.operationId }, !refused, error);
    }
  };
}

function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return [cause?.code, cause?.message, (error as Error).message].filter(Boolean).join(' ');
}
