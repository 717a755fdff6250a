import { createCall, type Call } from '../../../src/ghl/core/call.js';
import { fetchTransport } from '../../../src/ghl/core/transport.js';
import { compose, type GhlRequest, type Layer, type Send } from '../../../src/ghl/core/types.js';
import { governor } from '../../../src/ghl/governor/layer.js';
import { MemoryRateBudgetStore } from '../../../src/ghl/governor/memory-store.js';
import { headers } from '../../../src/ghl/layers/headers.js';
import { retry, type RetryOptions } from '../../../src/ghl/layers/retry.js';
import type { TestSandbox } from '../../support/sandbox.js';

/**
 * The client stack of the retry/governor tests, composed by hand:
 * retry → governor → headers → bearer PIT per location → recorder → fetch.
 */
export interface GovernedClient {
  send: Send;
  call: Call;
  /** every attempt that reached the transport, with its answer's status (null: no answer) */
  attempts: Array<{ request: GhlRequest; status: number | null }>;
  store: MemoryRateBudgetStore;
}

export interface GovernedClientOptions {
  /** locationId → PIT */
  pits: Record<string, string>;
  retry?: RetryOptions;
  timeoutMs?: number;
}

/** Sets `authorization: Bearer <PIT of the request's location>`. */
const bearer = (pits: Record<string, string>): Layer => (next) => (request) =>
  next({ ...request, headers: { ...request.headers, authorization: `Bearer ${pits[request.resourceId ?? ''] ?? ''}` } });

export function governedClient(sb: TestSandbox, options: GovernedClientOptions): GovernedClient {
  const attempts: GovernedClient['attempts'] = [];
  const recorder: Layer = (next) => async (request) => {
    const entry: GovernedClient['attempts'][number] = { request, status: null };
    attempts.push(entry);
    const response = await next(request);
    entry.status = response.status;
    return response;
  };
  const store = new MemoryRateBudgetStore();
  const send = compose([retry(options.retry), governor({ store }), headers(), bearer(options.pits), recorder], fetchTransport({ baseUrl: sb.url, timeoutMs: options.timeoutMs }));
  return { send, call: createCall(send), attempts, store };
}

/** A new location PIT with the contact scopes. */
export async function newPit(sb: TestSandbox, locationId: string): Promise<string> {
  const res = await sb.api<{ token: string }>('POST', '/_sandbox/pits', { token: null, body: { locationId, scopes: ['contacts.readonly', 'contacts.write'] } });
  if (res.status !== 200) throw new Error(`POST /_sandbox/pits → ${res.status}`);
  return res.body.token;
}

/** Answers the sandbox logged, counted per status over every route. */
export async function statusCounts(sb: TestSandbox): Promise<Record<string, number>> {
  const res = await sb.api<{ byRoute: Record<string, Record<string, number>> }>('GET', '/_sandbox/requests/stats', { token: null });
  const counts: Record<string, number> = {};
  for (const [route, byStatus] of Object.entries(res.body.byRoute)) {
    if (route.includes('/_sandbox')) continue;
    for (const [status, n] of Object.entries(byStatus)) counts[status] = (counts[status] ?? 0) + n;
  }
  return counts;
}

/** Runs `tasks` with at most `concurrency` at a time; resolves with every outcome, in order. */
export async function pool<T>(tasks: Array<() => Promise<T>>, concurrency: number): Promise<Array<PromiseSettledResult<T>>> {
  const results: Array<PromiseSettledResult<T>> = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      try {
        results[i] = { status: 'fulfilled', value: await tasks[i]!() };
      } catch (reason) {
        results[i] = { status: 'rejected', reason };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, tasks.length) }, worker));
  return results;
}
