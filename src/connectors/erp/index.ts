/**
 * ERP (Rankr-style): scheduled pulls of customers and tasks from a JSON endpoint (OData-style
 * `$filter=lastModifiedDateTime gt …` keyset paging, or an `updatedAfter`-style parameter), a CSV
 * endpoint, or a CSV file dropped on disk; a durable cursor (watermark + key) or, for snapshot
 * CSVs without an updated-at column, a diff against the previous snapshot (created, updated,
 * removed). Actions read customers and complete or update tasks. ERP webhooks, where an ERP has
 * them, come in through the generic `webhook` connector (its custom HMAC scheme), not this one.
 */
import { defineConnector, type JsonSchema, type SourceEvent, type TriggerDef } from '../types.js';
import { erpActions } from './actions.js';
import { erpConnection } from './connection.js';
import { pollFeed } from './poll.js';
import { erpSamples } from './samples.js';
import type { ErpConn } from './schemas.js';

export { erpConnection };

export { createErpFake, type ErpFake, type ErpFakeOptions } from './fake.js';
export { parseCsv, toCsv, CsvError } from './csv.js';
export { pollFeed } from './poll.js';
export type { ErpConn, Feed } from './schemas.js';

const common = {
  entity: { type: 'string', enum: ['customer', 'task'] },
  key: { type: 'string', description: 'The record key (key column)' },
  change: { type: 'string', enum: ['changed', 'created', 'updated', 'removed'], description: 'changed: incremental feeds; created/updated/removed: snapshot diffs' },
  updatedAt: { type: ['string', 'null'], description: 'The cursor column value (null for snapshots)' },
};

const customerOutput: JsonSchema = {
  type: 'object',
  required: ['entity', 'key', 'change', 'customer'],
  properties: { ...common, customer: { type: 'object', additionalProperties: true, description: 'The row as the ERP sends it (CSV: text values)' } },
};

const taskOutput: JsonSchema = {
  type: 'object',
  required: ['entity', 'key', 'change', 'task', 'completed'],
  properties: {
    ...common,
    task: { type: 'object', additionalProperties: true },
    customerKey: { type: ['string', 'null'], description: "The task's customer key (customerColumn)" },
    completed: { type: 'boolean' },
    dueDate: { type: ['string', 'null'], description: "The task's due date (dueColumn), else its updated-at, else (snapshots) when the poll saw it" },
  },
};

const triggers: TriggerDef<ErpConn>[] = [
  {
    id: 'erp.customers.changed',
    title: 'ERP customers changed (scheduled pull)',
    kind: 'poll',
    events: ['customer.changed', 'customer.removed'],
    endpoint: 'GET /customers?$filter=lastModifiedDateTime gt {watermark} | GET {csv} | file {path}',
    output: customerOutput,
    poll: ({ conn, cursor, signal, now }) => pollFeed(conn, conn.customers, cursor, signal, now),
  },
  {
    id: 'erp.tasks.changed',
    title: 'ERP tasks and events changed (scheduled pull)',
    kind: 'poll',
    events: ['task.changed', 'task.completed', 'task.removed'],
    endpoint: 'GET /tasks?$filter=lastModifiedDateTime gt {watermark} | GET {csv} | file {path}',
    output: taskOutput,
    poll: ({ conn, cursor, signal, now }) => pollFeed(conn, conn.tasks, cursor, signal, now),
  },
];

/** Every customer, then every task, as events (the full sync): polls from an empty cursor to the end. */
async function* listAll(conn: ErpConn, options: { signal?: AbortSignal }): AsyncIterable<SourceEvent> {
  for (const feed of [conn.customers, conn.tasks]) {
    let cursor: unknown = null;
    for (;;) {
      options.signal?.throwIfAborted();
      const page = await pollFeed(conn, feed, cursor, options.signal);
      yield* page.events;
      cursor = page.cursor;
      if (!page.more) break;
    }
  }
}

/**
 * The ERP connector (app id `erp`).
 *
 * @example
 * const connections = staticConnections([{ id: 'erp-main', app: 'erp', source: 'erp', config: { baseUrl: fake.url }, secrets: { apiKey: 'k' } }]);
 * const runtime = createConnectorRuntime({ engine, connectors: [erp], connections });
 * await runtime.poll('erp-main', 'erp.customers.changed');
 */
export const erp = defineConnector<ErpConn>({
  app: 'erp',
  title: 'ERP (scheduled JSON/CSV pulls)',
  connection: erpConnection,
  triggers,
  actions: erpActions,
  samples: erpSamples,
  listAll,
});

export default erp;
