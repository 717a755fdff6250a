import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client.ts';
import { Link } from '../../app/router.tsx';
import type { ViewProps } from '../../app/view-types.ts';
import { Button, Card, ErrorBox, KeyValues, Page, StatusBadge, Time, duration } from '../../ui/index.ts';
import type { SyncDetail } from './types.ts';
import './syncs.css';

function Progress({ sync }: { sync: SyncDetail }) {
  const c = sync.completion;
  return (
    <div className="sync-progress">
      <div
        className="progress"
        role="progressbar"
        aria-label="Runs finished"
        aria-valuemin={0}
        aria-valuemax={Math.max(c.total, 1)}
        aria-valuenow={c.done}
        aria-valuetext={`${c.done} of ${c.total} runs finished${c.listing ? ' (still listing)' : ''}`}
      >
        <div style={{ width: `${c.percent}%` }} />
      </div>
      <div className="sync-numbers">
        <div>
          <div className="big" data-testid="sync-done">{c.done} / {c.total}</div>
          <div className="muted small">runs finished ({c.percent}%){c.listing ? ', still listing the app' : ''}</div>
        </div>
        <div>
          <div className="big">{c.ratePerSecond}/s</div>
          <div className="muted small">rate</div>
        </div>
        <div>
          <div className="big" data-testid="sync-eta">{c.complete ? 'done' : c.etaSeconds === null ? '—' : duration(c.etaSeconds * 1000)}</div>
          <div className="muted small">{c.complete ? `in ${duration(c.elapsedSeconds * 1000)}` : c.etaSeconds === null ? 'ETA once the listing ends' : 'ETA'}</div>
        </div>
        <div>
          <div className="big">{sync.progress.records}</div>
          <div className="muted small">records listed ({sync.progress.matched} matched)</div>
        </div>
      </div>
    </div>
  );
}

function Summary({ sync }: { sync: SyncDetail }) {
  return (
    <Card title={sync.completion.complete ? 'Summary' : 'Summary so far'}>
      <div className="sync-numbers" aria-label="Outcomes">
        {(['created', 'updated', 'unchanged', 'failed'] as const).map((k) => (
          <div key={k} data-outcome={k}>
            <div className="big">{sync[k]}</div>
            <div className="muted small">{k}</div>
          </div>
        ))}
      </div>
      {sync.failedRunIds.length > 0 ? (
        <>
          <h3>Failed runs</h3>
          <ul className="failed-runs">
            {sync.failedRunIds.map((id) => (
              <li key={id}><Link to={`/runs/${id}`}>Run {id}</Link></li>
            ))}
          </ul>
          {sync.failed > sync.failedRunIds.length ? <p className="muted small">The newest {sync.failedRunIds.length} of {sync.failed} are shown; <Link to="/runs?status=dead">all dead runs</Link>.</p> : null}
        </>
      ) : null}
    </Card>
  );
}

/** `/syncs/:id`: live progress (polled every second until every run finished), cancel/resume, summary. */
export function SyncPage({ params }: ViewProps) {
  const id = Number(params.id);
  const queries = useQueryClient();
  const sync = useQuery({
    queryKey: ['sync', id],
    queryFn: () => unwrap(api.GET('/api/v1/syncs/{id}', { params: { path: { id } } })),
    refetchInterval: (q) => (q.state.data?.completion.complete && !q.state.data.running ? false : 1000),
  });
  const refresh = () => queries.invalidateQueries({ queryKey: ['sync', id] });
  const cancel = useMutation({ mutationFn: () => unwrap(api.POST('/api/v1/syncs/{id}/cancel', { params: { path: { id } } })), onSuccess: refresh });
  const resume = useMutation({ mutationFn: () => unwrap(api.POST('/api/v1/syncs/{id}/resume', { params: { path: { id } } })), onSuccess: refresh });
  const s = sync.data;
  const canResume = s && !s.running && (s.status === 'cancelled' || s.status === 'failed');
  return (
    <Page
      title={`Sync ${params.id}`}
      subtitle={<Link to="/syncs">All syncs</Link>}
      actions={
        s ? (
          <>
            {s.running ? <Button variant="danger" busy={cancel.isPending} onClick={() => cancel.mutate()}>Cancel</Button> : null}
            {canResume ? <Button variant="primary" busy={resume.isPending} onClick={() => resume.mutate()}>Resume</Button> : null}
          </>
        ) : null
      }
    >
      {sync.error ? <ErrorBox error={sync.error} /> : null}
      {cancel.error ? <ErrorBox error={cancel.error} title="Not cancelled" /> : null}
      {resume.error ? <ErrorBox error={resume.error} title="Not resumed" /> : null}
      {s ? (
        <>
          <Card title="Progress" actions={<StatusBadge status={s.running ? 'running' : s.completion.complete ? 'completed' : s.status} label={s.running ? 'listing' : s.completion.complete ? 'complete' : s.status === 'done' ? 'running the records' : s.status} />}>
            <Progress sync={s} />
          </Card>
          <Summary sync={s} />
          <Card title="Details">
            <KeyValues
              items={[
                ['Connection', <Link key="c" to={`/connections/${encodeURIComponent(s.connection)}`}>{s.connection}</Link>],
                ['Recipe', s.recipe ? <Link key="r" to={`/recipes/${encodeURIComponent(s.recipe)}`}>{s.recipe}</Link> : '—'],
                ['Started', <Time key="s" iso={s.startedAt} />],
                ['Listing ended', <Time key="f" iso={s.finishedAt} />],
                ['Runs by status', Object.entries(s.runs).map(([k, v]) => `${k} ${v}`).join(', ') || '—'],
                ['Error', s.error],
              ]}
            />
          </Card>
        </>
      ) : sync.isPending ? (
        <p className="muted">Loading…</p>
      ) : null}
    </Page>
  );
}
