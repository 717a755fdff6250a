import { openApiDocument } from './openapi-document.js';
import { API_ROUTES, WEB_ROUTES } from './index.js';
import { openApiRoute } from './web/openapi.js';

/**
 * The server's whole OpenAPI document, as `GET /api/v1/openapi.json` serves it: the console's
 * typed client is generated from this, so the two cannot drift.
 *
 * @example
 * const doc = serverApiDocument();
 */
export function serverApiDocument(): Record<string, unknown> {
  let document: Record<string, unknown> | undefined;
  const spec = openApiRoute(() => (document ??= openApiDocument(routes, { version: '0.1.0' })));
  const routes = [spec, ...API_ROUTES, ...WEB_ROUTES];
  return openApiDocument(routes, { version: '0.1.0' });
}
