import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { api, unwrap } from '../../api/client.ts';
import type { ResponseOf } from '../../api/types.ts';
import { Link, setQuery, useLocation } from '../../app/router.tsx';
import { Button, Card, ConfirmDialog, DataTable, Empty, ErrorBox, Field, Page, StatusBadge, Time, duration } from '../../ui/index.ts';
import { fromLocalInput, localInput, RANGES, runQueryOf, selectionOf, showsDead, STATUSES, TEXT_FILTERS, type RunQuery, type TextKey } from './filters.ts';
import './runs.css';

type RunPage = ResponseOf<'/api/v1/runs', 'get'>;
type RunItem = RunPage['items'][number];

const PAGE = 50;

/** The filter bar: status and time range apply at once; the text filters on Apply (or Enter). */
function Filters({ query, error }: { query: URLSearchParams; error: unknown }) {
  const initial = () => Object.fromEntries(TEXT_FILTERS.map((f) => [f.key, query.get(f.key) ?? ''])) as Record<TextKey, string>;
  const [text, setText] = useState(initial);
  const [since, setSince] = useState(localInput(query.get('since')));
  const [until, setUntil] = useState(localInput(query.get('until')));
  const key = query.toString();
  // back/forward or a link changed the URL: the inputs follow it
  useEffect(() => {
    setText(initial());
    setSince(localInput(query.get('since')));
    setUntil(localInput(query.get('until')));
  }, [key]);
  const range = query.get('range') ?? '';
  const apply = (e: FormEvent) => {
    e.preventDefault();
    setQuery({ ...text, ...(range === 'custom' ? { since: fromLocalInput(since), until: fromLocalInput(until) } : {}) }, { replace: false });
  };
  const clear = () => setQuery({ status: null, range: null, since: null, until: null, ...Object.fromEntries(TEXT_FILTERS.map((f) => [f.key, null])) }, { replace: false });
  return (
    <form className="runs-filters" onSubmit={apply} aria-label="Filter runs">
      <Field label="Status" name="status" error={error}>
        {(p) => (
          <select {...p} value={query.get('status') ?? ''} onChange={(e) => setQuery({ status: e.target.value }, { replace: false })}>
            <option value="">Any status</option>
            {STATUSES.map((s) => <option key={s} value={s}>{s}</option>)}
            <option value="queued,running">open (queued, running)</option>
            <option value="dead,dismissed">failed (dead, dismissed)</option>
          </select>
        )}
      </Field>
      {TEXT_FILTERS.map((f) => (
        <Field key={f.key} label={f.label} name={f.key} error={error}>
          {(p) => <input {...p} type={f.key === 'email' ? 'email' : 'search'} placeholder={f.hint} value={text[f.key]} onChange={(e) => setText({ ...text, [f.key]: e.target.value })} />}
        </Field>
      ))}
      <Field label="Time" name="range">
        {(p) => (
          <select {...p} value={range} onChange={(e) => setQuery({ range: e.target.value, ...(e.target.value === 'custom' ? {} : { since: null, until: null }) }, { replace: false })}>
            {RANGES.map((r) => <option key={r.value} value={r.value}>{r.label}</option>)}
          </select>
        )}
      </Field>
      {range === 'custom' ? (
        <>
          <Field label="From" name="since" error={error}>{(p) => <input {...p} type="datetime-local" value={since} onChange={(e) => setSince(e.target.value)} />}</Field>
          <Field label="To" name="until" error={error}>{(p) => <input {...p} type="datetime-local" value={until} onChange={(e) => setUntil(e.target.value)} />}</Field>
        </>
      ) : null}
      <div className="runs-filters-actions">
        <Button type="submit" variant="primary">Apply</Button>
        <Button onClick={clear}>Clear</Button>
      </div>
    </form>
  );
}

