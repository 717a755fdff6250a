import { useQuery } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { api, unwrap } from '../../api/client.ts';
import { Link } from '../../app/router.tsx';
import type { ViewProps } from '../../app/view-types.ts';
import { Button, Card, Empty, ErrorBox, Field, JsonView, KeyValues, Page } from '../../ui/index.ts';
import type { CatalogEntry } from './types.ts';

/** `/catalog/:id`: one operation: endpoint, scope, its schemas as trees, a sample with a copy button. */
export function OperationPage({ params }: ViewProps) {
  const id = params.id!;
  const op = useQuery({ queryKey: ['operation', id], queryFn: () => unwrap(api.GET('/api/v1/operations/{id}', { params: { path: { id } } })), staleTime: 300_000 });
  const e = op.data;
  return (
    <Page title={e ? e.title : id} subtitle={<span className="mono">{id}</span>} actions={<Link to="/catalog" className="btn">Back to the catalog</Link>}>
      {op.error ? <ErrorBox error={op.error} title="No such operation" /> : null}
      {e ? <Entry e={e} /> : null}
    </Page>
  );
}

function Entry({ e }: { e: CatalogEntry }) {
  return (
    <>
      <Card>
        <KeyValues items={[
          ['Kind', e.kind === 'trigger' ? `trigger (${e.type})` : 'action'],
          ['App', e.app],
          ['Endpoint', <span className="mono">{e.endpoint}</span>],
          ['Scope', e.scope ? <span className="mono">{e.scope}</span> : 'none'],
          ...(e.events ? [['Event types', <span className="mono">{e.events.join(', ')}</span>] as [string, ReactNode]] : []),
          ...(e.idempotent !== undefined ? [['Safe to repeat', e.idempotent ? 'yes (idempotent)' : 'no: never blindly retried'] as [string, ReactNode]] : []),
        ]} />
      </Card>
      <div className="grid">
        <Sample e={e} />
        {e.input ? <Card title="Input schema"><JsonView value={e.input} label="Input schema" collapsedDepth={2} /></Card> : null}
        <Card title={e.kind === 'trigger' ? 'Event payload schema' : 'Output schema'}><JsonView value={e.output} label={e.kind === 'trigger' ? 'Event payload schema' : 'Output schema'} collapsedDepth={2} /></Card>
      </div>
    </>
  );
}

/** The trigger's sample events (one per event type) or the action's example input, copyable as JSON. */
function Sample({ e }: { e: CatalogEntry }) {
  const samples = e.samples ?? (e.sample ? [e.sample] : []);
  const [index, setIndex] = useState(0);
  const [copied, setCopied] = useState<string | null>(null);
  const value: unknown = e.kind === 'trigger' ? samples[index]?.payload : e.example;
  const textOf = () => JSON.stringify(value, null, 2);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(textOf());
      setCopied('Copied to the clipboard.');
    } catch {
      setCopied('The browser refused the clipboard: select the text below and copy it.');
    }
  };
  const title = e.kind === 'trigger' ? 'Sample payload' : 'Example input';
  if (value === undefined) return <Card title={title}><Empty>No sample for this operation.</Empty></Card>;
  return (
    <Card title={title} actions={<div className="row catalog-copy"><Button onClick={() => void copy()}>Copy JSON</Button><span role="status" className="small muted">{copied}</span></div>}>
      {e.kind === 'trigger' && samples.length > 1 ? (
        <Field label="Event type" name="sample">
          {(p) => (
            <select {...p} value={index} onChange={(ev) => { setIndex(Number(ev.target.value)); setCopied(null); }}>
              {samples.map((s, i) => <option key={`${s.type}-${i}`} value={i}>{s.type}</option>)}
            </select>
          )}
        </Field>
      ) : e.kind === 'trigger' && samples[0] ? <p className="small muted">Event type <span className="mono">{samples[0].type}</span></p> : null}
      <JsonView value={value} label={title} />
      <details className="catalog-raw">
        <summary>As JSON text</summary>
        <pre className="mono small" aria-label={`${title} as JSON`}>{textOf()}</pre>
      </details>
    </Card>
  );
}
