import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent, type ReactNode } from 'react';
import { api, ApiProblem, unwrap } from '../../api/client.ts';
import type { ResponseOf } from '../../api/types.ts';
import { Link } from '../../app/router.tsx';
import type { ViewProps } from '../../app/view-types.ts';
import { Button, Card, DataTable, Empty, ErrorBox, Field, JsonView, KeyValues, Page, StatusBadge, Time, duration } from '../../ui/index.ts';
import './runs.css';

type Run = ResponseOf<'/api/v1/runs/{id}', 'get'>;

const shown = (v: unknown) => (v === undefined ? '—' : typeof v === 'string' ? v : JSON.stringify(v));

function EventSection({ run }: { run: Run }) {
  const e = run.event;
  return (
    <Card title="Event">
      {!e ? <Empty>The event of this run is gone.</Empty> : (
        <div className="stack">
          <KeyValues items={[
            ['Event', `#${e.id} ${e.type}`],
            ['Source', <span className="mono" key="s">{e.source} · {e.connectionId ?? 'no connection'}</span>],
            ['External id', <span className="mono" key="x">{e.externalId}</span>],
            ['Received', <Time key="t" iso={e.receivedAt} />],
            ['Headers', <span className="muted" key="h">not kept with events (refused deliveries keep theirs, redacted, under Webhook rejections)</span>],
          ]} />
          <p className="muted small runs-section-note">Payload as stored; values under credential-like keys (token, secret, password, signature …) are redacted.</p>
          <JsonView value={e.payload} label="Event payload" />
        </div>
      )}
    </Card>
  );
}

function FieldsTable({ label, fields }: { label: string; fields: Record<string, unknown> }) {
  const entries = Object.entries(fields);
  if (entries.length === 0) return <p className="muted small">No field.</p>;
  return (
    <table className="table runs-diff" aria-label={label}>
      <thead><tr><th scope="col">Field</th><th scope="col">Value</th></tr></thead>
      <tbody>{entries.map(([k, v]) => <tr key={k}><td className="mono">{k}</td><td className="mono">{shown(v)}</td></tr>)}</tbody>
    </table>
  );
}

function MappingSection({ run }: { run: Run }) {
  const m = run.mapping;
  return (
    <Card title="Mapping output">
      {m.source === null ? <Empty>{m.missing ?? 'No plan is stored for this run.'}</Empty> : (
        <div className="stack">
          <p className="muted small runs-section-note">What the recipe's mapping produced, as the stored plan sends it (a plan holds only the fields that changed).</p>
          <h3 className="small">Contact</h3>
          {m.contact ? <FieldsTable label="Contact fields" fields={m.contact} /> : <p className="muted small">No contact write.</p>}
          <h3 className="small">Tags</h3>
          {m.tags.add.length + m.tags.remove.length === 0 ? <p className="muted small">No tag change.</p> : (
            <div className="runs-tags">
              {m.tags.add.map((t) => <span key={`+${t}`} className="badge badge-ok">+ {t}</span>)}
              {m.tags.remove.map((t) => <span key={`-${t}`} className="badge badge-bad">− {t}</span>)}
            </div>
          )}
          {m.tasks.length > 0 ? <h3 className="small">Tasks</h3> : null}
          {m.tasks.map((t) => <FieldsTable key={t.sourceId} label={`Task ${t.sourceId}`} fields={t.fields} />)}
          {m.notes.length > 0 ? <h3 className="small">Notes</h3> : null}
          {m.notes.map((n) => <FieldsTable key={n.sourceId} label={`Note ${n.sourceId}`} fields={n.fields} />)}
          {m.apps.length > 0 ? <h3 className="small">App actions</h3> : null}
          {m.apps.map((a, i) => <FieldsTable key={i} label={`${a.action} on ${a.connection}`} fields={a.input} />)}
          {m.skipped.length > 0 ? (
            <>
              <h3 className="small">Left out</h3>
              <ul className="small">{m.skipped.map((s, i) => <li key={i}><span className="mono">{s.action}</span>: {s.reason}</li>)}</ul>
            </>
          ) : null}
        </div>
      )}
    </Card>
  );
}

