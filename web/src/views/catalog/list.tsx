import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { api, unwrap } from '../../api/client.ts';
import { Link, setQuery, useLocation } from '../../app/router.tsx';
import { Card, DataTable, Empty, ErrorBox, Field, Page } from '../../ui/index.ts';

/** `/catalog`: every trigger and action, searched on the server as you type. */
export function CatalogPage() {
  const { query } = useLocation();
  const q = query.get('q') ?? '';
  const kind = query.get('kind') ?? '';
  const app = query.get('app') ?? '';
  const [text, setText] = useState(q);
  // the URL follows the typing a moment later (a link or a reload keeps the search)
  useEffect(() => {
    const t = setTimeout(() => { if (text !== q) setQuery({ q: text }); }, 250);
    return () => clearTimeout(t);
  }, [text, q]);
  const apps = useQuery({ queryKey: ['operations-apps'], queryFn: () => unwrap(api.GET('/api/v1/operations', { params: { query: { limit: 500 } } })), staleTime: 300_000 });
  const list = useQuery({
    queryKey: ['operations', q, kind, app],
    queryFn: () => unwrap(api.GET('/api/v1/operations', { params: { query: { limit: 500, ...(q ? { q } : {}), ...(kind === 'trigger' || kind === 'action' ? { kind } : {}), ...(app ? { app } : {}) } } })),
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });
  const appNames = [...new Set((apps.data?.items ?? []).map((e) => e.app))].sort();
  const items = list.data?.items ?? [];
  return (
    <Page title="Catalog" subtitle="Every trigger and action of every connector: its endpoint, scope, input and output schemas, and a sample.">
      <Card>
        <form role="search" className="row" onSubmit={(e) => { e.preventDefault(); setQuery({ q: text }); }}>
          <Field label="Search operations" name="q" error={list.error} hint="Words of the id, title, endpoint, scope or event type, e.g. candidate created">
            {(p) => <input {...p} type="search" name="q" className="catalog-search" value={text} autoComplete="off" spellCheck={false} onChange={(e) => setText(e.target.value)} />}
          </Field>
          <Field label="Kind" name="kind">
            {(p) => (
              <select {...p} value={kind} onChange={(e) => setQuery({ kind: e.target.value })}>
                <option value="">Triggers and actions</option>
                <option value="trigger">Triggers</option>
                <option value="action">Actions</option>
              </select>
            )}
          </Field>
          <Field label="App" name="app">
            {(p) => (
              <select {...p} value={app} onChange={(e) => setQuery({ app: e.target.value })}>
                <option value="">Every app</option>
                {appNames.map((a) => <option key={a} value={a}>{a}</option>)}
              </select>
            )}
          </Field>
        </form>
      </Card>
      <Card title={list.data ? `${items.length} ${items.length === 1 ? 'operation' : 'operations'}` : 'Operations'}>
        {list.error ? <ErrorBox error={list.error} /> : null}
        {list.data && items.length === 0 ? <Empty>Nothing matches “{q}”. Fewer words find more.</Empty> : null}
        {items.length > 0 ? (
          <DataTable label="Operations" columns={['Operation', 'Kind', 'App', 'Endpoint', 'Scope']}>
            {items.map((e) => (
              <tr key={e.id}>
                <td><Link to={`/catalog/${encodeURIComponent(e.id)}`} className="mono">{e.id}</Link><div className="small muted">{e.title}</div></td>
                <td><span className={`badge ${e.kind === 'trigger' ? 'badge-info' : 'badge-muted'}`}>{e.kind === 'trigger' ? `trigger · ${e.type}` : 'action'}</span></td>
                <td>{e.app}</td>
                <td className="mono small">{e.endpoint}</td>
                <td className="mono small">{e.scope ?? '—'}</td>
              </tr>
            ))}
          </DataTable>
        ) : null}
      </Card>
    </Page>
  );
}
