import { createHash, randomBytes } from 'node:crypto';
import type { Queryable } from '../../engine/db/types.js';

/** How long an admin-issued connect link stays usable. */
export const TICKET_TTL_MS = 15 * 60 * 1000;

const hash = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

/**
 * A new single-use connect ticket for `/connect/ghl?ticket=…`, naming the connection the
 * callback will fill (null: `ghl-main` when absent, else `ghl-<locationId>`). Only its hash is
 * stored: a database reader cannot start a flow with it.
 *
 * @example
 * const { ticket, expiresAt } = await issueConnectTicket(db, 'ghl-main', Date.now());
 */
export async function issueConnectTicket(db: Queryable, connectionId: string | null, now: number): Promise<{ ticket: string; expiresAt: number }> {
  const ticket = randomBytes(32).toString('base64url');
  const expiresAt = now + TICKET_TTL_MS;
  await db.query('delete from oauth_tickets where expires_at < $1', [now - TICKET_TTL_MS]);
  await db.query('insert into oauth_tickets (ticket_hash, connection_id, expires_at) values ($1, $2, $3)', [hash(ticket), connectionId, expiresAt]);
  return { ticket, expiresAt };
}

export type TicketCheck = { ok: true; connectionId: string | null } | { ok: false; reason: 'missing' | 'unknown' | 'used' | 'expired' };

/**
 * Uses a ticket up: one conditional update, so two browsers racing with one link cannot both
 * start a flow; a refusal says why (unknown, used, expired).
 *
 * @example
 * const check = await consumeConnectTicket(db, query.ticket, Date.now());
 */
export async function consumeConnectTicket(db: Queryable, ticket: string | undefined, now: number): Promise<TicketCheck> {
  if (!ticket) return { ok: false, reason: 'missing' };
  const used = await db.query<{ connection_id: string | null }>('update oauth_tickets set used_at = now() where ticket_hash = $1 and used_at is null and expires_at >= $2 returning connection_id', [hash(ticket), now]);
  if (used.rows[0]) return { ok: true, connectionId: used.rows[0].connection_id };
  const { rows } = await db.query<{ used_at: Date | null }>('select used_at from oauth_tickets where ticket_hash = $1', [hash(ticket)]);
  if (!rows[0]) return { ok: false, reason: 'unknown' };
  return { ok: false, reason: rows[0].used_at !== null ? 'used' : 'expired' };
}
