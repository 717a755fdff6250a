import { describe, expect, it } from 'vitest';
import { sourceMismatch } from './sync-target.js';

const erpCustomers = { id: 'erp-customers', trigger: { source: 'erp' } };
const recruitee = { id: 'recruitee-main', app: 'recruitee', config: {} };
const erp = { id: 'erp-main', app: 'erp', config: {} };
const myApp = { id: 'my-app', app: 'webhook', config: { source: 'app' } };

describe('sourceMismatch', () => {
  it('names the connection, its app, the trigger source and the connections that fit', () => {
    expect(sourceMismatch(erpCustomers, recruitee, [recruitee, erp, { id: 'erp-2', app: 'webhook', config: { source: 'erp' } }])).toBe(
      'connection recruitee-main (app recruitee) cannot feed recipe erp-customers: its trigger source is erp; use an erp connection (erp-main, erp-2)',
    );
    expect(sourceMismatch({ id: 'r', trigger: { source: 'recruitee' } }, myApp, [myApp])).toBe(
      'connection my-app (app webhook, source app) cannot feed recipe r: its trigger source is recruitee; no connection has source recruitee yet: add one with `ghl-bridge connections add` (its app, or config.source, recruitee)',
    );
    expect(sourceMismatch(erpCustomers, recruitee, null)).toBe('connection recruitee-main (app recruitee) cannot feed recipe erp-customers: its trigger source is erp, the connection\'s is recruitee');
  });

  it('is null when the sources agree (config.source counts, a GHL location is `ghl`)', () => {
    expect(sourceMismatch(erpCustomers, erp, [erp])).toBeNull();
    expect(sourceMismatch({ id: 'x', trigger: { source: 'app' } }, myApp, [])).toBeNull();
    expect(sourceMismatch({ id: 'g', trigger: { source: 'ghl' } }, { id: 'ghl-main', app: 'ghl-location', config: {} }, [])).toBeNull();
  });
});
