import type { Queryable } from '../../engine/db/types.js';

/** How a search text matched a ledger entry. */
export type LedgerMatch = 'ghlId' | 'sourceId' | 'email' | 'phone';

export interface LedgerContactHit {
  connectionId: string;
  source: string;
  sourceId: string;
  ghlId: string;
  locationId: string;
  /** the contact fields last written (email, name, phone, …) */
  fields: Record<string, unknown> | null;
  updatedAt: string;
  matchedBy: LedgerMatch;
}

/**
 * The digits of a phone number (`+1 (555) 010-2000` → `15550102000`), or '' when it is no phone
 * number (letters) or has too few digits. A stored number matches when it ends with them, so
 * `555 010 2000` finds `+15550102000`.
 */
export function phoneDigits(text: string): string {
  const digits = text.replace(/\D+/g, '');
  return digits.length >= 7 && /^[\d\s()+.-]+$/.test(text.trim()) ? digits : '';
}

/** The ledger's phone digits reversed (the expression of the index `ledger_contact_phone`, migration 015). */
const PHONE_REVERSED = `reverse(regexp_replace(coalesce(fields->>'phone', ''), '[^0-9]', '', 'g'))`;

/**
 * Contact entries of the ledger matching `q` exactly: as the GHL contact id, a source record id,
 * the email written (any case) or the phone written (by its digits, the country code optional), newest first.
 * Each way is its own indexed lookup (`ledger_ghl_id`, `ledger_contact_source_id`, `ledger_contact_email`,
 * `ledger_contact_phone`: a phone's digits reversed, so a trailing match is a prefix); an entry found
 * several ways is listed once, by the first of them.
 */
export async function searchLedgerContacts(db: Queryable, q: string, limit: number): Promise<LedgerContactHit[]> {
  const digits = phoneDigits(q);
  const columns = 'connection_id, source, source_id, ghl_id, location_id, fields, updated_at';
  const ways = [
    `select ${columns}, 1 as rank, 'ghlId' as matched from ledger where kind = 'contact' and ghl_id = $1`,
    `select ${columns}, 2, 'sourceId' from ledger where kind = 'contact' and source_id = $1`,
    `select ${columns}, 3, 'email' from ledger where kind = 'contact' and lower(fields->>'email') = lower($1)`,
    // digits only: nothing in the pattern is a LIKE wildcard
    ...(digits ? [`select ${columns}, 4, 'phone' from ledger where kind = 'contact' and ${PHONE_REVERSED} like $3`] : []),
  ];
  const { rows } = await db.query<{ connection_id: string; source: string; source_id: string; ghl_id: string; location_id: string; fields: Record<string, unknown> | null; updated_at: Date | string; matched: LedgerMatch }>(
    `select * from (
       select distinct on (connection_id, source, source_id) ${columns}, matched
         from (${ways.join('\n         union all ')}) found
        order by connection_id, source, source_id, rank
     ) hits
      order by updated_at desc, connection_id, source, source_id
      limit $2`,
    digits ? [q, limit, `${[...digits].reverse().join('')}%`] : [q, limit],
  );
  return rows.map((r) => ({ connectionId: r.connection_id, source: r.source, sourceId: r.source_id, ghlId: r.ghl_id, locationId: r.location_id, fields: r.fields, updatedAt: new Date(r.updated_at).toISOString(), matchedBy: r.matched }));
}

export interface AuditEntry {
  id: number;
  at: string;
  field: string;
  oldValue: unknown;
  newValue: unknown;
  recipeId: string | null;
  recipeVersion: number | null;
  eventId: number | null;
  runId: number | null;
  /** the event that caused it: its type, source and the source's message id */
  event: { type: string; source: string; externalId: string } | null;
}

/** A GHL contact's audit trail with each change's event, oldest first, one page by offset. */
export async function contactAudit(db: Queryable, contactId: string, offset: number, limit: number): Promise<AuditEntry[]> {
  const { rows } = await db.query<{ id: string; at: Date | string; field: string; old_value: unknown; new_value: unknown; recipe_id: string | null; recipe_version: number | null; event_id: string | null; run_id: string | null; type: string | null; source: string | null; external_id: string | null }>(
    `select a.id, a.at, a.field, a.old_value, a.new_value, a.recipe_id, a.recipe_version, a.event_id, a.run_id, e.type, e.source, e.external_id
       from audit a left join events e on e.id = a.event_id
      where a.contact_id = $1
      order by a.id offset $2 limit $3`,
    [contactId, offset, limit],
  );
  return rows.map((r) => ({
    id: Number(r.id), at: new Date(r.at).toISOString(), field: r.field, oldValue: r.old_value, newValue: r.new_value, recipeId: r.recipe_id, recipeVersion: r.recipe_version,
    eventId: r.event_id === null ? null : Number(r.event_id), runId: r.run_id === null ? null : Number(r.run_id),
    event: r.type !== null && r.source !== null && r.external_id !== null ? { type: r.type, source: r.source, externalId: r.external_id } : null,
  }));
}

export interface LinkedSource {
  connectionId: string;
  source: string;
  sourceId: string;
  updatedAt: string;
}

/** The source records the ledger links to each GHL contact id, newest first. */
export async function linkedSourceRecords(db: Queryable, ghlIds: string[]): Promise<Map<string, LinkedSource[]>> {
  const out = new Map<string, LinkedSource[]>();
  if (ghlIds.length === 0) return out;
  const { rows } = await db.query<{ ghl_id: string; connection_id: string; source: string; source_id: string; updated_at: Date | string }>(
    `select ghl_id, connection_id, source, source_id, updated_at from ledger where kind = 'contact' and ghl_id = any($1::text[]) order by updated_at desc, source, source_id`,
    [ghlIds],
  );
  for (const r of rows) {
    const list = out.get(r.ghl_id) ?? [];
    list.push({ connectionId: r.connection_id, source: r.source, sourceId: r.source_id, updatedAt: new Date(r.updated_at).toISOString() });
    out.set(r.ghl_id, list);
  }
  return out;
}

/** Whether a phone number as stored matches the digits searched (`phoneDigits`). */
export function phoneMatches(stored: unknown, digits: string): boolean {
  return digits !== '' && typeof stored === 'string' && stored.replace(/\D+/g, '').endsWith(digits);
}
