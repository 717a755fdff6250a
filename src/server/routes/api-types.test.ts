import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { API_TYPES_COMMAND, API_TYPES_PATH, renderApiTypes } from './api-types.js';

describe('the console client types', () => {
  it('are generated from the current routes (web/src/api/schema.d.ts is not stale)', async () => {
    const committed = readFileSync(join(import.meta.dirname, '../../..', API_TYPES_PATH), 'utf8');
    const rendered = await renderApiTypes();
    expect(committed === rendered, `${API_TYPES_PATH} is stale: run \`${API_TYPES_COMMAND}\` and commit it`).toBe(true);
    expect(rendered).toContain('"/api/v1/runs"');
  });
});
