import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, unwrap } from '../../api/client.ts';
import { Link, setQuery, useLocation } from '../../app/router.tsx';
import { Button, Card, DataTable, Empty, ErrorBox, Field, Page } from '../../ui/index.ts';
import type { ContactMatch } from './types.ts';

const MATCHED: Record<string, string> = { ghlId: 'GHL id', sourceId: 'source record', email: 'email', phone: 'phone', text: 'GHL search' };

/** The 360° view's address of a match (through the connection it was found by). */
export const contactHref = (m: Pick<ContactMatch, 'ghlId' | 'connectionId'>) => `/contacts/${encodeURIComponent(m.ghlId)}${m.connectionId ? `?connection=${encodeURIComponent(m.connectionId)}` : ''}`;

/** `/contacts`: find a contact by GHL id, email, phone or source record id. */
export function ContactsSearchPage() {
  const { query } = useLocation();
  const q = query.get('q') ?? '';
  const [text, setText] = useState(q);
  const found = useQuery({
    queryKey: ['contacts-search', q],
    queryFn: () => unwrap(api.GET('/api/v1/contacts/search', { params: { query: { q } } })),
    enabled: q.trim() !== '',
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setQuery({ q: text.trim() });
  };
  return (
    <Page title="Contacts" subtitle="Find a GHL contact by its GHL id, email, phone or a source record id: through the ledger and each GHL location's search.">
      <Card>
        <form role="search" className="row" onSubmit={submit}>
          <Field label="Find contact" name="q" error={found.error} hint="e.g. ada@example.com, +1 201 555 0123, usr_123 or a GHL contact id">
            {(p) => <input {...p} type="search" name="q" className="contacts-search" value={text} autoComplete="off" spellCheck={false} onChange={(e) => setText(e.target.value)} />}
          </Field>
          <Button type="submit" variant="primary" busy={found.isFetching}>Find</Button>
        </form>
      </Card>
      {q ? (
        <Card title={found.data ? `${found.data.items.length} ${found.data.items.length === 1 ? 'match' : 'matches'} for “${q}”` : `Searching “${q}”…`}>
          {found.error ? <ErrorBox error={found.error} /> : null}
          {found.data?.problems.map((p) => <p key={p.connectionId} className="small muted" role="note">Could not search {p.connectionId}: {p.message}</p>)}
          {found.data && found.data.items.length === 0 ? <Empty>No contact matches. Try the exact email, the phone with its country code, or the id of the record in its app.</Empty> : null}
          {found.data && found.data.items.length > 0 ? (
            <DataTable label="Contacts found" columns={['Contact', 'Email', 'Phone', 'GHL id', 'Location', 'Matched by', 'Source records']}>
              {found.data.items.map((m) => (
                <tr key={m.ghlId}>
                  <td><Link to={contactHref(m)}>{m.name ?? m.email ?? m.ghlId}</Link>{m.inGhl ? null : <div className="small muted">only in the ledger</div>}</td>
                  <td>{m.email ?? '—'}</td>
                  <td>{m.phone ?? '—'}</td>
                  <td className="mono small">{m.ghlId}</td>
                  <td><span className="mono small">{m.connectionId ?? '—'}</span>{m.locationId ? <div className="small muted mono">{m.locationId}</div> : null}</td>
                  <td>{m.matchedBy.map((b) => <span key={b} className="badge badge-info">{MATCHED[b] ?? b}</span>)}</td>
                  <td className="small">{m.sources.length === 0 ? <span className="muted">none</span> : m.sources.map((s) => <div key={`${s.source}:${s.sourceId}`}><span className="muted">{s.source}</span> <span className="mono">{s.sourceId}</span></div>)}</td>
                </tr>
              ))}
            </DataTable>
          ) : null}
        </Card>
      ) : null}
    </Page>
  );
}
