import type { GhlRequest, GhlResponse } from './types.js';

/**
 * Typed errors. Each carries status, method and path (never a query string, token or body),
 * the `traceId` HighLevel returns when it does, and the parsed body for inspection.
 */
export type GhlErrorCode =
  | 'AUTHENTICATION' | 'FORBIDDEN' | 'NOT_FOUND' | 'VALIDATION' | 'DUPLICATE_CONTACT' | 'RATE_LIMIT' | 'SERVER' | 'NETWORK';

export interface GhlErrorDetails {
  status: number | null;
  method: string;
  path: string;
  traceId?: string;
  body?: unknown;
  operationId?: string;
  /** The request may have been carried out although it failed (see GhlNetworkError). */
  mayHaveSucceeded?: boolean;
}

export class GhlError extends Error {
  readonly code: GhlErrorCode = 'SERVER';
  readonly status: number | null;
  readonly method: string;
  readonly path: string;
  readonly traceId: string | undefined;
  readonly body: unknown;
  readonly operationId: string | undefined;
  /**
   * True when the request may have taken effect although it failed: no answer after sending, or a
   * 5xx to a request that is not idempotent. A create must then be looked up before it is repeated.
   */
  readonly mayHaveSucceeded: boolean;

  constructor(message: string, details: GhlErrorDetails) {
    super(message);
    this.name = new.target.name;
    this.status = details.status;
    this.method = details.method;
    this.path = details.path;
    this.traceId = details.traceId;
    this.body = details.body;
    this.operationId = details.operationId;
    this.mayHaveSucceeded = details.mayHaveSucceeded ?? false;
  }
}

export class GhlAuthenticationError extends GhlError {
  override readonly code = 'AUTHENTICATION';
}
export class GhlForbiddenError extends GhlError {
  override readonly code = 'FORBIDDEN';
}
export class GhlNotFoundError extends GhlError {
  override readonly code = 'NOT_FOUND';
}

/** 400/422: `fieldMessages` holds HighLevel's per-field sentences (`message` array). */
export class GhlValidationError extends GhlError {
  override readonly code = 'VALIDATION';
  constructor(
    message: string,
    details: GhlErrorDetails,
    readonly fieldMessages: string[],
  ) {
    super(message, details);
  }
}

/** 400 "This location does not allow duplicated contacts." with the existing contact. */
export class GhlDuplicateContactError extends GhlError {
  override readonly code = 'DUPLICATE_CONTACT';
  constructor(
    message: string,
    details: GhlErrorDetails,
    readonly existingContactId: string,
    readonly matchingField: string,
  ) {
    super(message, details);
  }
}

export type RateLimitScope = 'burst' | 'daily';

/** 429, or a daily budget the governor knows is spent. `resetAt` is epoch ms. */
export class GhlRateLimitError extends GhlError {
  override readonly code = 'RATE_LIMIT';
  constructor(
    message: string,
    details: GhlErrorDetails,
    readonly scope: RateLimitScope,
    readonly resetAt: number,
  ) {
    super(message, details);
  }
}

export class GhlServerError extends GhlError {
  override readonly code = 'SERVER';
}

/**
 * No answer: connection refused or reset, timeout, abort. `mayHaveSucceeded` is true when the
 * request may have reached HighLevel (it was sent and the answer was lost), so a create must be
 * looked up before it is repeated.
 */
export class GhlNetworkError extends GhlError {
  override readonly code = 'NETWORK';
  constructor(
    message: string,
    details: GhlErrorDetails,
    mayHaveSucceeded: boolean,
    override readonly cause?: unknown,
  ) {
    super(message, { ...details, mayHaveSucceeded });
  }
}

function details(request: GhlRequest, status: number | null, body: unknown): GhlErrorDetails {
  const traceId = typeof body === 'object' && body !== null && typeof (body as { traceId?: unknown }).traceId === 'string' ? (body as { traceId: string }).traceId : undefined;
  return { status, method: request.method, path: request.path, traceId, body, operationId: request.operationId };
}

function messagesOf(body: unknown): string[] {
  const message = typeof body === 'object' && body !== null ? (body as { message?: unknown }).message : undefined;
  if (Array.isArray(message)) return message.map(String);
  if (typeof message === 'string') return [message];
  return [];
}

/** Epoch ms of the next midnight UTC: when HighLevel's daily count starts again (UNVERIFIED). */
export function nextUtcMidnight(now: number): number {
  const d = new Date(now);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1);
}

/** Maps a non-2xx answer to its typed error. */
export function errorFromResponse(response: GhlResponse, now: number = Date.now()): GhlError {
  const { request, status, body, headers } = response;
  const d = details(request, status, body);
  const messages = messagesOf(body);
  const text = `${request.method} ${request.path} → ${status}${messages.length ? `: ${messages.join('; ')}` : ''}`;
  if (status === 401) return new GhlAuthenticationError(text, d);
  if (status === 403) return new GhlForbiddenError(text, d);
  if (status === 404) return new GhlNotFoundError(text, d);
  if (status === 429) {
    const daily = headers.get('x-ratelimit-daily-remaining') === '0';
    const interval = Number(headers.get('x-ratelimit-interval-milliseconds') ?? '') || 10_000;
    const retryAfter = Number(headers.get('retry-after') ?? '');
    const resetAt = daily ? nextUtcMidnight(now) : now + (Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : interval);
    return new GhlRateLimitError(text, d, daily ? 'daily' : 'burst', resetAt);
  }
  if (status === 400 || status === 422) {
    const meta = typeof body === 'object' && body !== null ? (body as { meta?: { contactId?: unknown; matchingField?: unknown } }).meta : undefined;
    if (status === 400 && meta && typeof meta.contactId === 'string') {
      return new GhlDuplicateContactError(text, d, meta.contactId, String(meta.matchingField ?? ''));
    }
    // HighLevel answers unknown ids with 400 "… with id X not found" (ghl-api.md §2.1).
    if (status === 400 && messages.some((m) => /\bnot found\b/i.test(m))) return new GhlNotFoundError(text, d);
    return new GhlValidationError(text, d, messages);
  }
  // A 5xx may come after HighLevel carried the request out; only idempotent requests are safe.
  return new GhlServerError(text, { ...d, mayHaveSucceeded: !request.idempotent });
}
