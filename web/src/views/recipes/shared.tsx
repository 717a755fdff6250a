/**
 * Pieces the recipe list, editor and form share: the API calls they make, the event picker of
 * previews and dry runs, and the views of a preview, a dry run and a diff.
 */
import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { api, unwrap } from '../../api/client.ts';
import { Empty, Field, KeyValues, StatusBadge } from '../../ui/index.ts';
import type { CompletionSource, Problem } from './yaml-editor.tsx';

/** What a preview or dry run works on, as the API takes it. */
export type EventChoice = { sample: true } | { eventId: number } | { payload: Record<string, unknown> };

export const validateText = async (text: string): Promise<Problem[]> => {
  const r = await unwrap(api.POST('/api/v1/recipes/validate', { body: { text } }));
  return r.errors;
};

export const previewText = (text: string, event: EventChoice) => unwrap(api.POST('/api/v1/recipes/preview', { body: { text, event } }));
export type PreviewAnswer = Awaited<ReturnType<typeof previewText>>;

/** The dry run of a text (saved or not) on an event: the body the route takes for each choice. */
export const dryRunText = (id: string, text: string, event: EventChoice) =>
  unwrap(api.POST('/api/v1/recipes/{id}/dry-run', { params: { path: { id } }, body: { text, ...event } }));
export type DryRunAnswer = Awaited<ReturnType<typeof dryRunText>>;

/** The completion source for a recipe's trigger (source and first event), kept by TanStack Query. */
export function useCompletion(source: string | undefined, event: string | undefined): CompletionSource | null {
  const q = useQuery({
    queryKey: ['recipe-schema', source ?? '', event ?? ''],
    queryFn: () => unwrap(api.GET('/api/v1/recipes/schema', { params: { query: { ...(source ? { source } : {}), ...(event ? { event } : {}) } } })),
    staleTime: 5 * 60_000,
  });
  if (!q.data) return null;
  return { schema: q.data.schema, contactFields: q.data.contactFields, transforms: q.data.transforms, paths: q.data.trigger?.paths ?? [] };
}

/** A value returned `value` ms after it stops changing. */
export function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

/**
 * Choose the event of a preview: the catalog sample, a recent real event of the trigger, or
 * pasted JSON. `onChange` gets the API's choice (null while the pasted JSON does not parse).
 */
export function EventPicker({ source, type, onChange }: { source?: string; type?: string; onChange: (choice: EventChoice | null) => void }) {
  const [kind, setKind] = useState<'sample' | 'event' | 'payload'>('sample');
  const [eventId, setEventId] = useState('');
  const [pasted, setPasted] = useState('');
  const events = useQuery({
    queryKey: ['events', source, type],
    enabled: !!source,
    queryFn: async () => {
      const page = await unwrap(api.GET('/api/v1/events', { params: { query: { ...(source ? { source } : {}), ...(type ? { type } : {}), limit: 10 } } }));
      return page.items;
    },
  });
  let pasteError: string | undefined;
  let payload: Record<string, unknown> | null = null;
  if (kind === 'payload' && pasted.trim() !== '') {
    try {
      const v: unknown = JSON.parse(pasted);
      if (v && typeof v === 'object' && !Array.isArray(v)) payload = v as Record<string, unknown>;
      else pasteError = 'the payload is a JSON object: { … }';
    } catch (e) {
      pasteError = `not JSON: ${(e as Error).message}`;
    }
  }
  const choice: EventChoice | null = kind === 'sample' ? { sample: true } : kind === 'event' ? (eventId ? { eventId: Number(eventId) } : null) : payload ? { payload } : null;
  const key = JSON.stringify(choice);
  const tell = useRef(onChange);
  tell.current = onChange;
  useEffect(() => { tell.current(JSON.parse(key) as EventChoice | null); }, [key]);
  const recent = events.data ?? [];
  return (
    <fieldset className="stack">
      <legend>Event</legend>
      <div className="row" role="radiogroup" aria-label="Event source">
        <label className="recipes-switch"><input type="radio" name="event-kind" checked={kind === 'sample'} onChange={() => setKind('sample')} /> Catalog sample</label>
        <label className="recipes-switch"><input type="radio" name="event-kind" checked={kind === 'event'} onChange={() => { setKind('event'); if (!eventId && recent[0]) setEventId(String(recent[0].id)); }} /> Recent event</label>
        <label className="recipes-switch"><input type="radio" name="event-kind" checked={kind === 'payload'} onChange={() => setKind('payload')} /> Pasted JSON</label>
      </div>
      {kind === 'event' ? (
        <Field label="Stored event" hint={recent.length === 0 ? 'No event of this trigger has arrived yet.' : 'The newest events of the trigger.'}>
          {(p) => (
            <select {...p} value={eventId} onChange={(e) => setEventId(e.target.value)}>
              <option value="">Choose an event</option>
              {recent.map((e) => <option key={e.id} value={e.id}>{`#${e.id} ${e.type} ${e.recordId ?? ''} · ${new Date(e.receivedAt).toLocaleString()}`}</option>)}
            </select>
          )}
        </Field>
      ) : null}
      {kind === 'payload' ? (
        <Field label="Event payload (JSON)" error={pasteError}>
          {(p) => <textarea {...p} rows={6} value={pasted} onChange={(e) => setPasted(e.target.value)} placeholder='{ "data": { "id": "usr_1", "email": "ada@example.com" } }' />}
        </Field>
      ) : null}
    </fieldset>
  );
}

const show = (v: unknown) => (v === undefined ? '—' : typeof v === 'string' ? v : JSON.stringify(v));

