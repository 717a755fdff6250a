/**
 * ghl-bridge's HighLevel client: typed, rate-governed, self-refreshing access to Contacts API v2.
 *
 * @example
 * import { createGhlClient, GhlDuplicateContactError } from 'ghl-bridge/ghl';
 * const ghl = createGhlClient({ auth: { privateIntegrationToken: pit }, locationId });
 * try {
 *   await ghl.contacts.create({ email: 'ada@example.com' });
 * } catch (e) {
 *   if (e instanceof GhlDuplicateContactError) console.log('exists:', e.existingContactId);
 * }
 */
export { createGhlClient, GHL_BASE_URL, type ClientAuth, type GhlClient, type GhlClientOptions } from './client.js';
export * from './core/errors.js';
export { compose, type GhlRequest, type GhlResponse, type Layer, type Send } from './core/types.js';
export { createCall, type Call } from './core/call.js';
export { fetchTransport, type FetchTransportOptions } from './core/transport.js';
export { headers, DEFAULT_API_VERSION } from './layers/headers.js';
export { observe, type Observer, type RequestEvent, type ResponseEvent } from './layers/observe.js';
export { retry, type RetryOptions } from './layers/retry.js';
export * from './governor/index.js';
export * from './auth/index.js';
export * from './oauth/index.js';
export * from './webhooks/index.js';
export * from './operations/index.js';
