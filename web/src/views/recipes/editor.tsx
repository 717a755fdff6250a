/**
 * `/recipes/:id`: the YAML editor (server validation inline, completion from the schema) beside a
 * live mapping preview; a dry run; save as a new version (with the diff against the previous one);
 * the version history. Unsaved edits hold navigation.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
import { api, unwrap } from '../../api/client.ts';
import { Link, useBlocker } from '../../app/router.tsx';
import { useKeptDraft } from './kept-draft.ts';
import { Button, Card, DataTable, Empty, ErrorBox, Page, StatusBadge, Time } from '../../ui/index.ts';
import { DiffView, DryRunResult, EventPicker, PreviewResult, dryRunText, previewText, useCompletion, useDebounced, validateText, type DryRunAnswer, type EventChoice } from './shared.tsx';
import { YamlEditor, type Problem } from './yaml-editor.tsx';

/** The saved recipe's trigger (for completion and recent events). */
function triggerOf(definition: Record<string, unknown> | undefined): { source?: string; event?: string } {
  const trigger = definition?.trigger as { source?: unknown; events?: unknown } | undefined;
  const events = Array.isArray(trigger?.events) ? (trigger.events as unknown[]) : [];
  return { source: typeof trigger?.source === 'string' ? trigger.source : undefined, event: typeof events[0] === 'string' ? events[0] : undefined };
}

export function RecipeEditor({ params }: { params: Record<string, string> }) {
  const id = params.id!;
  const queries = useQueryClient();
  const recipe = useQuery({ queryKey: ['recipe', id], queryFn: () => unwrap(api.GET('/api/v1/recipes/{id}', { params: { path: { id }, query: {} } })) });
  const [tab, setTab] = useState<'editor' | 'history'>('editor');
  const [draft, setDraft, restored] = useKeptDraft(id);
  const [revision, setRevision] = useState(0);
  const saved = recipe.data?.text ?? '';
  const text = draft ?? saved;
  const dirty = draft !== null && draft !== saved;
  // a draft kept from before a sign-in that equals the saved text is no draft
  useEffect(() => { if (recipe.data && draft !== null && draft === recipe.data.text) setDraft(null); }, [recipe.data]);
  useBlocker(dirty, 'This recipe has unsaved changes. Leave without saving them?');

  const [problems, setProblems] = useState<Problem[]>([]);
  // the text the validator last passed: the preview runs on it (a broken text has its problems shown instead)
  const [validText, setValidText] = useState<string | null>(null);
  const onProblems = (found: Problem[], checked: string) => { setProblems(found); setValidText(found.length === 0 ? checked : null); };
  const [jump, setJump] = useState<{ line: number; column: number; n: number } | null>(null);
  const jumps = useRef(0);
  const goTo = (p: Problem) => { setTab('editor'); setJump({ line: p.line ?? 1, column: p.column ?? 1, n: ++jumps.current }); };

  const trigger = useMemo(() => triggerOf(recipe.data?.definition), [recipe.data]);
  const completion = useCompletion(trigger.source, trigger.event);
  const [event, setEvent] = useState<EventChoice | null>({ sample: true });
  const previewInput = useDebounced({ text: validText ?? '', event }, 300);
  const preview = useQuery({
    queryKey: ['recipe-preview', previewInput],
    enabled: !!recipe.data && previewInput.event !== null && previewInput.text !== '',
    queryFn: () => previewText(previewInput.text, previewInput.event!),
    retry: false,
    placeholderData: (prev) => prev,
  });
  const [dryRun, setDryRun] = useState<DryRunAnswer | null>(null);
  const runDry = useMutation({ mutationFn: () => dryRunText(id, text, event ?? { sample: true }), onSuccess: setDryRun });

  const [lastSave, setLastSave] = useState<{ version: number; previous: number | null; lines: string[] } | { unchanged: number } | null>(null);
  const save = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/recipes/{id}/versions', { params: { path: { id } }, body: { text } })),
    onSuccess: async (r) => {
      if (r.outcome === 'created') setLastSave({ version: r.version, previous: r.previous, lines: r.diff.lines });
      else setLastSave({ unchanged: r.version });
      await queries.invalidateQueries({ queryKey: ['recipe', id] });
      setDraft(null);
      setRevision((n) => n + 1);
      await queries.invalidateQueries({ queryKey: ['recipe-versions', id] });
      await queries.invalidateQueries({ queryKey: ['recipes'] });
    },
  });
  const toggle = useMutation({
    mutationFn: (enabled: boolean) => (enabled ? unwrap(api.POST('/api/v1/recipes/{id}/enable', { params: { path: { id } } })) : unwrap(api.POST('/api/v1/recipes/{id}/disable', { params: { path: { id } } }))),
    onSuccess: () => queries.invalidateQueries({ queryKey: ['recipe', id] }),
  });

  if (recipe.error) return <Page title={id}><ErrorBox error={recipe.error} /><Link to="/recipes">All recipes</Link></Page>;
  if (!recipe.data) return <p className="muted" aria-live="polite">Loading…</p>;
  const r = recipe.data;
  const name = typeof r.definition.name === 'string' ? r.definition.name : id;

  return (
    <Page
      title={name}
      subtitle={<><span className="mono">{id}</span> · v{r.version} of {r.versions} · saved <Time iso={r.savedAt} /> {dirty ? <StatusBadge status="pending" label="unsaved changes" /> : null}</>}
      actions={
        <>
          <label className="recipes-switch">
            <input type="checkbox" role="switch" checked={r.enabled} onChange={(e) => toggle.mutate(e.target.checked)} disabled={toggle.isPending} /> Enabled
          </label>
          <Link className="btn recipes-linkbtn" to="/recipes">All recipes</Link>
        </>
      }
    >
      {/* the tab pattern: one tab stop, the arrow keys switch */}
      <div className="recipes-tabs" role="tablist" aria-label="Recipe" onKeyDown={(e) => {
        if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
        const next = tab === 'editor' ? 'history' : 'editor';
        setTab(next);
        document.getElementById(`tab-${next}`)?.focus();
      }}>
        <button type="button" role="tab" id="tab-editor" aria-controls="panel-editor" aria-selected={tab === 'editor'} tabIndex={tab === 'editor' ? 0 : -1} onClick={() => setTab('editor')}>Editor</button>
        <button type="button" role="tab" id="tab-history" aria-controls="panel-history" aria-selected={tab === 'history'} tabIndex={tab === 'history' ? 0 : -1} onClick={() => setTab('history')}>History</button>
      </div>
      <div id="panel-editor" role="tabpanel" aria-labelledby="tab-editor" hidden={tab !== 'editor'}>
        <div className="recipes-editor">
          <div className="stack">
 {restored && dirty ? <p role="status" className="small">Your unsaved changes from before were kept in this tab: save them, or discard them.</p> : null}
            <YamlEditor label="Recipe YAML" value={text} onChange={(t) => setDraft(t)} validate={validateText} onProblems={onProblems} completion={() => completion} jumpTo={jump} revision={revision} />
            <div aria-live="polite" className="stack">
              {problems.length === 0 ? <p className="small muted">No problem found by the validator.</p> : (
                <div className="error-box" role="alert" aria-label="Recipe problems">
                  <strong>{problems.length === 1 ? '1 problem' : `${problems.length} problems`}</strong>
                  <ul className="recipes-problems">
                    {problems.map((p, i) => (
                      <li key={i}><button type="button" onClick={() => goTo(p)}>Line {p.line}{p.column ? `:${p.column}` : ''}</button><span>{p.path || '(recipe)'}: {p.message}</span></li>
                    ))}
                  </ul>
                </div>
              )}
            </div>
            <div className="row">
              <Button variant="primary" busy={save.isPending} disabled={!dirty || problems.length > 0} onClick={() => save.mutate()}>Save new version</Button>
              <Button disabled={!dirty} onClick={() => { setDraft(null); setLastSave(null); setRevision((n) => n + 1); }}>Discard changes</Button>
            </div>
            <ErrorBox error={save.error} title="Not saved" />
            {lastSave ? (
              <Card title={'unchanged' in lastSave ? 'Nothing to save' : `Saved as v${lastSave.version}`}>
                {'unchanged' in lastSave ? <p>The text is the same as v{lastSave.unchanged}.</p> : (
                  <>
                    <p className="small muted">{lastSave.previous === null ? 'The first version.' : `Changes from v${lastSave.previous}:`}</p>
                    <DiffView lines={lastSave.lines} label={`Changes from v${lastSave.previous ?? 0} to v${lastSave.version}`} />
                  </>
                )}
              </Card>
            ) : null}
          </div>
          <div className="stack">
            <Card title="Live preview">
              <div className="stack">
                <EventPicker source={trigger.source} type={trigger.event} onChange={setEvent} />
                {validText !== text && problems.length > 0 ? <p className="muted">Fix the problems of the recipe to see its preview.</p> : preview.error ? <ErrorBox error={preview.error} title="No preview" /> : preview.data ? <PreviewResult preview={preview.data} onProblem={goTo} /> : <p className="muted">Working…</p>}
              </div>
            </Card>
            <Card title="Dry run" actions={<Button busy={runDry.isPending} disabled={event === null} onClick={() => runDry.mutate()}>Dry run</Button>}>
              <p className="small muted">The exact GHL calls this event would cause, with each field's change against what the ledger knows. Nothing is written.</p>
              <ErrorBox error={runDry.error} title="Dry run failed" />
              {dryRun ? <DryRunResult result={dryRun} /> : null}
            </Card>
          </div>
        </div>
      </div>
      <div id="panel-history" role="tabpanel" aria-labelledby="tab-history" hidden={tab !== 'history'}>
        {tab === 'history' ? <History id={id} /> : null}
      </div>
    </Page>
  );
}