/** The mapping result: contact fields, tags, tasks, notes, problems. */
export function PreviewResult({ preview, onProblem }: { preview: PreviewAnswer; onProblem?: (p: Problem) => void }) {
  const fields = Object.entries(preview.contact.fields);
  return (
    <div className="stack" aria-label="Mapping preview" role="region">
      <p className="small muted">
        {preview.event.from.kind === 'sample' ? `Catalog sample ${preview.event.type} of ${preview.event.from.triggerId}` : preview.event.from.kind === 'event' ? `Event #${preview.event.from.id} (${preview.event.type})` : `Pasted payload (${preview.event.type})`}
        {preview.recordId ? ` · record ${preview.recordId}` : ''}
      </p>
      {!preview.matched ? <p><StatusBadge status="skipped" /> {preview.reason}</p> : null}
      {preview.errors.length > 0 ? (
        <div className="error-box" role="alert">
          <strong>Mapping problems</strong>
          <ul className="recipes-problems">
            {preview.errors.map((e, i) => (
              <li key={i}>
                <button type="button" onClick={() => onProblem?.(e)}>Line {e.line}</button>
                <span>{e.path}: {e.message}</span>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <h3>Contact fields</h3>
      {fields.length === 0 && preview.contact.customFields.length === 0 ? <Empty>No contact field is mapped for this event.</Empty> : (
        <KeyValues items={[...fields.map(([k, v]) => [k, show(v)] as [string, string]), ...preview.contact.customFields.map((c) => [`custom: ${c.key}`, show(c.field_value)] as [string, string])]} />
      )}
      <h3>Tags</h3>
      {preview.tags.add.length + preview.tags.remove.length === 0 ? <Empty>No tag.</Empty> : (
        <p className="recipes-outcomes">
          {preview.tags.add.map((t) => <span key={`+${t}`} className="badge badge-ok">+ {t}</span>)}
          {preview.tags.remove.map((t) => <span key={`-${t}`} className="badge badge-bad">− {t}</span>)}
        </p>
      )}
      <h3>Tasks</h3>
      {preview.tasks.length === 0 ? <Empty>No task.</Empty> : preview.tasks.map((t) => (
        <KeyValues key={t.sourceId} items={[['Title', t.title], ['Due', t.dueDate], ...(t.body ? [['Body', t.body] as [string, string]] : []), ...(t.assignedTo ? [['Assigned to', t.assignedTo] as [string, string]] : []), ['Source id', <code key="s">{t.sourceId}</code>]]} />
      ))}
      <h3>Notes</h3>
      {preview.notes.length === 0 ? <Empty>No note.</Empty> : preview.notes.map((n) => <KeyValues key={n.sourceId} items={[['Body', n.body], ['Source id', <code key="s">{n.sourceId}</code>]]} />)}
      {preview.skippedActions.length > 0 ? (
        <>
          <h3>Actions left out</h3>
          <ul>{preview.skippedActions.map((s, i) => <li key={i}>{s.action}: {s.reason}</li>)}</ul>
        </>
      ) : null}
    </div>
  );
}

/** The dry run: each GHL call with its field diff, or why nothing would happen. */
export function DryRunResult({ result }: { result: DryRunAnswer }) {
  const calls = result.plan?.calls ?? [];
  const errors = result.evaluation.errors;
  return (
    <div className="stack" role="region" aria-label="Dry run result">
      <p className="small muted">
        Location {result.locationId}{result.plan ? ` · record ${result.plan.recordId}` : ''}{result.plan?.contactId ? ` · contact ${result.plan.contactId}` : result.plan ? ' · no contact linked yet' : ''}
      </p>
      {result.skipReason ? <p><StatusBadge status="skipped" /> {result.skipReason.message}</p> : null}
      {errors.length > 0 ? (
        <div className="error-box" role="alert">
          <strong>It would fail</strong>
          <ul>{errors.map((e, i) => <li key={i}><code>{e.field}</code>: {e.message}</li>)}</ul>
        </div>
      ) : null}
      {calls.length === 0 && !result.skipReason && errors.length === 0 ? <Empty>No GHL call.</Empty> : null}
      <ol className="recipes-calls" aria-label="GHL calls">
        {calls.map((c) => (
          <li key={c.step}>
            <div className="recipes-call-head">
              <strong className="mono">{c.method} {c.path}</strong>
              <span className="badge badge-info">{c.operationId}</span>
              <span className="muted small">{c.reason}</span>
            </div>
            {c.diff.length > 0 ? (
              <div className="table-wrap">
                <table className="table">
                  <thead><tr><th scope="col">Field</th><th scope="col">Now</th><th scope="col">After</th></tr></thead>
                  <tbody>
                    {c.diff.map((d) => (
                      <tr key={d.field}><td className="mono">{d.field}</td><td className="diff-del">{show(d.from)}</td><td className="diff-add">{show(d.to)}</td></tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ) : <p className="muted small">No field changes.</p>}
          </li>
        ))}
      </ol>
    </div>
  );
}

/** A unified diff, lines coloured by kind (and marked with + and −, so colour is not the only signal). */
export function DiffView({ lines, label = 'Changes' }: { lines: string[]; label?: string }) {
  if (lines.length === 0) return <Empty>No line changed.</Empty>;
  return (
    <pre className="recipes-diff" aria-label={label} tabIndex={0}>
      {lines.map((l, i) => (
        <div key={i} className={l.startsWith('@@') ? 'diff-hunk' : l.startsWith('+') ? 'diff-add' : l.startsWith('-') ? 'diff-del' : undefined}>{l || ' '}</div>
      ))}
    </pre>
  );
}
