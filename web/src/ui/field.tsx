import { useId, type ReactNode } from 'react';
import { ApiProblem } from '../api/problem.ts';

/** What an input needs to be labelled and tied to its error and help. */
export interface FieldControl { id: string; 'aria-invalid': boolean | undefined; 'aria-describedby': string | undefined }

/**
 * A labelled input with its help text and its error right beside it. `error` may be a message or a
 * problem from the API (shown when its field is `name`).
 *
 * @example
 * <Field label="Location id" name="locationId" error={create.error}>
 *   {(p) => <input {...p} value={v} onChange={…} />}
 * </Field>
 */
export function Field({ label, name, hint, error, required, children }: { label: ReactNode; name?: string; hint?: ReactNode; error?: unknown; required?: boolean; children: (control: FieldControl) => ReactNode }) {
  const id = useId();
  const message = fieldError(error, name);
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = message ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field ${message ? 'field-invalid' : ''}`}>
      {/* the star is drawn by CSS, so the accessible name is the label alone */}
      <label htmlFor={id} className={required ? 'label-required' : undefined}>{label}</label>
      {children({ id, 'aria-invalid': message ? true : undefined, 'aria-describedby': describedBy })}
      {hint ? <p id={hintId} className="hint">{hint}</p> : null}
      {message ? <p id={errorId} className="field-error" role="alert">{message}</p> : null}
    </div>
  );
}

/** The message of `error` that belongs at the input `name`, if any. */
export function fieldError(error: unknown, name?: string): string | undefined {
  if (!error) return undefined;
  if (typeof error === 'string') return error;
  if (error instanceof ApiProblem) return name && error.isAbout(name) ? error.message : undefined;
  return undefined;
}
