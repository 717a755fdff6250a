/**
 * The HighLevel contract as the code uses it: the generated route table and JSON Schemas,
 * with the clearly marked overlay (`./overlay.ts`) merged over them.
 *
 * @example
 * import { routes, schemaFor } from './spec/index.js';
 * const upsert = routes.find((r) => r.operationId === 'upsert-contact');
 */
import generated from './generated/schemas.json' with { type: 'json' };
import { specRoutes } from './generated/routes.js';
import { overlayResponses, overlaySchemas, overlayScopes } from './overlay.js';
import type { SpecRoute } from './route-types.js';

export type { SpecRoute, SpecRouteParam } from './route-types.js';
export * from './overlay.js';
export type * from './generated/types.js';

/** All component schemas (spec + overlay) as one JSON Schema document with `$defs`. */
export const schemaDocument: { $id: string; $defs: Record<string, unknown> } = {
  $id: 'ghl',
  $defs: patchContactWriteDtos({ ...(generated.$defs as Record<string, unknown>), ...overlaySchemas }),
};

/**
 * OVERLAY fixes of the contact write DTOs: custom fields by `id` or `key` (`CustomFieldInput`),
 * and `dateOfBirth` as a string too — the spec types it object|null while its own description
 * lists string formats (YYYY/MM/DD, MM/DD/YYYY, …; ghl-api.md §2.3).
 */
function patchContactWriteDtos(defs: Record<string, unknown>): Record<string, unknown> {
  for (const name of ['CreateContactDto', 'UpdateContactDto', 'UpsertContactDto']) {
    const dto = structuredClone(defs[name]) as { properties: Record<string, unknown> };
    dto.properties.customFields = { type: 'array', items: { $ref: '#/$defs/CustomFieldInput' } };
    dto.properties.dateOfBirth = { type: ['string', 'object', 'null'] };
    defs[name] = dto;
  }
  return defs;
}

/** The route table with overlay responses and scopes applied, literal paths before parameters. */
export const routes: readonly SpecRoute[] = specRoutes.map((route) => ({
  ...route,
  security: route.security ?? overlayScopes[route.operationId] ?? null,
  responses: { ...route.responses, ...overlayResponses[route.operationId] },
}));

/** A `$ref` to a named schema of {@link schemaDocument}. */
export function schemaRef(name: string): { $ref: string } {
  if (!(name in schemaDocument.$defs)) throw new Error(`unknown schema ${name}`);
  return { $ref: `ghl#/$defs/${name}` };
}
