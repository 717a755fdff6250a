/** `/recipes`: every recipe with its state, trigger, version and last-24 h outcomes; enable/disable in place. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client.ts';
import { Link } from '../../app/router.tsx';
import { DataTable, Empty, ErrorBox, Page, StatusBadge } from '../../ui/index.ts';

export function RecipesList() {
  const queries = useQueryClient();
  const list = useQuery({ queryKey: ['recipes'], queryFn: () => unwrap(api.GET('/api/v1/recipes', { params: { query: { limit: 500 } } })), refetchInterval: 10_000 });
  const toggle = useMutation({
    mutationFn: ({ id, enabled }: { id: string; enabled: boolean }) =>
      enabled ? unwrap(api.POST('/api/v1/recipes/{id}/enable', { params: { path: { id } } })) : unwrap(api.POST('/api/v1/recipes/{id}/disable', { params: { path: { id } } })),
    onSuccess: () => queries.invalidateQueries({ queryKey: ['recipes'] }),
  });
  const items = list.data?.items ?? [];
  return (
    <Page title="Recipes" subtitle="What each recipe does with the events of its trigger, and how its runs went in the last 24 hours." actions={<Link className="btn btn-primary recipes-linkbtn" to="/recipes/new">New recipe</Link>}>
      <ErrorBox error={list.error ?? toggle.error} />
      {list.isPending ? <p className="muted" aria-live="polite">Loading…</p> : items.length === 0 ? (
        <Empty>No recipe yet. <Link to="/recipes/new">Build one without YAML</Link>, or save a file with <code>ghl-bridge recipes save</code>.</Empty>
      ) : (
        <DataTable label="Recipes" columns={['Recipe', 'Trigger', 'GHL connection', { label: 'Version', className: 'num' }, 'State', 'Last 24 h', 'Enabled']}>
          {items.map((r) => (
            <tr key={r.id}>
              <td><Link to={`/recipes/${encodeURIComponent(r.id)}`}>{r.name ?? r.id}</Link>{r.name ? <div className="muted small mono">{r.id}</div> : null}</td>
              <td><span className="mono">{r.trigger.source}</span>{r.trigger.events?.length ? <div className="muted small">{r.trigger.events.join(', ')}</div> : null}</td>
              <td className="mono">{r.connection}</td>
              <td className="num">v{r.version}</td>
              <td>
                {r.paused ? <StatusBadge status="paused" label={`paused (${r.paused.by})`} /> : <StatusBadge status={r.enabled ? 'enabled' : 'disabled'} />}
                {r.paused ? <div className="muted small">{r.paused.reason}</div> : null}
              </td>
              <td>
                <span className="recipes-outcomes" aria-label={`${r.outcomes.succeeded} succeeded, ${r.outcomes.skipped} skipped, ${r.outcomes.dead} dead, ${r.outcomes.queued} queued`}>
                  <StatusBadge status="succeeded" label={`${r.outcomes.succeeded} succeeded`} />
                  <StatusBadge status="skipped" label={`${r.outcomes.skipped} skipped`} />
                  <StatusBadge status={r.outcomes.dead > 0 ? 'dead' : 'skipped'} label={`${r.outcomes.dead} dead`} />
                  <StatusBadge status="queued" label={`${r.outcomes.queued} queued`} />
                </span>
              </td>
              <td>
                <label className="recipes-switch">
                  <input type="checkbox" role="switch" checked={r.enabled} disabled={toggle.isPending} onChange={(e) => toggle.mutate({ id: r.id, enabled: e.target.checked })} aria-label={`Enabled: ${r.id}`} />
                  <span aria-hidden="true">{r.enabled ? 'On' : 'Off'}</span>
                </label>
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </Page>
  );
}