/** "Replay all matching" / "Dismiss all matching": the list's own filters, with the count confirmed first. */
function BulkActions({ runQuery }: { runQuery: RunQuery }) {
  const queries = useQueryClient();
  const [asking, setAsking] = useState<'replay' | 'dismiss' | null>(null);
  const [original, setOriginal] = useState(false);
  const [reason, setReason] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const deadQuery = { ...runQuery, status: 'dead' };
  const count = useQuery({
    queryKey: ['runs', 'dead-count', deadQuery],
    queryFn: () => unwrap(api.GET('/api/v1/runs', { params: { query: { ...deadQuery, count: 'true', limit: 1 } } })),
    enabled: asking !== null,
  });
  const selection = selectionOf(runQuery);
  const finish = (text: string) => {
    setAsking(null);
    setReason('');
    setDone(text);
    void queries.invalidateQueries({ queryKey: ['runs'] });
  };
  const replay = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/dead-letters/replay', { body: { ...selection, ...(original ? { originalVersion: true } : {}) } })),
    onSuccess: (r) => finish(`${r.replayed.length} dead letter${r.replayed.length === 1 ? '' : 's'} replayed${original ? ' with their original recipe versions' : ' with the current recipe versions'}.`),
  });
  const dismiss = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/dead-letters/dismiss', { body: { ...selection, reason } })),
    onSuccess: (r) => finish(`${r.dismissed.length} dead letter${r.dismissed.length === 1 ? '' : 's'} dismissed.`),
  });
  if (!showsDead(runQuery)) return <p className="muted small">Bulk replay and dismiss act on dead letters: the status filter hides them.</p>;
  const total = count.data?.total;
  const what = total === undefined ? 'Counting the matching dead letters…' : `${total} dead letter${total === 1 ? '' : 's'} match${total === 1 ? 'es' : ''} the filters${'all' in selection ? ' (no filter: every dead letter)' : ''}.`;
  const close = () => { setAsking(null); replay.reset(); dismiss.reset(); };
  return (
    <div className="row">
      <Button onClick={() => { setDone(null); setAsking('replay'); }}>Replay all matching</Button>
      <Button variant="danger" onClick={() => { setDone(null); setAsking('dismiss'); }}>Dismiss all matching…</Button>
      {done ? <span role="status" className="small">{done}</span> : null}
      {asking === 'replay' ? (
      <ConfirmDialog open title="Replay all matching dead letters?" confirmLabel={total === undefined ? 'Replay' : `Replay ${total}`} busy={replay.isPending} confirmDisabled={!total} onConfirm={() => replay.mutate()} onCancel={close}>
        <p>{what}</p>
        <fieldset className="runs-radios">
          <legend>Recipe version</legend>
          <label><input type="radio" name="bulk-version" checked={!original} onChange={() => setOriginal(false)} /> Current version of each recipe (default)</label>
          <label><input type="radio" name="bulk-version" checked={original} onChange={() => setOriginal(true)} /> The version each run used</label>
        </fieldset>
        <ErrorBox error={replay.error ?? count.error} />
      </ConfirmDialog>
      ) : null}
      {asking === 'dismiss' ? (
      <ConfirmDialog open title="Dismiss all matching dead letters?" confirmLabel={total === undefined ? 'Dismiss' : `Dismiss ${total}`} danger busy={dismiss.isPending} confirmDisabled={!total || reason.trim() === ''} onConfirm={() => dismiss.mutate()} onCancel={close}>
        <p>{what} They are kept, marked dismissed, and never run.</p>
        <Field label="Reason" name="reason" required hint="Say why, for whoever looks later." error={dismiss.error}>
          {(p) => <input {...p} required value={reason} onChange={(e) => setReason(e.target.value)} />}
        </Field>
        <ErrorBox error={dismiss.error && !(dismiss.error as { isAbout?: (n: string) => boolean }).isAbout?.('reason') ? dismiss.error : count.error} />
      </ConfirmDialog>
      ) : null}
    </div>
  );
}

