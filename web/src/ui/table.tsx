import type { ReactNode } from 'react';

/** A column header: its text, or its content with the header cell's class (`num` right-aligns) and title. */
export type Column = string | { label: ReactNode; className?: string; title?: string };

/**
 * A data table in its scrolling wrapper: named for assistive technology by `label`, one column
 * header per entry of `columns`, the rows (`<tr>`s) as children.
 *
 * @example
 * <DataTable label="Syncs" columns={['Sync', 'Status', { label: 'Records', className: 'num' }, { label: <span className="sr-only">Actions</span> }]}>
 *   {syncs.map((s) => <tr key={s.id}><td>…</td></tr>)}
 * </DataTable>
 */
export function DataTable({ label, columns, className, children }: { label: string; columns: Column[]; className?: string; children: ReactNode }) {
  return (
    <div className="table-wrap">
      <table className={className ? `table ${className}` : 'table'} aria-label={label}>
        <thead>
          <tr>
            {columns.map((c, i) =>
              typeof c === 'string' ? <th key={i} scope="col">{c}</th> : <th key={i} scope="col" className={c.className} title={c.title}>{c.label}</th>,
            )}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
