import type { ButtonHTMLAttributes } from 'react';

type Variant = 'primary' | 'secondary' | 'danger' | 'quiet';

/**
 * A button; `busy` disables it and says so to screen readers.
 *
 * @example
 * <Button variant="primary" busy={save.isPending} onClick={() => save.mutate()}>Save recipe</Button>
 */
export function Button({ variant = 'secondary', busy, className, children, disabled, type = 'button', ...rest }: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: Variant; busy?: boolean }) {
  return (
    <button type={type} className={`btn btn-${variant} ${className ?? ''}`} disabled={disabled || busy} aria-busy={busy || undefined} {...rest}>
      {children}
    </button>
  );
}
