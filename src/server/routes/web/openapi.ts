import { defineRoute } from '../contract.js';

/** The document is built once by the app (from every route's contract) and served as is. */
export function openApiRoute(document: () => Record<string, unknown>) {
  return defineRoute({
    method: 'GET',
    path: '/api/v1/openapi.json',
    summary: 'This OpenAPI 3.1 document (no token needed)',
    tag: 'ops',
    auth: false,
    responses: { 200: { description: 'OpenAPI 3.1' } },
    handler: ({ c }) => c.json(document()),
  });
}
