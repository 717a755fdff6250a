import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client.ts';
import { Link } from '../../app/router.tsx';
import { Card, DataTable, Empty, ErrorBox, Page, StatusBadge, Time } from '../../ui/index.ts';
import { StartSync } from './start-form.tsx';
import './syncs.css';

/** `/syncs`: start one, and every sync newest first. */
export function SyncsPage() {
  const syncs = useQuery({ queryKey: ['syncs'], queryFn: () => unwrap(api.GET('/api/v1/syncs', { params: { query: { limit: 100 } } })), refetchInterval: 3000 });
  return (
    <Page title="Syncs" subtitle="Full syncs list every record of an app and run each through a recipe; a dry run shows what one would do.">
      <StartSync />
      <Card title="Recent syncs">
        {syncs.error ? <ErrorBox error={syncs.error} /> : null}
        {syncs.data && syncs.data.items.length === 0 ? <Empty>No sync yet: start one above.</Empty> : null}
        {syncs.data && syncs.data.items.length > 0 ? (
          <DataTable label="Syncs" columns={['Sync', 'Status', 'Connection', 'Recipe', { label: 'Records', className: 'num' }, 'Started', 'Listing ended']}>
            {syncs.data.items.map((s) => (
              <tr key={s.id}>
                <td><Link to={`/syncs/${s.id}`}>Sync {s.id}</Link></td>
                <td>
                  <StatusBadge status={s.running ? 'running' : s.status} label={s.running ? 'listing' : s.status} />
                  {s.error ? <div className="small muted">{s.error}</div> : null}
                </td>
                <td className="mono">{s.connectionId}</td>
                <td className="mono">{s.recipeId ?? (s.scheduleId ? `schedule ${s.scheduleId}` : '—')}</td>
                <td className="num">{s.records}</td>
                <td><Time iso={s.startedAt} /></td>
                <td><Time iso={s.finishedAt} /></td>
              </tr>
            ))}
          </DataTable>
        ) : null}
      </Card>
    </Page>
  );
}
