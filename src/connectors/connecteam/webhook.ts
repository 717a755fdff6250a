/**
 * Connecteam webhooks: signature check (configurable scheme) and the users envelope
 * `{requestId, company, activityType, eventType, eventTimestamp, evnetTimestamp (sic), data: [...]}`
 * as engine events, one per user in `data`.
 *
 * Coalescing: Connecteam sends one `user_updated` per changed field, each with the whole user.
 * The event id is `user:<userId>:<modifiedAt>:<state hash>`: a burst carries one final state, so it
 * is one engine event (the engine dedupes on (source, externalId)), and the poll, which sees the same
 * state, dedupes against it too. modifiedAt is in whole seconds, so the hash keeps two different
 * edits of the same second apart. A requestId would differ per delivery and coalesce nothing.
 *
 * Archives are `user:<id>:archived:<archivedAt>`, the same id the poll gives. The webhook carries
 * only the user id, so the user is read back (GET) for its archivedAt; restore/delete ids name the
 * event (`user:<id>:user_restored:<eventTimestamp>`), the poll never sees those.
 */
import { createHash } from 'node:crypto';
import { verifyHmac, type Verification } from '../webhooks/index.js';
import { WebhookPayloadError, type SourceEvent, type WebhookDelivery, type WebhookSpec } from '../types.js';
import type { ConnecteamConnection } from './connection.js';
import { createConnecteamClient } from './client.js';
import { toUserView, wireUserSchema, type EventPayload, type UserView, type WireUser } from './schemas.js';

/** Connecteam eventType → engine event type (users feature). */
export const USER_EVENT_TYPES = {
  user_created: 'user.created',
  user_updated: 'user.updated',
  user_archived: 'user.archived',
  user_restored: 'user.restored',
  user_deleted: 'user.deleted',
} as const;
export type ConnecteamUserEventType = keyof typeof USER_EVENT_TYPES;

/**
 * A short hash of the user's fields without timestamps (normalized, so the webhook's copy and the
 * API's copy of one state hash alike; lastLogin and the like are left out: they are not edits).
 */
export function userStateHash(user: UserView): string {
  const state = [user.firstName, user.lastName, user.email, user.phone, user.userType, user.isArchived ?? false, user.kioskCode, Object.entries(user.customFieldsById ?? {}).sort(([a], [b]) => a.localeCompare(b))];
  return createHash('sha256').update(JSON.stringify(state)).digest('hex').slice(0, 10);
}

/**
 * The deterministic id webhook and poll share: one per user, modification second and state.
 *
 * @example
 * userEventId(toUserView(wire)); // 'user:9100001:1731595938:3f2a9c01be'
 */
export function userEventId(user: UserView): string {
  return `user:${user.userId}:${user.modifiedAt ?? user.createdAt ?? 0}:${userStateHash(user)}`;
}

/** The id of one archive, shared by webhook and poll: named by the user's archivedAt. */
export function archiveEventId(userId: number | string, archivedAt: number): string {
  return `user:${userId}:archived:${archivedAt}`;
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
 * parseConnecteamWebhook(body); // [{ externalId: 'user:9100001:1731595938:3f2a9c01be', type: 'user.created', payload: { user, event } }]
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
    // collides with an earlier edit of the same second. An archive is named by archivedAt (as the
    // poll names it); eventTimestamp here is only the fallback, see `connecteamWebhook.parse`.
    const archivedAt = typeof item.archivedAt === 'number' ? item.archivedAt : timestamp;
    const lifecycleId = eventType === 'user_archived' ? archiveEventId(userId, archivedAt) : `user:${userId}:${eventType}:${timestamp}`;
    if (lifecycle && Object.keys(item).length === 1) return { externalId: lifecycleId, type, payload: { user: { id: String(userId), userId }, event } };
    const parsed = wireUserSchema.safeParse(item);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new WebhookPayloadError(field + issue.path.map((k) => (typeof k === 'number' ? `[${k}]` : `.${String(k)}`)).join(''), issue.message);
    }
    const user = toUserView(parsed.data);
    const modifiedAt = parsed.data.modifiedAt;
    // without modifiedAt, a burst still shares its event type, second and state
    const externalId = lifecycle ? lifecycleId : typeof modifiedAt !== 'number' ? `user:${userId}:${eventType}:${timestamp}:${userStateHash(user)}` : userEventId(user);
    return { externalId, type, payload: { user, event } };
  });
}

/**
 * Archive events whose delivery carried only the user id get the user read back (GET), so their
 * id names the archive's own archivedAt, as the poll's does: the same archive seen by both is one
 * event. If the read fails (or the user is no longer archived), the eventTimestamp id stays: a
 * later poll may then give the archive a second event, which the archive recipes tolerate (the
 * contact is tagged again), rather than losing the archive.
 *
 * @example
 * const events = await resolveArchives(conn, parseConnecteamWebhook(body));
 */
export async function resolveArchives(conn: ConnecteamConnection, events: SourceEvent[], readUser?: (userId: number) => Promise<WireUser | null>): Promise<SourceEvent[]> {
  const read = readUser ?? ((id: number) => createConnecteamClient(conn).getUser(id));
  return Promise.all(
    events.map(async (e) => {
      const user = (e.payload as EventPayload).user;
      if (e.type !== 'user.archived' || typeof user.archivedAt === 'number') return e;
      let wire: WireUser | null;
      try {
        wire = await read(user.userId);
      } catch {
        return e; // fallback: the eventTimestamp id (see above)
      }
      if (!wire?.isArchived || typeof wire.archivedAt !== 'number') return e;
      return { ...e, externalId: archiveEventId(wire.userId, wire.archivedAt), payload: { ...e.payload, user: toUserView(wire) } };
    }),
  );
}

/** The connector's webhook spec. */
export const connecteamWebhook: WebhookSpec<ConnecteamConnection> = {
  verify: (conn, delivery) => verifyConnecteam(conn, delivery),
  parse: (conn, body) => resolveArchives(conn, parseConnecteamWebhook(body)),
};
