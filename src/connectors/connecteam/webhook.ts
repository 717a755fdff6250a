/**
 * Connecteam webhooks: signature check (configurable scheme) and the users envelope
 * `{requestId, company, activityType, eventType, eventTimestamp, evnetTimestamp (sic), data: [...]}`
 * as engine events, one per user in `data`.
 *
 * Coalescing: Connecteam sends one `user_updated` per changed field, each with the whole user.
 * The event id is `user:<userId>:<modifiedAt>`, so a burst is one engine event (the engine dedupes
 * on (source, externalId)) and the poll, which sees the same modifiedAt, dedupes against it too.
 * Archive/restore/delete ids name the event type instead (`user:<id>:user_archived:<eventTimestamp>`).
 * A requestId would differ per delivery and coalesce nothing.
 */
import { verifyHmac, type Verification } from '../webhooks/index.js';
import { WebhookPayloadError, type SourceEvent, type WebhookDelivery, type WebhookSpec } from '../types.js';
import type { ConnecteamConnection } from './connection.js';
import { toUserView, wireUserSchema, type EventPayload } from './schemas.js';

/** Connecteam eventType → engine event type (users feature). */
export const USER_EVENT_TYPES = {
  user_created: 'user.created',
  user_updated: 'user.updated',
  user_archived: 'user.archived',
  user_restored: 'user.restored',
  user_deleted: 'user.deleted',
} as const;
export type ConnecteamUserEventType = keyof typeof USER_EVENT_TYPES;

/** The deterministic id webhook and poll share: one per user and modification second. */
export function userEventId(userId: number | string, modifiedAt: number): string {
  return `user:${userId}:${modifiedAt}`;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function timestampOf(body: Record<string, unknown>): number {
  // `evnetTimestamp` is the deprecated misspelled duplicate; read it only when the right one is absent
  const t = body.eventTimestamp ?? body.evnetTimestamp;
  if (typeof t !== 'number' || !Number.isInteger(t) || t < 0) throw new WebhookPayloadError('eventTimestamp', 'required: Unix seconds (integer)');
  return t;
}

/**
 * Verifies a delivery with the connection's scheme. Without a webhook secret nothing can be
 * verified, so every delivery is refused (fail closed).
 *
 * @example
 * const v = verifyConnecteam(conn, { rawBody, headers, now: Date.now() });
 */
export function verifyConnecteam(conn: ConnecteamConnection, delivery: WebhookDelivery): Verification {
  if (!conn.webhookSecret) return { ok: false, reason: 'bad-signature' };
  return verifyHmac(conn.scheme, conn.webhookSecret, delivery);
}

/**
 * The engine events of one verified users-feature delivery. Other features (forms, time clock…)
 * and users events we do not map (promoted/demoted) give no event: acknowledged, ignored.
 * Throws `WebhookPayloadError` naming the field for a malformed envelope.
 *
 * @example
 * parseConnecteamWebhook(body); // [{ externalId: 'user:9100001:1731595938', type: 'user.created', payload: { user, event } }]
 */
export function parseConnecteamWebhook(body: unknown): SourceEvent[] {
  if (!isObject(body)) throw new WebhookPayloadError('body', `expected a JSON object, got ${Array.isArray(body) ? 'a list' : body === null ? 'null' : typeof body}`);
  const { eventType, activityType, data, requestId, company } = body;
  if (typeof eventType !== 'string' || eventType === '') throw new WebhookPayloadError('eventType', 'required: a string');
  if (activityType !== undefined && activityType !== null && typeof activityType !== 'string') throw new WebhookPayloadError('activityType', 'expected a string');
  if (!Array.isArray(data)) throw new WebhookPayloadError('data', 'required: an array');
  const timestamp = timestampOf(body);
  if (requestId !== undefined && typeof requestId !== 'string') throw new WebhookPayloadError('requestId', 'expected a string');

  if (!(eventType in USER_EVENT_TYPES)) return [];
  if (typeof activityType === 'string' && activityType !== 'User') return [];
  const type = USER_EVENT_TYPES[eventType as ConnecteamUserEventType];
  const event: EventPayload['event'] = {
    type: eventType,
    ...(typeof requestId === 'string' ? { requestId } : {}),
    ...(company !== undefined && company !== null ? { company: String(company) } : {}),
    timestamp,
  };

  return data.map((item, i): SourceEvent => {
    const field = `data[${i}]`;
    if (!isObject(item)) throw new WebhookPayloadError(field, 'expected an object');
    const userId = item.userId;
    if (typeof userId !== 'number' || !Number.isInteger(userId) || userId < 1) throw new WebhookPayloadError(`${field}.userId`, 'required: a positive integer');
    const lifecycle = eventType !== 'user_created' && eventType !== 'user_updated';
    // archive/restore/delete may not move modifiedAt: their id names the event so it never
    // collides with an earlier edit of the same second
    // an archive is named by archivedAt when the item has it (the poll names it the same way)
    const at = eventType === 'user_archived' && typeof item.archivedAt === 'number' ? item.archivedAt : timestamp;
    const lifecycleId = `user:${userId}:${eventType}:${at}`;
    if (lifecycle && Object.keys(item).length === 1) return { externalId: lifecycleId, type, payload: { user: { id: String(userId), userId }, event } };
    const parsed = wireUserSchema.safeParse(item);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new WebhookPayloadError(field + issue.path.map((k) => (typeof k === 'number' ? `[${k}]` : `.${String(k)}`)).join(''), issue.message);
    }
    const user = toUserView(parsed.data);
    const modifiedAt = parsed.data.modifiedAt;
    // without modifiedAt, a burst still shares its event type and second
    const externalId = lifecycle || typeof modifiedAt !== 'number' ? lifecycleId : userEventId(userId, modifiedAt);
    return { externalId, type, payload: { user, event } };
  });
}

/** The connector's webhook spec. */
export const connecteamWebhook: WebhookSpec<ConnecteamConnection> = {
  verify: (conn, delivery) => verifyConnecteam(conn, delivery),
  parse: (_conn, body) => parseConnecteamWebhook(body),
};
