import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../../api/client.ts';
import { Link, setQuery, useLocation } from '../../app/router.tsx';
import { Button, Card, DataTable, Empty, ErrorBox, Field, StatusBadge, Time } from '../../ui/index.ts';
import type { Incident } from './types.ts';

const MUTE_CHOICES = [
  { minutes: 15, label: '15 minutes' },
  { minutes: 60, label: '1 hour' },
  { minutes: 240, label: '4 hours' },
  { minutes: 1440, label: '1 day' },
  { minutes: 10_080, label: '7 days' },
];
const STATUSES = [
  { value: 'open', label: 'Open' },
  { value: 'resolved', label: 'Resolved' },
  { value: 'all', label: 'All' },
] as const;
type StatusFilter = (typeof STATUSES)[number]['value'];

function Actions({ incident }: { incident: Incident }) {
  const queries = useQueryClient();
  const [minutes, setMinutes] = useState('60');
  const done = () => queries.invalidateQueries({ queryKey: ['incidents'] });
  const ack = useMutation({ mutationFn: () => unwrap(api.POST('/api/v1/incidents/{id}/acknowledge', { params: { path: { id: incident.id } }, body: {} })), onSuccess: done });
  const mute = useMutation({ mutationFn: () => unwrap(api.POST('/api/v1/incidents/{id}/mute', { params: { path: { id: incident.id } }, body: { minutes: Number(minutes) } })), onSuccess: done });
  if (incident.status !== 'open') return null;
  return (
    <div className="stack">
      <div className="incident-actions">
        {incident.acknowledgedAt ? null : (
          <Button busy={ack.isPending} onClick={() => ack.mutate()} aria-label={`Acknowledge incident ${incident.id}`}>
            Acknowledge
          </Button>
        )}
        <Field label="Mute for" name="minutes" error={mute.error}>
          {(p) => (
            <select {...p} value={minutes} onChange={(e) => setMinutes(e.target.value)}>
              {MUTE_CHOICES.map((c) => <option key={c.minutes} value={c.minutes}>{c.label}</option>)}
            </select>
          )}
        </Field>
        <Button busy={mute.isPending} onClick={() => mute.mutate()} aria-label={`Mute incident ${incident.id}`}>
          Mute
        </Button>
      </div>
      {ack.error ? <ErrorBox error={ack.error} title="Not acknowledged" /> : null}
    </div>
  );
}

function state(i: Incident): { status: string; label: string } {
  if (i.status === 'resolved') return { status: 'resolved', label: 'resolved' };
  if (i.mutedUntil && Date.parse(i.mutedUntil) > Date.now()) return { status: 'muted', label: 'muted' };
  if (i.acknowledgedAt) return { status: 'acknowledged', label: 'acknowledged' };
  return { status: 'open', label: 'open' };
}

/** The notifications of one incident (who was told, and whether it reached them). */
function Notifications({ id }: { id: number }) {
  const detail = useQuery({ queryKey: ['incidents', 'detail', id], queryFn: () => unwrap(api.GET('/api/v1/incidents/{id}', { params: { path: { id } } })) });
  if (detail.error) return <ErrorBox error={detail.error} />;
  if (!detail.data) return <p className="muted">Loading…</p>;
  const n = detail.data.notifications;
  return n.length === 0 ? (
    <Empty>No notification for this incident (no channel configured).</Empty>
  ) : (
    <DataTable label={`Notifications of incident ${id}`} columns={['Kind', 'Channel', 'Status', { label: 'Attempts', className: 'num' }, 'Last error', 'Sent']}>
      {n.map((x) => (
        <tr key={x.id}>
          <td>{x.kind}</td>
          <td className="mono">{x.channel}</td>
          <td><StatusBadge status={x.status} /></td>
          <td className="num">{x.attempts}</td>
          <td className="small">{x.lastError ?? '—'}</td>
          <td><Time iso={x.sentAt} /></td>
        </tr>
      ))}
    </DataTable>
  );
}

/** Open and resolved incidents: acknowledge, mute for a while, see who was told. */
export function IncidentsCard() {
  const { query } = useLocation();
  const status = (STATUSES.find((s) => s.value === query.get('status'))?.value ?? 'open') as StatusFilter;
  const selected = Number(query.get('incident')) || null;
  const incidents = useQuery({ queryKey: ['incidents', status], queryFn: () => unwrap(api.GET('/api/v1/incidents', { params: { query: { status, limit: 200 } } })), refetchInterval: 5000 });
  return (
    <Card
      title="Incidents"
      actions={
        <div className="tabs" role="group" aria-label="Which incidents">
          {STATUSES.map((s) => (
            <button key={s.value} type="button" className="btn btn-quiet" aria-pressed={status === s.value} onClick={() => setQuery({ status: s.value === 'open' ? undefined : s.value })}>
              {s.label}
            </button>
          ))}
        </div>
      }
    >
      {incidents.error ? <ErrorBox error={incidents.error} /> : null}
      {incidents.data && incidents.data.items.length === 0 ? <Empty>{status === 'open' ? 'No open incident: nothing needs you now.' : 'No incident.'}</Empty> : null}
      {incidents.data && incidents.data.items.length > 0 ? (
        <DataTable label="Incidents" columns={['State', 'What broke', 'Where', { label: 'Count', className: 'num' }, 'Opened', 'Last seen', 'Actions']}>
          {incidents.data.items.map((i) => {
            const s = state(i);
            return (
              <tr key={i.id} data-incident={i.id} className={selected === i.id ? 'selected' : undefined}>
                <td>
                  <StatusBadge status={s.status} label={s.label} />
                  {i.acknowledgedBy ? <div className="small muted">by {i.acknowledgedBy}</div> : null}
                  {s.status === 'muted' ? <div className="small muted">until <Time iso={i.mutedUntil} /></div> : null}
                </td>
                <td className="incident-cause">
                  <div>{i.cause}</div>
                  <div className="advice small muted">{i.advice}</div>
                  <button type="button" className="btn btn-quiet small" aria-expanded={selected === i.id} onClick={() => setQuery({ incident: selected === i.id ? undefined : String(i.id) })}>
                    {selected === i.id ? 'Hide notifications' : 'Notifications'}
                  </button>
                  {selected === i.id ? <Notifications id={i.id} /> : null}
                </td>
                <td className="small">
                  <div>{i.rule}</div>
                  {i.recipeId ? <div><Link to={`/recipes/${encodeURIComponent(i.recipeId)}`}>{i.recipeId}</Link></div> : null}
                  {i.connectionId ? <div><Link to={`/connections/${encodeURIComponent(i.connectionId)}`}>{i.connectionId}</Link></div> : null}
                  {i.latestRunId ? <div><Link to={`/runs/${i.latestRunId}`}>latest run {i.latestRunId}</Link></div> : null}
                </td>
                <td className="num">{i.count}</td>
                <td><Time iso={i.openedAt} /></td>
                <td>{i.resolvedAt ? <>resolved <Time iso={i.resolvedAt} /></> : <Time iso={i.lastSeen} />}</td>
                <td><Actions incident={i} /></td>
              </tr>
            );
          })}
        </DataTable>
      ) : null}
    </Card>
  );
}
