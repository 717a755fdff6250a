/** Shape of one operation in the generated route table (see scripts/generate-spec.ts). */
export interface SpecRouteParam {
  name: string;
  in: 'path' | 'query' | 'header' | string;
  required: boolean;
  schema: unknown;
}

export interface SpecRoute {
  operationId: string;
  module: string;
  method: string;
  path: string;
  deprecated: boolean;
  security: { scheme: string; scopes: string[] } | null;
  params: SpecRouteParam[];
  requestBody: { contentType: string; schema: string | null; required: boolean } | null;
  /** status code -> component schema name (null when the spec gives no schema) */
  responses: Record<string, string | null>;
}