function PlanSection({ run }: { run: Run }) {
  const plan = run.plan;
  return (
    <Card title="Plan">
      {!plan ? <Empty>No plan is stored for this run.</Empty> : plan.calls.length === 0 ? <Empty>Nothing to send: everything was already in GHL.</Empty> : (
        <ol className="runs-calls" aria-label="GHL calls">
          {plan.calls.map((c) => (
            <li key={c.step}>
              <div className="runs-call-head">
                <strong>Step {c.step}</strong>
                <span className="mono">{c.method} {c.path}</span>
                <span className="muted small">{c.operationId} · {c.reason}</span>
              </div>
              {c.diff.length === 0 ? <p className="muted small">No field diff.</p> : (
                <table className="table runs-diff" aria-label={`Step ${c.step} field changes`}>
                  <thead><tr><th scope="col">Field</th><th scope="col">Old</th><th scope="col">New</th></tr></thead>
                  <tbody>
                    {c.diff.map((d) => (
                      <tr key={d.field}>
                        <td className="mono">{d.field}</td>
                        <td className="mono diff-del">{shown(d.from)}</td>
                        <td className="mono diff-add">{shown(d.to)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </li>
          ))}
        </ol>
      )}
    </Card>
  );
}

function StepsSection({ run }: { run: Run }) {
  return (
    <Card title="Steps">
      <p className="muted small runs-section-note">{run.attempts} failed attempt{run.attempts === 1 ? '' : 's'}, {run.retries} retr{run.retries === 1 ? 'y' : 'ies'} (counted per run: the journal keeps one entry per step).</p>
      {run.steps.length === 0 ? <Empty>No step was journaled{run.status === 'dead' ? ': the run failed before its first GHL call, or the failed call was refused and a replay plans afresh' : ''}.</Empty> : (
        <DataTable label="Executed steps" columns={['Step', 'Status', 'Request', { label: 'Duration', className: 'num' }, 'GHL id']}>
          {run.steps.map((s) => (
            <tr key={s.step}>
              <td>{s.step} <span className="muted small">{s.action}</span></td>
              <td><StatusBadge status={s.status === 'done' ? 'succeeded' : s.status === 'started' ? 'running' : s.status} label={s.status} /></td>
              <td className="mono">{s.summary}</td>
              <td className="num">{duration(s.durationMs)}</td>
              <td className="mono">{s.ghlId ?? '—'}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </Card>
  );
}

function ErrorSection({ run }: { run: Run }) {
  if (!run.error) return null;
  const x = run.explanation;
  return (
    <Card title="Error" className="runs-error">
      <KeyValues items={[
        ['Reason', run.error.reason],
        ['Code', <span className="mono" key="c">{run.error.code ?? '—'}{run.error.status ? ` (HTTP ${run.error.status})` : ''}</span>],
        ...(x ? ([['Why', x.cause], ['What to do', x.fix]] as Array<[string, string]>) : []),
        ...(x?.command ? ([['Command', <code className="runs-command" key="cmd">{x.command}</code>]] as Array<[string, ReactNode]>) : []),
      ]} />
    </Card>
  );
}

function Actions({ run }: { run: Run }) {
  const queries = useQueryClient();
  const [version, setVersion] = useState<'current' | 'original'>('current');
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const refresh = () => void queries.invalidateQueries({ queryKey: ['runs'] });
  const replay = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/dead-letters/{runId}/replay', { params: { path: { runId: run.id } }, body: version === 'original' ? { originalVersion: true } : {} })),
    onSuccess: (r) => { const x = r.runs[0]; setDone(x ? `Replayed with version ${x.toVersion}${x.keptPlan ? ' (an interrupted step keeps the plan and version)' : ''}.` : 'Replayed.'); refresh(); },
  });
  const dismiss = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/dead-letters/{runId}/dismiss', { params: { path: { runId: run.id } }, body: { reason } })),
    onSuccess: () => { setDone('Dismissed.'); setReason(''); refresh(); },
  });
  const dead = run.status === 'dead';
  const submitDismiss = (e: FormEvent) => {
    e.preventDefault();
    if (reason.trim() === '') { setMissing(true); return; }
    setMissing(false);
    dismiss.mutate();
  };
  const current = run.recipe.currentVersion;
  return (
    <Card title="Actions">
      {!dead ? <p className="muted small">Replay and dismiss are for dead letters; this run is {run.status}.</p> : null}
      {done ? <p role="status">{done}</p> : null}
      <div className="runs-actions">
        <form className="stack" onSubmit={(e) => { e.preventDefault(); replay.mutate(); }} aria-label="Replay">
          <fieldset className="runs-radios" disabled={!dead}>
            <legend>Replay with</legend>
            <label><input type="radio" name="replay-version" value="current" checked={version === 'current'} onChange={() => setVersion('current')} /> the current recipe version{current !== null ? ` (v${current})` : ''} — default</label>
            <label><input type="radio" name="replay-version" value="original" checked={version === 'original'} onChange={() => setVersion('original')} /> the original version (v{run.recipe.version})</label>
          </fieldset>
          <div><Button type="submit" variant="primary" disabled={!dead} busy={replay.isPending}>Replay</Button></div>
          <ErrorBox error={replay.error} title="Replay refused" />
        </form>
        <form className="stack" onSubmit={submitDismiss} aria-label="Dismiss" noValidate>
          <Field label="Reason" name="reason" required hint="Why this run will never run (kept for whoever looks later)." error={missing ? 'Say why the run is dismissed.' : dismiss.error}>
            {(p) => <input {...p} required disabled={!dead} value={reason} onChange={(e) => setReason(e.target.value)} />}
          </Field>
          <div><Button type="submit" variant="danger" disabled={!dead} busy={dismiss.isPending}>Dismiss</Button></div>
          {dismiss.error instanceof ApiProblem && dismiss.error.isAbout('reason') ? null : <ErrorBox error={dismiss.error} title="Dismiss refused" />}
        </form>
      </div>
    </Card>
  );
}

/** `/runs/:id`: everything stored about one run, live while it is not finished. */
export function RunDetail({ params }: ViewProps) {
  const id = Number(params.id);
  const run = useQuery({
    queryKey: ['runs', 'detail', id],
    queryFn: () => unwrap(api.GET('/api/v1/runs/{id}', { params: { path: { id } } })),
    enabled: Number.isInteger(id) && id > 0,
    refetchInterval: (q) => (q.state.data && !['queued', 'running'].includes(q.state.data.status) ? 10_000 : 2000),
  });
  const r = run.data;
  return (
    <Page
      title={<>Run #{params.id} {r ? <StatusBadge status={r.status} /> : null}</>}
      subtitle={r ? <>Recipe <span className="mono">{r.recipe.id}</span> v{r.recipe.version}{r.recipe.currentVersion !== null && r.recipe.currentVersion !== r.recipe.version ? ` (current v${r.recipe.currentVersion})` : ' (current)'} · record <span className="mono">{r.recordKey ?? '—'}</span></> : undefined}
      actions={<Link to="/runs">All runs</Link>}
    >
      {!Number.isInteger(id) || id <= 0 ? <ErrorBox error={`"${params.id}" is not a run number.`} /> : null}
      {run.error ? <ErrorBox error={run.error} title="The run could not be loaded" /> : null}
      {run.isPending && Number.isInteger(id) ? <p className="muted">Loading run…</p> : null}
      {r ? (
        <>
          <Card>
            <KeyValues items={[
              ['Created', <Time key="c" iso={r.createdAt} />],
              ['Finished', <Time key="f" iso={r.finishedAt} />],
              ['Duration', duration(r.durationMs)],
              ['Failed attempts', String(r.attempts)],
              ['GHL contact', r.contactId ? <Link key="ct" to={`/contacts/${encodeURIComponent(r.contactId)}`} className="mono">{r.contactId}</Link> : '—'],
              ...(r.skipReason ? ([['Skipped', `${r.skipReason.code}: ${r.skipReason.message}`]] as Array<[string, string]>) : []),
              ...(r.dismissedReason ? ([['Dismissed', r.dismissedReason]] as Array<[string, string]>) : []),
            ]} />
          </Card>
          <ErrorSection run={r} />
          <Actions run={r} />
          <EventSection run={r} />
          <MappingSection run={r} />
          <PlanSection run={r} />
          <StepsSection run={r} />
          {r.history.length > 0 ? (
            <Card title="History">
              <ul className="small">{r.history.map((h, i) => <li key={i}><Time iso={h.at} /> {h.action}{h.actor ? ` by ${h.actor}` : ''} <span className="mono muted">{JSON.stringify(h.detail)}</span></li>)}</ul>
            </Card>
          ) : null}
        </>
      ) : null}
    </Page>
  );
}
