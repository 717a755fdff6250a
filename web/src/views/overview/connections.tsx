import { useMutation } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client.ts';
import { Link } from '../../app/router.tsx';
import { Button, Card, Empty, ErrorBox, StatusBadge, Time, duration } from '../../ui/index.ts';
import type { ConnectionHealth } from './types.ts';

function health(k: ConnectionHealth): { status: string; label: string } {
  if (k.reconnectNeeded) return { status: 'reconnect needed', label: 'reconnect needed' };
  if (k.lastError && (!k.lastSuccessAt || k.lastError.at > k.lastSuccessAt)) return { status: 'degraded', label: 'last call failed' };
  if (k.lastSuccessAt) return { status: 'healthy', label: 'healthy' };
  return { status: 'waiting', label: 'no runs yet' };
}

/** Re-authorize a GHL connection: asks the server for a single-use connect link, then offers it. */
function Reconnect({ id }: { id: string }) {
  const link = useMutation({ mutationFn: () => unwrap(api.POST('/api/v1/connect/ghl', { body: { connectionId: id } })) });
  const data = link.data as { url?: string; expiresAt?: string } | undefined;
  if (data?.url) {
    return (
      <a className="btn btn-primary ov-connect" href={data.url} aria-label={`Open GHL authorization for ${id}`}>
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
        <div className="table-wrap">
          <table className="table" aria-label="Connection health">
            <thead>
              <tr>
                <th scope="col">Connection</th>
                <th scope="col">Health</th>
                <th scope="col">Last success</th>
                <th scope="col">Last error</th>
                <th scope="col">OAuth token</th>
                <th scope="col" className="num">Queued</th>
                <th scope="col"><span className="ov-hidden">Action</span></th>
              </tr>
            </thead>
            <tbody>
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
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}
