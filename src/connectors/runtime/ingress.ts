import { jsonNestingDepth, MAX_PAYLOAD_DEPTH, PayloadTooDeepError, recordReplay, storableJson, type Engine, type EngineLog } from '../../engine/index.js';
import type { Headers } from '../webhooks/index.js';
import { WebhookPayloadError } from '../types.js';
import type { ConnectionSource } from './connections.js';
import { ledgerContext } from './context.js';
import { ConnectionProblem } from './errors.js';
import type { ConnectorRegistry } from './registry.js';
import { resolveConnection } from './resolve.js';

export interface WebhookAnswer {
  status: number;
  /** the connection id exists (for metric labels: an unknown id must not make a series); not sent */
  known: boolean;
  /** what was stored, per event (for `webhook send`'s report); not sent */
  events?: Array<{ externalId: string; eventId: number; duplicate: boolean; runIds: number[] }>;
  body: {
    ok: boolean;
    /** events stored now */
    accepted?: number;
    /** events already stored before (a redelivery): acknowledged, not enqueued again */
    duplicates?: number;
    /** records the webhook showed exactly as the engine wrote them (our own write coming back): dropped, no run (loop prevention) */
    echoes?: number;
    probe?: boolean;
    /** why it was refused (`bad-signature`, `stale`, `malformed`, …) */
    error?: string;
    /** the payload field at fault */
    field?: string;
    message?: string;
  };
}

/**
 * What a sender that has not proved it holds the secret is told, whatever went wrong: an unknown
 * connection id, a connection without webhooks, no signature, a bad one. One answer, so that a
 * stranger cannot tell which connection ids exist; people see the reason in the recorded refusal.
 */
const UNVERIFIED: WebhookAnswer = {
  status: 401,
  known: false,
  body: { ok: false, error: 'unverified', message: 'the delivery could not be verified (signature, signing secret or endpoint); the reason is recorded with the refusal' },
};

export interface IngressDeps {
  engine: Engine;
  registry: ConnectorRegistry;
  connections: ConnectionSource;
  /** an `info` line per delivery dropped as our own echo, so "why did this change not come back?" has an answer */
  log?: EngineLog;
}

function parseJson(raw: Buffer): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(raw.toString('utf8')) };
  } catch {
    return { ok: false };
  }
}

/** A probe of any connector (they come unsigned): answered the same for unknown ids as for known ones. */
function probeAnswer(registry: ConnectorRegistry, body: unknown): WebhookAnswer | null {
  const spec = registry.connectors.find((c) => c.webhook?.isProbe?.(body))?.webhook;
  return spec ? { status: spec.successStatus ?? 200, known: false, body: { ok: true, probe: true } } : null;
}

/**
 * One webhook delivery for a connection: verified over the raw bytes, parsed by its connector,
 * each event stored durably (deduplicated) before the answer. A sender that has not proved it
 * holds the secret gets one 401 answer whatever the cause (`UNVERIFIED`); a verified one learns
 * what is wrong (stale 400, malformed 400 naming the field, nested deeper than
 * `MAX_PAYLOAD_DEPTH` 400). Refusals of known connections are recorded, bounded
 * (`engine.recordRejection`), never enqueued. NUL and lone surrogates, which PostgreSQL cannot
 * store, are replaced by U+FFFD in what recipes see, the delivery kept escaped beside the event.
 * A delivery that brings nothing new (a sender's retry, or a replay inside the timestamp window)
 * is answered 2xx so the sender stops, recorded as a replay, and never enqueued again. A test
 * probe is acknowledged and dropped.
 *
 * @example
 * const answer = await receiveWebhook({ engine, registry, connections }, 'recruitee-main', { rawBody, headers });
 * res.writeHead(answer.status).end(JSON.stringify(answer.body));
 */