function History({ id }: { id: string }) {
  const versions = useQuery({ queryKey: ['recipe-versions', id], queryFn: () => unwrap(api.GET('/api/v1/recipes/{id}/versions', { params: { path: { id } } })) });
  const [shown, setShown] = useState<number | null>(null);
  const version = useQuery({
    queryKey: ['recipe', id, shown],
    enabled: shown !== null,
    queryFn: () => unwrap(api.GET('/api/v1/recipes/{id}', { params: { path: { id }, query: { version: shown! } } })),
  });
  if (versions.error) return <ErrorBox error={versions.error} />;
  const items = versions.data?.items ?? [];
  return (
    <div className="recipes-editor">
      <DataTable label="Versions" columns={['Version', 'Saved', 'Changes', { label: <span className="recipes-sr">View</span> }]}>
        {items.map((v) => (
          <tr key={v.version}>
            <td>v{v.version}</td>
            <td><Time iso={v.savedAt} /></td>
            <td>{v.summary}</td>
            <td><Button variant="quiet" aria-pressed={shown === v.version} onClick={() => setShown(v.version)}>View v{v.version}</Button></td>
          </tr>
        ))}
      </DataTable>
      <Card title={shown === null ? 'Choose a version' : `Version ${shown}`}>
        {shown === null ? <Empty>View a version to read its text as it was saved.</Empty> : version.data ? (
          <pre className="recipes-yaml" aria-label={`Text of version ${shown}`} tabIndex={0}>{version.data.text}</pre>
        ) : <ErrorBox error={version.error} />}
      </Card>
    </div>
  );
}
