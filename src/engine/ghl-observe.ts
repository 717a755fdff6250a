import type { Queryable } from './db/types.js';
import { stableJson } from './plan/hash.js';

/**
 * GHL as a source: what the ledger knows of a GHL contact that a webhook (or the reconciliation)
 * shows. Loop prevention rests on one rule: a contact state equal to what the engine last wrote
 * is our own echo and triggers nothing; any other state is news, and the ledger learns it, so
 * the forward recipe does not write it back when the source app echoes it in turn.
 */

/** Fields not compared: written in another shape than webhooks show them, or not contact data. */
const NOT_COMPARED = new Set(['customFields', 'locationId', 'name']);

/** How long a state we wrote still marks a webhook showing it as our echo. */
const ECHO_WINDOW_HOURS = 24;

/** Remembers a contact state the engine wrote (called with the ledger write, in its transaction). */
export async function rememberGhlWrite(db: Queryable, ghlId: string, fields: Record<string, unknown>): Promise<void> {
  await db.query(`delete from ghl_writes where ghl_id = $1 and at < now() - interval '${ECHO_WINDOW_HOURS} hours'`, [ghlId]);
  await db.query('insert into ghl_writes (ghl_id, fields) values ($1, $2)', [ghlId, JSON.stringify(fields)]);
}

interface Row {
  connection_id: string;
  source: string;
  source_id: string;
  fields: Record<string, unknown> | null;
}

/**
 * Source records linked to a GHL contact: `{ [source]: sourceId }` (the first link per source).
 *
 * @example
 * await linksOf(db, 'ghl-contact-id'); // { connecteam: '9100001', recruitee: '5000001' }
 */
export async function linksOf(db: Queryable, ghlContactId: string): Promise<Record<string, string>> {
  const { rows } = await db.query<Row>(`select connection_id, source, source_id, fields from ledger where kind = 'contact' and ghl_id = $1 order by updated_at`, [ghlContactId]);
  const links: Record<string, string> = {};
  for (const r of rows) links[r.source] ??= r.source_id;
  return links;
}

/**
 * Source records linked to a GHL task or note (by the ledger): `{ [source]: sourceId }`, e.g. the
 * ERP task a GHL task was created for.
 *
 * @example
 * await recordLinksOf(db, 'task', 'ghl-task-id'); // { erp: 'T-1001' }
 */
export async function recordLinksOf(db: Queryable, kind: 'task' | 'note', ghlId: string): Promise<Record<string, string>> {
  const { rows } = await db.query<{ source: string; source_id: string }>(`select source, source_id from ledger where kind = $1 and ghl_id = $2 order by updated_at`, [kind, ghlId]);
  const links: Record<string, string> = {};
  for (const r of rows) links[r.source] ??= r.source_id;
  return links;
}

function same(field: string, written: unknown, shown: unknown): boolean {
  if (field === 'tags') {
    const a = new Set((Array.isArray(written) ? written : []).map((t) => String(t).toLowerCase()));
    const b = new Set((Array.isArray(shown) ? shown : []).map((t) => String(t).toLowerCase()));
    return a.size === b.size && [...a].every((t) => b.has(t));
  }
  if (field === 'email' && typeof written === 'string' && typeof shown === 'string') return written.toLowerCase() === shown.toLowerCase();
  const missing = (v: unknown) => v === undefined || v === null || v === '';
  if (missing(written) && missing(shown)) return true;
  return stableJson(written) === stableJson(shown);
}

const comparable = (fields: Record<string, unknown>, contact: Record<string, unknown>) => Object.keys(fields).filter((k) => !NOT_COMPARED.has(k) && (k !== 'tags' || 'tags' in contact));

function contactId(contact: Record<string, unknown>): string | null {
  const id = contact.id ?? contact.contactId;
  return typeof id === 'string' && id !== '' ? id : null;
}

