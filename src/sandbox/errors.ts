/** Error answers in the API's NestJS-like shape: `{statusCode, message, error?}`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
    readonly headers: Record<string, string> = {},
  ) {
    super(typeof body.message === 'string' ? body.message : JSON.stringify(body.message));
  }
}

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

export function reason(status: number): string {
  return REASONS[status] ?? 'Error';
}

export function apiError(status: number, message: string | string[], extra: Record<string, unknown> = {}): ApiError {
  return new ApiError(status, { statusCode: status, message, error: reason(status), ...extra });
}

export const badRequest = (message: string, extra?: Record<string, unknown>) => apiError(400, message, extra);
export const unprocessable = (messages: string[]) => apiError(422, messages);
/** 401 texts seen on the live API (ghl-api.md §6). */
export const invalidJwt = () => apiError(401, 'Invalid JWT');
export const scopeDenied = () => apiError(401, 'The token is not authorized for this scope.');
export const userTypeMismatch = () => apiError(401, "Token's user type mismatch!");
export const locationDenied = () => apiError(403, 'The token does not have access to this location.');
