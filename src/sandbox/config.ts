import type { RateLimitConfig } from './rate-limit.js';
import { DEFAULT_RATE_LIMIT } from './rate-limit.js';

/** Everything about the sandbox that is not data. All of it can be changed at run time. */
export interface SandboxConfig {
  rateLimit: RateLimitConfig;
  /** Lifetime of OAuth access tokens in seconds (the real API: 86399). */
  accessTokenTtlSeconds: number;
  /** Largest request body accepted, in bytes (413 above). */
  bodyLimitBytes: number;
  webhooks: {
    /** Also sign with the legacy RSA `x-wh-signature` header. */
    legacySignature: boolean;
    /** Delays between delivery attempts after a 429, in ms (GHL retries only on 429). */
    retryDelaysMs: number[];
    timeoutMs: number;
  };
  /** Requests kept in the inspectable request log. */
  requestLogSize: number;
}

export function defaultConfig(): SandboxConfig {
  return {
    rateLimit: { ...DEFAULT_RATE_LIMIT },
    accessTokenTtlSeconds: 86399,
    bodyLimitBytes: 1024 * 1024,
    webhooks: { legacySignature: false, retryDelaysMs: [1000, 2000, 4000, 8000, 16000], timeoutMs: 5000 },
    requestLogSize: 5000,
  };
}
