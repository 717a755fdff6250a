import type { Layer } from '../core/types.js';

/** HighLevel's v2 contacts spec version (the only value its `Version` enum lists). */
export const DEFAULT_API_VERSION = '2021-07-28';

export interface HeadersOptions {
  /** `Version` header (default 2021-07-28, not the SDK's unlisted 2023-02-21). */
  version?: string;
  userAgent?: string;
}

/**
 * Adds `Version` and `User-Agent` to every request (not to the anonymous token endpoint, whose
 * spec declares no Version header).
 *
 * @example
 * const send = compose([headers({ version: '2021-07-28' })], transport);
 */
export function headers(options: HeadersOptions = {}): Layer {
  const version = options.version ?? DEFAULT_API_VERSION;
  const userAgent = options.userAgent ?? 'ghl-bridge/0.1';
  return (next) => (request) =>
    next({ ...request, headers: { ...(request.anonymous ? {} : { version }), 'user-agent': userAgent, ...request.headers } });
}
