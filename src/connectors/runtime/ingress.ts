import { recordRejection, recordReplay, type Engine } from '../../engine/index.js';
import type { Headers } from '../webhooks/index.js';
import { WebhookPayloadError } from '../types.js';
import type { ConnectionSource } from './connections.js';
import { ledgerContext } from './context.js';
import { ConnectionProblem } from './errors.js';
import type { ConnectorRegistry } from './registry.js';
import { resolveConnection } from './resolve.js';

export interface WebhookAnswer {
  status: number;
  body: {
    ok: boolean;
    /** events stored now */
    accepted?: number;
    /** events already stored before (a redelivery): acknowledged, not enqueued again */
    duplicates?: number;
    probe?: boolean;
    /** why it was refused (`bad-signature`, `stale`, `malformed`, …) */
    error?: string;
    /** the payload field at fault */
    field?: string;
    message?: string;
  };
}

/** Verification outcomes as HTTP: a signature that fails is 401; an unusable delivery 400. */
const STATUS: Record<string, number> = {
  'missing-signature': 401,
  'bad-signature': 401,
  'missing-key': 503,
  stale: 400,
  'missing-timestamp': 400,
  'missing-webhook-id': 400,
  malformed: 400,
};

export interface IngressDeps {
  engine: Engine;
  registry: ConnectorRegistry;
  connections: ConnectionSource;
}

function parseJson(raw: Buffer): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(raw.toString('utf8')) };
  } catch {
    return { ok: false };
  }
}

/**
 * One webhook delivery for a connection: verified over the raw bytes, parsed by its connector,
 * each event stored durably (deduplicated) before the answer. Refusals (bad signature 401; stale,
 * malformed 400) are recorded with redacted headers and never enqueued. A delivery that brings
 * nothing new (a sender's retry, or a replay inside the timestamp window) is answered 2xx so the
 * sender stops, recorded as a replay, and never enqueued again. A test probe is acknowledged and dropped.
 *
 * @example
 * const answer = await receiveWebhook({ engine, registry, connections }, 'recruitee-main', { rawBody, headers });
 * res.writeHead(answer.status).end(JSON.stringify(answer.body));
 */
export async function receiveWebhook(deps: IngressDeps, connectionId: string, delivery: { rawBody: Buffer; headers: Headers; now?: number }): Promise<WebhookAnswer> {
  const now = delivery.now ?? Date.now();
  const refuse = async (status: number, error: string, message: string, field?: string): Promise<WebhookAnswer> => {
    await recordRejection(deps.engine.db, { connectionId, status, reason: error, detail: message, headers: delivery.headers, rawBody: delivery.rawBody });
    return { status, body: { ok: false, error, message, ...(field ? { field } : {}) } };
  };
  let resolved;
  try {
    resolved = await resolveConnection(deps.registry, deps.connections, connectionId);
  } catch (e) {
    if (!(e instanceof ConnectionProblem)) throw e;
    // an unknown id is not recorded (anyone can post to any id); a broken connection is, and the
    // sender, who is not trusted yet, learns only that it should retry later
    if (e.status !== 422) return { status: 404, body: { ok: false, error: 'unknown-connection', message: 'no such webhook endpoint' } };
    await recordRejection(deps.engine.db, { connectionId, status: 503, reason: 'misconfigured', detail: e.message, headers: delivery.headers, rawBody: delivery.rawBody });
    return { status: 503, body: { ok: false, error: 'misconfigured', message: 'this endpoint cannot take deliveries now; retry later' } };
  }
  const { connector, conn, stored } = resolved;
  const spec = connector.webhook;
  if (!spec) return refuse(404, 'no-webhooks', `${connector.app} connections take no webhooks`);
  const json = parseJson(delivery.rawBody);
  if (json.ok && spec.isProbe?.(json.value)) return { status: spec.successStatus ?? 200, body: { ok: true, probe: true } };
  const verification = await spec.verify(conn, { rawBody: delivery.rawBody, headers: delivery.headers, now });
  if (!verification.ok) {
    const message = verification.reason === 'stale' ? 'the timestamp is outside the allowed window (a replay or a wrong clock)' : `signature check failed: ${verification.reason}`;
    return refuse(STATUS[verification.reason] ?? 401, verification.reason, message);
  }
  if (!json.ok) return refuse(400, 'malformed', 'the body is not JSON', 'body');
  const context = ledgerContext(deps.engine);
  let events;
  try {
    events = await spec.parse(conn, json.value, { rawBody: delivery.rawBody, headers: delivery.headers, now, verification }, context);
  } catch (e) {
    if (e instanceof WebhookPayloadError) return refuse(400, 'malformed', e.message, e.field);
    throw e;
  }
  let accepted = 0;
  const duplicates: string[] = [];
  for (const event of events) {
    const result = await deps.engine.ingest({ source: stored.source, externalId: event.externalId, type: event.type, payload: event.payload, connectionId });
    if (result.duplicate) duplicates.push(event.externalId);
    else accepted++;
  }
  // the ledger learns only from news: a replayed old webhook must not roll it back
  if (accepted > 0) await context.commit();
  if (duplicates.length > 0 && accepted === 0) await recordReplay(deps.engine.db, { connectionId, externalIds: duplicates, headers: delivery.headers });
  return { status: spec.successStatus ?? 200, body: { ok: true, accepted, duplicates: duplicates.length } };
}
