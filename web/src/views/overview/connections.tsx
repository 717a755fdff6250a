import { useMutation } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client.ts';
import { Link } from '../../app/router.tsx';
import { Button, Card, DataTable, Empty, ErrorBox, StatusBadge, Time, duration } from '../../ui/index.ts';
import type { ConnectionHealth } from './types.ts';

/** The server's state of a connection, in words (the badge's tone follows the status word). */
const HEALTH: Record<ConnectionHealth['state'], { status: string; label: string }> = {
  'reconnect-needed': { status: 'reconnect needed', label: 'reconnect needed' },
  failing: { status: 'degraded', label: 'last call failed' },
  healthy: { status: 'healthy', label: 'healthy' },
  idle: { status: 'waiting', label: 'no runs yet' },
};
const health = (k: ConnectionHealth) => HEALTH[k.state];

/** Re-authorize a GHL connection: asks the server for a single-use connect link, then offers it. */
function Reconnect({ id }: { id: string }) {
  const link = useMutation({ mutationFn: () => unwrap(api.POST('/api/v1/connect/ghl', { body: { connectionId: id } })) });
  if (link.data) {
    return (
      <a className="btn btn-primary ov-connect" href={link.data.url} aria-label={`Open GHL authorization for ${id}`}>
        Open GHL authorization
      </a>
    );
  }
  return (
    <div className="stack">
      <Button variant="primary" busy={link.isPending} onClick={() => link.mutate()} aria-label={`Reconnect ${id}`}>
        Reconnect
      </Button>
      {link.error ? <ErrorBox error={link.error} title="No connect link" /> : null}
    </div>
  );
}

function Token({ token }: { token: ConnectionHealth['token'] }) {
  if (!token) return <span className="muted">—</span>;
  return (
    <span>
      {duration(token.ageSeconds * 1000)} old
      <br />
      <span className={token.expiresInSeconds < 0 ? 'muted small' : 'small'}>
        {token.expiresInSeconds < 0 ? 'access token expired ' : 'expires '}
        <Time iso={token.expiresAt} />
      </span>
    </span>
  );
}

/** Every connection's health, one row each. */
export function ConnectionsCard({ connections }: { connections: ConnectionHealth[] }) {
  return (
    <Card title="Connections" className="overview-wide">
      {connections.length === 0 ? (
        <Empty>
          No connections yet. <Link to="/connections">Add one</Link>.
        </Empty>
      ) : (
        <DataTable label="Connection health" columns={['Connection', 'Health', 'Last success', 'Last error', 'OAuth token', { label: 'Queued', className: 'num' }, { label: <span className="ov-hidden">Action</span> }]}>
          {connections.map((k) => {
            const h = health(k);
            return (
              <tr key={k.id} data-connection={k.id}>
                <td>
                  <Link to={`/connections/${encodeURIComponent(k.id)}`}>{k.name}</Link>
                  <div className="muted small mono">{k.id} · {k.app}{k.auth ? ` · ${k.auth}` : ''}</div>
                </td>
                <td>
                  <StatusBadge status={h.status} label={h.label} />
                  {k.hold ? <div className="small muted">since <Time iso={k.hold.since} /></div> : null}
                </td>
                <td><Time iso={k.lastSuccessAt} /></td>
                <td className="health-error">
                  {k.lastError ? (
                    <>
                      <Time iso={k.lastError.at} />
                      <div className="small">
                        {k.lastError.runId !== null ? <Link to={`/runs/${k.lastError.runId}`}>run {k.lastError.runId}</Link> : null}
                        {k.lastError.runId !== null ? ': ' : ''}
                        {k.lastError.message}
                      </div>
                    </>
                  ) : (
                    <span className="muted">—</span>
                  )}
                </td>
                <td><Token token={k.token} /></td>
                <td className="num">{k.queued}</td>
                <td>{k.reconnectNeeded && k.app === 'ghl-location' ? <Reconnect id={k.id} /> : null}</td>
              </tr>
            );
          })}
        </DataTable>
      )}
    </Card>
  );
}
