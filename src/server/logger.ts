import pino, { type DestinationStream, type Logger } from 'pino';

/** Paths whose values never reach a log line (headers, bodies, connection secrets, tokens). */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'req.headers["webhook-signature"]',
  'req.headers["x-recruitee-signature"]',
  'req.headers["x-connecteam-signature"]',
  'req.headers["x-ghl-signature"]',
  'req.headers["x-wh-signature"]',
  'req.headers["stripe-signature"]',
  'req.headers["x-hub-signature-256"]',
  'res.headers["set-cookie"]',
  // the same keys at the top level of a line's fields (the engine's structured lines) and one level down
  'authorization',
  '*.authorization',
  'secrets',
  'token',
  'accessToken',
  'refreshToken',
  'clientSecret',
  'apiKey',
  'password',
  '*.secrets',
  '*.token',
  '*.accessToken',
  '*.refreshToken',
  '*.access_token',
  '*.refresh_token',
  '*.clientSecret',
  '*.client_secret',
  '*.apiKey',
  '*.password',
  '*.code',
];

/**
 * Structured JSON logs (pino) with secrets redacted by path; a child logger per request carries
 * its request id on every line.
 *
 * @example
 * const logger = createLogger({ level: 'info' });
 * logger.child({ requestId }).info({ status: 200 }, 'request done');
 */
export function createLogger(options: { level?: string; destination?: DestinationStream } = {}): Logger {
  return pino({ level: options.level ?? 'info', redact: { paths: REDACTED_PATHS, censor: '[redacted]' }, base: { service: 'ghl-bridge' } }, options.destination);
}

export type { Logger };
