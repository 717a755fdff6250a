/**
 * Polling `GET /users/v1/users` for changes, and the full listing for a full sync.
 *
 * The cursor is a `modifiedAt` watermark plus an offset inside the current pass. Only `created_at`
 * sorting exists, so a pass pages by offset over `modifiedAt > watermark - 1` (userStatus=all, so
 * archived users stay in the set): users modified during a pass only join it, which can repeat a
 * user but never skips one, and repeats dedupe on the deterministic id
 * `user:<id>:<modifiedAt>:<state hash>` (the same id the webhook gives). Each pass reads `pollOverlapSeconds` (default 60) behind the
 * watermark, plus one second for both readings of "after": a user whose modifiedAt lands behind
 * one already seen (clock skew, a write committed late) is still found.
 */
import type { PollPage, PollInput, SourceEvent } from '../types.js';
import { createConnecteamClient } from './client.js';
import type { ConnecteamConnection } from './connection.js';
import { toUserView, type EventPayload, type WireUser } from './schemas.js';
import { archiveEventId, userEventId } from './webhook.js';

export interface ConnecteamCursor {
  /** watermark: the greatest modifiedAt of the last completed pass (Unix s; 0 = from the start) */
  since: number;
  /** offset inside the current pass */
  offset: number;
  /** greatest modifiedAt seen in the current pass */
  high: number;
}

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

/** Reads a stored cursor (null: the first poll); throws naming the field for anything else. */
export function readCursor(cursor: unknown): ConnecteamCursor {
  if (cursor === null || cursor === undefined) return { since: 0, offset: 0, high: 0 };
  if (typeof cursor !== 'object') throw new Error('connecteam cursor: expected an object');
  const c = cursor as Record<string, unknown>;
  for (const k of ['since', 'offset', 'high'] as const) if (!isCount(c[k])) throw new Error(`connecteam cursor.${k}: expected a non-negative integer`);
  return { since: c.since as number, offset: c.offset as number, high: c.high as number };
}

/**
 * A polled (or fully listed) user as an engine event. Archived users become `user.archived` with
 * the archive's own id (as the webhook's), others `user.created` when created since the
 * watermark, else `user.updated`.
 *
 * @example
 * userToEvent({ userId: 7, firstName: 'Ada', createdAt: 100, modifiedAt: 120 }, 90); // { externalId: 'user:7:120:<hash>', type: 'user.created', … }
 */
export function userToEvent(wire: WireUser, since: number): SourceEvent {
  // `since`: the pass's lower bound; users created after it are new
  const user = toUserView(wire);
  const event: EventPayload['event'] = { type: 'poll' };
  const modifiedAt = wire.modifiedAt ?? wire.createdAt ?? 0;
  if (wire.isArchived) {
    return { externalId: archiveEventId(wire.userId, wire.archivedAt ?? modifiedAt), type: 'user.archived', payload: { user, event } };
  }
  const created = since === 0 || (wire.createdAt ?? 0) > since;
  return { externalId: userEventId(user), type: created ? 'user.created' : 'user.updated', payload: { user, event } };
}

/**
 * One page of the `connecteam.users.changed` poll.
 *
 * @example
 * let cursor = null, more = true;
 * while (more) ({ cursor, more } = await pollUsers({ conn, cursor, now: Date.now() }));
 */
export async function pollUsers(input: PollInput<ConnecteamConnection>): Promise<PollPage> {
  const { conn, signal } = input;
  const c = readCursor(input.cursor);
  const limit = conn.pageSize;
  const api = createConnecteamClient(conn, { signal });
  const from = c.since - 1 - conn.pollOverlapSeconds;
  const { users } = await api.listUsers(
    { limit, offset: c.offset, userStatus: 'all', sort: 'created_at', order: 'asc', ...(c.since > 0 && from >= 1 ? { modifiedAt: from } : {}) },
    signal,
  );
  const events = users.map((u) => userToEvent(u, c.since > 0 ? Math.max(from, 0) : 0));
  const high = Math.max(c.high, c.since, ...users.map((u) => Math.max(u.modifiedAt ?? 0, u.archivedAt ?? 0)));
  if (users.length < limit) return { events, cursor: { since: high, offset: 0, high }, more: false };
  return { events, cursor: { since: c.since, offset: c.offset + users.length, high }, more: true };
}

/**
 * Every user (active and archived) as events, for a full sync.
 *
 * @example
 * for await (const event of listAllUsers(conn)) await engine.ingest({ source: conn.source, ...event });
 */
export async function* listAllUsers(conn: ConnecteamConnection, options: { signal?: AbortSignal } = {}): AsyncIterable<SourceEvent> {
  const api = createConnecteamClient(conn, options);
  for await (const user of api.allUsers({ userStatus: 'all', limit: conn.pageSize }, options.signal)) {
    const event = userToEvent(user, Number.MAX_SAFE_INTEGER);
    yield event;
  }
}
