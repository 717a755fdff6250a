import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState, type FormEvent } from 'react';
import { api, unwrap } from '../../api/client.ts';
import { ApiProblem } from '../../api/problem.ts';
import { Link, navigate, useLocation } from '../../app/router.tsx';
import { Button, Card, ErrorBox, Field, Page } from '../../ui/index.ts';
import { SchemaFields, shownPaths, valueOf, type FormValues, type JsonSchema } from './schema-form.tsx';
import type { ConnectorSchema, CreateBody } from './types.ts';
import { useConnectLink } from './connect.tsx';

/** `/connections/new`: pick the app, fill its form (generated from its connection schema), save. */
export function NewConnectionPage() {
  const { query } = useLocation();
  const connectors = useQuery({ queryKey: ['connectors'], queryFn: () => unwrap(api.GET('/api/v1/connectors')), staleTime: 60_000 });
  const app = query.get('app') ?? '';
  const chosen = connectors.data?.items.find((c) => c.app === app);
  return (
    <Page title="Add a connection" subtitle="A connection is one account of an app: its settings, and its secrets (sealed at rest, never shown again)." actions={<Link to="/connections" className="btn">Back to connections</Link>}>
      {connectors.error ? <ErrorBox error={connectors.error} /> : null}
      {connectors.data ? (
        <Card title="App">
          <Field label="App" hint={chosen?.description ?? 'Which app this connection is an account of.'}>
            {(p) => (
              <select {...p} name="app" value={app} onChange={(e) => navigate(`/connections/new${e.target.value ? `?app=${encodeURIComponent(e.target.value)}` : ''}`, { replace: true })}>
                <option value="">Choose an app…</option>
                {connectors.data.items.map((c) => <option key={c.app} value={c.app}>{c.title}</option>)}
              </select>
            )}
          </Field>
        </Card>
      ) : null}
      {chosen ? <ConnectionForm key={chosen.app} connector={chosen} /> : null}
    </Page>
  );
}

function ConnectionForm({ connector }: { connector: ConnectorSchema }) {
  const queries = useQueryClient();
  const [id, setId] = useState(connector.defaultId);
  const [name, setName] = useState(connector.title);
  const [values, setValues] = useState<FormValues>({});
  const [local, setLocal] = useState<ApiProblem | null>(null);
  const set = (path: string, value: string) => setValues((v) => ({ ...v, [path]: value }));
  const config = connector.config as JsonSchema;
  const secrets = connector.secrets as JsonSchema;
  const oauth = connector.app === 'ghl-location' && values['config.auth'] === 'oauth';
  const connect = useConnectLink();

  const create = useMutation({
    mutationFn: (body: CreateBody) => unwrap(api.POST('/api/v1/connections', { body })),
    onSuccess: async (created) => {
      await queries.invalidateQueries({ queryKey: ['connections'] });
      navigate(`/connections?added=${encodeURIComponent(created.id)}`);
    },
  });
  const error = local ?? create.error;
  const shown = useMemo(() => new Set(['id', 'name', ...shownPaths(config, values, 'config'), ...shownPaths(secrets, values, 'secrets')]), [config, secrets, values]);
  const unplaced = error instanceof ApiProblem && (!error.field || !shown.has(error.field.replace(/^body\./, ''))) ? error : null;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setLocal(null);
    const c = valueOf(config, values, 'config');
    const s = valueOf(secrets, values, 'secrets');
    const problem = c.problem ?? s.problem;
    if (problem) {
      setLocal(new ApiProblem(400, 'invalid-input', problem.message, problem.field));
      return;
    }
    // the app list comes from the server: its apps are the ones the API takes
    create.mutate({ ...(id.trim() ? { id: id.trim() } : {}), app: connector.app as CreateBody['app'], name, ...(c.value ? { config: c.value } : {}), ...(s.value ? { secrets: s.value as Record<string, string> } : {}) });
  };

  return (
    <form className="stack connection-form" onSubmit={submit} noValidate aria-label={`New ${connector.title} connection`}>
      <Card title="Connection">
        <div className="schema-grid">
          <Field label="Connection id" name="id" error={error} hint="Letters, digits, _ . : - (recipes name it in connection:, webhooks arrive at /hooks/<id>). Empty: a random one.">
            {(p) => <input {...p} name="id" value={id} spellCheck={false} autoComplete="off" onChange={(e) => setId(e.target.value)} />}
          </Field>
          <Field label="Name" name="name" error={error} hint="Shown in lists">
            {(p) => <input {...p} name="name" value={name} required autoComplete="off" onChange={(e) => setName(e.target.value)} />}
          </Field>
        </div>
        <p className="small muted">Authentication: {connector.authKinds.map((k) => k.title).join(' or ')}</p>
      </Card>
      <Card title="Settings">
        <div className="schema-grid">
          <SchemaFields schema={config} path="config" values={values} onChange={set} error={error} />
        </div>
      </Card>
      {!oauth ? (
        <Card title="Secrets">
          <p className="small muted">Sealed at rest; never shown again (not even here after saving).</p>
          <div className="schema-grid">
            <SchemaFields schema={secrets} path="secrets" values={values} onChange={set} error={error} />
          </div>
        </Card>
      ) : null}
      {unplaced ? <ErrorBox error={unplaced} title="The connection was not saved" /> : null}
      {connect.error ? <ErrorBox error={connect.error} title="Could not start the OAuth connection" /> : null}
      <div className="row">
        {oauth ? (
          <Button variant="primary" busy={connect.isPending} onClick={() => connect.mutate(id.trim() || undefined)}>Connect with HighLevel</Button>
        ) : (
          <Button type="submit" variant="primary" busy={create.isPending}>Save connection</Button>
        )}
        <Link to="/connections" className="btn">Cancel</Link>
        {error && !unplaced ? <span className="small field-error" role="status">Fix the marked field above.</span> : null}
      </div>
      {oauth ? <p className="small muted">OAuth: a single-use link opens HighLevel in a new tab; the location is the one you choose there (the settings above are not sent), and the connection appears in the list once it is connected.</p> : null}
    </form>
  );
}
