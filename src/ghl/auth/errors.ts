import { GhlAuthenticationError, GhlError, type GhlErrorDetails } from '../core/errors.js';

/**
 * HighLevel refused to renew a connection's tokens (`400 invalid_grant`: the refresh token is
 * used, revoked or expired; `401 invalid_client`), or there is nothing to renew with. Retrying
 * cannot help: the connection must go through the authorization page again. Carries the
 * connection key, never a token.
 */
export class GhlReauthorizationRequiredError extends GhlAuthenticationError {
  constructor(
    message: string,
    details: GhlErrorDetails,
    readonly connectionKey: string,
  ) {
    super(message, details);
  }
}

/**
 * 401s that say the token is fine but may not do this (ghl-api.md §6: "The token is not authorized
 * for this scope.", "Token's user type mismatch!", "This authClass type is not allowed …").
 * A refresh gives a token with the same scopes, so the auth layer does not refresh for these.
 */
const PERMISSION_REFUSAL = /not authorized for this scope|user type mismatch|authClass type is not allowed/i;

export function isPermissionRefusal(body: unknown): boolean {
  if (typeof body !== 'object' || body === null) return false;
  const message = (body as { message?: unknown }).message;
  const texts = Array.isArray(message) ? message : [message];
  return texts.some((m) => typeof m === 'string' && PERMISSION_REFUSAL.test(m));
}

/** Turns the token endpoint's refusal into {@link GhlReauthorizationRequiredError}; other errors pass unchanged. */
export function asReauthorization(error: unknown, connectionKey: string): unknown {
  if (!(error instanceof GhlError) || (error.status !== 400 && error.status !== 401)) return error;
  const reason = typeof error.body === 'object' && error.body !== null ? (error.body as { error?: unknown }).error : undefined;
  const message = `renewing the tokens of connection "${connectionKey}" was refused (${error.status}${typeof reason === 'string' ? ` ${reason}` : ''}); authorize it again`;
  return new GhlReauthorizationRequiredError(message, { status: error.status, method: error.method, path: error.path, traceId: error.traceId, body: error.body, operationId: error.operationId }, connectionKey);
}
