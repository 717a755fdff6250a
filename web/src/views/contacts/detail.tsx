import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client.ts';
import { Link, useLocation } from '../../app/router.tsx';
import type { ViewProps } from '../../app/view-types.ts';
import { Card, DataTable, Empty, ErrorBox, JsonView, KeyValues, Page, StatusBadge, Time } from '../../ui/index.ts';
import type { AuditEntry, ContactView } from './types.ts';

const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : null);
const shown = (v: unknown): string => (v === null || v === undefined ? '∅' : typeof v === 'string' ? v : JSON.stringify(v));

/** `/contacts/:id`: the 360° view (GHL now), its source records (ledger) and its audit trail. */
export function ContactPage({ params }: ViewProps) {
  const id = params.id!;
  const { query } = useLocation();
  const connection = query.get('connection') ?? undefined;
  const view = useQuery({
    queryKey: ['contact-view', id, connection],
    queryFn: () => unwrap(api.GET('/api/v1/contacts/{ghlId}/view', { params: { path: { ghlId: id }, query: connection ? { connection } : {} } })),
  });
  const audit = useQuery({
    queryKey: ['contact-audit', id],
    queryFn: () => unwrap(api.GET('/api/v1/contacts/{ghlId}/audit', { params: { path: { ghlId: id }, query: { limit: 500 } } })),
  });
  const c = view.data?.contact as Record<string, unknown> | undefined;
  const name = c ? (text(c.contactName) ?? ([text(c.firstName), text(c.lastName)].filter(Boolean).join(' ') || text(c.email) || id)) : id;
  return (
    <Page title={name} subtitle={<>GHL contact <span className="mono">{id}</span>{view.data ? <> · location <span className="mono">{view.data.locationId}</span> through <span className="mono">{view.data.connectionId}</span></> : null}</>} actions={<><Link to={`/runs?contact=${encodeURIComponent(id)}`} className="btn">Runs of this contact</Link><Link to="/contacts" className="btn">Find another contact</Link></>}>
      {view.error ? <ErrorBox error={view.error} title="GHL did not answer the 360° view" /> : null}
      {view.data ? <View data={view.data} /> : null}
      <Card title="Audit trail">
        {audit.error ? <ErrorBox error={audit.error} /> : null}
        {audit.data && audit.data.items.length === 0 ? <Empty>No change written by ghl-bridge yet.</Empty> : null}
        {audit.data && audit.data.items.length > 0 ? <Timeline items={audit.data.items} /> : null}
        {audit.data?.next ? <p className="small muted">Showing the first {audit.data.items.length} changes.</p> : null}
      </Card>
    </Page>
  );
}

