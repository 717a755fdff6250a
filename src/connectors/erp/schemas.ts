/**
 * The ERP connection: where each entity (customers, tasks) is read from — an OData-style JSON
 * list, a JSON list with an `updatedAfter`-style parameter, a CSV URL, or a CSV file dropped on
 * disk — with its key column and its cursor (updated-at) column. No cursor column: the CSV is a
 * full snapshot, diffed against the previous one.
 */
import { z } from 'zod';

export const FEED_KINDS = ['odata', 'api', 'csv-url', 'csv-file'] as const;
export type FeedKind = (typeof FEED_KINDS)[number];

const column = z.string().trim().min(1);

export const feedSchema = z
  .object({
    from: z.enum(FEED_KINDS).default('odata'),
    /** URL path under baseUrl (`/customers`, `/export/customers.csv`) or, for csv-file, a file path. */
    path: z.string().min(1),
    key: column.default('id'),
    /** Updated-at column; default `lastModifiedDateTime` for odata/api; null (or absent for CSV): snapshot diff. */
    cursor: column.nullable().optional(),
    /** `api` feeds: the query parameter taking the watermark. */
    updatedAfterParam: column.default('updatedAfter'),
    delimiter: z.enum([',', ';', '\t']).optional(),
    /** Snapshot CSVs: an export with no rows is refused (a truncated file must not remove everyone) unless this is true. */
    allowEmptySnapshot: z.boolean().default(false),
    /** Tasks: the column saying a task is done, and the column holding its customer's key. */
    completedColumn: column.default('completed'),
    customerColumn: column.default('customerId'),
    /** Tasks: the due-date column (a task without one is due at its updated-at). */
    dueColumn: column.default('dueDate'),
  })
  .strict();

export const erpConfigSchema = z
  .object({
    baseUrl: z.url().optional(),
    apiKeyHeader: column.default('x-api-key'),
    pageSize: z.number().int().min(1).max(1000).default(100),
    customers: feedSchema.prefault({ path: '/customers' }),
    tasks: feedSchema.prefault({ path: '/tasks' }),
  })
  .strict();

export type FeedConfig = z.output<typeof feedSchema>;

/** A feed with its cursor column decided (null: snapshot). */
export interface Feed extends Omit<FeedConfig, 'cursor'> {
  entity: 'customer' | 'task';
  cursor: string | null;
}

/** An ERP connection. `apiKey` is non-enumerable: JSON, logs and spreads of the object never show it. */
export interface ErpConn {
  id: string;
  source: string;
  baseUrl: string | undefined;
  apiKeyHeader: string;
  readonly apiKey: string | undefined;
  pageSize: number;
  customers: Feed;
  tasks: Feed;
}
