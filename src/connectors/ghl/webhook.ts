/**
 * HighLevel webhooks into engine events. Verification is `createWebhookVerifier` (Ed25519
 * `x-ghl-signature` over the raw body, optional legacy RSA, the `timestamp` window), failing
 * closed. Replays are NOT refused here: the verifier gets a seen-store that never remembers, and
 * the event's externalId is the `webhookId`, so the engine's unique (source, externalId) answers a
 * second delivery of the same webhook 2xx as a duplicate and never enqueues it twice. An
 * in-memory "seen" guard would instead turn a legitimate redelivery (HighLevel retries after a
 * 429, or we failed to store the first attempt and answered 5xx) into a 401 and lose the event;
 * it would also be per process. The timestamp window still bounds how long a captured delivery
 * can be replayed at all, and a replay inside it is a no-op.
 */
import { createWebhookVerifier, type SeenStore, type WebhookRejection } from '../../ghl/webhooks/index.js';
import { WebhookPayloadError, type SourceEvent, type WebhookContext, type WebhookSpec } from '../types.js';
import type { Rejection, Verification } from '../webhooks/index.js';
import type { GhlConnection } from './connection.js';
import { appPayload, CONTACT_EVENTS, contactPayload, notePayload, NOTE_EVENTS, otherPayload, taskPayload, TASK_EVENTS, webhookContact, type EventMeta } from './events.js';

/** Five minutes either side, HighLevel's advice (ghl-api.md §7.2). */
export const WEBHOOK_TOLERANCE_MS = 300_000;

/** Dedup is the engine's (source, externalId): every id is "new" to the verifier. */
const neverSeen: SeenStore = { claim: async () => true };

const REASONS: Record<WebhookRejection, Rejection> = {
  'missing-key': 'bad-signature',
  'missing-signature': 'missing-signature',
  'bad-signature': 'bad-signature',
  malformed: 'malformed',
  'missing-timestamp': 'missing-timestamp',
  stale: 'stale',
  'missing-webhook-id': 'malformed',
  replay: 'stale',
};

/**
 * Verifies one delivery against the connection's keys at the delivery's `now`.
 *
 * @example
 * const v = await verifyDelivery(conn, { rawBody, headers, now: Date.now() });
 * if (!v.ok) console.log(v.reason); // 'bad-signature' | 'stale' | …
 */
export async function verifyDelivery(conn: GhlConnection, delivery: { rawBody: Buffer; headers: Record<string, string | string[] | undefined>; now: number }): Promise<Verification> {
  const verifier = createWebhookVerifier({
    publicKey: conn.webhookPublicKey,
    legacyRsaPublicKey: conn.legacyRsaPublicKey,
    toleranceMs: WEBHOOK_TOLERANCE_MS,
    seen: neverSeen,
    now: () => delivery.now,
  });
  const result = await verifier.verify({ rawBody: delivery.rawBody, headers: delivery.headers });
  if (!result.ok) return { ok: false, reason: REASONS[result.reason] };
  const at = typeof result.event.timestamp === 'number' ? result.event.timestamp : Date.parse(String(result.event.timestamp));
  return { ok: true, id: result.event.webhookId, timestamp: Number.isFinite(at) ? Math.floor((at < 1e11 ? at * 1000 : at) / 1000) : null };
}

function record(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new WebhookPayloadError('body', 'must be a JSON object');
  return body as Record<string, unknown>;
}

/**
 * A TaskCreate as the engine's ledger compares it: the fields the engine writes on a task, those
 * the webhook shows (`title` always, so an empty view can never match everything).
 */
function shownTask(body: Record<string, unknown>): Record<string, unknown> {
  const shown: Record<string, unknown> = { title: body.title };
  for (const f of ['body', 'dueDate', 'assignedTo']) if (body[f] !== undefined) shown[f] = body[f];
  return shown;
}

function requiredString(body: Record<string, unknown>, field: string): string {
  const value = body[field];
  if (typeof value !== 'string' || value === '') throw new WebhookPayloadError(field, 'must be a non-empty string');
  return value;
}

