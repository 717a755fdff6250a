import { createHash, timingSafeEqual } from 'node:crypto';
import { ApiError } from '../http/errors.js';

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/**
 * Checks `Authorization: Bearer <token>` for `/metrics` when a scrape token is configured
 * (`metrics.tokenEnv`), in constant time (both sides hashed, so neither length nor prefix leaks).
 * A missing header and a wrong token get the same 401, so a probe learns nothing about the token;
 * no token configured: the scrape is open, as Prometheus expects by default.
 *
 * @example
 * checkMetricsToken(c.req.header('authorization'), bridge.config.metricsToken);
 */
export function checkMetricsToken(header: string | undefined, token: string | undefined): void {
  if (token === undefined) return;
  const given = /^Bearer[ ]+([^\s]+)\s*$/i.exec(header ?? '')?.[1] ?? '';
  if (!timingSafeEqual(digest(given), digest(token))) {
    throw new ApiError(401, 'unauthorized', 'this scrape needs Authorization: Bearer <metrics token>', undefined, { 'www-authenticate': 'Bearer realm="ghl-bridge metrics"' });
  }
}
