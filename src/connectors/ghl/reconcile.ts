/**
 * The scheduled reconciliation: HighLevel retries a webhook only after a 429, so a delivery lost
 * to a timeout, a 5xx or a dead endpoint is gone. This poll walks POST /contacts/search sorted by
 * `dateUpdated` ascending from a durable watermark and emits every contact changed since, as a
 * `ContactUpdate` event in the webhook's shape. With the runtime's ledger view (`input.context`) it
 * applies the webhook's echo filter and `links`: a change we wrote, or one a webhook already
 * delivered (the ledger learned it then), gives no event. Deletions cannot be found this way (a deleted contact is not in
 * search results); they rely on `ContactDelete` webhooks.
 */
import type { PollInput, PollPage, SourceEvent } from '../types.js';
import type { GhlConnection } from './connection.js';
import { contactPayload, webhookContact } from './events.js';

/** `{ dateUpdated, id }` of the last contact emitted: contacts after it in (dateUpdated, id) order are new. */
export interface ReconcileCursor {
  dateUpdated: string;
  id: string;
}

export const RECONCILE_PAGE_SIZE = 100;

/** Reads a stored cursor; anything unreadable is a first poll (a re-poll only repeats deduped events). */
export function readCursor(cursor: unknown): ReconcileCursor | null {
  if (typeof cursor !== 'object' || cursor === null) return null;
  const { dateUpdated, id } = cursor as Record<string, unknown>;
  if (typeof dateUpdated !== 'string' || Number.isNaN(Date.parse(dateUpdated)) || typeof id !== 'string') return null;
  return { dateUpdated, id };
}

/** Whether a contact comes after the watermark in (dateUpdated, id) order. */
export function isAfter(contact: { dateUpdated: string; id: string }, cursor: ReconcileCursor): boolean {
  const a = Date.parse(contact.dateUpdated);
  const b = Date.parse(cursor.dateUpdated);
  return a > b || (a === b && contact.id > cursor.id);
}

/** The deterministic dedupe key: one event per contact version, so a re-poll after a crash dedupes. */
export function reconcileExternalId(id: string, dateUpdated: string): string {
  return `reconcile:${id}:${dateUpdated}`;
}

/**
 * One page of the reconciliation: at most `pageSize` contacts after the cursor. The search uses
 * `gte` on the watermark, not `gt`: several contacts can share one `dateUpdated` millisecond, and
 * those after the cursor's id must still be found; the ones at or before it are skipped here.
 *
 * @example
 * const page = await reconcilePoll({ conn, cursor: null, now: Date.now() });
 * // page.events: [{ externalId: 'reconcile:<id>:<dateUpdated>', type: 'ContactUpdate', payload: { contactId, contact, origin: 'reconcile', … } }]
 */
export async function reconcilePoll(input: PollInput<GhlConnection>, pageSize = RECONCILE_PAGE_SIZE): Promise<PollPage> {
  const { conn, now, signal, context } = input;
  const cursor = readCursor(input.cursor);
  const since = cursor?.dateUpdated ?? new Date(now - conn.reconcileLookbackMs).toISOString();
  const search = conn.client().contacts.searchAll(
    {
      locationId: conn.locationId,
      filters: [{ field: 'dateUpdated', operator: 'range', value: { gte: since } }],
      sort: [{ field: 'dateUpdated', direction: 'asc' }],
    },
    { pageSize: Math.min(pageSize + 1, 500), ...(signal ? { signal } : {}) },
  );
  const events: SourceEvent[] = [];
  let next = cursor;
  let more = false;
  // contacts looked at (echoes included), so a page of echoes still ends
  let seen = 0;
  for await (const found of search) {
    const raw = found as unknown as Record<string, unknown>;
    const id = raw.id;
    const dateUpdated = typeof raw.dateUpdated === 'string' ? raw.dateUpdated : typeof raw.dateAdded === 'string' ? raw.dateAdded : null;
    if (typeof id !== 'string' || dateUpdated === null) continue;
    if (cursor && !isAfter({ id, dateUpdated }, cursor)) continue;
    if (events.length === pageSize || seen === pageSize * 5) {
      more = true;
      break;
    }
    seen++;
    const contact = webhookContact({ ...raw, dateUpdated, locationId: raw.locationId ?? conn.locationId });
    next = { dateUpdated, id };
    // the same echo filter and links as webhooks: a change we wrote, or one a webhook already
    // showed (the ledger learned it then), is not news; the cursor still moves past it
    if (context && (await context.observeContact(contact))) continue;
    const payload = contactPayload('ContactUpdate', contact, { origin: 'reconcile' });
    if (context) payload.links = await context.links(id);
    events.push({ externalId: reconcileExternalId(id, dateUpdated), type: 'ContactUpdate', payload });
  }
  // First poll with nothing changed: start the watermark at the lookback point, not "nothing".
  return { events, cursor: next ?? { dateUpdated: since, id: '' }, more };
}
