import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { routes } from '../spec/index.js';
import { buildCatalog } from './catalog.js';
import { ALL_CONNECTORS } from './index.js';

const catalog = buildCatalog(ALL_CONNECTORS);

describe('operations catalog', () => {
  it('lists every connector, with unique ids prefixed by their app', () => {
    expect(new Set(catalog.map((e) => e.app))).toEqual(new Set(['recruitee', 'connecteam', 'webhook', 'erp', 'ghl']));
    expect(new Set(catalog.map((e) => e.id)).size).toBe(catalog.length);
    for (const e of catalog) expect(e.id.startsWith(`${e.app}.`), e.id).toBe(true);
  });

  it('describes every entry: title, endpoint, output schema; triggers their events; actions a strict input schema', () => {
    for (const e of catalog) {
      expect(e.title.length, e.id).toBeGreaterThan(0);
      expect(e.endpoint, e.id).toMatch(/^(GET|POST|PUT|PATCH|DELETE|FILE) \S/);
      expect(typeof e.output, e.id).toBe('object');
      if (e.kind === 'trigger') expect(e.events?.length, e.id).toBeGreaterThan(0);
      else {
        expect(typeof e.idempotent, e.id).toBe('boolean');
        expect(e.input, e.id).toMatchObject({ type: 'object', additionalProperties: false });
      }
    }
  });

  it('covers all 32 contacts operations of the GHL spec as actions', () => {
    const endpoints = new Set(catalog.filter((e) => e.app === 'ghl' && e.kind === 'action').map((e) => e.endpoint));
    const contactRoutes = routes.filter((r) => r.module === 'contacts');
    expect(contactRoutes).toHaveLength(32);
    for (const r of contactRoutes) expect(endpoints, `${r.method} ${r.path}`).toContain(`${r.method} ${r.path}`);
  });
});

describe('the README', () => {
  it('states the catalog count as it is', () => {
    const readme = readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8');
    const triggers = catalog.filter((e) => e.kind === 'trigger').length;
    expect(readme).toContain(`**${catalog.length} operations** (${triggers} triggers, ${catalog.length - triggers} actions)`);
  });
});
