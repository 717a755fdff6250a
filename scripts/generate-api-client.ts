/**
 * Writes web/src/api/schema.d.ts, the console's types of the admin API, from the server's own
 * OpenAPI document (openapi-typescript). A test fails when the committed file is stale.
 *
 * Usage: npm run generate:api
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { API_TYPES_PATH, renderApiTypes } from '../src/server/routes/api-types.js';

const out = join(resolve(import.meta.dirname, '..'), API_TYPES_PATH);
writeFileSync(out, await renderApiTypes());
process.stdout.write(`wrote ${API_TYPES_PATH}\n`);
