import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { problemOf } from '../../api/problem.ts';
import { signIn } from '../../api/session.ts';
import { navigate, useLocation } from '../../app/router.tsx';
import type { ViewRoute } from '../../app/view-types.ts';
import { Button, ErrorBox, Field } from '../../ui/index.ts';

const REASONS: Record<string, string> = {
  'link-used-or-expired': 'That sign-in link was already used or has expired. Sign in with the admin token, or print a new link with ghl-bridge console-link.',
  'session-expired': 'Your session expired. Sign in again to go on where you were.',
};

/** Only a path of this console may follow sign-in (never another site), as the server checks it. */
function safeNext(next: string | null): string {
  // a backslash or a control character makes browsers read the path as another host
  if (!next || !next.startsWith('/') || next.startsWith('//') || [...next].some((ch) => ch === '\\' || ch.charCodeAt(0) < 0x20)) return '/';
  const url = new URL(next, window.location.origin);
  if (url.origin !== window.location.origin || url.pathname.startsWith('/sign-in')) return '/';
  return url.pathname + url.search + url.hash;
}

function SignIn() {
  const { query } = useLocation();
  const [token, setToken] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const reason = query.get('error');
  const queries = useQueryClient();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const res = await signIn(token);
      if (!res.ok) setError(await problemOf(res));
      else {
        // nothing read before (as nobody, or by an ended session) is shown again
        queries.clear();
        navigate(safeNext(query.get('next')), { replace: true, force: true });
      }
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card signin">
      <h1>Sign in to ghl-bridge</h1>
      <p className="muted">Use the one-time link printed by <code>npm start</code>, or paste the admin token.</p>
      {reason && REASONS[reason] ? <p role="status" className="error-box">{REASONS[reason]}</p> : null}
      <form onSubmit={(e) => void submit(e)} className="stack">
        <Field label="Admin token" name="token" error={error} hint="GHL_BRIDGE_ADMIN_TOKEN, or the file admin.token in the data folder">
          {(p) => <input {...p} type="password" autoComplete="current-password" value={token} onChange={(e) => setToken(e.target.value)} required />}
        </Field>
        <Button type="submit" variant="primary" busy={busy}>Sign in</Button>
        {error && !(error instanceof Error && 'field' in error && (error as { field?: string }).field) ? <ErrorBox error={error} title="Not signed in" /> : null}
      </form>
    </section>
  );
}

export const routes: ViewRoute[] = [{ path: '/sign-in', component: SignIn }];
