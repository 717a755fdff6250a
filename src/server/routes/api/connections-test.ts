import { z } from 'zod';
import { needsReauthorization } from '../../../engine/apply/run.js';
import { credentialsAdvice } from '../../../connectors/ghl/credentials-advice.js';
import { ApiError } from '../../http/errors.js';
import { recordConnectionTest } from '../../queries/connections.js';
import type { ServerContext } from '../contract.js';
import { defineRoute } from '../contract.js';
import { idText } from './shared.js';

/** The cheapest read of each app: one call that proves the credentials work. */
const PROBES: Record<string, { action: string; input: Record<string, unknown> }> = {
  connecteam: { action: 'connecteam.me', input: {} },
  recruitee: { action: 'recruitee.listCandidates', input: { limit: 1 } },
  erp: { action: 'erp.listCustomers', input: { top: 1 } },
};

/** A failure's message, as safe to show: connectors' and the client's errors carry no secrets. */
const reason = (e: unknown) => (e instanceof Error ? e.message : String(e)).slice(0, 500);

interface TestResult {
  ok: boolean;
  message: string;
  details?: Record<string, unknown>;
}

/** The one real read, its result as safe to show. */
async function runTest(server: ServerContext, id: string): Promise<TestResult> {
  const { bridge } = server;
  const stored = (await bridge.connections.list()).find((s) => s.id === id);
  if (!stored) throw new ApiError(404, 'not-found', `no connection "${id}"`);
  if (stored.app === 'ghl-location') {
    try {
      const { client, locationId } = await bridge.ghl(id);
      const found = await client.contacts.search({ locationId, pageLimit: 1 });
      return { ok: true, message: `GHL location ${locationId} answered (${found.total ?? found.contacts.length} contacts)`, details: { locationId, contacts: found.total ?? null } };
    } catch (e) {
      const status = (e as { status?: number }).status;
      const refused = status === 401 || status === 403 || needsReauthorization(e);
      if (!refused) return { ok: false, message: `GHL: ${reason(e)}`, details: { status: status ?? null } };
      // the fix depends on how it authenticates: a new token for a PIT, a new consent for OAuth
      const advice = credentialsAdvice(stored);
      const what = advice.kind === 'pit' ? 'the Private Integration Token' : 'the OAuth authorization';
      const why = status === 403
        ? `HighLevel refused access with ${what} (403: a scope missing, or another location than ${String(stored.config.locationId)})`
        : status === 401 ? `HighLevel refused ${what} (401)` : `${what} cannot be used (${reason(e)})`;
      return { ok: false, message: `GHL: ${why}: ${advice.text}`, details: { status: status ?? null, auth: advice.kind, command: advice.command, cause: reason(e) } };
    }
  }
  const probe = PROBES[stored.app];
  const connector = bridge.registry.forApp(stored.app);
  if (!probe || !connector) {
    // nothing to call (a webhook connection only receives): its settings must at least read
    try {
      const full = await bridge.connectionSource(id);
      if (connector && full) connector.connection(full);
      return { ok: true, message: `${stored.app} connection settings are valid (nothing to call: it only receives)` };
    } catch (e) {
      return { ok: false, message: reason(e) };
    }
  }
  try {
    const answer = await bridge.apps.run(id, probe.action, probe.input);
    return { ok: true, message: `${stored.app} answered ${probe.action}`, details: summarize(answer) };
  } catch (e) {
    return { ok: false, message: reason(e) };
  }
}

export default defineRoute({
  method: 'POST',
  path: '/api/v1/connections/{id}/test',
  summary: 'Test a connection with one real read (GHL: search one contact; apps: their cheapest read)',
  tag: 'connections',
  auth: true,
  params: z.strictObject({ id: idText }),
  responses: {
    200: { description: 'The test result (also kept as the connection\'s lastTest)', body: z.object({ ok: z.boolean(), message: z.string(), details: z.record(z.string(), z.unknown()).optional() }) },
    404: { description: 'no such connection' },
  },
  async handler({ params, server, c }) {
    const result = await runTest(server, params.id);
    // the console's list shows each connection's last test
    await recordConnectionTest(server.bridge.db, params.id, result);
    return c.json(result);
  },
});

/** Only what identifies the account (never a whole listing). */
function summarize(answer: unknown): Record<string, unknown> | undefined {
  if (!answer || typeof answer !== 'object') return undefined;
  const a = answer as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of ['companyName', 'companyId']) if (typeof a[k] === 'string') out[k] = a[k];
  for (const k of ['candidates', 'customers']) if (Array.isArray(a[k])) out[`${k}Seen`] = (a[k] as unknown[]).length;
  return out;
}
