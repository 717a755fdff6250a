/** The console's UI kit: small, accessible building blocks shared by every view. */
export { Button } from './button.tsx';
export { ConfirmDialog } from './dialog.tsx';
export { ErrorBox } from './error-box.tsx';
export { Field, fieldError, type FieldControl } from './field.tsx';
export { JsonView } from './json-view.tsx';
export { Card, Empty, KeyValues, Page } from './page.tsx';
export { StatusBadge } from './status.tsx';
export { DataTable, type Column } from './table.tsx';
export { duration, fromNow, Time } from './time.tsx';
