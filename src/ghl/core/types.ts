/** The request core's types: one request shape flows through every layer to the transport. */

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface GhlRequest {
  method: HttpMethod;
  /** Path with parameters already filled in, e.g. `/contacts/abc`. */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  /** JSON body. */
  body?: unknown;
  /** Form-encoded body (OAuth endpoints). */
  form?: Record<string, string | undefined>;
  headers?: Record<string, string>;
  /** Spec operation id, for logs, metrics and the governor. */
  operationId?: string;
  /**
   * Whether repeating the request is harmless. Creates (POST /contacts/, tasks, notes) are not:
   * the retry layer never repeats them after an ambiguous failure.
   */
  idempotent: boolean;
  /** The location (or company) the call spends budget of; used by auth and the governor. */
  resourceId?: string;
  /** No bearer token (POST /oauth/token). */
  anonymous?: boolean;
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Attempt number, set by the retry layer (1-based). */
  attempt?: number;
}

export interface GhlResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON, or the text when the body is not JSON, or undefined when empty. */
  body: unknown;
  request: GhlRequest;
}

/** Sends one request and returns the answer whatever its status; throws only for network failures. */
export type Send = (request: GhlRequest) => Promise<GhlResponse>;

/** A layer wraps the next `send` (octokit's hook.wrap): auth, governor, retry, logging. */
export type Layer = (next: Send) => Send;

/** Composes layers outermost first: `compose([a, b], t)` sends through a, then b, then t. */
export function compose(layers: readonly Layer[], transport: Send): Send {
  return layers.reduceRight<Send>((next, layer) => layer(next), transport);
}