function View({ data }: { data: ContactView }) {
  const c = data.contact as Record<string, unknown>;
  const tags = Array.isArray(c.tags) ? (c.tags as unknown[]).map(String) : [];
  return (
    <>
      <div className="grid">
        <Card title="Contact">
          <KeyValues items={[
            ['Email', text(c.email)], ['Phone', text(c.phone)], ['First name', text(c.firstName)], ['Last name', text(c.lastName)],
            ['Company', text(c.companyName)], ['Source', text(c.source)],
            ['Tags', tags.length ? <span className="contacts-tags">{tags.map((t) => <span key={t} className="badge badge-muted">{t}</span>)}</span> : null],
            ['Added', c.dateAdded ? <Time iso={String(c.dateAdded)} /> : null], ['Updated', c.dateUpdated ? <Time iso={String(c.dateUpdated)} /> : null],
          ]} />
          <details className="contacts-raw">
            <summary>All fields</summary>
            <JsonView value={c} label="Contact fields" collapsedDepth={1} />
          </details>
        </Card>
        <Card title="Linked source records">
          {data.records.length === 0 ? <Empty>No source record is linked to this contact in the ledger.</Empty> : (
            <DataTable label="Linked source records" columns={['Source', 'Record id', 'Written with', 'Last written']}>
              {data.records.map((r) => (
                <tr key={`${r.connectionId}:${r.source}:${r.kind}:${r.sourceId}`}>
                  <td>{r.source}</td>
                  <td className="mono"><Link to={`/runs?record=${encodeURIComponent(`${r.source}:${r.sourceId}`)}`} aria-label={`Runs of ${r.source} record ${r.sourceId}`}>{r.sourceId}</Link></td>
                  <td className="mono small">{r.connectionId}</td>
                  <td><Time iso={r.updatedAt} /></td>
                </tr>
              ))}
            </DataTable>
          )}
        </Card>
      </div>
      <div className="grid">
        <Card title={`Tasks (${data.tasks.length})`}>
          {data.tasks.length === 0 ? <Empty>No task.</Empty> : (
            <ul className="contacts-list">
              {data.tasks.map((t, i) => (
                <li key={String(t.id ?? i)}>
                  <StatusBadge status={t.completed ? 'completed' : 'open'} label={t.completed ? 'done' : 'open'} /> <strong>{text(t.title) ?? 'Untitled task'}</strong>
                  {t.dueDate ? <span className="small muted"> · due <Time iso={String(t.dueDate)} /></span> : null}
                  {text(t.body) ? <div className="small muted">{text(t.body)}</div> : null}
                </li>
              ))}
            </ul>
          )}
        </Card>
        <Card title={`Notes (${data.notes.length})`}>
          {data.notes.length === 0 ? <Empty>No note.</Empty> : (
            <ul className="contacts-list">
              {data.notes.map((n, i) => (
                <li key={String(n.id ?? i)}>
                  <div className="contacts-note">{text(n.body) ?? ''}</div>
                  {n.dateAdded ? <div className="small muted"><Time iso={String(n.dateAdded)} /></div> : null}
                </li>
              ))}
            </ul>
          )}
        </Card>
        <Card title={`Appointments (${data.appointments.length})`}>
          {data.appointments.length === 0 ? <Empty>No appointment.</Empty> : (
            <ul className="contacts-list">
              {data.appointments.map((a, i) => (
                <li key={String(a.id ?? i)}>
                  <strong>{text(a.title) ?? 'Appointment'}</strong> {text(a.appointmentStatus) ? <StatusBadge status={String(a.appointmentStatus)} /> : null}
                  {a.startTime ? <div className="small muted"><Time iso={String(a.startTime)} /></div> : null}
                </li>
              ))}
            </ul>
          )}
        </Card>
      </div>
    </>
  );
}

/** The audit trail, grouped by run: when, which event, which recipe version, and each field old → new. */
function Timeline({ items }: { items: AuditEntry[] }) {
  const groups: AuditEntry[][] = [];
  for (const e of items) {
    const last = groups[groups.length - 1];
    if (last && last[0]!.runId === e.runId && last[0]!.eventId === e.eventId) last.push(e);
    else groups.push([e]);
  }
  return (
    <ol className="contacts-timeline" aria-label="Audit trail">
      {groups.map((g) => {
        const first = g[0]!;
        return (
          <li key={first.id}>
            <div className="contacts-timeline-head">
              <Time iso={first.at} />
              {first.event ? <span><span className="mono">{first.event.type}</span> <span className="muted small">from {first.event.source} · {first.event.externalId}</span></span> : <span className="muted">no event</span>}
              {first.eventId !== null ? (first.runId !== null ? <Link to={`/runs/${first.runId}`}>event {first.eventId} · run {first.runId}</Link> : <span>event {first.eventId}</span>) : null}
              {first.recipeId ? <span className="mono small">{first.recipeId}@{first.recipeVersion ?? '?'}</span> : null}
            </div>
            <table className="table contacts-diff" aria-label={`Changes at ${first.at}`}>
              <thead><tr><th scope="col">Field</th><th scope="col">Old</th><th scope="col">New</th></tr></thead>
              <tbody>
                {g.map((e) => (
                  <tr key={e.id}>
                    <td className="mono">{e.field}</td>
                    <td className="diff-del">{shown(e.oldValue)}</td>
                    <td className="diff-add">{shown(e.newValue)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </li>
        );
      })}
    </ol>
  );
}
