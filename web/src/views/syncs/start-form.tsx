import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, unwrap } from '../../api/client.ts';
import { navigate } from '../../app/router.tsx';
import { Button, Card, DataTable, ErrorBox, Field, StatusBadge } from '../../ui/index.ts';
import type { BackfillDryRun } from './types.ts';

type Mode = 'full' | 'dry-run';

/** The dry run's answer: what a full sync would do, per outcome and per record. */
function DryRunResult({ result }: { result: BackfillDryRun }) {
  const s = result.summary;
  return (
    <section aria-label="Backfill dry run result" className="stack">
      <h3>
        Dry run of {result.recipeId} v{result.version} over {result.connection}
      </h3>
      <p>
        {result.considered} records considered of {result.listed} listed{result.truncated ? ' (more exist: raise the limit to see them)' : ''}: <strong>{s.create}</strong> to create, <strong>{s.update}</strong> to update,{' '}
        <strong>{s.unchanged}</strong> unchanged, <strong>{s.skipped}</strong> skipped, <strong>{s.errors}</strong> errors. Nothing was written.
      </p>
      <DataTable label="Records of the dry run" columns={['Record', 'Outcome', 'GHL calls']}>
        {result.items.slice(0, 200).map((item) => (
          <tr key={item.recordId}>
            <td className="mono">{item.recordId}</td>
            <td>
              <StatusBadge status={item.outcome === 'error' ? 'error' : item.outcome === 'create' || item.outcome === 'update' ? 'pending' : 'skipped'} label={item.outcome} />
              {item.errors?.map((e) => <div key={e.field} className="small">{e.field}: {e.message}</div>)}
            </td>
            <td className="small">
              {item.calls.length === 0 ? <span className="muted">none</span> : item.calls.map((c, i) => (
                <div key={i}>
                  <span className="mono">{c.method} {c.path}</span>
                  {c.diff.length ? <span className="muted"> · {c.diff.map((d) => d.field).join(', ')}</span> : null}
                </div>
              ))}
            </td>
          </tr>
        ))}
      </DataTable>
    </section>
  );
}

/** Start a full sync (it runs in the server) or a dry run of the backfill (writes nothing). */
export function StartSync() {
  const queries = useQueryClient();
  const recipes = useQuery({ queryKey: ['recipes'], queryFn: () => unwrap(api.GET('/api/v1/recipes', { params: { query: { limit: 500 } } })) });
  const connections = useQuery({ queryKey: ['connections'], queryFn: () => unwrap(api.GET('/api/v1/connections', { params: { query: { limit: 500 } } })) });
  const [recipe, setRecipe] = useState('');
  const [connection, setConnection] = useState('');
  const [mode, setMode] = useState<Mode>('full');
  const [limit, setLimit] = useState('100');

  const start = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/syncs', { body: { connection, recipe } })),
    onSuccess: (data) => {
      void queries.invalidateQueries({ queryKey: ['syncs'] });
      navigate(`/syncs/${data.id}`);
    },
  });
  const dryRun = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/recipes/{id}/dry-run-backfill', { params: { path: { id: recipe } }, body: { connection, limit: Number(limit) } })),
  });
  const active = mode === 'full' ? start : dryRun;
  const appConnections = (connections.data?.items ?? []).filter((k) => !k.app.startsWith('ghl-'));
  const chosen = recipes.data?.items.find((r) => r.id === recipe);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (mode === 'full') start.mutate();
    else dryRun.mutate();
  };

  return (
    <Card title="Start">
      <form className="sync-form" onSubmit={submit} aria-label="Start a sync">
        <fieldset>
          <legend>What to run</legend>
          <div className="radio-row">
            <label>
              <input type="radio" name="mode" value="full" checked={mode === 'full'} onChange={() => setMode('full')} /> Full sync (writes to GHL)
            </label>
            <label>
              <input type="radio" name="mode" value="dry-run" checked={mode === 'dry-run'} onChange={() => setMode('dry-run')} /> Backfill dry run (writes nothing)
            </label>
          </div>
        </fieldset>
        <div className="row">
          <Field label="Recipe" name="recipe" required error={active.error} hint={chosen ? `source ${chosen.trigger.source} → ${chosen.connection}` : 'the recipe that runs every record'}>
            {(p) => (
              <select {...p} value={recipe} onChange={(e) => setRecipe(e.target.value)} required>
                <option value="">Choose a recipe…</option>
                {recipes.data?.items.map((r) => (
                  <option key={r.id} value={r.id} disabled={!r.enabled}>
                    {r.name ? `${r.name} (${r.id})` : r.id}{r.enabled ? '' : ' — disabled'}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="App connection" name="connection" required error={active.error} hint="the app whose records are listed">
            {(p) => (
              <select {...p} value={connection} onChange={(e) => setConnection(e.target.value)} required>
                <option value="">Choose a connection…</option>
                {appConnections.map((k) => (
                  <option key={k.id} value={k.id}>
                    {k.name} ({k.id}, {k.app})
                  </option>
                ))}
              </select>
            )}
          </Field>
          {mode === 'dry-run' ? (
            <Field label="Records at most" name="limit" error={active.error} hint="1 to 1000">
              {(p) => <input {...p} type="number" min={1} max={1000} value={limit} onChange={(e) => setLimit(e.target.value)} />}
            </Field>
          ) : null}
        </div>
        <div className="row">
          <Button type="submit" variant="primary" busy={active.isPending} disabled={!recipe || !connection}>
            {mode === 'full' ? 'Start full sync' : 'Run the dry run'}
          </Button>
        </div>
        {active.error ? <ErrorBox error={active.error} title={mode === 'full' ? 'The sync did not start' : 'The dry run failed'} /> : null}
      </form>
      {mode === 'dry-run' && dryRun.data ? <DryRunResult result={dryRun.data} /> : null}
    </Card>
  );
}
