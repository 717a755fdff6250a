import { z } from 'zod';
import type { Contact } from '../../../ghl/operations/models.js';
import { linkedSourceRecords, phoneDigits, phoneMatches, searchLedgerContacts, type LedgerContactHit } from '../../queries/contacts.js';
import type { ServerContext } from '../contract.js';
import { defineRoute } from '../contract.js';

/** How many GHL locations one search asks at most (each answers one search, and one read for an id). */
const MAX_LOCATIONS = 5;
const PER_LOCATION = 10;
/** Ledger matches read from GHL by id, at most. */
const MAX_REFRESH = 10;

export const contactMatchBody = z.object({
  ghlId: z.string().describe('the GHL contact id'),
  connectionId: z.string().nullable().describe('the GHL location connection it was found through (open its 360° view with ?connection=)'),
  locationId: z.string().nullable(),
  name: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  matchedBy: z.array(z.enum(['ghlId', 'sourceId', 'email', 'phone', 'text'])).describe('what matched: the GHL id, a source record id, the email, the phone, or GHL\'s free-text search'),
  sources: z.array(z.object({ connectionId: z.string(), source: z.string(), sourceId: z.string(), updatedAt: z.string() })).describe('the source records linked to it in the ledger'),
  inGhl: z.boolean().describe('found in GHL now (false: only in the ledger, GHL was not asked or did not answer)'),
});
type ContactMatch = z.infer<typeof contactMatchBody>;
type Matched = ContactMatch['matchedBy'][number];

const text = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v : null);
const nameOf = (c: Record<string, unknown>) => text(c.contactName) ?? text(c.name) ?? (([text(c.firstName), text(c.lastName)].filter(Boolean).join(' ') || null));

/** What of `q` a GHL contact shows: its id, email, phone, or only GHL's free-text match. */
function howMatched(contact: Contact, q: string): Matched {
  if (contact.id === q) return 'ghlId';
  if (typeof contact.email === 'string' && contact.email.toLowerCase() === q.toLowerCase()) return 'email';
  if (phoneMatches(contact.phone, phoneDigits(q))) return 'phone';
  return 'text';
}

/** Looks like a GHL id (letters and digits, no spaces or @): worth one read by id. */
const idLike = (q: string) => /^[A-Za-z0-9]{8,64}$/.test(q);

/** The GHL locations' own answers: by id, and GHL's search (email, phone, name). Failures are reported per connection, never thrown. */
async function askGhl(server: ServerContext, q: string, only: string | undefined): Promise<{ found: Array<{ connectionId: string; locationId: string; contact: Contact; matchedBy: Matched }>; problems: Array<{ connectionId: string; message: string }> }> {
  const all = (await server.bridge.connections.list({ app: 'ghl-location' })).filter((c) => !only || c.id === only).slice(0, MAX_LOCATIONS);
  const found: Array<{ connectionId: string; locationId: string; contact: Contact; matchedBy: Matched }> = [];
  const problems: Array<{ connectionId: string; message: string }> = [];
  await Promise.all(all.map(async (conn) => {
    try {
      const { client, locationId } = await server.bridge.ghl(conn.id);
      if (idLike(q)) {
        try {
          const { contact } = await client.contacts.get(q, { locationId });
          if (contact) found.push({ connectionId: conn.id, locationId, contact, matchedBy: 'ghlId' });
        } catch (e) {
          const status = (e as { status?: number }).status;
          // not a contact id of this location: the search below may still match
          if (status !== 404 && status !== 400 && status !== 422) throw e;
        }
      }
      const { contacts } = await client.contacts.search({ locationId, query: q, pageLimit: PER_LOCATION });
      for (const contact of contacts) found.push({ connectionId: conn.id, locationId, contact, matchedBy: howMatched(contact, q) });
    } catch (e) {
      const status = (e as { status?: number }).status;
      // the client's errors carry no secrets; only the status and the kind are shown
      problems.push({ connectionId: conn.id, message: status ? `HighLevel answered ${status}` : `HighLevel could not be asked (${(e as Error).name})` });
    }
  }));
  return { found, problems };
}

