/**
 * Writes docs/catalog.md from the operations catalog (every trigger with its sample, every action
 * with its example). A test fails when the committed file differs from what this writes.
 *
 * Usage: npm run generate:catalog
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CATALOG_DOC_PATH, renderCatalogDoc } from '../src/connectors/catalog-doc.js';
import { ALL_CONNECTORS } from '../src/connectors/index.js';

const out = join(resolve(import.meta.dirname, '..'), CATALOG_DOC_PATH);
writeFileSync(out, renderCatalogDoc(ALL_CONNECTORS));
process.stdout.write(`wrote ${CATALOG_DOC_PATH}\n`);
