/**
 * What every operation shares: the per-call options, the client's default location, and one
 * function that turns an operation's description into a `GhlRequest` for `call`.
 */
import type { Call } from '../core/call.js';
import type { GhlRequest, HttpMethod } from '../core/types.js';

/** Options every method takes. */
export interface RequestOptions {
  /** Aborts the request (and, for iterators, the page being fetched). */
  signal?: AbortSignal;
  /** Per-request timeout in ms (overrides the transport's default). */
  timeoutMs?: number;
}

/**
 * Options of the operations whose request names no location (path-only, e.g. GET /contacts/{id}).
 * `locationId` is the location the contact belongs to: it becomes the request's `resourceId`
 * (the auth and rate-limit budget to use) and is never sent to HighLevel.
 */
export interface LocatedRequestOptions extends RequestOptions {
  locationId?: string;
}

/** What the operation factories close over. */
export interface OperationContext {
  call: Call;
  /** The client-level default location. */
  locationId?: string;
}

/** One operation call, before the per-call options are applied. */
export interface OperationRequest {
  operationId: string;
  method: HttpMethod;
  path: string;
  idempotent: boolean;
  query?: GhlRequest['query'];
  body?: unknown;
  resourceId?: string;
}

/** Sends one operation through `call` with the caller's signal and timeout. */
export function invoke<T>(ctx: OperationContext, op: OperationRequest, options: RequestOptions = {}): Promise<T> {
  const request: GhlRequest = { method: op.method, path: op.path, operationId: op.operationId, idempotent: op.idempotent };
  if (op.query !== undefined) request.query = op.query;
  if (op.body !== undefined) request.body = op.body;
  if (op.resourceId !== undefined) request.resourceId = op.resourceId;
  if (options.signal !== undefined) request.signal = options.signal;
  if (options.timeoutMs !== undefined) request.timeoutMs = options.timeoutMs;
  return ctx.call<T>(request);
}

/**
 * The location a request carries (body or query `locationId`): the caller's, else the client's
 * default. Throws before sending when there is neither, since HighLevel requires it.
 */
export function requireLocation(ctx: OperationContext, explicit: string | undefined): string {
  const locationId = explicit ?? ctx.locationId;
  if (!locationId) throw new TypeError('locationId is required: pass it, or give the client a default locationId');
  return locationId;
}

/** The `resourceId` of a path-only operation: the caller's location, else the default, else none. */
export function pathLocation(ctx: OperationContext, options: LocatedRequestOptions | undefined): string | undefined {
  return options?.locationId ?? ctx.locationId;
}

/**
 * One path segment from an id, URL-encoded. An empty id is refused: `/contacts/${''}` would
 * silently address another endpoint (GET /contacts/ is the list).
 */
export function segment(name: string, id: string): string {
  if (typeof id !== 'string' || id === '') throw new TypeError(`${name} must be a non-empty string`);
  return encodeURIComponent(id);
}

