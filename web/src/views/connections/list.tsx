import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../../api/client.ts';
import { Link, useLocation } from '../../app/router.tsx';
import { Button, Card, ConfirmDialog, DataTable, Empty, ErrorBox, Field, Page, StatusBadge, Time } from '../../ui/index.ts';
import { useConnectLink } from './connect.tsx';
import type { Connection } from './types.ts';

const AUTH_LABEL: Record<string, string> = { pit: 'Private Integration Token', oauth: 'OAuth', 'signing-secret': 'Signing secret', 'api-key': 'API key', 'api-token': 'API token' };

/** The status word of a connection: reconnect needed, the last test's outcome, or untested. */
function statusOf(c: Connection): { status: string; label: string } {
  if (c.needsReauth) return { status: 'reconnect needed', label: 'reconnect needed' };
  if (c.app === 'ghl-location' && c.authKind === 'oauth' && !c.oauth) return { status: 'pending', label: 'not connected yet' };
  if (!c.lastTest) return { status: 'muted', label: 'not tested' };
  return c.lastTest.ok ? { status: 'ok', label: 'ok' } : { status: 'failed', label: 'test failed' };
}

/** `/connections`: every connection with its health; test, (re)connect by OAuth, remove. */
export function ConnectionsPage() {
  const { query } = useLocation();
  const added = query.get('added');
  const list = useQuery({ queryKey: ['connections'], queryFn: () => unwrap(api.GET('/api/v1/connections', { params: { query: { limit: 500 } } })), refetchInterval: 10_000 });
  const connect = useConnectLink();
  const [removing, setRemoving] = useState<Connection | null>(null);
  const items = list.data?.items ?? [];
  return (
    <Page
      title="Connections"
      subtitle="The app accounts recipes read from and the GHL locations they write to. Secrets are never shown."
      actions={(
        <>
          <Button busy={connect.isPending} onClick={() => connect.mutate(undefined)}>Connect a GHL location (OAuth)</Button>
          <Link to="/connections/new" className="btn btn-primary">Add connection</Link>
        </>
      )}
    >
      {added ? <p className="connections-notice" role="status">Connection <span className="mono">{added}</span> added. Test it to check its credentials.</p> : null}
      {connect.error ? <ErrorBox error={connect.error} title="Could not start the OAuth connection" /> : null}
      {connect.data ? <p className="connections-notice" role="status">HighLevel opened in a new tab (the link works once, until <Time iso={connect.data.expiresAt} />).</p> : null}
      <Card>
        {list.error ? <ErrorBox error={list.error} /> : null}
        {list.data && items.length === 0 ? <Empty>No connection yet. <Link to="/connections/new">Add one</Link>: your app, a GHL location, Recruitee, Connecteam or an ERP.</Empty> : null}
        {items.length > 0 ? (
          <DataTable label="Connections" columns={['Connection', 'App', 'Auth', 'Status', 'Last test', { label: <span className="connections-sr-only">Actions</span> }]}>
            {items.map((c) => <Row key={c.id} c={c} onRemove={() => setRemoving(c)} />)}
          </DataTable>
        ) : null}
      </Card>
      {removing ? <RemoveDialog c={removing} onDone={() => setRemoving(null)} /> : null}
    </Page>
  );
}

function Row({ c, onRemove }: { c: Connection; onRemove: () => void }) {
  const queries = useQueryClient();
  const test = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/connections/{id}/test', { params: { path: { id: c.id } } })),
    onSettled: () => queries.invalidateQueries({ queryKey: ['connections'] }),
  });
  const connect = useConnectLink();
  const s = statusOf(c);
  const oauthLocation = c.app === 'ghl-location' && (c.authKind === 'oauth' || Boolean(c.needsReauth));
  return (
    <tr>
      <td>
        <div className="mono">{c.id}</div>
        <div className="small muted">{c.name}</div>
      </td>
      <td>{c.app}{typeof c.config.source === 'string' ? <div className="small muted">source {c.config.source}</div> : null}</td>
      <td>
        {AUTH_LABEL[c.authKind] ?? c.authKind}
        {c.oauth ? <div className="small muted">token expires <Time iso={c.oauth.expiresAt} /></div> : null}
      </td>
      <td>
        <StatusBadge status={s.status} label={s.label} />
        {c.needsReauth ? <div className="small muted">{c.needsReauth.reason} since <Time iso={c.needsReauth.since} /></div> : null}
      </td>
      <td className="last-test" aria-live="polite">
        {test.isPending ? <span className="muted">testing…</span> : c.lastTest ? (
          <>
            <div>{c.lastTest.message}</div>
            <div className="small muted"><Time iso={c.lastTest.at} /></div>
          </>
        ) : <span className="muted">—</span>}
        {test.error ? <ErrorBox error={test.error} title="Test failed to run" /> : null}
        {connect.error ? <ErrorBox error={connect.error} title="Could not start the OAuth connection" /> : null}
      </td>
      <td>
        <div className="row row-nowrap">
          <Button busy={test.isPending} onClick={() => test.mutate()} aria-label={`Test ${c.id}`}>Test</Button>
          {oauthLocation ? <Button busy={connect.isPending} onClick={() => connect.mutate(c.id)} aria-label={`Re-authorize ${c.id}`}>Re-authorize</Button> : null}
          <Button variant="danger" onClick={onRemove} aria-label={`Remove ${c.id}`}>Remove</Button>
        </div>
      </td>
    </tr>
  );
}

/** Removing asks to type the connection's id: its recipes stop working, its tokens are deleted. */
function RemoveDialog({ c, onDone }: { c: Connection; onDone: () => void }) {
  const queries = useQueryClient();
  const [typed, setTyped] = useState('');
  const remove = useMutation({
    mutationFn: () => unwrap(api.DELETE('/api/v1/connections/{id}', { params: { path: { id: c.id } } })),
    onSuccess: async () => {
      await queries.invalidateQueries({ queryKey: ['connections'] });
      onDone();
    },
  });
  return (
    <ConfirmDialog open title={`Remove ${c.id}?`} confirmLabel="Remove connection" danger busy={remove.isPending} confirmDisabled={typed !== c.id} onConfirm={() => remove.mutate()} onCancel={onDone}>
      <p>Recipes using <span className="mono">{c.id}</span> stop working, and its secrets{c.app === 'ghl-location' ? ' and OAuth tokens' : ''} are deleted. This cannot be undone.</p>
      <Field label={`Type ${c.id} to confirm`} name="confirm-id">
        {(p) => <input {...p} value={typed} autoComplete="off" spellCheck={false} onChange={(e) => setTyped(e.target.value)} />}
      </Field>
      {remove.error ? <ErrorBox error={remove.error} /> : null}
    </ConfirmDialog>
  );
}
