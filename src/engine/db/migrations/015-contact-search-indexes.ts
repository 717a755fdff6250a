/**
 * Indexes behind the console's contact search (`GET /api/v1/contacts/search`), which looks a text
 * up in the ledger's contact entries as each of: the GHL id (`ledger_ghl_id`, migration 001), the
 * email written (`ledger_contact_email`, migration 012), and here the source record id and the
 * phone written. A phone matches by its trailing digits (the country code optional), so its index
 * holds the digits reversed: `555 010 2000` is then the prefix `0002010555` of `+15550102000`'s.
 */
export const sql = `
create index ledger_contact_source_id on ledger (source_id) where kind = 'contact';
create index ledger_contact_phone on ledger ((reverse(regexp_replace(coalesce(fields->>'phone', ''), '[^0-9]', '', 'g'))) text_pattern_ops) where kind = 'contact';
`;
