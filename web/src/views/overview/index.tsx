import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client.ts';
import { Link } from '../../app/router.tsx';
import type { ViewRoute } from '../../app/view-types.ts';
import { Card, Empty, ErrorBox, Page, StatusBadge, Time, duration } from '../../ui/index.ts';
import { ConnectionsCard } from './connections.tsx';
import './overview.css';
import { RunsCard } from './runs-chart.tsx';
import type { Overview, RateBudget } from './types.ts';

function QueueCard({ queue }: { queue: Overview['queue'] }) {
  return (
    <Card title="Queue">
      <div className="stats-row">
        <div>
          <div className="stat-big" data-testid="queue-depth">{queue.queued}</div>
          <div className="muted small">queued ({queue.due} due now)</div>
        </div>
        <div>
          <div className="stat-big">{queue.running}</div>
          <div className="muted small">running</div>
        </div>
        <div>
          <div className="stat-big" data-testid="oldest-waiting">{queue.oldest ? duration(queue.oldest.waitingSeconds * 1000) : '—'}</div>
          <div className="muted small">
            oldest waiting{queue.oldest ? <> (<Link to={`/runs/${queue.oldest.runId}`}>run {queue.oldest.runId}</Link>)</> : null}
          </div>
        </div>
      </div>
    </Card>
  );
}

function Bar({ label, used, limit, share }: { label: string; used: number; limit: number; share: number }) {
  const pct = Math.round(share * 100);
  return (
    <div className="budget-line">
      <span>{label}</span>
      <div className="progress" role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={limit} aria-valuenow={used} aria-valuetext={`${used} of ${limit}`}>
        <div className={pct >= 90 ? 'high' : pct >= 70 ? 'mid' : ''} style={{ width: `${pct}%` }} />
      </div>
      <span className="num">{used.toLocaleString()} / {limit.toLocaleString()}</span>
    </div>
  );
}

function RateBudgetCard({ budgets }: { budgets: RateBudget[] }) {
  return (
    <Card title="GHL rate budget">
      {budgets.length === 0 ? <Empty>No GHL call made yet: the budget of a location shows after its first call.</Empty> : null}
      {budgets.map((b) => (
        <div key={b.key} className="budget" data-location={b.key}>
          <div>
            <strong className="mono">{b.key}</strong>
            <span className="muted small"> {b.connections.join(', ') || 'no connection'}{b.learned ? '' : ' · default limits'}</span>
            {b.blockedUntil ? <> <StatusBadge status="paused" label="rate limited" /> until <Time iso={new Date(b.blockedUntil).toISOString()} /></> : null}
          </div>
          <Bar label={`Burst (${duration(b.limits.intervalMs)})`} used={b.inWindow} limit={b.limits.max} share={b.windowUsed} />
          <Bar label={`Daily (${b.day})`} used={b.dailyUsed} limit={b.limits.daily} share={b.dailyUsedShare} />
        </div>
      ))}
    </Card>
  );
}

function AlertsCard({ incidents }: { incidents: Overview['incidents'] }) {
  return (
    <Card title={`Open alerts (${incidents.open})`} actions={<Link to="/alerts">All alerts</Link>}>
      {incidents.items.length === 0 ? (
        <Empty>No open alert.</Empty>
      ) : (
        <ul className="alert-list">
          {incidents.items.map((i) => (
            <li key={i.id}>
              <StatusBadge status={i.acknowledged ? 'acknowledged' : 'open'} />
              <span>
                <Link to={`/alerts?incident=${i.id}`}>{i.cause}</Link>
                <span className="muted small"> · {i.rule} · ×{i.count} · <Time iso={i.lastSeen} /></span>
              </span>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}

function OverviewPage() {
  const overview = useQuery({ queryKey: ['overview'], queryFn: () => unwrap(api.GET('/api/v1/overview')), refetchInterval: 5000 });
  const o = overview.data;
  return (
    <Page title="Overview" subtitle={o ? <>Updated <Time iso={o.generatedAt} /></> : undefined}>
      {overview.error ? <ErrorBox error={overview.error} /> : null}
      {o ? (
        <div className="grid">
          <ConnectionsCard connections={o.connections} />
          <div className="overview-wide">
            <RunsCard />
          </div>
          <QueueCard queue={o.queue} />
          <AlertsCard incidents={o.incidents} />
          <RateBudgetCard budgets={o.rateBudget} />
        </div>
      ) : overview.isPending ? (
        <p className="muted">Loading…</p>
      ) : null}
    </Page>
  );
}

export const routes: ViewRoute[] = [{ path: '/', component: OverviewPage, title: 'Overview' }];