export default defineRoute({
  method: 'GET',
  path: '/api/v1/contacts/search',
  summary: 'Find GHL contacts by GHL contact id, email, phone or source record id: through the ledger (exact) and each GHL location\'s own search',
  tag: 'contacts',
  auth: true,
  query: z.strictObject({
    q: z.string().trim().min(1, 'type a GHL contact id, an email, a phone or a source record id').max(200),
    connection: z.string().min(1).max(200).optional().describe('only this GHL location connection'),
    ghl: z.enum(['true', 'false']).default('true').describe('false: the ledger only (no call to GHL)'),
  }),
  responses: {
    200: {
      description: 'The matches, ledger-linked first',
      body: z.object({ q: z.string(), items: z.array(contactMatchBody), problems: z.array(z.object({ connectionId: z.string(), message: z.string() })).describe('GHL locations that could not be searched') }),
    },
  },
  async handler({ query, server, c }) {
    const q = query.q;
    const ledger = (await searchLedgerContacts(server.bridge.db, q, 50)).filter((h) => !query.connection || h.connectionId === query.connection);
    const ghl = query.ghl === 'true' ? await askGhl(server, q, query.connection) : { found: [], problems: [] };
    const byId = new Map<string, ContactMatch>();
    const add = (ghlId: string, base: Omit<ContactMatch, 'ghlId' | 'matchedBy' | 'sources' | 'inGhl'>, matched: Matched, inGhl: boolean) => {
      let m = byId.get(ghlId);
      if (!m) {
        m = { ghlId, ...base, matchedBy: [], sources: [], inGhl };
        byId.set(ghlId, m);
      }
      if (inGhl && !m.inGhl) Object.assign(m, base, { inGhl: true });
      if (!m.matchedBy.includes(matched)) m.matchedBy.push(matched);
      return m;
    };
    const ledgerBase = (h: LedgerContactHit) => {
      const f = h.fields ?? {};
      return { connectionId: h.connectionId, locationId: h.locationId, name: nameOf(f), email: text(f.email), phone: text(f.phone) };
    };
    for (const h of ledger) add(h.ghlId, ledgerBase(h), h.matchedBy, false);
    for (const g of ghl.found) {
      const ct = g.contact as Contact & Record<string, unknown>;
      add(ct.id, { connectionId: g.connectionId, locationId: g.locationId, name: nameOf(ct), email: text(ct.email), phone: text(ct.phone) }, g.matchedBy, true);
    }
    // matches only the ledger knows: read from GHL now (current name and email; a contact deleted there stays inGhl false)
    if (query.ghl === 'true') await refreshFromGhl(server, [...byId.values()].filter((m) => !m.inGhl).slice(0, MAX_REFRESH));
    // every source record linked to each match (not only the one that matched)
    const linked = await linkedSourceRecords(server.bridge.db, [...byId.keys()]);
    for (const m of byId.values()) m.sources = linked.get(m.ghlId) ?? [];
    const rank = (m: ContactMatch) => (m.matchedBy.includes('text') && m.matchedBy.length === 1 ? 1 : 0);
    const items = [...byId.values()].sort((a, b) => rank(a) - rank(b));
    return c.json({ q, items, problems: ghl.problems });
  },
});

/** Fills ledger-only matches from GHL by id (its connection's client); failures leave them as the ledger has them. */
async function refreshFromGhl(server: ServerContext, matches: ContactMatch[]): Promise<void> {
  await Promise.all(matches.map(async (m) => {
    if (!m.connectionId) return;
    try {
      const { client, locationId } = await server.bridge.ghl(m.connectionId);
      const { contact } = await client.contacts.get(m.ghlId, { locationId });
      const ct = contact as Contact & Record<string, unknown>;
      Object.assign(m, { locationId, name: nameOf(ct) ?? m.name, email: text(ct.email) ?? m.email, phone: text(ct.phone) ?? m.phone, inGhl: true });
    } catch {
      // not there any more, or GHL not reachable: the ledger's view stands
    }
  }));
}
