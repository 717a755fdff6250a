import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildCatalog } from './catalog.js';
import { CATALOG_DOC_COMMAND, CATALOG_DOC_PATH, renderCatalogDoc } from './catalog-doc.js';
import { ALL_CONNECTORS } from './index.js';

describe('docs/catalog.md', () => {
  const committed = readFileSync(join(import.meta.dirname, '../..', CATALOG_DOC_PATH), 'utf8');
  const rendered = renderCatalogDoc(ALL_CONNECTORS);

  it('is what the catalog renders (else run the command)', () => {
    // a plain boolean first: the message names the command, the diff follows
    expect(committed === rendered, `${CATALOG_DOC_PATH} is stale: run \`${CATALOG_DOC_COMMAND}\` and commit it`).toBe(true);
  });

  it('says it is generated and lists every operation with its sample or example', () => {
    expect(rendered).toContain(`Generated from the connectors by \`${CATALOG_DOC_COMMAND}\``);
    for (const e of buildCatalog(ALL_CONNECTORS)) {
      expect(rendered, e.id).toContain(`### \`${e.id}\``);
      if (e.kind === 'trigger') expect(rendered, e.id).toContain(JSON.stringify(e.sample!.payload, null, 2));
      else expect(rendered, e.id).toContain(JSON.stringify(e.example, null, 2));
    }
  });
});