/**
 * One verified HighLevel webhook as engine events: none for an echo of our own write, else one
 * event whose externalId is the `webhookId`, with the ledger's `links` of its contact (and
 * `recordLinks` of its task or note). Echoes, by the ledger (`ctx.observeContact` /
 * `ctx.observeRecord` answer true when every shown field equals what the engine wrote):
 * - contact create/update/tag/DND events: the contact as shown;
 * - NoteCreate / NoteUpdate: `{ body }` (the engine writes notes as `{ body, userId? }`);
 * - TaskCreate: `{ title, body?, dueDate?, assignedTo? }` as shown; TaskComplete: `{ completed: true }`.
 *
 * Not echo-checked, and why:
 * - TaskDelete, NoteDelete: the engine never deletes tasks or notes, so they are never ours.
 * - ContactDelete: the engine's `deleteContact` (policy delete) removes the ledger link in the
 *   same step, and the deleted contact still carries the values we last wrote, so neither "is it
 *   linked" nor "does it equal our write" tells our delete from a person's. A ContactDelete of a
 *   contact we deleted therefore comes back as an event, with `links: {}` (the link is gone or
 *   going). Gap: a recipe on ContactDelete must filter on `links` (ours have none left); telling
 *   them apart needs the engine to remember its deletes (see the issue-5 report).
 *
 * @example
 * const events = await parseWebhook(conn, JSON.parse(raw), ctx); // [{ externalId: webhookId, type: 'ContactUpdate', payload: { contact, links, … } }]
 */
export async function parseWebhook(_conn: GhlConnection, raw: unknown, ctx: WebhookContext): Promise<SourceEvent[]> {
  const { body, type, webhookId, payload } = readWebhook(raw);
  if ((CONTACT_EVENTS as readonly string[]).includes(type)) {
    if (type !== 'ContactDelete' && (await ctx.observeContact(payload.contact as Record<string, unknown>))) return [];
  } else if ((TASK_EVENTS as readonly string[]).includes(type)) {
    const taskId = body.id as string;
    // a task or completion we made (the ledger says so) is our echo; one made in GHL the ledger learns
    if (type === 'TaskComplete' && (await ctx.observeRecord('task', taskId, { completed: true }))) return [];
    if (type === 'TaskCreate' && (await ctx.observeRecord('task', taskId, shownTask(body)))) return [];
  } else if ((NOTE_EVENTS as readonly string[]).includes(type)) {
    if (type !== 'NoteDelete' && (await ctx.observeRecord('note', body.id as string, { body: body.body }))) return [];
  }
  const contactId = payload.contactId;
  if (typeof contactId === 'string' && contactId !== '') payload.links = await ctx.links(contactId);
  // the source task or note a GHL task or note was made for (e.g. the ERP task to complete)
  const child = (payload.task ?? payload.note) as { id?: unknown } | undefined;
  if (typeof child?.id === 'string') payload.recordLinks = await ctx.recordLinks(payload.task ? 'task' : 'note', child.id);
  return [{ externalId: webhookId, type, payload }];
}

/**
 * The synchronous part of `parseWebhook`: the body checked (throws `WebhookPayloadError` naming
 * the field) and its event payload, before the ledger's echo filter, `links` and `recordLinks`.
 *
 * @example
 * readWebhook({ type: 'TaskComplete', webhookId: 'w1', id: 't1', contactId: 'c1', title: 'Call' }).payload; // { type, locationId, contactId, task, origin: 'webhook', webhookId }
 */
export function readWebhook(raw: unknown): { body: Record<string, unknown>; type: string; webhookId: string; payload: Record<string, unknown> } {
  const body = record(raw);
  const type = requiredString(body, 'type');
  const webhookId = requiredString(body, 'webhookId');
  const meta: EventMeta = { origin: 'webhook', webhookId, ...(typeof body.timestamp === 'string' ? { timestamp: body.timestamp } : {}) };
  let payload: Record<string, unknown>;
  if ((CONTACT_EVENTS as readonly string[]).includes(type)) {
    requiredString(body, 'id');
    payload = contactPayload(type, webhookContact(body), meta);
  } else if ((TASK_EVENTS as readonly string[]).includes(type)) {
    requiredString(body, 'id');
    payload = taskPayload(type, body, meta);
  } else if ((NOTE_EVENTS as readonly string[]).includes(type)) {
    requiredString(body, 'id');
    payload = notePayload(type, body, meta);
  } else if (type === 'INSTALL' || type === 'UNINSTALL') {
    payload = appPayload(type, body, meta);
  } else {
    payload = otherPayload(type, body, meta);
  }
  return { body, type, webhookId, payload };
}

/** The `webhook` part of the `ghl` connector. */
export const ghlWebhook: WebhookSpec<GhlConnection> = {
  verify: (conn, delivery) => verifyDelivery(conn, delivery),
  parse: (conn, body, _delivery, ctx) => parseWebhook(conn, body, ctx),
};
