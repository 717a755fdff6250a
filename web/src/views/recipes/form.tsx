/**
 * `/recipes/new`: a recipe without YAML. Pick the source app and trigger from the operations
 * catalog, click the trigger's sample payload to map GHL fields (with a transform from the menu),
 * pick actions, then preview, dry-run and save. The server writes the YAML (`POST /recipes/draft`,
 * the generator `recipes new` uses); it is shown, read-only, before saving.
 */
import { useMutation, useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { api, ApiProblem, unwrap } from '../../api/client.ts';
import type { RequestBodyOf } from '../../api/types.ts';
import { navigate, useBlocker } from '../../app/router.tsx';
import { Button, Card, DataTable, ErrorBox, Field, JsonView, Page } from '../../ui/index.ts';
import { DiffView, DryRunResult, PreviewResult, dryRunText, previewText, useDebounced, type DryRunAnswer, type PreviewAnswer } from './shared.tsx';

type DraftBody = RequestBodyOf<'/api/v1/recipes/draft', 'post'>;
type ActionKind = DraftBody['actions'][number]['kind'];

interface Row {
  key: number;
  ghlField: string;
  customKey: string;
  sourcePath: string;
  transform: string;
  options: Record<string, string>;
  valueMap: string;
  fallback: string;
  default: string;
}

const APP_LABELS: Record<string, string> = { webhook: 'Your app (webhook)', recruitee: 'Recruitee', connecteam: 'Connecteam', erp: 'ERP', ghl: 'HighLevel (GHL)' };

let rowKeys = 0;
const row = (ghlField: string, transform = ''): Row => ({ key: ++rowKeys, ghlField, customKey: '', sourcePath: '', transform, options: {}, valueMap: '', fallback: '', default: '' });

/** `from = to` lines → a value map. */
function mapOf(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const at = line.indexOf('=');
    if (at > 0) out[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  return out;
}

export function NewRecipeForm() {
  const catalog = useQuery({ queryKey: ['operations', 'trigger'], queryFn: () => unwrap(api.GET('/api/v1/operations', { params: { query: { kind: 'trigger' } } })) });
  const menus = useQuery({ queryKey: ['recipe-transforms'], queryFn: () => unwrap(api.GET('/api/v1/recipes/transforms')) });
  const connections = useQuery({ queryKey: ['connections'], queryFn: () => unwrap(api.GET('/api/v1/connections', { params: { query: {} } })) });

  const triggers = useMemo(() => (catalog.data?.items ?? []).filter((t) => t.kind === 'trigger' && (t.events?.length ?? 0) > 0), [catalog.data]);
  const apps = useMemo(() => [...new Set(triggers.map((t) => t.app))], [triggers]);
  const [app, setApp] = useState('');
  const [triggerId, setTriggerId] = useState('');
  const [eventType, setEventType] = useState('');
  const [sourceConnection, setSourceConnection] = useState('');
  const [ghlConnection, setGhlConnection] = useState('');
  const [name, setName] = useState('');
  const [recipeId, setRecipeId] = useState('');
  const [rows, setRows] = useState<Row[]>(() => [row('email', 'email'), row('firstName', 'firstName'), row('lastName', 'lastName'), row('phone', 'phone')]);
  const [selected, setSelected] = useState(rows[0]!.key);
  const [actions, setActions] = useState<Partial<Record<ActionKind, Record<string, string>>>>({ upsertContact: {} });
  const [touched, setTouched] = useState(false);
  const [savedAs, setSavedAs] = useState<string | null>(null);
  useBlocker(touched && savedAs === null, 'This recipe is not saved. Leave without saving it?');
  const touch = () => setTouched(true);

  const chosenApp = app || (apps.includes('webhook') ? 'webhook' : apps[0] ?? '');
  const ownTriggers = triggers.filter((t) => t.app === chosenApp);
  const trigger = ownTriggers.find((t) => t.id === triggerId) ?? ownTriggers[0];
  const anyEvent = trigger?.events?.includes('*') ?? false;
  const event = anyEvent ? eventType || trigger?.sample?.type || '' : eventType && trigger?.events?.includes(eventType) ? eventType : trigger?.events?.[0] ?? '';
  const sample = trigger ? (trigger.samples ?? []).find((s) => s.type === event) ?? trigger.sample ?? null : null;
  const appConnections = (connections.data?.items ?? []).filter((c) => c.app === chosenApp || (chosenApp === 'ghl' && c.app === 'ghl-location'));
  const ghlConnections = (connections.data?.items ?? []).filter((c) => c.app === 'ghl-location');
  const source = sourceConnection || appConnections[0]?.id || '';
  const ghl = ghlConnection || ghlConnections[0]?.id || '';

  const body: DraftBody | null = trigger ? {
    name: name.trim() || `${APP_LABELS[chosenApp] ?? chosenApp} ${event} → GHL contact`,
    ...(recipeId.trim() ? { id: recipeId.trim() } : {}),
    source: { app: chosenApp, connection: source || 'my-app', trigger: trigger.id, ...(event ? { event } : {}) },
    ghlConnection: ghl || 'ghl-main',
    fields: rows.filter((r) => r.sourcePath.trim() !== '' || r.default.trim() !== '').map((r) => {
      const t = menus.data?.items.find((m) => m.id === r.transform);
      const options = Object.fromEntries(Object.entries(r.options).filter(([k, v]) => v.trim() !== '' && t?.options.some((o) => o.name === k)));
      return {
        ghlField: r.ghlField === 'custom' ? `customFields.${r.customKey.trim()}` : r.ghlField,
        ...(r.sourcePath.trim() ? { sourcePath: r.sourcePath.trim() } : {}),
        ...(r.transform ? { transform: r.transform } : {}),
        ...(Object.keys(options).length ? { options } : {}),
        ...(r.transform === 'map' ? { valueMap: { map: mapOf(r.valueMap), ...(r.fallback.trim() ? { fallback: r.fallback.trim() } : {}) } } : {}),
        ...(r.default.trim() ? { default: r.default.trim() } : {}),
      };
    }),
    actions: (menus.data?.actions ?? []).filter((a) => actions[a.kind as ActionKind]).map((a) => {
      const o = actions[a.kind as ActionKind]!;
      const list = (v?: string) => (v ?? '').split(',').map((s) => s.trim()).filter(Boolean);
      return {
        kind: a.kind as ActionKind,
        ...(o.tags ? { tags: list(o.tags) } : {}), ...(o.managed ? { managed: list(o.managed) } : {}),
        ...(o.title ? { title: o.title } : {}), ...(o.body ? { body: o.body } : {}), ...(o.dueIn ? { dueIn: o.dueIn } : {}), ...(o.dueAt ? { dueAt: o.dueAt } : {}),
        ...(o.assignedTo ? { assignedTo: o.assignedTo } : {}), ...(o.policy === 'delete' || o.policy === 'tag' ? { policy: o.policy } : {}), ...(o.tag ? { tag: o.tag } : {}),
      };
    }),
  } : null;
  const debounced = useDebounced(body, 300);
  const draft = useQuery({
    queryKey: ['recipe-draft', debounced],
    enabled: debounced !== null && debounced.actions.length > 0,
    queryFn: () => unwrap(api.POST('/api/v1/recipes/draft', { body: debounced! })),
    retry: false,
    placeholderData: (prev) => prev,
  });
  const fresh = () => unwrap(api.POST('/api/v1/recipes/draft', { body: body! }));

  const [preview, setPreview] = useState<PreviewAnswer | null>(null);
  const [dry, setDry] = useState<DryRunAnswer | null>(null);
  const runPreview = useMutation({ mutationFn: async () => { const d = await fresh(); return previewText(d.text, { sample: true }); }, onSuccess: (p) => { setPreview(p); setDry(null); } });
  const runDry = useMutation({ mutationFn: async () => { const d = await fresh(); return dryRunText(d.id, d.text, { sample: true }); }, onSuccess: (r) => { setDry(r); setPreview(null); } });
  const [saveDiff, setSaveDiff] = useState<string[] | null>(null);
  const save = useMutation({
    mutationFn: async () => {
      const d = await fresh();
      if (!d.valid) throw new ApiProblem(422, 'invalid-recipe', d.errors.map((e) => `${e.path}: ${e.message}`).join('; '));
      if (d.exists !== null) throw new ApiProblem(409, 'recipe-exists', `a recipe "${d.id}" is saved already (v${d.exists}): saving would replace it. Choose another Recipe id, or open that recipe in the editor.`, 'id');
      return unwrap(api.POST('/api/v1/recipes/{id}/versions', { params: { path: { id: d.id } }, body: { text: d.text } }));
    },
    onSuccess: (r) => {
      setSavedAs(r.id);
      if (r.outcome === 'created') setSaveDiff(r.diff.lines);
    },
  });
  const actionError = runPreview.error ?? runDry.error ?? save.error ?? draft.error;

  const setRow = (key: number, change: Partial<Row>) => { touch(); setRows((rs) => rs.map((r) => (r.key === key ? { ...r, ...change } : r))); };
  const pick = (path: string) => {
    touch();
    setRows((rs) => rs.map((r) => (r.key === selected ? { ...r, sourcePath: path } : r)));
    // the next row without a source path gets the next click
    const i = rows.findIndex((r) => r.key === selected);
    const next = rows.slice(i + 1).find((r) => r.sourcePath === '');
    if (next) setSelected(next.key);
  };

  if (catalog.error || menus.error) return <Page title="New recipe"><ErrorBox error={catalog.error ?? menus.error} /></Page>;
  if (!catalog.data || !menus.data) return <p className="muted" aria-live="polite">Loading…</p>;
  const fieldError = (i: number, name: string) => (actionError instanceof ApiProblem && actionError.isAbout(`fields[${i}].${name}`) ? actionError.message : undefined);
  // the draft's field index counts only rows with a path or default
  const sentIndex = (key: number) => rows.filter((r) => r.sourcePath.trim() !== '' || r.default.trim() !== '').findIndex((r) => r.key === key);

  return (
    <Page title="New recipe" subtitle="Map an app's events to GHL contacts without writing YAML: the recipe a developer would write is shown before you save it.">
      {savedAs ? (
        <Card title={`Saved recipe ${savedAs}`} actions={<Button variant="primary" onClick={() => navigate(`/recipes/${encodeURIComponent(savedAs)}`, { force: true })}>Open in the editor</Button>}>
          <p className="small muted">Saved as a new version. Changes from the previous version:</p>
          {saveDiff ? <DiffView lines={saveDiff} label="Changes of the saved version" /> : <p>The same as the saved version: nothing changed.</p>}
        </Card>
      ) : null}
      <div className="recipes-form">
        <div className="stack">
          <Card title="1. Source">
            <div className="row">
              <Field label="Source app" name="source.app" error={actionError}>
                {(p) => (
                  <select {...p} value={chosenApp} onChange={(e) => { touch(); setApp(e.target.value); setTriggerId(''); setEventType(''); setSourceConnection(''); }}>
                    {apps.map((a) => <option key={a} value={a}>{APP_LABELS[a] ?? a}</option>)}
                  </select>
                )}
              </Field>
              <Field label="Trigger" name="source.trigger" error={actionError}>
                {(p) => (
                  <select {...p} value={trigger?.id ?? ''} onChange={(e) => { touch(); setTriggerId(e.target.value); setEventType(''); }}>
                    {ownTriggers.map((t) => <option key={t.id} value={t.id}>{t.title}</option>)}
                  </select>
                )}
              </Field>
              <Field label="Event type" name="source.event" error={actionError} hint={anyEvent ? "your app's own event type" : undefined}>
                {(p) => anyEvent ? (
                  <input {...p} value={event} onChange={(e) => { touch(); setEventType(e.target.value); }} list="recipes-event-types" />
                ) : (
                  <select {...p} value={event} onChange={(e) => { touch(); setEventType(e.target.value); }}>
                    {(trigger?.events ?? []).map((ev) => <option key={ev} value={ev}>{ev}</option>)}
                  </select>
                )}
              </Field>
              <datalist id="recipes-event-types">{(trigger?.samples ?? []).map((s) => <option key={s.type} value={s.type} />)}</datalist>
            </div>
            <div className="row">
              <Field label="Source connection" name="source.connection" error={actionError} hint="the connection its events arrive on">
                {(p) => <input {...p} value={source} list="recipes-source-connections" onChange={(e) => { touch(); setSourceConnection(e.target.value); }} />}
              </Field>
              <datalist id="recipes-source-connections">{appConnections.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}</datalist>
              <Field label="GHL connection" name="ghlConnection" error={actionError} hint="the location the actions write to">
                {(p) => <input {...p} value={ghl} list="recipes-ghl-connections" onChange={(e) => { touch(); setGhlConnection(e.target.value); }} />}
              </Field>
              <datalist id="recipes-ghl-connections">{ghlConnections.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}</datalist>
            </div>
            <div className="row">
              <Field label="Recipe name" name="name" error={actionError}>
                {(p) => <input {...p} value={name} placeholder={body?.name} onChange={(e) => { touch(); setName(e.target.value); }} />}
              </Field>
              <Field label="Recipe id" name="id" error={actionError} hint={draft.data ? `default ${draft.data.id}` : undefined}>
                {(p) => <input {...p} value={recipeId} onChange={(e) => { touch(); setRecipeId(e.target.value); }} />}
              </Field>
            </div>
          </Card>

          <Card title="2. Map GHL fields" actions={<Button onClick={() => { touch(); const r = row('companyName'); setRows((rs) => [...rs, r]); setSelected(r.key); }}>Add field</Button>}>
            <p className="small muted">Choose a row, then click a value of the sample payload to use its path.</p>
            <DataTable label="GHL field mapping" className="recipes-map" columns={['Clicks go to', 'GHL field', 'Source path', 'Transform', 'Options', { label: <span className="recipes-sr">Remove</span> }]}>
              {rows.map((r, i) => {
                const n = i + 1;
                const t = menus.data.items.find((m) => m.id === r.transform);
                const at = sentIndex(r.key);
                const err = at >= 0 ? fieldError(at, 'ghlField') ?? fieldError(at, 'sourcePath') ?? fieldError(at, 'transform') ?? fieldError(at, 'valueMap') : undefined;
                return (
                  <tr key={r.key} data-selected={selected === r.key}>
                    <td><input type="radio" name="recipes-selected-row" checked={selected === r.key} onChange={() => setSelected(r.key)} aria-label={`Clicks go to row ${n}`} /></td>
                    <td>
                      <select value={r.ghlField} onChange={(e) => setRow(r.key, { ghlField: e.target.value })} aria-label={`GHL field, row ${n}`}>
                        {menus.data.ghlFields.map((f) => <option key={f} value={f}>{f}</option>)}
                        <option value="custom">custom field…</option>
                      </select>
                      {r.ghlField === 'custom' ? <input value={r.customKey} onChange={(e) => setRow(r.key, { customKey: e.target.value })} aria-label={`Custom field key, row ${n}`} placeholder="contact.plan" /> : null}
                      {err ? <p className="field-error" role="alert">{err}</p> : null}
                    </td>
                    <td><input className="mono" value={r.sourcePath} onFocus={() => setSelected(r.key)} onChange={(e) => setRow(r.key, { sourcePath: e.target.value })} aria-label={`Source path, row ${n}`} placeholder="click the sample" /></td>
                    <td>
                      <select value={r.transform} onChange={(e) => setRow(r.key, { transform: e.target.value, options: {} })} aria-label={`Transform, row ${n}`}>
                        <option value="">none</option>
                        {menus.data.items.map((m) => <option key={m.id} value={m.id}>{m.label}</option>)}
                      </select>
                    </td>
                    <td>
                      <div className="stack">
                        {(t?.options ?? []).map((o) => o.kind === 'enum' ? (
                          <select key={o.name} value={r.options[o.name] ?? o.default ?? ''} onChange={(e) => setRow(r.key, { options: { ...r.options, [o.name]: e.target.value } })} aria-label={`${o.label}, row ${n}`} title={o.help}>
                            {(o.values ?? []).map((v) => <option key={v} value={v}>{v}</option>)}
                          </select>
                        ) : (
                          <input key={o.name} value={r.options[o.name] ?? ''} placeholder={o.default ?? o.help} onChange={(e) => setRow(r.key, { options: { ...r.options, [o.name]: e.target.value } })} aria-label={`${o.label}, row ${n}`} title={o.help} />
                        ))}
                        {t?.needsValueMap ? (
                          <>
                            <textarea rows={3} value={r.valueMap} onChange={(e) => setRow(r.key, { valueMap: e.target.value })} aria-label={`Value map, row ${n}`} placeholder={'hired = employee\noffer = candidate'} />
                            <input value={r.fallback} onChange={(e) => setRow(r.key, { fallback: e.target.value })} aria-label={`Fallback, row ${n}`} placeholder="fallback" />
                          </>
                        ) : null}
                        <input value={r.default} onChange={(e) => setRow(r.key, { default: e.target.value })} aria-label={`Default, row ${n}`} placeholder="default (optional)" />
                      </div>
                    </td>
                    <td><Button variant="quiet" aria-label={`Remove row ${n}`} onClick={() => { touch(); setRows((rs) => rs.filter((x) => x.key !== r.key)); }}>✕</Button></td>
                  </tr>
                );
              })}
            </DataTable>
          </Card>

          <Card title="3. Actions">
            <div className="recipes-actions">
              {menus.data.actions.map((a) => {
                const kind = a.kind as ActionKind;
                const on = actions[kind] !== undefined;
                return (
                  <div key={a.kind} className="recipes-action">
                    <label className="recipes-switch">
                      <input type="checkbox" checked={on} onChange={(e) => { touch(); setActions((s) => { const next = { ...s }; if (e.target.checked) next[kind] = {}; else delete next[kind]; return next; }); }} />
                      <strong>{a.label}</strong>
                    </label>
                    <span className="muted small"> — {a.description}</span>
                    {on && a.options.length > 0 ? (
                      <div className="row">
                        {a.options.map((o) => (
                          <Field key={o.name} label={o.label} hint={o.help} name={`actions.${o.name}`}>
                            {(p) => o.kind === 'enum' ? (
                              <select {...p} value={actions[kind]?.[o.name] ?? o.default ?? ''} onChange={(e) => { touch(); setActions((s) => ({ ...s, [kind]: { ...s[kind], [o.name]: e.target.value } })); }}>
                                {(o.values ?? []).map((v) => <option key={v} value={v}>{v}</option>)}
                              </select>
                            ) : (
                              <input {...p} value={actions[kind]?.[o.name] ?? ''} placeholder={o.default} onChange={(e) => { touch(); setActions((s) => ({ ...s, [kind]: { ...s[kind], [o.name]: e.target.value } })); }} />
                            )}
                          </Field>
                        ))}
                      </div>
                    ) : null}
                  </div>
                );
              })}
            </div>
          </Card>

          <div className="row">
            <Button busy={runPreview.isPending} disabled={!body} onClick={() => runPreview.mutate()}>Preview</Button>
            <Button busy={runDry.isPending} disabled={!body} onClick={() => runDry.mutate()}>Dry run</Button>
            <Button variant="primary" busy={save.isPending} disabled={!body} onClick={() => save.mutate()}>Save recipe</Button>
          </div>
          <ErrorBox error={actionError} title="The recipe is not ready" />
          {preview ? <Card title="Preview"><PreviewResult preview={preview} /></Card> : null}
          {dry ? <Card title="Dry run"><DryRunResult result={dry} /></Card> : null}
        </div>

        <div className="stack">
          <Card title="Sample payload">
            {sample ? (
              <>
                <p className="small muted">{sample.type} of {trigger?.id} — click a value to map its path to row {rows.findIndex((r) => r.key === selected) + 1}.</p>
                <JsonView value={sample.payload} onPick={pick} label="Sample payload" collapsedDepth={4} />
              </>
            ) : <p className="muted">This trigger has no sample: type the source paths.</p>}
          </Card>
          <Card title="Generated YAML">
            {draft.data ? (
              <>
                {draft.data.notes.map((n) => <p key={n} className="small muted">{n}</p>)}
                <pre className="recipes-yaml" aria-label="Generated YAML" tabIndex={0}>{draft.data.text}</pre>
              </>
            ) : <p className="muted">Pick at least one action.</p>}
          </Card>
        </div>
      </div>
    </Page>
  );
}
