import type { OperationHandler } from '../context.js';
import { bulkOperations } from './bulk.js';
import { contactOperations } from './contacts.js';
import { listingOperations } from './listing.js';
import { oauthOperations } from './oauth.js';
import { recordOperations } from './records.js';
import { relationOperations } from './relations.js';

/** operationId → handler, for every operation of the spec except POST /oauth/token. */
export const operations: Record<string, OperationHandler> = {
  ...contactOperations,
  ...listingOperations,
  ...recordOperations,
  ...relationOperations,
  ...bulkOperations,
  ...oauthOperations,
};

export { tokenEndpoint, isInstalled } from './oauth.js';
