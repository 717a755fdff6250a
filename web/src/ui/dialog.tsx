import { useEffect, useId, useRef, type ReactNode } from 'react';
import { Button } from './button.tsx';

/**
 * A modal confirmation (the native `<dialog>`: focus trapped, Escape closes).
 *
 * @example
 * <ConfirmDialog open={asking} title="Remove my-app?" confirmLabel="Remove" danger onConfirm={remove} onCancel={() => setAsking(false)} />
 */
export function ConfirmDialog({ open, title, children, confirmLabel = 'Confirm', danger, busy, confirmDisabled, onConfirm, onCancel }: { open: boolean; title: ReactNode; children?: ReactNode; confirmLabel?: string; danger?: boolean; busy?: boolean; confirmDisabled?: boolean; onConfirm: () => void; onCancel: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog ref={ref} className="dialog" onCancel={(e) => { e.preventDefault(); onCancel(); }} aria-labelledby={titleId}>
      <h2 id={titleId}>{title}</h2>
      {children}
      <div className="dialog-actions">
        <Button onClick={onCancel}>Cancel</Button>
        <Button variant={danger ? 'danger' : 'primary'} busy={busy} disabled={confirmDisabled} onClick={onConfirm}>{confirmLabel}</Button>
      </div>
    </dialog>
  );
}
