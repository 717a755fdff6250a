/**
 * The typed operations over real HTTP against a sandbox: `headers()` plus an inline bearer layer
 * with the sandbox's location PIT, and a recorder of the operation ids sent.
 */
import { createCall } from '../../../src/ghl/core/call.js';
import { fetchTransport } from '../../../src/ghl/core/transport.js';
import { compose, type Layer } from '../../../src/ghl/core/types.js';
import { headers } from '../../../src/ghl/layers/headers.js';
import { createOperations, type GhlOperations } from '../../../src/ghl/operations/index.js';
import type { TestSandbox } from '../../support/sandbox.js';

export interface Client {
  ghl: GhlOperations;
  /** Operation ids of every request sent, in order. */
  sent: string[];
}

export function clientFor(sb: TestSandbox, locationId: string | undefined = sb.info.locationId, token: string = sb.info.pit): Client {
  const sent: string[] = [];
  const record: Layer = (next) => (request) => {
    if (request.operationId) sent.push(request.operationId);
    return next(request);
  };
  const bearer: Layer = (next) => (request) => next({ ...request, headers: { ...request.headers, authorization: `Bearer ${token}` } });
  const call = createCall(compose([record, headers(), bearer], fetchTransport({ baseUrl: sb.url })));
  return { ghl: createOperations(call, { locationId }), sent };
}

/** A contact of a location as the sandbox stores it (campaigns and workflows are not in the API's answers). */
export async function storedContact(sb: TestSandbox, locationId: string, contactId: string): Promise<Record<string, unknown> | undefined> {
  const res = await sb.api<{ contacts: Array<Record<string, unknown>> }>('GET', `/_sandbox/locations/${locationId}/contacts`, { token: null });
  return res.body.contacts.find((c) => c.id === contactId);
}

/** Requests per operation id (all statuses) from the sandbox's own log. */
export async function requestCounts(sb: TestSandbox): Promise<Record<string, number>> {
  const res = await sb.api<{ byRoute: Record<string, Record<string, number>> }>('GET', '/_sandbox/requests/stats', { token: null });
  return Object.fromEntries(Object.entries(res.body.byRoute).map(([route, byStatus]) => [route, Object.values(byStatus).reduce((a, b) => a + b, 0)]));
}