function RunRow({ run }: { run: RunItem }) {
  return (
    <tr>
      <td><Link to={`/runs/${run.id}`} aria-label={`Run ${run.id}`}>#{run.id}</Link></td>
      <td><StatusBadge status={run.status} />{run.error?.code ? <span className="muted small"> {run.error.code}</span> : null}</td>
      <td className="mono">{run.recipeId}@{run.recipeVersion}</td>
      <td className="mono runs-record" title={run.recordKey ?? undefined}>{run.recordKey ?? '—'}</td>
      <td className="mono">{run.contactId ?? '—'}</td>
      <td className="num">{run.attempts}</td>
      <td><Time iso={run.createdAt} /></td>
      <td className="num">{duration(run.durationMs)}</td>
    </tr>
  );
}

/** The current minute (ms since the epoch, floored) while `on`, else 0; ticks each minute. */
function useMinute(on: boolean): number {
  const floor = () => Math.floor(Date.now() / 60_000) * 60_000;
  const [minute, setMinute] = useState(on ? floor() : 0);
  useEffect(() => {
    setMinute(on ? floor() : 0);
    if (!on) return;
    const t = setInterval(() => setMinute(floor()), 15_000);
    return () => clearInterval(t);
  }, [on]);
  return minute;
}

/** `/runs`: filters in the URL, newest first, a page at a time, refreshed every 2 s. */
export function RunsList() {
  const { query } = useLocation();
  const search = query.toString();
  // a relative range ("last hour") moves on with the clock: its `since` is recomputed each minute
  const relative = RANGES.some((r) => 'ms' in r && r.value === query.get('range'));
  const minute = useMinute(relative);
  const runQuery = useMemo(() => runQueryOf(new URLSearchParams(search), minute || undefined), [search, minute]);
  const queries = useQueryClient();
  const runs = useInfiniteQuery({
    queryKey: ['runs', 'list', runQuery],
    queryFn: ({ pageParam }) => unwrap(api.GET('/api/v1/runs', { params: { query: { ...runQuery, limit: PAGE, ...(pageParam ? { cursor: pageParam } : {}) } } })),
    initialPageParam: '' as string,
    getNextPageParam: (last) => last.next,
    // live on the first page only: polling would refetch every page loaded so far
    refetchInterval: (q) => ((q.state.data?.pages.length ?? 1) <= 1 ? 2000 : false),
  });
  const live = (runs.data?.pages.length ?? 1) <= 1;
  const items = runs.data?.pages.flatMap((p) => p.items) ?? [];
  const filtered = Object.keys(runQuery).length > 0;
  return (
    <Page title="Runs" subtitle="Every event a recipe handled: what it did in GHL, and what failed and why.">
      <Card>
        <Filters query={query} error={runs.error} />
      </Card>
      <div className="runs-bar">
        {live ? (
          <span className="muted small runs-live" aria-live="off">Live: refreshed every 2 s · {items.length} shown{runs.hasNextPage ? ', more below' : ''}</span>
        ) : (
          <span className="muted small runs-live">
            Paused while older pages are shown · {items.length} shown{' '}
            <Button variant="quiet" onClick={() => void queries.resetQueries({ queryKey: ['runs', 'list', runQuery] })}>Back to the newest (live)</Button>
          </span>
        )}
        <BulkActions runQuery={runQuery} />
      </div>
      {runs.error ? <ErrorBox error={runs.error} title="The runs could not be loaded" /> : null}
      {runs.isPending ? <p className="muted">Loading runs…</p> : null}
      {runs.data && items.length === 0 ? <Empty>{filtered ? 'No run matches these filters.' : 'No run yet: runs appear here as soon as an event arrives.'}</Empty> : null}
      {items.length > 0 ? (
        <DataTable label="Runs" className="runs-table" columns={['Run', 'Status', 'Recipe', 'Record', 'Contact', { label: 'Failures', className: 'num', title: 'Failed attempts (faults); waits for rate budget are not counted' }, 'Created', { label: 'Duration', className: 'num' }]}>
          {items.map((r) => <RunRow key={r.id} run={r} />)}
        </DataTable>
      ) : null}
      {runs.hasNextPage ? (
        <div className="runs-more">
          <Button busy={runs.isFetchingNextPage} onClick={() => void runs.fetchNextPage()}>Load more</Button>
        </div>
      ) : null}
    </Page>
  );
}
