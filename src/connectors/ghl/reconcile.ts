/**
 * The scheduled reconciliation: HighLevel retries a webhook only after a 429, so a delivery lost
 * to a timeout, a 5xx or a dead endpoint is gone. This poll walks POST /contacts/search sorted by
 * `dateUpdated` ascending from a durable watermark and emits every contact changed since, as a
 * `ContactUpdate` event in the webhook's shape. With the runtime's ledger view (`input.context`) it
 * applies the webhook's echo filter and `links`: a change we wrote, or one a webhook already
 * delivered for a LINKED contact (the ledger learned it then), gives no event. Deletions cannot be
 * found this way (a deleted contact is not in search results); they rely on `ContactDelete` webhooks.
 *
 * Known gap (needs the engine, see the issue-5 report): for a contact the ledger links to nothing,
 * a change already delivered by webhook is emitted again here (`reconcile:<id>:<dateUpdated>` vs
 * the webhook's `webhookId`: HighLevel's contact webhooks carry no `dateUpdated`, so the two paths
 * cannot share an externalId). Recipes on GHL contact events should filter on `links`.
 */
import type { PollInput, PollPage, SourceEvent } from '../types.js';
import type { GhlConnection } from './connection.js';
import { contactPayload, webhookContact } from './events.js';

/**
 * The watermark: the `dateUpdated` of the last group of contacts read (all sharing it) and the ids
 * of that group already emitted. HighLevel sorts search results by `dateUpdated` only, ties in no
 * promised order, so "after the last id" would skip contacts; a page never ends inside a group,
 * and the next poll skips exactly the ids seen at the watermark.
 */
export interface ReconcileCursor {
  dateUpdated: string;
  seenIds: string[];
}

export const RECONCILE_PAGE_SIZE = 100;

/**
 * Reads a stored cursor; anything unreadable is a first poll (a re-poll only repeats deduped
 * events). The shape before issue 5 (`{ dateUpdated, id }`) reads as that one id seen.
 */
export function readCursor(cursor: unknown): ReconcileCursor | null {
  if (typeof cursor !== 'object' || cursor === null) return null;
  const { dateUpdated, seenIds, id } = cursor as Record<string, unknown>;
  if (typeof dateUpdated !== 'string' || Number.isNaN(Date.parse(dateUpdated))) return null;
  if (Array.isArray(seenIds) && seenIds.every((s) => typeof s === 'string')) return { dateUpdated, seenIds: [...(seenIds as string[])] };
  if (typeof id === 'string') return { dateUpdated, seenIds: id === '' ? [] : [id] };
  return null;
}

/** Whether a contact is new to the watermark: later than it, or at it and not yet seen. */
export function isUnseen(contact: { dateUpdated: string; id: string }, cursor: ReconcileCursor): boolean {
  const a = Date.parse(contact.dateUpdated);
  const b = Date.parse(cursor.dateUpdated);
  return a > b || (a === b && !cursor.seenIds.includes(contact.id));
}

/** The deterministic dedupe key: one event per contact version, so a re-poll after a crash dedupes. */
export function reconcileExternalId(id: string, dateUpdated: string): string {
  return `reconcile:${id}:${dateUpdated}`;
}

/**
 * One page of the reconciliation: about `pageSize` contacts after the cursor, read on to the end
 * of the last `dateUpdated` group (so a page may be longer when many contacts share a timestamp).
 * The search uses `gte` on the watermark: contacts at it not yet seen must still be found.
 *
 * @example
 * const page = await reconcilePoll({ conn, cursor: null, now: Date.now() });
 * // page.events: [{ externalId: 'reconcile:<id>:<dateUpdated>', type: 'ContactUpdate', payload: { contactId, contact, origin: 'reconcile', … } }]
 * // page.cursor: { dateUpdated: '<of the last contact read>', seenIds: ['<every id read at that dateUpdated>'] }
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
  // the group being read: its timestamp (ms), its dateUpdated text, and the ids read in it
  let group: { at: number; dateUpdated: string; ids: string[] } | null = cursor
    ? { at: Date.parse(cursor.dateUpdated), dateUpdated: cursor.dateUpdated, ids: [...cursor.seenIds] }
    : null;
  let more = false;
  // contacts looked at (echoes included), so a page of echoes still ends
  let read = 0;
  for await (const found of search) {
    const raw = found as unknown as Record<string, unknown>;
    const id = raw.id;
    const dateUpdated = typeof raw.dateUpdated === 'string' ? raw.dateUpdated : typeof raw.dateAdded === 'string' ? raw.dateAdded : null;
    if (typeof id !== 'string' || dateUpdated === null || Number.isNaN(Date.parse(dateUpdated))) continue;
    if (cursor && !isUnseen({ id, dateUpdated }, cursor)) continue;
    // the same id twice in one walk (its dateUpdated moved while we paged): once is enough
    const at = Date.parse(dateUpdated);
    if (group && at === group.at && group.ids.includes(id)) continue;
    // a full page ends only where a new dateUpdated begins: never inside a group of ties
    if (read >= pageSize && group && at !== group.at) {
      more = true;
      break;
    }
    read++;
    if (!group || at !== group.at) group = { at, dateUpdated, ids: [] };
    group.ids.push(id);
    const contact = webhookContact({ ...raw, dateUpdated, locationId: raw.locationId ?? conn.locationId });
    // the same echo filter and links as webhooks: a change we wrote, or one a webhook already
    // showed for a linked contact (the ledger learned it then), is not news; the cursor still moves past it
    if (context && (await context.observeContact(contact))) continue;
    const payload = contactPayload('ContactUpdate', contact, { origin: 'reconcile' });
    if (context) payload.links = await context.links(id);
    events.push({ externalId: reconcileExternalId(id, dateUpdated), type: 'ContactUpdate', payload });
  }
  // First poll with nothing changed: start the watermark at the lookback point, not "nothing".
  return { events, cursor: group ? { dateUpdated: group.dateUpdated, seenIds: group.ids } : { dateUpdated: since, seenIds: [] }, more };
}
