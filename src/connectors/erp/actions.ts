/**
 * ERP actions over its JSON API: read customers, and complete or update a task (so a task done in
 * GHL is done in the ERP too). Paths follow the JSON feeds' paths (`/customers/{id}`, `/tasks/{id}`).
 */
import { z } from 'zod';
import type { ActionDef, JsonSchema } from '../types.js';
import { erpRequest } from './client.js';
import { listOf } from './poll.js';
import type { ErpConn, Feed } from './schemas.js';

const id = z.union([z.string().trim().min(1), z.number().int()]).transform(String);

/** The API path of an entity: the JSON feed's path, or the conventional one when the feed is a CSV. */
export function entityPath(feed: Feed): string {
  if (feed.from === 'odata' || feed.from === 'api') return feed.path.split('?')[0]!.replace(/\/$/, '');
  return feed.entity === 'customer' ? '/customers' : '/tasks';
}

const record: JsonSchema = { type: 'object', additionalProperties: true, description: 'The ERP record as its API answers it' };

const getCustomerInput = z.object({ id }).strict();
export const getCustomer: ActionDef<ErpConn, z.output<typeof getCustomerInput>, Record<string, unknown>> = {
  id: 'erp.getCustomer',
  title: 'Get an ERP customer',
  endpoint: 'GET /customers/{id}',
  idempotent: true,
  input: getCustomerInput as unknown as z.ZodType<z.output<typeof getCustomerInput>>,
  output: record,
  run: ({ conn, signal }, input) => erpRequest(conn, 'GET', `${entityPath(conn.customers)}/${encodeURIComponent(input.id)}`, { signal }),
};

const listCustomersInput = z.object({ updatedAfter: z.string().min(1).optional(), top: z.number().int().min(1).max(1000).optional(), skip: z.number().int().min(0).optional() }).strict();
export const listCustomers: ActionDef<ErpConn, z.output<typeof listCustomersInput>, { customers: Array<Record<string, unknown>> }> = {
  id: 'erp.listCustomers',
  title: 'List ERP customers (one page, optionally changed after a time)',
  endpoint: 'GET /customers?$filter=lastModifiedDateTime gt {updatedAfter}&$top&$skip',
  idempotent: true,
  input: listCustomersInput,
  output: { type: 'object', required: ['customers'], properties: { customers: { type: 'array', items: record } }, additionalProperties: false },
  async run({ conn, signal }, input) {
    const feed = conn.customers;
    const q = new URLSearchParams();
    const cursor = feed.cursor ?? 'lastModifiedDateTime';
    if (input.updatedAfter) q.set('$filter', `${cursor} gt ${input.updatedAfter}`);
    q.set('$orderby', `${cursor} asc,${feed.key} asc`);
    q.set('$top', String(input.top ?? conn.pageSize));
    if (input.skip) q.set('$skip', String(input.skip));
    return { customers: listOf(await erpRequest(conn, 'GET', `${entityPath(feed)}?${q.toString()}`, { signal })) };
  },
};

const completeTaskInput = z.object({ taskId: id, completed: z.boolean().default(true) }).strict();
export const completeTask: ActionDef<ErpConn, z.output<typeof completeTaskInput>, Record<string, unknown>> = {
  id: 'erp.completeTask',
  title: 'Mark an ERP task completed (or open again)',
  endpoint: 'PATCH /tasks/{taskId}',
  idempotent: true,
  input: completeTaskInput as unknown as z.ZodType<z.output<typeof completeTaskInput>>,
  output: record,
  run: ({ conn, signal }, input) => erpRequest(conn, 'PATCH', `${entityPath(conn.tasks)}/${encodeURIComponent(input.taskId)}`, { body: { [conn.tasks.completedColumn]: input.completed }, signal }),
};

const updateTaskInput = z.object({ taskId: id, fields: z.record(z.string().min(1), z.unknown()).refine((f) => Object.keys(f).length > 0, { error: 'at least one field to change' }) }).strict();
export const updateTask: ActionDef<ErpConn, z.output<typeof updateTaskInput>, Record<string, unknown>> = {
  id: 'erp.updateTask',
  title: 'Update fields of an ERP task',
  endpoint: 'PATCH /tasks/{taskId}',
  idempotent: true,
  input: updateTaskInput as unknown as z.ZodType<z.output<typeof updateTaskInput>>,
  output: record,
  run: ({ conn, signal }, input) => erpRequest(conn, 'PATCH', `${entityPath(conn.tasks)}/${encodeURIComponent(input.taskId)}`, { body: input.fields, signal }),
};

export const erpActions = [getCustomer, listCustomers, completeTask, updateTask];
