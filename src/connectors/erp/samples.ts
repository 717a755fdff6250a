/**
 * Catalog samples of the ERP triggers: records shaped like the ERP fake's JSON answers (and a
 * snapshot CSV's removed row), turned into events by the poll's own `recordEvent` with the feeds a
 * default connection reads (`erpConnection`). Fixed times keep the samples (and docs/catalog.md) stable.
 */
import type { ConnectorSamples, TriggerSample } from '../types.js';
import type { ErpCustomer, ErpTask } from './fake.js';
import { erpConnection } from './connection.js';
import { recordEvent } from './poll.js';

const conn = () => erpConnection({ id: 'erp-main', app: 'erp', source: 'erp', config: { baseUrl: 'https://erp.example.com/api' }, secrets: {} });

const customer: ErpCustomer = { id: 'C1001', name: 'Grace Hopper', email: 'grace@hopper-logistics.example', phone: '+1 202 555 0147', companyName: 'Hopper Logistics', city: 'Arlington', lastModifiedDateTime: '2026-03-02T09:15:00.000Z' };
const task = (patch: Partial<ErpTask> = {}): ErpTask => ({ id: 'T2001', customerId: 'C1001', subject: 'Renew the service contract', description: 'Contract ends in April; send the renewal quote', dueDate: '2026-03-20T12:00:00.000Z', completed: false, lastModifiedDateTime: '2026-03-02T10:00:00.000Z', ...patch });

const sample = (e: { type: string; payload: Record<string, unknown> }): TriggerSample => ({ type: e.type, payload: e.payload });

function customers(): TriggerSample[] {
  const feed = conn().customers;
  // a removal is seen only by a snapshot diff: the row is gone, its key is all there is
  const snapshot = { ...feed, cursor: null };
  return [sample(recordEvent(feed, { ...customer }, customer.id, 'changed', customer.lastModifiedDateTime)), sample(recordEvent(snapshot, { [feed.key]: customer.id }, customer.id, 'removed', '3:9f2c4e1a', '2026-03-03T02:00:00.000Z'))];
}

function tasks(): TriggerSample[] {
  const feed = conn().tasks;
  const open = task();
  const done = task({ completed: true, lastModifiedDateTime: '2026-03-04T16:45:00.000Z' });
  return [
    sample(recordEvent(feed, { ...open }, open.id, 'changed', open.lastModifiedDateTime)),
    sample(recordEvent(feed, { ...done }, done.id, 'changed', done.lastModifiedDateTime)),
    sample(recordEvent({ ...feed, cursor: null }, { [feed.key]: open.id }, open.id, 'removed', '4:0b7d3a55', '2026-03-05T02:00:00.000Z')),
  ];
}

/**
 * @example
 * erpSamples.triggers['erp.customers.changed']!()[0]!.payload.customer; // { id: 'C1001', name: 'Grace Hopper', … }
 */
export const erpSamples: ConnectorSamples = {
  triggers: { 'erp.customers.changed': customers, 'erp.tasks.changed': tasks },
  actions: {
    'erp.getCustomer': { id: 'C1001' },
    'erp.listCustomers': { updatedAfter: '2026-03-01T00:00:00.000Z', top: 100, skip: 0 },
    'erp.completeTask': { taskId: 'T2001', completed: true },
    'erp.updateTask': { taskId: 'T2001', fields: { dueDate: '2026-03-27T12:00:00.000Z' } },
  },
};