export async function receiveWebhook(deps: IngressDeps, connectionId: string, delivery: { rawBody: Buffer; headers: Headers; now?: number }): Promise<WebhookAnswer> {
  const now = delivery.now ?? Date.now();
  const record = (status: number, reason: string, detail: string) => deps.engine.recordRejection({ connectionId, status, reason, detail, headers: delivery.headers, rawBody: delivery.rawBody });
  const refuse = async (status: number, error: string, message: string, field?: string): Promise<WebhookAnswer> => {
    await record(status, error, message);
    return { status, known: true, body: { ok: false, error, message, ...(field ? { field } : {}) } };
  };
  const unverified = async (reason: string, detail: string): Promise<WebhookAnswer> => {
    await record(UNVERIFIED.status, reason, detail);
    return { ...UNVERIFIED, known: true };
  };
  // too deep to parse safely: not parsed at all (so not a probe), refused once verified
  const tooDeep = jsonNestingDepth(delivery.rawBody) > MAX_PAYLOAD_DEPTH;
  const json: ReturnType<typeof parseJson> = tooDeep ? { ok: false } : parseJson(delivery.rawBody);
  let resolved;
  try {
    resolved = await resolveConnection(deps.registry, deps.connections, connectionId);
  } catch (e) {
    if (!(e instanceof ConnectionProblem)) throw e;
    // an unknown id is not recorded (anyone can post to any id); a broken connection is, and the
    // sender, who is not trusted yet, learns only that it should retry later
    if (e.status !== 422) return (json.ok ? probeAnswer(deps.registry, json.value) : null) ?? UNVERIFIED;
    await record(503, 'misconfigured', e.message);
    return { status: 503, known: true, body: { ok: false, error: 'misconfigured', message: 'this endpoint cannot take deliveries now; retry later' } };
  }
  const { connector, conn, stored } = resolved;
  const spec = connector.webhook;
  // an unverified probe-shaped body is acknowledged everywhere, as for an unknown id
  const probe = () => (json.ok ? probeAnswer(deps.registry, json.value) : null);
  if (!spec) return probe() ?? unverified('no-webhooks', `${connector.app} connections take no webhooks`);
  if (json.ok && spec.isProbe?.(json.value)) return { status: spec.successStatus ?? 200, known: true, body: { ok: true, probe: true } };
  const verification = await spec.verify(conn, { rawBody: delivery.rawBody, headers: delivery.headers, now });
  if (!verification.ok) {
    const asProbe = probe();
    if (asProbe) return { ...asProbe, known: true };
    // checked after the signature (verifyHmac, the GHL verifier): only a verified sender hears it
    if (verification.reason === 'stale') return refuse(400, 'stale', 'the timestamp is outside the allowed window (a replay or a wrong clock)');
    return unverified(verification.reason, `signature check failed: ${verification.reason}`);
  }
  if (tooDeep) return refuse(400, 'too-deep', `the body nests deeper than ${MAX_PAYLOAD_DEPTH} levels`, 'body');
  if (!json.ok) return refuse(400, 'malformed', 'the body is not JSON', 'body');
  const body = storableJson(json.value);
  // the delivery as signed, escaped, beside each of its events (only when something was replaced)
  const original = body.changed ? JSON.stringify(json.value) : undefined;
  const context = ledgerContext(deps.engine);
  // an echo makes no event (hence no run to carry a skip reason): counted here, answered and logged below
  let echoes = 0;
  const observe = { contact: context.observeContact, record: context.observeRecord };
  context.observeContact = async (contact) => ((await observe.contact(contact)) ? (echoes++, true) : false);
  context.observeRecord = async (kind, ghlId, shown) => ((await observe.record(kind, ghlId, shown)) ? (echoes++, true) : false);
  let events;
  try {
    events = await spec.parse(conn, body.value, { rawBody: delivery.rawBody, headers: delivery.headers, now, verification }, context);
  } catch (e) {
    if (e instanceof WebhookPayloadError) return refuse(400, 'malformed', e.message, e.field);
    throw e;
  }
  // a connector may nest what it read deeper: checked for every event before any is stored
  for (const event of events) {
    try {
      storableJson(event.payload);
    } catch (e) {
      if (e instanceof PayloadTooDeepError) return refuse(400, 'too-deep', `the body nests deeper than ${MAX_PAYLOAD_DEPTH} levels (${e.message})`, 'body');
      throw e;
    }
  }
  let accepted = 0;
  const duplicates: string[] = [];
  const storedEvents: NonNullable<WebhookAnswer['events']> = [];
  for (const event of events) {
    const result = await deps.engine.ingest({ source: stored.source, externalId: event.externalId, type: event.type, payload: event.payload, connectionId, ...(original === undefined ? {} : { original }) });
    storedEvents.push({ externalId: event.externalId, eventId: result.eventId, duplicate: result.duplicate, runIds: result.runIds });
    if (result.duplicate) duplicates.push(event.externalId);
    else accepted++;
  }
  // the ledger learns only from news: a replayed old webhook must not roll it back
  if (accepted > 0) await context.commit();
  if (duplicates.length > 0 && accepted === 0) await recordReplay(deps.engine.db, { connectionId, externalIds: duplicates, headers: delivery.headers });
  if (echoes > 0) deps.log?.('info', `webhook to ${connectionId} dropped as our own echo: what it shows equals what the engine wrote (loop prevention; no event, no run)`, { event: 'webhook.echo-dropped', connection: connectionId, echoes });
  return { status: spec.successStatus ?? 200, known: true, events: storedEvents, body: { ok: true, accepted, duplicates: duplicates.length, ...(echoes > 0 ? { echoes } : {}) } };
}