async function linkedEntries(db: Queryable, id: string): Promise<Row[]> {
  const { rows } = await db.query<Row>(`select connection_id, source, source_id, fields from ledger where kind = 'contact' and ghl_id = $1`, [id]);
  return rows;
}

/**
 * Whether a GHL contact (flat, as HighLevel's contact webhooks and the search show it, with `id`)
 * is an echo of our own write: it equals, on every field written, what one linked ledger entry
 * last wrote, or a state we wrote earlier (webhooks may arrive out of order). Reads only. A
 * contact linked to no record is never an echo.
 *
 * @example
 * if (await isGhlEcho(db, webhook)) return []; // our own write: nothing to do
 */
export async function isGhlEcho(db: Queryable, contact: Record<string, unknown>): Promise<boolean> {
  const id = contactId(contact);
  if (!id) return false;
  const rows = await linkedEntries(db, id);
  if (rows.length === 0) return false;
  const matches = (fields: Record<string, unknown>) => comparable(fields, contact).every((k) => same(k, fields[k], contact[k]));
  if (rows.some((r) => matches(r.fields ?? {}))) return true;
  const { rows: written } = await db.query<{ fields: Record<string, unknown> }>(`select fields from ghl_writes where ghl_id = $1 and at > now() - interval '${ECHO_WINDOW_HOURS} hours'`, [id]);
  return written.some((w) => matches(w.fields));
}

/**
 * The ledger learns a contact state seen in GHL (not ours): every linked entry takes the values
 * shown for the fields it writes, its hash cleared so the next plan diffs field by field. Then the
 * forward recipe does not write the change back when the source app echoes it in turn. Call it
 * after the event is stored: a crash in between costs at most one redundant write, never the event.
 */
export async function learnGhlContact(db: Queryable, contact: Record<string, unknown>): Promise<void> {
  const id = contactId(contact);
  if (!id) return;
  for (const r of await linkedEntries(db, id)) {
    const fields = { ...(r.fields ?? {}) };
    for (const k of comparable(fields, contact)) fields[k] = contact[k] ?? null;
    await db.query(
      `update ledger set fields = $5, fields_hash = null, updated_at = now() where connection_id = $1 and source = $2 and kind = 'contact' and source_id = $3 and ghl_id = $4`,
      [r.connection_id, r.source, r.source_id, id, JSON.stringify(fields)],
    );
  }
}

async function linkedRecords(db: Queryable, kind: 'task' | 'note', ghlId: string) {
  const { rows } = await db.query<Row>(`select connection_id, source, source_id, fields from ledger where kind = $1 and ghl_id = $2`, [kind, ghlId]);
  return rows;
}

/**
 * Whether a GHL task or note state (e.g. `{ completed: true }` from a TaskComplete webhook) is what
 * the engine last wrote to it: our own echo. Reads only; unlinked records are never echoes.
 *
 * @example
 * if (await isRecordEcho(db, 'task', taskId, { completed: true })) return []; // we completed it
 */
export async function isRecordEcho(db: Queryable, kind: 'task' | 'note', ghlId: string, shown: Record<string, unknown>): Promise<boolean> {
  const rows = await linkedRecords(db, kind, ghlId);
  return rows.some((r) => Object.entries(shown).every(([k, v]) => same(k, r.fields?.[k], v)));
}

/** The ledger learns a task or note state seen in GHL (after its event is stored), so the source's echo of it writes nothing back. */
export async function learnRecord(db: Queryable, kind: 'task' | 'note', ghlId: string, shown: Record<string, unknown>): Promise<void> {
  for (const r of await linkedRecords(db, kind, ghlId)) {
    await db.query(
      `update ledger set fields = $5, updated_at = now() where connection_id = $1 and source = $2 and kind = $3 and source_id = $4`,
      [r.connection_id, r.source, kind, r.source_id, JSON.stringify({ ...(r.fields ?? {}), ...shown })],
    );
  }
}
