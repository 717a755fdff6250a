import { ApiProblem } from '../api/problem.ts';

/**
 * A failed load or action, said as the server said it (code, message, and the field it names).
 *
 * @example
 * {runs.error ? <ErrorBox error={runs.error} /> : null}
 */
export function ErrorBox({ error, title = 'Something went wrong' }: { error: unknown; title?: string }) {
  if (!error) return null;
  const p = error instanceof ApiProblem ? error : undefined;
  const message = p ? p.message : error instanceof Error ? error.message : String(error);
  return (
    <div className="error-box" role="alert">
      <strong>{title}</strong>
      <p>{message}</p>
      {p ? <p className="muted small">{p.status} {p.code}{p.field ? ` · ${p.field}` : ''}</p> : null}
    </div>
  );
}
