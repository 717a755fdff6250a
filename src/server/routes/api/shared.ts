/** Pieces several admin routes share: id schemas and error translation. */
import { z } from 'zod';
import { ConnectionProblem } from '../../../connectors/runtime/errors.js';
import { ConnectionExistsError, ConnectionNotFoundError, InvalidConnectionError } from '../../../engine/index.js';
import { GhlError } from '../../../ghl/core/errors.js';
import { ApiError } from '../../http/errors.js';

export const idText = z.string().min(1).max(200);
export const numericId = z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER);
/** Why a dead letter is dismissed: required, so whoever looks later knows. */
export const dismissReason = z.string().trim().min(1, 'say why the dead letter is dismissed').max(500);

/** Connection and GHL failures as answers; anything else is rethrown (a 500 without details). */
export function translate(e: unknown, connectionId?: string): never {
  if (e instanceof ApiError) throw e;
  if (e instanceof ConnectionExistsError) throw new ApiError(409, 'conflict', e.message, 'id');
  if (e instanceof ConnectionNotFoundError) throw new ApiError(404, 'not-found', e.message);
  if (e instanceof InvalidConnectionError) throw new ApiError(400, 'invalid-input', e.message, /config/i.test(e.message) ? 'config' : undefined);
  if (e instanceof ConnectionProblem) throw new ApiError(e.status === 422 ? 422 : e.status, e.status === 404 ? 'not-found' : e.status === 409 ? 'conflict' : 'misconfigured', e.message);
  if (e instanceof GhlError) {
    if (e.status === 401 || e.status === 403) {
      // the fix depends on how the connection authenticates: `connections test` says which
      const how = connectionId ? `\`ghl-bridge connections test ${connectionId}\` says how to renew them` : '`ghl-bridge connections list` shows the GHL connections, and `ghl-bridge connections test` with the id of one says how to renew its credentials';
      throw new ApiError(502, 'ghl-unauthorized', `HighLevel refused the credentials of ${connectionId ? `connection "${connectionId}"` : 'the GHL connection'} (${e.status}): ${how}`);
    }
    if (e.status === 404 || (e.status === 400 && /not found/i.test(e.message))) throw new ApiError(404, 'not-found', `HighLevel: ${e.message}`);
    if (e.status === 429) throw new ApiError(503, 'ghl-rate-limited', 'HighLevel rate limit reached; retry later', undefined, { 'retry-after': '10' });
    throw new ApiError(502, 'ghl-error', `HighLevel answered ${e.status ?? 'no answer'} to ${e.method} ${e.path}`);
  }
  throw e;
}
