import type { GhlRequest, GhlResponse, Send } from '../core/types.js';

/**
 * A scripted fake transport for unit tests of single layers (no network): each step answers one
 * request, in order, with a status/body/headers or by throwing. Records every request it saw.
 *
 * @example
 * const t = scriptedTransport([{ status: 429, headers: { 'x-ratelimit-interval-milliseconds': '10' } }, { status: 200, body: {} }]);
 * const send = compose([retry()], t.send);
 */
export interface ScriptStep {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Throw this instead of answering. */
  error?: Error;
  /** Answer after this many ms. */
  delayMs?: number;
}

export interface ScriptedTransport {
  send: Send;
  requests: GhlRequest[];
  /** Steps not yet used. */
  remaining(): number;
}

export function scriptedTransport(steps: Array<ScriptStep | ((request: GhlRequest) => ScriptStep)>): ScriptedTransport {
  const queue = [...steps];
  const requests: GhlRequest[] = [];
  const send: Send = async (request) => {
    requests.push(request);
    const next = queue.shift();
    if (!next) throw new Error(`scripted transport: no step left for ${request.method} ${request.path}`);
    const step = typeof next === 'function' ? next(request) : next;
    if (step.delayMs) await new Promise((r) => setTimeout(r, step.delayMs));
    if (step.error) throw step.error;
    const response: GhlResponse = { status: step.status ?? 200, headers: new Headers(step.headers ?? {}), body: step.body, request };
    return response;
  };
  return { send, requests, remaining: () => queue.length };
}
