import { useMutation, useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client.ts';
import { Button, Card, DataTable, Empty, ErrorBox, StatusBadge, Time } from '../../ui/index.ts';
import type { Channel } from './types.ts';

function ChannelRow({ channel }: { channel: Channel }) {
  const test = useMutation({ mutationFn: () => unwrap(api.POST('/api/v1/alerts/test', { body: { channel: channel.name } })) });
  return (
    <li data-channel={channel.name}>
      <strong className="mono">{channel.name}</strong>
      <span className="badge badge-muted">{channel.type}</span>
      {channel.default ? <span className="badge badge-info">default</span> : null}
      <span className="muted">{channel.target}</span>
      {channel.missingEnv.length ? <StatusBadge status="error" label={`missing env ${channel.missingEnv.join(', ')}`} /> : null}
      <Button busy={test.isPending} onClick={() => test.mutate()} aria-label={`Send test to ${channel.name}`}>
        Send test
      </Button>
      <span role="status">
        {test.data ? <StatusBadge status="ok" label={`test sent (notification ${test.data.notificationId})`} /> : null}
      </span>
      {test.error ? <ErrorBox error={test.error} title={`The test to ${channel.name} failed`} /> : null}
    </li>
  );
}

export function ChannelsCard() {
  const channels = useQuery({ queryKey: ['alert-channels'], queryFn: () => unwrap(api.GET('/api/v1/alerts/channels')) });
  return (
    <Card title="Channels">
      {channels.error ? <ErrorBox error={channels.error} /> : null}
      {channels.data && channels.data.items.length === 0 ? <Empty>No alert channel is configured: add one under <code>alerts.channels</code> in the config file.</Empty> : null}
      {channels.data && channels.data.items.length > 0 ? (
        <ul className="channel-list">
          {channels.data.items.map((c) => <ChannelRow key={c.name} channel={c} />)}
        </ul>
      ) : null}
    </Card>
  );
}

/** The newest notifications across incidents, with their delivery. */
export function NotificationsCard() {
  const list = useQuery({ queryKey: ['notifications'], queryFn: () => unwrap(api.GET('/api/v1/notifications', { params: { query: { limit: 20 } } })), refetchInterval: 5000 });
  return (
    <Card title="Recent notifications">
      {list.error ? <ErrorBox error={list.error} /> : null}
      {list.data && list.data.items.length === 0 ? <Empty>Nothing sent yet.</Empty> : null}
      {list.data && list.data.items.length > 0 ? (
        <DataTable label="Recent notifications" columns={['Kind', 'Channel', 'Status', 'About', 'Created']}>
          {list.data.items.map((n) => (
            <tr key={n.id}>
              <td>{n.kind}</td>
              <td className="mono">{n.channel}</td>
              <td>
                <StatusBadge status={n.status} />
                {n.lastError ? <div className="small muted">{n.lastError}</div> : null}
              </td>
              <td className="small">{n.cause ?? (n.kind === 'test' ? 'test message' : '—')}</td>
              <td><Time iso={n.createdAt} /></td>
            </tr>
          ))}
        </DataTable>
      ) : null}
    </Card>
  );
}
