import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../../api/client.ts';
import { Link, setQuery, useLocation } from '../../app/router.tsx';
import type { ViewRoute } from '../../app/view-types.ts';
import { Button, Card, DataTable, Empty, ErrorBox, Field, Page, StatusBadge, Time } from '../../ui/index.ts';

function Filters({ connection, reason }: { connection: string; reason: string }) {
  const [c, setC] = useState(connection);
  const [r, setR] = useState(reason);
  return (
    <form
      className="row"
      aria-label="Filter rejections"
      onSubmit={(e) => {
        e.preventDefault();
        setQuery({ connection: c.trim() || undefined, reason: r.trim() || undefined, cursor: undefined });
      }}
    >
      <Field label="Connection" name="connection">{(p) => <input {...p} value={c} onChange={(e) => setC(e.target.value)} placeholder="any" />}</Field>
      <Field label="Reason" name="reason">{(p) => <input {...p} value={r} onChange={(e) => setR(e.target.value)} placeholder="any, e.g. bad-signature" />}</Field>
      <Button type="submit">Filter</Button>
    </form>
  );
}

function RejectionsPage() {
  const { query } = useLocation();
  const connection = query.get('connection') ?? '';
  const reason = query.get('reason') ?? '';
  const cursor = query.get('cursor') ?? undefined;
  const list = useQuery({
    queryKey: ['webhook-rejections', connection, reason, cursor],
    queryFn: () => unwrap(api.GET('/api/v1/webhook-rejections', { params: { query: { connection: connection || undefined, reason: reason || undefined, cursor, limit: 100 } } })),
    refetchInterval: 5000,
  });
  return (
    <Page title="Webhook rejections" subtitle="Deliveries the server refused, and why (headers redacted; bodies kept only as their hash).">
      <Card>
        <Filters key={`${connection}|${reason}`} connection={connection} reason={reason} />
      </Card>
      {list.error ? <ErrorBox error={list.error} /> : null}
      {list.data && list.data.items.length === 0 ? <Empty>No refused delivery{connection || reason ? ' matches these filters' : ''}.</Empty> : null}
      {list.data && list.data.items.length > 0 ? (
        <DataTable label="Webhook rejections" columns={['Time', 'Connection', 'Reason', 'Detail', { label: 'Body', className: 'num' }]}>
          {list.data.items.map((r) => (
            <tr key={r.id}>
              <td><Time iso={r.at} /></td>
              <td><Link to={`/connections/${encodeURIComponent(r.connectionId)}`}>{r.connectionId}</Link></td>
              <td>
                <StatusBadge status="failed" label={`${r.status} ${r.reason}`} />
              </td>
              <td className="small">
                {r.detail ?? <span className="muted">—</span>}
                <details>
                  <summary>Headers</summary>
                  <pre>{JSON.stringify(r.headers, null, 2)}</pre>
                </details>
              </td>
              <td className="num small"><span className="mono" title={`sha256 ${r.bodySha256}`}>{r.bodyBytes} B</span></td>
            </tr>
          ))}
        </DataTable>
      ) : null}
      {list.data?.next ? (
        <div className="row">
          <Button onClick={() => setQuery({ cursor: list.data.next })}>Older</Button>
        </div>
      ) : null}
    </Page>
  );
}

export const routes: ViewRoute[] = [{ path: '/rejections', component: RejectionsPage, title: 'Webhook rejections' }];
