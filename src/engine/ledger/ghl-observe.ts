import type { Queryable } from '../db/types.js';
import { stableJson } from '../plan/hash.js';

/**
 * GHL as a source: what the ledger knows of a GHL contact that a webhook (or the reconciliation)
 * shows. Loop prevention rests on one rule: a contact state equal to what the engine last wrote
 * is our own echo and triggers nothing; any other state is news, and the ledger learns it, so
 * the forward recipe does not write it back when the source app echoes it in turn.
 */

/** The contact fields an echo is judged on (what HighLevel's contact webhooks and answers both show). */
const CONTACT_KEYS = ['firstName', 'lastName', 'email', 'phone', 'companyName', 'address1', 'city', 'state', 'postalCode', 'country', 'website', 'timezone', 'source', 'dateOfBirth', 'dnd', 'tags', 'assignedTo'];

/** Fields of the ledger's partial view not compared: written in another shape than webhooks show them, or not contact data. */
const NOT_COMPARED = new Set(['customFields', 'locationId', 'name']);

/** How long a state we wrote still marks a webhook showing it as our echo. */
const ECHO_WINDOW_HOURS = 24;

/**
 * Remembers a contact state the engine wrote, in the transaction of its ledger write: the contact
 * as GHL answered (`full`), or what was sent over what was known (partial). `intent` marks a
 * state recorded before the call (so a webhook racing GHL's answer is still known as ours).
 */
export async function rememberGhlWrite(db: Queryable, ghlId: string, fields: Record<string, unknown>, options: { full?: boolean; intent?: { runId: number; step: number } } = {}): Promise<void> {
  await db.query(
    `with expired as (delete from ghl_writes where ghl_id = $1 and at < now() - interval '${ECHO_WINDOW_HOURS} hours')
     insert into ghl_writes (ghl_id, fields, full_state, run_id, step) values ($1, $2, $3, $4, $5)`,
    [ghlId, JSON.stringify(fields), options.full ?? false, options.intent?.runId ?? null, options.intent?.step ?? null],
  );
}

/**
 * Remembers the state a write leaves when only what was sent is known: `change` over the newest
 * state we know (`knownGhlState`), merged in the same statement (one round trip).
 */
export async function rememberGhlWriteOver(db: Queryable, ghlId: string, change: Record<string, unknown>, options: { intent?: { runId: number; step: number } } = {}): Promise<void> {
  await db.query(
    `with expired as (delete from ghl_writes where ghl_id = $1 and at < now() - interval '${ECHO_WINDOW_HOURS} hours'),
     last as (select fields, full_state from ghl_writes where ghl_id = $1 order by id desc limit 1),
     linked as (select fields from ledger where kind = 'contact' and ghl_id = $1 and fields is not null order by updated_at desc limit 1)
     insert into ghl_writes (ghl_id, fields, full_state, run_id, step)
     select $1, coalesce((select fields from last), (select fields from linked), '{}'::jsonb) || $2::jsonb, coalesce((select full_state from last), false), $3, $4`,
    [ghlId, JSON.stringify(change), options.intent?.runId ?? null, options.intent?.step ?? null],
  );
}

/** Forgets the intended state of a step that was provably not sent. */
export async function forgetGhlIntent(db: Queryable, runId: number, step: number): Promise<void> {
  await db.query('delete from ghl_writes where run_id = $1 and step = $2', [runId, step]);
}

/**
 * The newest state we know a contact has (to build the next intended state on): the last one we
 * wrote, else what the ledger knows of it (partial).
 */
export async function knownGhlState(db: Queryable, ghlId: string): Promise<{ fields: Record<string, unknown>; full: boolean }> {
  const { rows } = await db.query<{ fields: Record<string, unknown>; full_state: boolean }>('select fields, full_state from ghl_writes where ghl_id = $1 order by id desc limit 1', [ghlId]);
  if (rows[0]) return { fields: rows[0].fields, full: rows[0].full_state };
  const { rows: ledger } = await db.query<{ fields: Record<string, unknown> | null }>(`select fields from ledger where kind = 'contact' and ghl_id = $1 order by updated_at desc limit 1`, [ghlId]);
  return { fields: ledger[0]?.fields ?? {}, full: false };
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
 * is no news: an echo of our own write — it equals a state we wrote in the last hours, the contact
 * as GHL answered our write compared on every contact field (so a field changed in GHL that we
 * never write is news), or, for states known only partly, on the fields we wrote; out-of-order
 * webhooks of earlier writes count too — or the state last seen (and learnt) by the other path,
 * e.g. a webhook's change found again by the reconciliation. Reads only.
 *
 * @example
 * if (await isGhlEcho(db, webhook)) return []; // our own write: nothing to do
 */
export async function isGhlEcho(db: Queryable, contact: Record<string, unknown>): Promise<boolean> {
  const id = contactId(contact);
  if (!id) return false;
  // seen already, by the other path (a webhook, then the reconciliation): not news
  const { rows: seen } = await db.query<{ fields: Record<string, unknown> }>('select fields from ghl_seen where ghl_id = $1', [id]);
  if (seen[0] && CONTACT_KEYS.every((k) => same(k, seen[0]!.fields[k], contact[k]))) return true;
  const { rows: written } = await db.query<{ fields: Record<string, unknown>; full_state: boolean }>(`select fields, full_state from ghl_writes where ghl_id = $1 and at > now() - interval '${ECHO_WINDOW_HOURS} hours'`, [id]);
  const matchesOn = (fields: Record<string, unknown>, keys: string[]) => keys.every((k) => same(k, fields[k], contact[k]));
  return written.some((w) => matchesOn(w.fields, w.full_state ? CONTACT_KEYS : comparable(w.fields, contact)));
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
  // what we wrote before this change is history now: a user reverting to it is news, not our echo
  await db.query('delete from ghl_writes where ghl_id = $1', [id]);
  const shown = Object.fromEntries(CONTACT_KEYS.map((k) => [k, contact[k] ?? null]));
  await db.query(`insert into ghl_seen (ghl_id, fields, at) values ($1, $2, now()) on conflict (ghl_id) do update set fields = excluded.fields, at = now()`, [id, JSON.stringify(shown)]);
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
  const matches = (fields: Record<string, unknown> | null) => Object.entries(shown).every(([k, v]) => same(k, fields?.[k], v));
  const rows = await linkedRecords(db, kind, ghlId);
  if (rows.some((r) => matches(r.fields))) return true;
  // a write about to be answered (its webhook may beat the answer): recorded before the call
  const { rows: written } = await db.query<{ fields: Record<string, unknown> }>(`select fields from ghl_writes where ghl_id = $1 and at > now() - interval '${ECHO_WINDOW_HOURS} hours'`, [ghlId]);
  return written.some((w) => matches(w.fields));
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
